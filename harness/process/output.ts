/** Output kept per stream of a program: whole up to a cap, then only counted. */
export const OUTPUT_CAP_BYTES = 1024 * 1024;
const TAIL_BYTES = 4096;

/** One stream of a program's output (stdout or stderr), capped, with listeners for new data. */
export class CappedOutput {
  #chunks: Buffer[] = [];
  #kept = 0;
  #total = 0;
  #listeners = new Set<() => void>();
  #tail = Buffer.alloc(0);

  constructor(readonly cap = OUTPUT_CAP_BYTES) {}

  /** Adds bytes the program wrote; bytes past the cap are counted, not kept. */
  push(chunk: Buffer): void {
    this.#total += chunk.length;
    this.#tail = Buffer.concat([this.#tail, chunk.subarray(-TAIL_BYTES)]).subarray(-TAIL_BYTES);
    const room = this.cap - this.#kept;
    if (room > 0) {
      const kept = chunk.length <= room ? chunk : chunk.subarray(0, room);
      this.#chunks.push(kept);
      this.#kept += kept.length;
    }
    for (const listener of this.#listeners) listener();
  }

  /** Calls `listener` after each write; returns the function that unsubscribes it. */
  onData(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The bytes kept, exactly as the program wrote them. */
  get bytes(): Buffer {
    return Buffer.concat(this.#chunks);
  }

  get text(): string {
    return this.bytes.toString('utf8');
  }

  /** The complete lines so far, and the unfinished last one if any, without line endings. */
  get lines(): string[] {
    const text = this.text;
    if (text === '') return [];
    return text.replace(/\r?\n$/, '').split(/\r?\n/);
  }

  /** The last bytes written, kept even past the cap: a fatal error is usually the last thing printed. */
  get tailText(): string {
    return this.#tail.toString('utf8');
  }

  /** Everything the program wrote, including bytes past the cap. */
  get totalBytes(): number {
    return this.#total;
  }

  /** How many bytes were dropped because of the cap. */
  get droppedBytes(): number {
    return this.#total - this.#kept;
  }

  /** The first `maxBytes` (or fewer, so no character is cut in half), and how many bytes of all written that leaves out. */
  head(maxBytes: number): { text: string; droppedBytes: number } {
    const bytes = this.bytes;
    let end = Math.min(bytes.length, maxBytes);
    // Back off from the middle of a UTF-8 sequence (its continuation bytes are 10xxxxxx).
    while (end < bytes.length && end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
    return { text: bytes.subarray(0, end).toString('utf8'), droppedBytes: this.#total - end };
  }
}
