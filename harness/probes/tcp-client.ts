import net from 'node:net';
import { CheckFailure } from '../errors.ts';
import { countBytes } from '../assert/bytes.ts';
import { Inbox, PEER_CAP_BYTES, type InboxSettings, type ReadOptions } from './inbox.ts';
import { send as sendStep, writeSegments, type SendOptions } from './server-script.ts';
import { Transcript } from './transcript.ts';
import { formatSeconds } from '../report/format.ts';

/** Where to connect: usually what `program.waitForListening()` returned. */
export interface TcpTarget {
  host: string;
  port: number;
}

export interface ConnectOptions {
  /**
   * How long to wait for the connection to be accepted (ms, before `--timeout-factor`); 4 s when
   * unset: a server with a short backlog (the course's `listen(1)`) drops a SYN in a burst of
   * connects, and the kernel sends it again after 1 s, then 2 s more.
   */
  timeoutMs?: number;
  /** What the report calls this client, e.g. the name it uses in a chat; `client <n>` when unset. */
  name?: string;
}

/** What a read saw: the bytes, and how the stream ended (or that it had not ended when the wait ran out). */
export interface ReadResult {
  data: Buffer;
  ended: 'fin' | 'reset' | null;
}

/** Settings a connection gets from its check. */
export type TcpClientSettings = InboxSettings;

/** A reference TCP client connected to the student's program, recording the conversation. */
export class TcpConnection {
  readonly transcript: Transcript;
  #socket: net.Socket;
  #inbox: Inbox;
  #settings: TcpClientSettings;

