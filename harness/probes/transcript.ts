import { countBytes, describeBytes } from '../assert/bytes.ts';

/** One thing that happened on a connection, as the reference peer saw it. */
export type WireEvent =
  | { atMs: number; kind: 'connected'; local: string; remote: string }
  | { atMs: number; kind: 'sent' | 'received'; bytes: Buffer }
  | { atMs: number; kind: 'fin' | 'reset' | 'closed-by-grader' | 'reset-by-grader' }
  | { atMs: number; kind: 'note'; text: string };

/** Records what crossed one connection, with times relative to its start. */
export class Transcript {
  readonly events: WireEvent[] = [];
  readonly #start = performance.now();

  constructor(readonly title: string) {}

  add(event: DistributiveOmit<WireEvent, 'atMs'>): void {
    this.events.push({ ...event, atMs: performance.now() - this.#start } as WireEvent);
  }

  /** The conversation as lines a student can read: `+0.003 s  ← "Hello" (5 bytes)`. */
  render(): string[] {
    return [this.title, ...this.events.map((event) => `  +${(event.atMs / 1000).toFixed(3)} s  ${describeEvent(event)}`)];
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

function describeEvent(event: WireEvent): string {
  switch (event.kind) {
    case 'connected':
      return `connected to ${event.remote} from ${event.local}`;
    case 'sent':
      return `→ sent ${describeBytes(event.bytes, 200)} (${countBytes(event.bytes.length)})`;
    case 'received':
      return `← received ${describeBytes(event.bytes, 200)} (${countBytes(event.bytes.length)})`;
    case 'fin':
      return '← the other side closed the connection (FIN)';
    case 'reset':
      return '← the other side reset the connection (RST)';
    case 'closed-by-grader':
      return '→ the grader closed the connection';
    case 'reset-by-grader':
      return '→ the grader reset the connection (RST)';
    case 'note':
      return event.text;
  }
}
