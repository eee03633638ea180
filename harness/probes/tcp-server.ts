import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { CheckFailure, isCheckFailure } from '../errors.ts';
import { formatSeconds } from '../report/format.ts';
import { describeBytes } from '../assert/bytes.ts';
import { Inbox, type InboxSettings } from './inbox.ts';
import { writeSegments, type ExpectLineStep, type ServerStep } from './server-script.ts';
import { formatAddress } from './tcp-client.ts';
import { Transcript } from './transcript.ts';
import { waitUntil } from './wait-until.ts';
import type { Program } from '../process/program.ts';

/** Where a reference server listens. */
export interface ServeOptions {
  /** One address to listen on (`127.0.0.2`); both loopbacks when unset. */
  host?: string;
}

/** Settings a reference server gets from its check. */
export interface ReferenceServerSettings extends ServeOptions, InboxSettings {
  port: number;
}
/** Connections a reference server serves in one check; more are reset (no exercise needs more than a few). */
export const MAX_CONNECTIONS = 16;

/** One client of the reference server: what it sent, how it left, and whether it followed the dialog. */
export class ServerConnection {
  readonly transcript: Transcript;
  #inbox: Inbox;
  /** How the client closed its side: cleanly (FIN), by reset, or not yet. */
  clientClosed: 'fin' | 'reset' | null = null;
  /** Whether the client closed while the script still had steps to play: it ended the conversation first. */
  clientLeftFirst = false;
  /** When the script finished (performance.now()), e.g. when the server closed the connection. */
  scriptEndedAt: number | undefined;
  /** Settles when the script has run to its end, or stopped at a step the client did not follow. */
  readonly scriptDone: Promise<void>;
  // The grader's last reply, which the client's next line answers.
  #lastReply: Buffer | undefined;
  // The first step the client did not follow (a CheckFailure saying what was expected and what came).
  #failure: unknown;
  #pause: InboxSettings['pause'];

