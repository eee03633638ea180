import dgram from 'node:dgram';
import { CheckFailure } from '../errors.ts';
import { countBytes, describeBytes } from '../assert/bytes.ts';
import { formatSeconds } from '../report/format.ts';
import { waitUntil } from './wait-until.ts';
import type { InboxSettings, ReadOptions } from './inbox.ts';
import { formatAddress, type TcpTarget } from './tcp-client.ts';
import { Transcript } from './transcript.ts';

// A program that sends more than this is flooding; what comes past it is counted, not kept.
const MAX_KEPT_DATAGRAMS = 1000;

/** A datagram that arrived, and who sent it. */
interface Arrival {
  data: Buffer;
  from: string;
}

/**
 * A reference UDP socket on loopback (IPv4 or IPv6), for a student's UDP server: it sends
 * datagrams and reads the ones that come back, in order, recording both.
 */
export class UdpClient {
  readonly transcript: Transcript;
  #socket: dgram.Socket;
  #arrivals: Arrival[] = [];
  #read = 0;
  #dropped = 0;
  #changed = new Set<() => void>();
  #settings: InboxSettings;
  // Where the last datagram went: a reply must come from there.
  #target: string | undefined;

  private constructor(socket: dgram.Socket, settings: InboxSettings) {
    this.#socket = socket;
    this.#settings = settings;
    const { address, port } = socket.address();
    this.localPort = port;
    this.transcript = new Transcript(`UDP socket of the grader (${formatAddress(address, port)}):`);
    socket.on('message', (data, rinfo) => {
      if (this.#arrivals.length >= MAX_KEPT_DATAGRAMS) {
        if (this.#dropped++ === 0) this.transcript.add({ kind: 'note', text: `… more than ${MAX_KEPT_DATAGRAMS} datagrams received: the rest are not kept` });
        return;
      }
      const from = formatAddress(rinfo.address, rinfo.port);
      this.#arrivals.push({ data, from });
      this.transcript.add({ kind: 'received', bytes: data, peer: from });
      for (const listener of this.#changed) listener();
    });
    // An ICMP "port unreachable" for an earlier datagram: the reads that follow say nothing came.
    socket.on('error', () => {});
  }

  /** A socket bound to a free port on `address`: IPv4 loopback (`127.0.0.1`, or `127.0.0.2`, ...) or IPv6's (`::1`). */
  static async open(address: string, settings: InboxSettings): Promise<UdpClient> {
    const socket = dgram.createSocket(address.includes(':') ? 'udp6' : 'udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, address, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    return new UdpClient(socket, settings);
  }

  /** The grader's port: what the program sees as its client's port. */
  readonly localPort: number;

  /** Sends one datagram to `target`; the replies read next must come from there. */
  async send(data: string | Uint8Array, target: TcpTarget): Promise<void> {
    const bytes = Buffer.from(data);
    this.#target = formatAddress(target.host, target.port);
    this.transcript.add({ kind: 'sent', bytes, peer: this.#target });
    await new Promise<void>((resolve) => this.#socket.send(bytes, target.port, target.host, () => resolve()));
  }

  /**
   * The next datagram, after those earlier reads returned. Fails if none comes within `timeoutMs`
   * (1 s), or if it came from another address or port than the last datagram went to (a reply
   * must come from the socket the request reached). `what` names it for the student.
   */
  async receive(options: ReadOptions = {}): Promise<Buffer> {
    const timeoutMs = this.#settings.ms(options.timeoutMs ?? 1000);
    const what = options.what ?? 'a datagram';
    this.#settings.log(`waiting up to ${formatSeconds(timeoutMs)} for ${what}`);
    await this.#waitFor(() => this.#arrivals.length > this.#read, timeoutMs);
    const arrival = this.#arrivals[this.#read];
    if (arrival === undefined) throw new CheckFailure(`Your program was expected to send ${what}, but no datagram came within ${formatSeconds(timeoutMs)}.`);
    this.#read++;
    if (this.#target !== undefined && arrival.from !== this.#target) {
      throw new CheckFailure(`A datagram came from ${arrival.from}, not from ${this.#target}, where the grader sent its own: a reply must come from the socket the request reached.`, {
        hint: {
          typescript: 'Reply with the socket that received the message: socket.send(reply, rinfo.port, rinfo.address).',
          python: 'Reply with the socket that received the message: data, address = sock.recvfrom(...); sock.sendto(reply, address).',
          c: 'Reply with the socket that received the message, to the address recvfrom() filled in: sendto(sock, reply, n, 0, (struct sockaddr *)&from, fromlen).',
        },
      });
    }
    return arrival.data;
  }

  /** Fails if a datagram comes within `timeoutMs` (300 ms); `what` says where nothing was expected. */
  async expectNothing(options: ReadOptions = {}): Promise<void> {
    const timeoutMs = this.#settings.ms(options.timeoutMs ?? 300);
    this.#settings.log(`expecting no datagram for ${formatSeconds(timeoutMs)}`);
    await this.#waitFor(() => this.#arrivals.length > this.#read, timeoutMs);
    const arrival = this.#arrivals[this.#read];
    if (arrival === undefined) return;
    this.#read = this.#arrivals.length;
    throw new CheckFailure(`Your program was expected to send nothing ${options.what ?? 'more'}, but a datagram came: ${describeBytes(arrival.data)} (${countBytes(arrival.data.length)}) from ${arrival.from}.`);
  }

  /** Closes the socket. Called for every socket when its check ends. */
  close(): void {
    try {
      this.#socket.close();
    } catch {
      // already closed
    }
  }

  #waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
    return waitUntil(this.#changed, condition, this.#settings.patience?.(timeoutMs) ?? timeoutMs, this.#settings.signal);
  }

}
