import net from 'node:net';
import { CheckFailure } from '../errors.ts';
import { countBytes, describeBytes } from '../assert/bytes.ts';
import { send as sendStep, writeSegments, type SendOptions } from './server-script.ts';
import { Transcript } from './transcript.ts';
import { formatSeconds } from '../report/format.ts';

/** Where to connect: usually what `program.waitForListening()` returned. */
export interface TcpTarget {
  host: string;
  port: number;
}

/** How long a read waits, and what it waits for, in the student's words. */
export interface ReadOptions {
  /** Ms before `--timeout-factor`; 1 s when unset. */
  timeoutMs?: number;
  /** What was expected, for the failure message: "the reply to the first line". */
  what?: string;
}

export interface ConnectOptions {
  /** How long to wait for the connection to be accepted (ms, before `--timeout-factor`); 2 s when unset. */
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
export interface TcpClientSettings {
  ms(duration: number): number;
  log(line: string): void;
  signal: AbortSignal;
}

// A peer that sends more than this is flooding; the connection is cut and the data kept so far.
const RECEIVE_CAP_BYTES = 1024 * 1024;

/** A reference TCP client connected to the student's program, recording the conversation. */
export class TcpConnection {
  readonly transcript: Transcript;
  #socket: net.Socket;
  #chunks: Buffer[] = [];
  #receivedBytes = 0;
  // How much of what arrived readLine/readUntil/readBytes have already returned.
  #read = 0;
  #ended: 'fin' | 'reset' | null = null;
  #changed = new Set<() => void>();
  #settings: TcpClientSettings;
  /** Whether the peer sent more than the receive cap, and the connection was cut. */
  flooded = false;

