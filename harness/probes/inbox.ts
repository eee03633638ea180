import { CheckFailure } from '../errors.ts';
import { countBytes, describeBytes } from '../assert/bytes.ts';
import { formatSeconds } from '../report/format.ts';
import type { Hint } from '../language/language.ts';
import { waitUntil, type Patience } from './wait-until.ts';

/** How long a read waits, and what it waits for, in the student's words. */
export interface ReadOptions {
  /** Ms before `--timeout-factor`; 1 s when unset. */
  timeoutMs?: number;
  /** What was expected, for the failure message: "the reply to the first line". */
  what?: string;
}

/** Settings an inbox gets from its check. */
export interface InboxSettings {
  ms(duration: number): number;
  log(line: string): void;
  signal: AbortSignal;
  /** A pause the exercise makes on purpose, until `ms` pass or the check ends: counted in the report's designedWaitMs. */
  pause(ms: number): Promise<void>;
  /**
   * A wait for the program of `ms` that, like the program's own time limits, does not run out
   * while the check's programs (or the grader) wait for a CPU; by default, the clock's.
   */
  patience?(ms: number): Patience;
  /** Answer the program's close of a connection with a reset, so its port is not left in TIME_WAIT (see the context). */
  resetWhenPeerCloses?: boolean;
}

/** What a peer may send on one connection before it counts as flooding: past it, nothing is kept. */
export const PEER_CAP_BYTES = 1024 * 1024;

/**
 * What the program sent on one connection, and a read cursor over it: the reads of the reference
 * client and of the dialog server, with failures that say what was expected and what came. What
 * arrives past `capBytes` is not kept: the peer is flooding.
 */
export class Inbox {
  #chunks: Buffer[] = [];
  // The chunks joined, kept until more arrives: reads look at everything after every chunk.
  #joined: Buffer | undefined;
  #bytes = 0;
  // How much of what arrived the reads have already returned.
  #read = 0;
  #ended: 'fin' | 'reset' | null = null;
  #flooded = false;
  #changed = new Set<() => void>();
  #settings: InboxSettings;
  #capBytes: number;

  constructor(settings: InboxSettings, capBytes = PEER_CAP_BYTES) {
    this.#settings = settings;
    this.#capBytes = capBytes;
  }