  constructor(socket: net.Socket, steps: readonly ServerStep[], settings: InboxSettings, serverAddress: string) {
    this.#pause = settings.pause;
    const client = formatAddress(socket.remoteAddress ?? '?', socket.remotePort ?? 0);
    this.transcript = new Transcript(`Connection from your program (${client}) to the grader's server (${serverAddress}):`);
    this.transcript.add({ kind: 'accepted', local: serverAddress, remote: client });
    this.#inbox = new Inbox(settings);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      if (this.#inbox.flooded) return;
      this.transcript.add({ kind: 'received', bytes: this.#inbox.add(chunk).kept });
    });
    socket.on('end', () => this.#clientLeft('fin'));
    socket.on('error', (error: NodeJS.ErrnoException) => this.#clientLeft(error.code === 'ECONNRESET' ? 'reset' : 'fin'));
    this.scriptDone = this.#play(socket, steps, settings.signal)
      .catch((error: unknown) => {
        // Kept for expectScript, never left to reject unawaited: an exercise's own bug (a `check`
        // that throws a TypeError) surfaces there too.
        this.#failure = error;
        if (isCheckFailure(error)) this.transcript.add({ kind: 'note', text: '… the grader stopped here: your program did not do what it expected next' });
      })
      .finally(() => {
        this.scriptEndedAt = performance.now();
      });
  }

  /** Everything the client sent. */
  get received(): Buffer {
    return this.#inbox.received;
  }

  /**
   * Waits until the script has run to its end; fails, with what was expected and what came, at the
   * first step the program did not follow (a line that does not match, a command before the whole
   * reply, silence where a line was due).
   */
  async expectScript(): Promise<void> {
    await this.scriptDone;
    if (this.#failure !== undefined) throw this.#failure;
  }

  #clientLeft(how: 'fin' | 'reset'): void {
    if (this.clientClosed !== null) return;
    this.clientClosed = how;
    this.clientLeftFirst = this.scriptEndedAt === undefined;
    this.transcript.add({ kind: how });
    this.#inbox.end(how);
  }

  async #play(socket: net.Socket, steps: readonly ServerStep[], signal: AbortSignal): Promise<void> {
    for (const step of steps) {
      // A client that has left is still held to what the script expects of it: what it sent
      // before leaving is read, and a line it never sent fails ("... but it closed the connection").
      if (signal.aborted) return;
      switch (step.kind) {
        case 'send':
          await writeSegments(socket, this.transcript, step, this.#pause);
          break;
        case 'reply':
          await writeSegments(socket, this.transcript, step, this.#pause, () => this.#expectNothingYet(step.bytes));
          this.#lastReply = step.bytes;
          break;
        case 'expect-line':
          await this.#expectLine(step).catch((error: unknown) => this.#inAnswer(error));
          break;
        case 'expect-until': {
          const data = await this.#inbox.readUntil(step.delimiter, { what: step.what, timeoutMs: step.timeoutMs ?? 2000 }).catch((error: unknown) => this.#inAnswer(error));
          step.check?.(data);
          break;
        }
        case 'silence':
          await this.#inbox.expectSilence({ timeoutMs: step.ms, ...(step.what !== undefined && { what: step.what }) });
          break;
        case 'pause':
          if (!socket.destroyed) await this.#pause(step.ms);
          break;
        case 'end':
          if (socket.destroyed) break;
          this.transcript.add({ kind: 'closed-by-grader' });
          await new Promise<void>((resolve) => socket.end(resolve));
          break;
        case 'reset':
          if (socket.destroyed) break;
          this.transcript.add({ kind: 'reset-by-grader' });
          socket.resetAndDestroy();
          break;
      }
    }
  }

  async #expectLine(step: ExpectLineStep): Promise<void> {
    const what = `${step.what} (a line ending with ${step.ending === '\r\n' ? '\\r\\n' : '\\n'})`;
    const line = await this.#inbox.readUntil('\n', { what, timeoutMs: step.timeoutMs ?? 2000 });
    const crlf = line.length >= 2 && line[line.length - 2] === 0x0d;
    if (step.ending === '\r\n' && !crlf) {
      throw new CheckFailure(`Your program sent ${describeBytes(line)}, which ends with \\n alone; every line it sends must end with \\r\\n.`, {
        hint: {
          typescript: "Write '\\r\\n' at the end of each line, e.g. socket.write(`${command}\\r\\n`).",
          python: "Write '\\r\\n' at the end of each line, e.g. sock.sendall(f'{command}\\r\\n'.encode()).",
          c: 'Write "\\r\\n" at the end of each line, e.g. dprintf(sock, "%s\\r\\n", command).',
        },
      });
    }
    const text = line.subarray(0, step.ending === '\r\n' ? -2 : -1).toString('utf8');
    if (!step.pattern.test(text)) throw new CheckFailure(`Your program was expected to send ${what}, but it sent ${describeBytes(line)}.`);
  }

  // A line that was not what was expected, or did not come: which reply it answered tells the
  // student what they misread ("QUIT" in answer to a 251, which is a success).
  #inAnswer(error: unknown): never {
    if (!isCheckFailure(error) || this.#lastReply === undefined) throw error;
    throw new CheckFailure(`${error.message.replace(/\.$/, '')}, in answer to the grader's ${describeBytes(this.#lastReply, 80)}.`, {
      ...(error.hint !== undefined && { hint: error.hint }),
      details: error.details,
    });
  }

  // Called just before a reply's last segment goes out: anything the client sent since its last
  // expected line came before the reply was whole.
  #expectNothingYet(reply: Buffer): void {
    if (!this.#inbox.hasUnread) return;
    const early = this.#inbox.takeUnread();
    throw new CheckFailure(`Your program sent ${describeBytes(early)} before the grader's reply ${describeBytes(reply, 80)} had all arrived.`, {
      hint: 'Wait for the whole reply before sending the next line: a reply may come in several pieces, and a multi-line reply ends only with its last line.',
    });
  }
}

/**
 * A scripted TCP server the student's client connects to. It listens on loopback (IPv4 and IPv6,
 * so `localhost` works either way) and plays the same script for every client.
 */
export class ReferenceServer {
  readonly connections: ServerConnection[] = [];
  #servers: net.Server[] = [];
  #sockets = new Set<net.Socket>();
  #settings: ReferenceServerSettings;
  #changed = new Set<() => void>();
  #refused = 0;

  private constructor(settings: ReferenceServerSettings) {
    this.#settings = settings;
  }

  /** Starts the server on `settings.port`, playing `steps` for each client. */
  static async start(steps: readonly ServerStep[], settings: ReferenceServerSettings): Promise<ReferenceServer> {
    const reference = new ReferenceServer(settings);
    // Both loopbacks, so a client that connects to `localhost` finds it whichever one that is;
    // never all interfaces, so nothing outside the machine can reach it.
    for (const host of settings.host === undefined ? ['127.0.0.1', '::1'] : [settings.host]) {
      // Half-open allowed: the script, not Node, decides when the grader's side closes, so a
      // client that ends its side after its last command (QUIT) still gets the reply.
      const server = net.createServer({ allowHalfOpen: true }, (socket) => reference.#accept(socket, steps));
      try {
        await listen(server, { port: settings.port, host, ipv6Only: true });
        reference.#servers.push(server);
      } catch (error) {
        if (host !== '::1') throw error; // IPv6 may be missing; IPv4 loopback may not
      }
    }
    settings.log(`the grader's server listens on port ${settings.port}`);
    return reference;
  }

  get port(): number {
    return this.#settings.port;
  }

  /**
   * Waits for the program to connect (5 s when unset); fails the check if it does not, at once
   * when the program (`from`) exits first.
   */
  async waitForConnection(options: { timeoutMs?: number; from?: Program } = {}): Promise<ServerConnection> {
    const timeoutMs = this.#settings.ms(options.timeoutMs ?? 5000);
    this.#settings.log(`waiting up to ${formatSeconds(timeoutMs)} for the program to connect to port ${this.port}`);
    await waitUntil(this.#changed, () => this.connections.length > 0, this.#settings.patience?.(timeoutMs) ?? timeoutMs, this.#settings.signal, options.from?.exitWithin(options.timeoutMs ?? 5000));
    const first = this.connections[0];
    if (first) return first;
    const exit = options.from?.exit;
    const outcome = exit ? `${exit.description} without connecting` : `did not connect within ${formatSeconds(timeoutMs)}`;
    throw new CheckFailure(`Your program ${outcome} to the grader's server at ${formatAddress(this.#settings.host ?? 'localhost', this.port)} (the HOST and PORT it was given).`, {
      hint: {
        typescript: 'Connect to the host in HOST and the port in PORT, e.g. `Number(process.env.PORT ?? 12345)`.',
        python: "Connect to the host in HOST and the port in PORT, e.g. `int(os.environ.get('PORT', 12345))`.",
        c: 'Connect to the host in HOST and the port in PORT: `getaddrinfo(getenv("HOST"), getenv("PORT"), ...)`.',
      },
    });
  }

  /** Closes the server and every connection. Checks do this for you when they end. */
  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await Promise.all(this.#servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  }

  #accept(socket: net.Socket, steps: readonly ServerStep[]): void {
    // A client that opens connections without end is cut off, so the grader's memory stays bounded.
    if (this.connections.length >= MAX_CONNECTIONS) {
      if (this.#refused++ === 0) this.#settings.log(`the program opened more than ${MAX_CONNECTIONS} connections; the grader's server reset the rest`);
      socket.resetAndDestroy();
      return;
    }
    this.#sockets.add(socket);
    socket.on('close', () => this.#sockets.delete(socket));
    const connection = new ServerConnection(socket, steps, this.#settings, formatAddress(this.#settings.host ?? 'localhost', this.port));
    this.connections.push(connection);
    this.#settings.log(`the program connected from ${formatAddress(socket.remoteAddress ?? '?', socket.remotePort ?? 0)}`);
    for (const listener of this.#changed) listener();
  }
}

function listen(server: net.Server, options: net.ListenOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once('error', onError);
    server.listen(options, () => {
      server.off('error', onError);
      resolve();
    });
  });
}