  private constructor(socket: net.Socket, transcript: Transcript, settings: TcpClientSettings) {
    this.#socket = socket;
    // Read now: a destroyed socket (say, cut for flooding) no longer knows its own address.
    this.localPort = socket.localPort ?? 0;
    this.localAddress = socket.localAddress ?? '';
    this.transcript = transcript;
    this.#settings = settings;
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('end', () => this.#onEnd('fin'));
    socket.on('error', (error: NodeJS.ErrnoException) => this.#onEnd(error.code === 'ECONNRESET' ? 'reset' : 'fin'));
    socket.on('close', () => this.#onEnd('fin'));
  }

  /** Connects to `target`; fails the check with a readable reason when the connection is refused or not accepted. */
  static async open(target: TcpTarget, options: ConnectOptions, settings: TcpClientSettings): Promise<TcpConnection> {
    const where = formatAddress(target.host, target.port);
    const timeoutMs = settings.ms(options.timeoutMs ?? 2000);
    settings.log(`connecting to ${where}`);
    const socket = await dial(target, timeoutMs).catch((error: NodeJS.ErrnoException | 'timeout') => {
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
    return Buffer.concat(this.#chunks);
  }

  /**
   * Sends bytes to the program, whole or cut into segments that arrive apart (`segments`,
   * `splitAt`, `pauseMs`, as the reference server's `send`). If the program has closed the
   * connection, what could not be sent is simply not sent: the reads that follow say what happened.
   */
  async send(data: string | Uint8Array, options: SendOptions = {}): Promise<void> {
    await writeSegments(this.#socket, this.transcript, sendStep(data, options));
  }

  /**
   * Reads up to and including `delimiter` (text or bytes), after what earlier reads returned.
   * Fails, saying what did arrive, if the program closes the connection or sends nothing more for
   * `timeoutMs` (1 s) first. `what` names what was expected, for the student: "the reply to \"hi\"".
   */
  async readUntil(delimiter: string | Uint8Array, options: ReadOptions = {}): Promise<Buffer> {
    const needle = Buffer.from(delimiter);
    const what = options.what ?? `data ending with ${describeBytes(needle)}`;
    return this.#readUntilFound(what, options, (data) => {
      const at = data.indexOf(needle, this.#read);
      return at < 0 ? undefined : at + needle.length;
    });
  }

  /** Reads one line: the text up to `\n` (a `\r` before it is kept), as UTF-8. Fails as `readUntil` does. */
  async readLine(options: ReadOptions = {}): Promise<string> {
    const line = await this.readUntil('\n', { ...options, what: options.what ?? 'a line ending with \\n' });
    return line.subarray(0, -1).toString('utf8');
  }

  /** Reads exactly `count` bytes. Fails as `readUntil` does. */
  async readBytes(count: number, options: ReadOptions = {}): Promise<Buffer> {
    return this.#readUntilFound(options.what ?? countBytes(count), options, (data) => (data.length - this.#read >= count ? this.#read + count : undefined));
  }

  /**
   * Fails if the program sends anything more on this connection within `timeoutMs` (300 ms, before
   * `--timeout-factor`): "the sender of a message receives nothing". `what` says where nothing was
   * expected, for the student: "to the sender of a message". The program closing the connection is
   * not data; the reads that follow judge it.
   */
  async expectSilence(options: ReadOptions = {}): Promise<void> {
    const timeoutMs = this.#settings.ms(options.timeoutMs ?? 300);
    this.#settings.log(`expecting nothing from the program for ${formatSeconds(timeoutMs)}`);
    await this.#waitFor(() => this.#receivedBytes > this.#read, timeoutMs);
    if (this.#receivedBytes === this.#read) return;
    const unexpected = this.received.subarray(this.#read);
    this.#read = this.#receivedBytes;
    throw new CheckFailure(`Your program was expected to send nothing ${options.what ?? 'more on this connection'}, but it sent ${describeBytes(unexpected)}.`);
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
    this.#ended ??= 'reset';
    this.#socket.resetAndDestroy();
  }

  /**
   * Reads until the program closes the connection, or until `timeoutMs` passes (2 s when unset);
   * resolves either way with what arrived, and `ended: null` when the program never closed.
   */
  async readUntilClose(options: { timeoutMs?: number } = {}): Promise<ReadResult> {
    const timeoutMs = this.#settings.ms(options.timeoutMs ?? 2000);
    this.#settings.log(`reading until the program closes the connection (up to ${formatSeconds(timeoutMs)})`);
    await this.#waitFor(() => this.#ended !== null, timeoutMs);
    if (this.#ended === null) {
      this.transcript.add({ kind: 'note', text: `… still open after ${formatSeconds(timeoutMs)} of waiting` });
    }
    return { data: this.received, ended: this.#ended };
  }

  // Waits until `found` gives where a read ends in what arrived; then returns it, or fails saying why not.
  async #readUntilFound(what: string, options: ReadOptions, found: (data: Buffer) => number | undefined): Promise<Buffer> {
    const timeoutMs = this.#settings.ms(options.timeoutMs ?? 1000);
    this.#settings.log(`waiting up to ${formatSeconds(timeoutMs)} for ${what}`);
    await this.#waitFor(() => found(this.received) !== undefined || this.#ended !== null || this.flooded, timeoutMs);
    const data = this.received;
    const end = found(data);
    if (end !== undefined) {
      const read = data.subarray(this.#read, end);
      this.#read = end;
      return read;
    }
    const rest = data.subarray(this.#read);
    const state = this.flooded
      ? 'sent more than the grader reads'
      : this.#ended === 'reset'
        ? 'reset the connection'
        : this.#ended === 'fin'
          ? 'closed the connection'
          : `sent nothing more for ${formatSeconds(timeoutMs)}`;
    throw new CheckFailure(`Your program was expected to send ${what}, but it ${state}${rest.length > 0 ? `, after sending only ${describeBytes(rest)}` : ''}.`);
  }

  /** Closes the grader's side. Called for every connection when its check ends. */
  close(): void {
    if (this.#ended === null && !this.#socket.destroyed) this.transcript.add({ kind: 'closed-by-grader' });
    this.#socket.destroy();
  }

  #onData(chunk: Buffer): void {
    if (this.flooded) return;
    const room = RECEIVE_CAP_BYTES - this.#receivedBytes;
    const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
    this.#chunks.push(kept);
    this.#receivedBytes += kept.length;
    this.transcript.add({ kind: 'received', bytes: kept });
    if (chunk.length > room) {
      this.flooded = true;
      this.transcript.add({ kind: 'note', text: `… more than ${countBytes(RECEIVE_CAP_BYTES)} received: the grader cut the connection` });
      this.#socket.destroy();
    }
    this.#notify();
  }

  #onEnd(how: 'fin' | 'reset'): void {
    if (this.#ended !== null || this.flooded) return;
    this.#ended = how;
    this.transcript.add({ kind: how });
    this.#notify();
  }

  #notify(): void {
    for (const listener of this.#changed) listener();
  }

  #waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#changed.delete(check);
        this.#settings.signal.removeEventListener('abort', done);
        resolve();
      };
      const check = () => {
        if (condition()) done();
      };
      const timer = setTimeout(done, timeoutMs);
      this.#changed.add(check);
      this.#settings.signal.addEventListener('abort', done);
    });
  }
}

/**
 * Opens a TCP connection and resolves with the socket once connected, paused so that nothing it
 * receives is lost before it is read; rejects with the socket error, or `'timeout'`.
 */
export function dial(target: TcpTarget, timeoutMs: number): Promise<net.Socket> {
  const socket = net.connect({ host: target.host, port: target.port, noDelay: true });
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