  /** Keeps what fits under the cap; returns the part kept, and whether the cap was passed. */
  add(chunk: Buffer): { kept: Buffer; overflowed: boolean } {
    if (this.#flooded) return { kept: chunk.subarray(0, 0), overflowed: false };
    const room = this.#capBytes - this.#bytes;
    const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
    this.#chunks.push(kept);
    this.#joined = undefined;
    this.#bytes += kept.length;
    const overflowed = chunk.length > room;
    if (overflowed) this.#flooded = true;
    this.#notify();
    return { kept, overflowed };
  }

  /** The peer closed its side (FIN) or reset the connection; the first word stands. */
  end(how: 'fin' | 'reset'): void {
    if (this.#ended !== null) return;
    this.#ended = how;
    this.#notify();
  }

  get ended(): 'fin' | 'reset' | null {
    return this.#ended;
  }

  /** Whether the peer sent more than the cap. */
  get flooded(): boolean {
    return this.#flooded;
  }

  /** Everything that arrived. */
  get received(): Buffer {
    return (this.#joined ??= Buffer.concat(this.#chunks));
  }

  /** Whether bytes arrived that no read has returned yet. */
  get hasUnread(): boolean {
    return this.#bytes > this.#read;
  }

  /** The bytes no read has returned yet; they count as read from now on. */
  takeUnread(): Buffer {
    const unread = this.received.subarray(this.#read);
    this.#read = this.#bytes;
    return unread;
  }

  /** Reads up to and including `delimiter`; fails, saying what did arrive, if the peer ends or falls silent first. */
  readUntil(delimiter: string | Uint8Array, options: ReadOptions = {}): Promise<Buffer> {
    const needle = Buffer.from(delimiter);
    return this.#readUntilFound(options.what ?? `data ending with ${describeBytes(needle)}`, options, (data) => {
      const at = data.indexOf(needle, this.#read);
      return at < 0 ? undefined : at + needle.length;
    });
  }

  /** Reads exactly `count` bytes. Fails as `readUntil` does. */
  readBytes(count: number, options: ReadOptions = {}): Promise<Buffer> {
    return this.#readUntilFound(options.what ?? countBytes(count), options, (data) => (data.length - this.#read >= count ? this.#read + count : undefined));
  }

  /**
   * Fails if anything more arrives within `timeoutMs` (300 ms); `what` says where nothing was
   * expected: "to the sender of a message". The peer closing is not data, and nothing can come
   * after it, so the wait ends there.
   */
  async expectSilence(options: ReadOptions = {}): Promise<void> {
    const timeoutMs = this.#settings.ms(options.timeoutMs ?? 300);
    this.#settings.log(`expecting nothing from the program for ${formatSeconds(timeoutMs)}`);
    // Bytes already waiting were sent before whatever the check just did, not in answer to it.
    const early = this.hasUnread;
    await this.waitFor(() => this.hasUnread || this.#ended !== null, timeoutMs);
    if (!this.hasUnread) return;
    const when = early ? ' (it had arrived before the grader\'s last step)' : '';
    throw new CheckFailure(`Your program was expected to send nothing ${options.what ?? 'more on this connection'}, but it sent ${describeBytes(this.takeUnread())}${when}.`);
  }

  /** Waits until `condition` holds after something arrives or the peer ends, or `timeoutMs` passes, or the check ends. */
  waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
    return waitUntil(this.#changed, condition, this.#settings.patience?.(timeoutMs) ?? timeoutMs, this.#settings.signal);
  }


  // Waits until `found` gives where a read ends in what arrived; then returns it, or fails saying why not.
  async #readUntilFound(what: string, options: ReadOptions, found: (data: Buffer) => number | undefined): Promise<Buffer> {
    const timeoutMs = this.#settings.ms(options.timeoutMs ?? 1000);
    this.#settings.log(`waiting up to ${formatSeconds(timeoutMs)} for ${what}`);
    const patience = this.#settings.patience?.(timeoutMs);
    await waitUntil(this.#changed, () => found(this.received) !== undefined || this.#ended !== null || this.#flooded, patience ?? timeoutMs, this.#settings.signal);
    const data = this.received;
    const end = found(data);
    if (end !== undefined) {
      const read = data.subarray(this.#read, end);
      this.#read = end;
      return read;
    }
    const rest = data.subarray(this.#read);
    const state = this.#flooded
      ? 'sent more than the grader reads'
      : this.#ended === 'reset'
        ? 'reset the connection'
        : this.#ended === 'fin'
          ? 'closed the connection'
          : `sent nothing more for ${patience?.describe() ?? formatSeconds(timeoutMs)}`;
    // Silent, not gone: was it busy all along?
    const spinning = !this.#flooded && this.#ended === null && patience?.computedThroughout();
    throw new CheckFailure(`Your program was expected to send ${what}, but it ${state}${rest.length > 0 ? `, after sending only ${describeBytes(rest)}` : ''}.`, spinning ? { hint: SPINNING } : {});
  }

  #notify(): void {
    for (const listener of this.#changed) listener();
  }
}

// A program busy all the while it was waited for is in a loop, and (Node's one thread, or the one
// serving this client) answers nothing until it leaves it.
const SPINNING: Hint = {
  typescript: "Your program was computing without pause, not waiting: a loop that never ends, such as a while over the received text that does not move past a line it skips. While it loops, Node reads and sends nothing, for any client.",
  python: "Your program was computing without pause, not waiting: a loop that never ends, such as a while over the received text that does not move past a line it skips, or a recv() loop that never stops at b'' (the peer closed).",
  c: 'Your program was computing without pause, not waiting: a loop that never ends, such as one over the received bytes that does not move past a line it skips, or a recv() loop that never stops at 0 (the peer closed).',
};