  private constructor(socket: net.Socket, transcript: Transcript, settings: TcpClientSettings) {
    this.#socket = socket;
    // Read now: a destroyed socket (say, cut for flooding) no longer knows its own address.
    this.localPort = socket.localPort ?? 0;
    this.localAddress = socket.localAddress ?? '';
    this.transcript = transcript;
    this.#settings = settings;
    // A peer past the cap is flooding: the connection is cut, and what came so far kept.
    this.#inbox = new Inbox(settings);
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('end', () => {
      this.#onEnd('fin');
      if (settings.resetWhenPeerCloses) socket.resetAndDestroy();
    });
    socket.on('error', (error: NodeJS.ErrnoException) => this.#onEnd(error.code === 'ECONNRESET' ? 'reset' : 'fin'));
    socket.on('close', () => this.#onEnd('fin'));
  }

  /** Connects to `target`; fails the check with a readable reason when the connection is refused or not accepted. */
  static async open(target: TcpTarget, options: ConnectOptions, settings: TcpClientSettings): Promise<TcpConnection> {
    const where = formatAddress(target.host, target.port);
    const timeoutMs = settings.ms(options.timeoutMs ?? 4000);
    settings.log(`connecting to ${where}`);
    const socket = await dial(target, timeoutMs, settings.resetWhenPeerCloses).catch((error: NodeJS.ErrnoException | 'timeout') => {
      if (error === 'timeout') throw new CheckFailure(`The connection to ${where} was not accepted within ${formatSeconds(timeoutMs)}.`);
      throw new CheckFailure(`Could not connect to ${where}: ${describeSocketError(error)}.`, {
        hint: 'Is your server still running and listening on the port in PORT?',
      });
    });
    return TcpConnection.wrap(socket, settings);
  }

  /** Records a socket that is already connected (and still paused, so no byte has been missed). */
  static wrap(socket: net.Socket, settings: TcpClientSettings): TcpConnection {
    const where = formatAddress(socket.remoteAddress ?? '?', socket.remotePort ?? 0);
    const local = formatAddress(socket.localAddress ?? '?', socket.localPort ?? 0);
    const transcript = new Transcript(`Connection from the grader (${local}) to ${where}:`);
    transcript.add({ kind: 'connected', local, remote: where });
    settings.log(`connected to ${where} from ${local}`);
    return new TcpConnection(socket, transcript, settings);
  }

  /** The grader's own port on this connection: what the program sees as its client's port. */
  readonly localPort: number;
  /** The grader's own address on this connection, e.g. `127.0.0.1` or `::1`. */
  readonly localAddress: string;

  /** Everything received so far. */
  get received(): Buffer {
    return this.#inbox.received;
  }

  /** Whether the peer sent more than the receive cap, and the connection was cut. */
  get flooded(): boolean {
    return this.#inbox.flooded;
  }

  /**
   * Sends bytes to the program, whole or cut into segments that arrive apart (`segments`,
   * `splitAt`, `pauseMs`, as the reference server's `send`). If the program has closed the
   * connection, what could not be sent is simply not sent: the reads that follow say what happened.
   */
  async send(data: string | Uint8Array, options: SendOptions = {}): Promise<void> {
    await writeSegments(this.#socket, this.transcript, sendStep(data, options), this.#settings.pause);
  }

  /**
   * Reads up to and including `delimiter` (text or bytes), after what earlier reads returned.
   * Fails, saying what did arrive, if the program closes the connection or sends nothing more for
   * `timeoutMs` (1 s) first. `what` names what was expected, for the student: "the reply to \"hi\"".
   */
  readUntil(delimiter: string | Uint8Array, options: ReadOptions = {}): Promise<Buffer> {
    return this.#inbox.readUntil(delimiter, options);
  }

  /** Reads one line: the text before `\n`, without it (a `\r` before it is kept), as UTF-8. Fails as `readUntil` does. */
  async readLine(options: ReadOptions = {}): Promise<string> {
    const line = await this.readUntil('\n', { ...options, what: options.what ?? 'a line ending with \\n' });
    return line.subarray(0, -1).toString('utf8');
  }

  /** Reads exactly `count` bytes. Fails as `readUntil` does. */
  readBytes(count: number, options: ReadOptions = {}): Promise<Buffer> {
    return this.#inbox.readBytes(count, options);
  }

  /**
   * Fails if the program sends anything more on this connection within `timeoutMs` (300 ms, before
   * `--timeout-factor`): "the sender of a message receives nothing". `what` says where nothing was
   * expected, for the student: "to the sender of a message". The program closing the connection is
   * not data; the reads that follow judge it.
   */
  expectSilence(options: ReadOptions = {}): Promise<void> {
    return this.#inbox.expectSilence(options);
  }

  /** Closes the grader's side only (FIN): the program sees the end of its input and may still reply. */
  end(): void {
    if (this.#socket.destroyed || this.#socket.writableEnded) return;
    this.transcript.add({ kind: 'ended-by-grader' });
    this.#socket.end();
  }

  /** Resets the connection (RST), as a crashed or unplugged client does. */
  reset(): void {
    if (this.#socket.destroyed) return;
    this.transcript.add({ kind: 'reset-by-grader' });
    this.#inbox.end('reset');
    this.#socket.resetAndDestroy();
  }

  /**
   * Reads until the program closes the connection, or until `timeoutMs` passes (2 s when unset);
   * resolves either way with what arrived, and `ended: null` when the program never closed.
   */
  async readUntilClose(options: { timeoutMs?: number } = {}): Promise<ReadResult> {
    const timeoutMs = this.#settings.ms(options.timeoutMs ?? 2000);
    this.#settings.log(`reading until the program closes the connection (up to ${formatSeconds(timeoutMs)})`);
    await this.#inbox.waitFor(() => this.#inbox.ended !== null, timeoutMs);
    if (this.#inbox.ended === null) {
      this.transcript.add({ kind: 'note', text: `… still open after ${formatSeconds(timeoutMs)} of waiting` });
    }
    return { data: this.received, ended: this.#inbox.ended };
  }

  /** Closes the grader's side. Called for every connection when its check ends. */
  close(): void {
    if (this.#inbox.ended === null && !this.#socket.destroyed) this.transcript.add({ kind: 'closed-by-grader' });
    this.#socket.destroy();
  }

  #onData(chunk: Buffer): void {
    if (this.#inbox.flooded) return;
    const { kept, overflowed } = this.#inbox.add(chunk);
    this.transcript.add({ kind: 'received', bytes: kept });
    if (overflowed) {
      this.transcript.add({ kind: 'note', text: `… more than ${countBytes(PEER_CAP_BYTES)} received: the grader cut the connection` });
      this.#socket.destroy();
    }
  }

  #onEnd(how: 'fin' | 'reset'): void {
    if (this.#inbox.ended !== null || this.#inbox.flooded) return;
    this.transcript.add({ kind: how });
    this.#inbox.end(how);
  }
}

/**
 * Opens a TCP connection and resolves with the socket once connected, paused so that nothing it
 * receives is lost before it is read; rejects with the socket error, or `'timeout'`.
 */
export function dial(target: TcpTarget, timeoutMs: number, allowHalfOpen = false): Promise<net.Socket> {
  const socket = net.connect({ host: target.host, port: target.port, noDelay: true, allowHalfOpen });
  return new Promise((resolve, reject) => {
    // After a stall (a busy machine), timers run before pending I/O: a connection the kernel
    // completed meanwhile is seen only in the poll phase. Deciding in the next check phase, just
    // after it, keeps such a connection instead of abandoning one the server has already accepted.
    const timer = setTimeout(() => {
      setImmediate(() => {
        if (socket.connecting === false && !socket.destroyed) return;
        socket.destroy();
        reject('timeout');
      });
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      socket.destroy();
      reject(error);
    });
  });
}

/** `127.0.0.1:24011`, `[::1]:24011`. */
export function formatAddress(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

function describeSocketError(error: NodeJS.ErrnoException): string {
  if (error.code === 'ECONNREFUSED') return 'the connection was refused (nothing is listening there)';
  if (error.code === 'ECONNRESET') return 'the connection was reset';
  return error.message;
}
