import { countBytes, describeBytes } from '../assert/bytes.ts';

/** One thing that happened on a connection, as the reference peer saw it. */
export type WireEvent =
  | { atMs: number; kind: 'connected' | 'accepted'; local: string; remote: string }
  | { atMs: number; kind: 'sent' | 'received'; bytes: Buffer }
  | { atMs: number; kind: 'fin' | 'reset' | 'closed-by-grader' | 'reset-by-grader' }
  | { atMs: number; kind: 'note'; text: string };

/** Data events a transcript keeps: a peer that sends byte by byte must not grow the grader without end. */
export const MAX_DATA_EVENTS = 100;

/** Records what crossed one connection, with times relative to its start. */
export class Transcript {
  readonly events: WireEvent[] = [];
  readonly #start = performance.now();
  #dataEvents = 0;
  // Data events past the cap are only counted; where they began, so the report says so there.
  #omitted = { events: 0, bytes: 0, at: -1 };

  constructor(readonly title: string) {}

  add(event: DistributiveOmit<WireEvent, 'atMs'>): void {
    const data = event.kind === 'sent' || event.kind === 'received';
    if (data && this.#dataEvents >= MAX_DATA_EVENTS) {
      if (this.#omitted.events === 0) this.#omitted.at = this.events.length;
      this.#omitted.events++;
      this.#omitted.bytes += event.bytes.length;
      return;
    }
    if (data) this.#dataEvents++;
    this.events.push({ ...event, atMs: performance.now() - this.#start } as WireEvent);
  }

  /** The conversation as lines a student can read: `+0.003 s  ← "Hello" (5 bytes)`. */
  render(): string[] {
    const lines = this.events.map((event) => `  +${(event.atMs / 1000).toFixed(3)} s  ${describeEvent(event)}`);
    const { events, bytes, at } = this.#omitted;
    if (events > 0) lines.splice(at, 0, `  … ${events} more chunks sent or received (${countBytes(bytes)}), not shown`);
    return [this.title, ...lines];
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

function describeEvent(event: WireEvent): string {
  switch (event.kind) {
    case 'connected':
      return `connected to ${event.remote} from ${event.local}`;
    case 'accepted':
      return `${event.remote} connected to ${event.local}`;
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
