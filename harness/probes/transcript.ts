import { countBytes, describeBytes } from '../assert/bytes.ts';

/** One thing that happened on a connection, as the reference peer saw it. */
export type WireEvent =
  | { atMs: number; kind: 'connected' | 'accepted'; local: string; remote: string }
  | { atMs: number; kind: 'sent' | 'received'; bytes: Buffer; /** A datagram's other end; unset on a connection. */ peer?: string }
  | { atMs: number; kind: 'fin' | 'reset' | 'closed-by-grader' | 'ended-by-grader' | 'reset-by-grader' }
  | { atMs: number; kind: 'note'; text: string };

/** Data events a transcript keeps: a peer that sends byte by byte must not grow the grader without end. */
export const MAX_DATA_EVENTS = 100;

/** Records what crossed one connection, with times relative to its start. */
export class Transcript {
  readonly events: WireEvent[] = [];
  /** When the connection began (performance.now()), so several can be shown on one clock. */
  readonly startedAt = performance.now();
  /** A short name for the connection when several are shown together, e.g. `client 2`. */
  label = '';
  #dataEvents = 0;
  // Data events past the cap are only counted; where and when they began, so the report says so there.
  #omitted = { events: 0, bytes: 0, at: -1, atMs: 0 };

  constructor(readonly title: string) {}

  add(event: DistributiveOmit<WireEvent, 'atMs'>): void {
    const data = event.kind === 'sent' || event.kind === 'received';
    if (data && this.#dataEvents >= MAX_DATA_EVENTS) {
      if (this.#omitted.events === 0) Object.assign(this.#omitted, { at: this.events.length, atMs: performance.now() - this.startedAt });
      this.#omitted.events++;
      this.#omitted.bytes += event.bytes.length;
      return;
    }
    if (data) this.#dataEvents++;
    this.events.push({ ...event, atMs: performance.now() - this.startedAt } as WireEvent);
  }

  /** The conversation as lines a student can read: `+0.003 s  ← "Hello" (5 bytes)`. */
  render(): string[] {
    return [this.title, ...this.timeline(this.startedAt).map(({ text }) => `  ${text}`)];
  }

  /** Each event as a line with its time since `since`, and the count of omitted chunks where they began. */
  timeline(since: number): { at: number; text: string }[] {
    const line = (atMs: number, text: string) => ({ at: this.startedAt + atMs, text: `+${((this.startedAt + atMs - since) / 1000).toFixed(3)} s  ${text}` });
    const lines = this.events.map((event) => line(event.atMs, describeEvent(event)));
    const { events, bytes, at, atMs } = this.#omitted;
    if (events > 0) lines.splice(at, 0, line(atMs, `… ${events} more chunks sent or received (${countBytes(bytes)}), not shown`));
    return lines;
  }
}

/**
 * Several connections as one conversation, so their interleaving is visible: every line names its
 * connection, with times since `since` (the check's start). One connection reads as it does alone.
 */
export function renderConversation(transcripts: readonly Transcript[], since: number): string[] {
  if (transcripts.length <= 1) return transcripts.flatMap((transcript) => transcript.render());
  const legend = transcripts.map((transcript) => `  ${transcript.label}: ${transcript.title.replace(/:$/, '')}`);
  // Labels padded to one width, so the arrows line up whichever client a line is about.
  const width = Math.max(...transcripts.map((transcript) => transcript.label.length));
  const lines = transcripts
    .flatMap((transcript) => transcript.timeline(since).map(({ at, text }) => ({ at, text: text.replace(/^(\+\S+ s)  /, `$1  ${transcript.label.padEnd(width)}  `) })))
    .sort((a, b) => a.at - b.at);
  return [`${transcripts.length} connections, times since the check began:`, ...legend, ...lines.map(({ text }) => `  ${text}`)];
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

function describeEvent(event: WireEvent): string {
  switch (event.kind) {
    case 'connected':
      return `connected to ${event.remote} from ${event.local}`;
    case 'accepted':
      return `${event.remote} connected to ${event.local}`;
    case 'sent':
      return event.peer === undefined
        ? `→ sent ${describeBytes(event.bytes, 200)} (${countBytes(event.bytes.length)})`
        : `→ datagram ${describeBytes(event.bytes, 200)} (${countBytes(event.bytes.length)}) to ${event.peer}`;
    case 'received':
      return event.peer === undefined
        ? `← received ${describeBytes(event.bytes, 200)} (${countBytes(event.bytes.length)})`
        : `← datagram ${describeBytes(event.bytes, 200)} (${countBytes(event.bytes.length)}) from ${event.peer}`;
    case 'fin':
      return '← the other side closed the connection (FIN)';
    case 'reset':
      return '← the other side reset the connection (RST)';
    case 'closed-by-grader':
      return '→ the grader closed the connection';
    case 'ended-by-grader':
      return '→ the grader closed its side (FIN); it can still receive';
    case 'reset-by-grader':
      return '→ the grader reset the connection (RST)';
    case 'note':
      return event.text;
  }
}
