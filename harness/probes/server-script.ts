import type net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Transcript } from './transcript.ts';

/** Bytes to send, and where they are cut into segments that arrive apart. */
export interface SendStep {
  kind: 'send';
  bytes: Buffer;
  cuts: number[];
  pauseMs: number;
}

/** A reply in a dialog: sent as a send step is, and the client must not speak until all of it has arrived. */
export interface ReplyStep extends Omit<SendStep, 'kind'> {
  kind: 'reply';
}

/** The next line the client must send: what it must match, and how it must end. */
export interface ExpectLineStep {
  kind: 'expect-line';
  pattern: RegExp;
  what: string;
  ending: '\n' | '\r\n';
  timeoutMs: number | undefined;
}

/** What the client must send next, up to and including `delimiter`, and a check of it. */
export interface ExpectUntilStep {
  kind: 'expect-until';
  delimiter: Buffer;
  what: string;
  check: ((data: Buffer) => void) | undefined;
  timeoutMs: number | undefined;
}

/** One step of what the reference server does with each client, in order. */
export type ServerStep =
  | SendStep
  | ReplyStep
  | ExpectLineStep
  | ExpectUntilStep
  | { kind: 'silence'; ms: number; what: string | undefined }
  | { kind: 'pause'; ms: number }
  | { kind: 'end' }
  | { kind: 'reset' };

/** How a message is cut into TCP segments that arrive apart. */
export interface SendOptions {
  /** Cut into this many segments of about equal size. */
  segments?: number;
  /** Cut at these byte offsets instead (e.g. inside a multi-byte UTF-8 character). */
  splitAt?: readonly number[];
  /** Pause between segments, in ms (default 150). */
  pauseMs?: number;
}

/** Sends bytes, whole or sliced into segments with pauses between them (Nagle is off, so they arrive apart). */
export function send(data: string | Uint8Array, options: SendOptions = {}): SendStep {
  const bytes = Buffer.from(data);
  const cuts = options.splitAt ? [...options.splitAt] : evenCuts(bytes.length, options.segments ?? 1);
  return { kind: 'send', bytes, cuts: cuts.filter((cut) => cut > 0 && cut < bytes.length).sort((a, b) => a - b), pauseMs: options.pauseMs ?? 150 };
}

/**
 * Sends a reply the client must wait for: if it sends anything before the reply's last segment
 * goes out (while a reply in pieces is still arriving, or before it began), the dialog fails.
 */
export function reply(data: string | Uint8Array, options: SendOptions = {}): ReplyStep {
  return { ...send(data, options), kind: 'reply' };
}

/**
 * The next line the client sends (up to `\n`) must match `pattern`, tested on the line without its
 * ending; with `ending: '\r\n'` it must end with `\r\n`. `what` is the line expected, for the
 * student: "MAIL FROM:<ann@example.com>". Waits `timeoutMs` (2 s) for it.
 */
export function expectLine(pattern: RegExp, options: { what: string; ending?: '\n' | '\r\n'; timeoutMs?: number }): ExpectLineStep {
  return { kind: 'expect-line', pattern, what: options.what, ending: options.ending ?? '\n', timeoutMs: options.timeoutMs };
}

/**
 * The client sends data up to and including `delimiter` next; `check` (which fails the check with
 * `fail`) judges it. For what is not a line: a mail's content up to its `\r\n.\r\n`.
 */
export function expectUntil(delimiter: string | Uint8Array, options: { what: string; check?: (data: Buffer) => void; timeoutMs?: number }): ExpectUntilStep {
  return { kind: 'expect-until', delimiter: Buffer.from(delimiter), what: options.what, check: options.check, timeoutMs: options.timeoutMs };
}

/** The client must send nothing for `ms`: "waits for the greeting". `what` says why, for the student. */
export function expectSilence(ms: number, options: { what?: string } = {}): ServerStep {
  return { kind: 'silence', ms, what: options.what };
}

/** Waits before the next step, e.g. latency before the first byte. */
export function pause(ms: number): ServerStep {
  return { kind: 'pause', ms };
}

/** Closes the connection cleanly (FIN). */
export function end(): ServerStep {
  return { kind: 'end' };
}

/** Resets the connection (RST), as a crashed or unplugged peer does. */
export function reset(): ServerStep {
  return { kind: 'reset' };
}

function evenCuts(length: number, segments: number): number[] {
  return Array.from({ length: Math.max(0, segments - 1) }, (_, i) => Math.round(((i + 1) * length) / segments));
}

/**
 * Writes a send step segment by segment, pausing between segments, recording each. A peer that
 * has gone ends it quietly: what the peer did is the check's to judge, not an error of the grader.
 */
export async function writeSegments(socket: net.Socket, transcript: Transcript, step: Omit<SendStep, 'kind'>, pause: (ms: number) => Promise<void>, beforeLast?: () => void): Promise<void> {
  const bounds = [0, ...step.cuts, step.bytes.length];
  for (let i = 0; i + 1 < bounds.length; i++) {
    if (i > 0) await pause(step.pauseMs);
    // Before the destroyed check: a peer that spoke too early and then left is judged all the same.
    if (i + 2 === bounds.length) beforeLast?.();
    if (socket.destroyed) return;
    const segment = step.bytes.subarray(bounds[i], bounds[i + 1]);
    transcript.add({ kind: 'sent', bytes: segment });
    await new Promise<void>((resolve) => socket.write(segment, () => resolve()));
  }
}
