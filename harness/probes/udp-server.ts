import dgram from 'node:dgram';
import { setTimeout as sleep } from 'node:timers/promises';
import { countBytes } from '../assert/bytes.ts';
import { formatAddress } from './tcp-client.ts';
import type { InboxSettings } from './inbox.ts';
import { Transcript } from './transcript.ts';

/**
 * What the grader's UDP server does with one datagram: echo it (after `delayMs`, `copies` times,
 * from another port of the grader's with `fromOtherPort`), or drop it. `delayMs` past the
 * client's patience makes a late answer.
 */
export type UdpAnswer = { drop: true } | { drop?: false; delayMs?: number; copies?: number; fromOtherPort?: boolean };

/** Decides the answer to the `n`th datagram (1 for the first) from its bytes: the check's faults. */
export type UdpPlan = (datagram: Buffer, n: number) => UdpAnswer;

/** One datagram that crossed the grader's UDP server, and when (ms since the server started). */
export interface UdpRecord {
  atMs: number;
  data: Buffer;
}

/** A datagram the server received, and what it did with it. */
export interface UdpArrival extends UdpRecord {
  /** The sender, e.g. `127.0.0.1:40112`. */
  from: string;
  /** `Date.now()` when it arrived: what a timestamp the client put in it is compared with. */
  wallClock: number;
  answer: UdpAnswer;
}

/** How a check sets up the grader's UDP server. */
export interface UdpServeOptions {
  /**
   * How long the client is told to wait for an echo (the pinger's 1 s): after a datagram the
   * server drops, the client's wait until it sends again, up to this, is a designed wait.
   */
  patienceMs?: number;
}

/** Settings a UDP server gets from its check. */
export interface UdpServerSettings extends Pick<InboxSettings, 'log' | 'signal' | 'pause'>, UdpServeOptions {
  port: number;
  /** Counts a wait the program makes on purpose, from now until `ms` pass or it is released. */
  hold(ms: number): () => void;
}

// A client that sends more than this is flooding; what comes past it is counted, not kept.
const MAX_KEPT_DATAGRAMS = 1000;

/**
 * The grader's UDP server, on IPv4 loopback, for a student's UDP client: it answers each datagram
 * as the check's plan says (echo, delay, duplicate, drop) and records what arrived when and what
 * it sent when, so a check can compare the client's claims (round-trip times, losses) with what
 * really happened.
 */
export class UdpReferenceServer {
  readonly transcript: Transcript;
  /** Every datagram received, in order, with the answer it got. */
  readonly arrivals: UdpArrival[] = [];
  /** Every datagram sent, in order. */
  readonly sent: UdpRecord[] = [];
  #socket: dgram.Socket;
  #settings: UdpServerSettings;
  #startedAt = performance.now();
  #pending = new Set<Promise<void>>();
  // The other port answers come from when the plan says so; opened on first use.
  #other: Promise<dgram.Socket> | undefined;
  // The client's wait after a dropped datagram; it ends when the client sends again.
  #waiting = () => {};

  private constructor(socket: dgram.Socket, plan: UdpPlan, settings: UdpServerSettings) {
    this.#socket = socket;
    this.#settings = settings;
    this.transcript = new Transcript(`The grader's UDP server (${formatAddress('127.0.0.1', settings.port)}):`);
    socket.on('message', (data, rinfo) => {
      if (this.arrivals.length >= MAX_KEPT_DATAGRAMS) return;
      this.#waiting();
      const from = formatAddress(rinfo.address, rinfo.port);
      const answer = plan(data, this.arrivals.length + 1);
      this.arrivals.push({ atMs: this.#now(), wallClock: Date.now(), data, from, answer });
      this.transcript.add({ kind: 'received', bytes: data, peer: from });
      if (answer.drop) {
        this.transcript.add({ kind: 'note', text: `… the grader dropped datagram ${this.arrivals.length} (${countBytes(data.length)})` });
        if (settings.patienceMs) this.#waiting = settings.hold(settings.patienceMs);
        return;
      }
      const sending = this.#answer(data, rinfo, answer);
      this.#pending.add(sending);
      void sending.finally(() => this.#pending.delete(sending));
    });
    socket.on('error', () => {});
  }

  /** Binds to `settings.port` on 127.0.0.1 and answers by `plan`. */
  static async start(plan: UdpPlan, settings: UdpServerSettings): Promise<UdpReferenceServer> {
    const socket = await openSocket(settings.port);
    settings.log(`the grader's UDP server is bound to 127.0.0.1:${settings.port}`);
    return new UdpReferenceServer(socket, plan, settings);
  }

  get port(): number {
    return this.#settings.port;
  }

  /** Ms since the server started: the clock of `arrivals` and `sent`. */
  #now(): number {
    return performance.now() - this.#startedAt;
  }

  async #answer(data: Buffer, rinfo: dgram.RemoteInfo, answer: Exclude<UdpAnswer, { drop: true }>): Promise<void> {
    if (answer.delayMs) await this.#settings.pause(answer.delayMs);
    const socket = answer.fromOtherPort ? await (this.#other ??= openSocket(0)) : this.#socket;
    for (let copy = 0; copy < (answer.copies ?? 1); copy++) {
      if (this.#settings.signal.aborted) return;
      this.sent.push({ atMs: this.#now(), data });
      const from = answer.fromOtherPort ? ` (from the grader's other port, ${socket.address().port})` : '';
      this.transcript.add({ kind: 'sent', bytes: data, peer: `${formatAddress(rinfo.address, rinfo.port)}${from}` });
      await new Promise<void>((resolve) => socket.send(data, rinfo.port, rinfo.address, () => resolve()));
    }
  }

  /** Closes the server. Checks do this for you when they end. */
  async close(): Promise<void> {
    await Promise.all(this.#pending);
    for (const socket of [this.#socket, await this.#other]) {
      try {
        socket?.close();
      } catch {
        // already closed
      }
    }
  }
}

/** A UDP socket bound to `port` (0: any free one) on 127.0.0.1. */
async function openSocket(port: number): Promise<dgram.Socket> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, '127.0.0.1', () => {
      socket.off('error', reject);
      resolve();
    });
  });
  socket.on('error', () => {});
  return socket;
}
