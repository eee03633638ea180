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

/** One step of what the reference server does with each client, in order. */
export type ServerStep =
  | SendStep
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
export async function writeSegments(socket: net.Socket, transcript: Transcript, step: SendStep): Promise<void> {
  const bounds = [0, ...step.cuts, step.bytes.length];
  for (let i = 0; i + 1 < bounds.length; i++) {
    if (i > 0) await sleep(step.pauseMs);
    if (socket.destroyed) return;
    const segment = step.bytes.subarray(bounds[i], bounds[i + 1]);
    transcript.add({ kind: 'sent', bytes: segment });
    await new Promise<void>((resolve) => socket.write(segment, () => resolve()));
  }
}
