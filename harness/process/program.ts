import { setTimeout as sleep } from 'node:timers/promises';
import { CheckFailure } from '../errors.ts';
import { formatSeconds, plural } from '../report/format.ts';
import type { ProgramReport } from '../report/types.ts';
import type { ProgramExit } from './exit.ts';
import type { CappedOutput } from './output.ts';
import { spawnProcess, type SpawnedProcess } from './spawn.ts';
import type { Confinement } from './confinement.ts';
import { formatAddress, TcpConnection } from '../probes/tcp-client.ts';
import type { HttpMock, HttpRequestRecord } from '../probes/http-mock/types.ts';
import type { HttpMockSession } from '../probes/http-mock/session.ts';
import type { InboxSettings } from '../probes/inbox.ts';
import type { Hint } from '../language/language.ts';
import { findListener, probeByConnecting, probeByDatagram, type ListenerOutcome } from './listening.ts';
import { ProgramTimer } from './program-timer.ts';
import { findPortHolder } from './proc.ts';

/** Per-launch choices a check can make. */
export interface LaunchOptions {
  /** Extra environment variables (they override the exercise's). */
  env?: Record<string, string>;
  /** Command-line arguments after the entry file. */
  args?: readonly string[];
  /** The `PORT` to give the program, e.g. a reference server's for a client; a free one when unset. */
  port?: number;
  /** HTTP endpoints to mock (with nock, inside a Node program or behind the grader's own servers); every other request is blocked and recorded. */
  http?: readonly HttpMock[];
  /**
   * `'untrusted'`: the HTTPS of `http` is served, for a program in any language, by the grader's
   * servers with a certificate no authority the program trusts signed, as an impostor's would be.
   * A program that verifies certificates refuses it and makes no request; one that turned
   * verification off (`verify=False`, `rejectUnauthorized: false`) is seen making its requests.
   */
  certificate?: 'untrusted';
  /**
   * Files put into the program's copy of the submission before it starts, by path relative to its
   * folder (`public/index.html`), replacing the student's own at those paths. Only the check's
   * first launch can have them: later ones share its copy, which a program may have changed.
   */
  files?: Readonly<Record<string, string | Uint8Array>>;
}

/** Where a program was found listening, ready to pass to `ctx.connect()`. */
export interface ListeningAddress {
  host: string;
  port: number;
}

/** Everything a program needs from the check that starts it. */
export interface ProgramSettings extends InboxSettings {
  /** The entry file as the student knows it, e.g. `server.ts`. */
  displayName: string;
  /** What to run (paths as the program sees them), and how a student would start it: `python3 server.py`. */
  command: { file: string; args: readonly string[]; env: Record<string, string> };
  shownCommand: string;
  /** The variables the exercise gives this launch (`HOST`, `CITY`), shown with PORT so a student can run it the same way. */
  shownEnv?: Record<string, string>;
  /** The working folder, as the program sees it. */
  cwd: string;
  env: Record<string, string>;
  /** Where the program runs: its sandbox, or a process group. */
  confinement: Confinement;
  args: readonly string[];
  allocatePort(): Promise<number>;
  /** Called for every process started, relaunches included. */
  onSpawn(): void;
  /** How to see that the program listens: the kernel's socket table, or (without /proc) a connection. */
  readiness: Readiness;
  /** The HTTP mocks preloaded into the program, if any. */
  http?: HttpMockSession;
  /** PORT is the port the exercise names: a program that cannot bind it is never moved to another. */
  fixedPort?: boolean;
}

/** `procfs` reads listening sockets from Linux's /proc; `connect` connects and hands that connection to the check. */
export type Readiness = 'procfs' | 'connect';

const STOP_GRACE_MS = 1000;
/**
 * Output of one stream a result keeps for the report. Checks read up to `OUTPUT_CAP_BYTES`; a
 * report needs far less, and a class of programs that flood their output must not fill the
 * grader's memory (nor each JSON report, where a control byte takes six characters).
 */
export const REPORT_OUTPUT_BYTES = 64 * 1024;
const POLL_MS = 20;
// A program that loses its port to another process between our pick and its bind gets a new one.
const MAX_BIND_ATTEMPTS = 3;

/** The student's program, started by a check: its port, output, exit, and probes that wait on it. */
export class Program {
  port: number;
  #process: SpawnedProcess;
  #settings: ProgramSettings;
  // The readiness probe's connection when it had to connect: the next client, so no accept is wasted.
  #handover: TcpConnection | undefined;

  private constructor(port: number, process: SpawnedProcess, settings: ProgramSettings) {
    this.port = port;
    this.#process = process;
    this.#settings = settings;
  }

  /** Starts the program with `port` in PORT, or a fresh port. */
  static async start(settings: ProgramSettings, port?: number): Promise<Program> {
    port ??= await settings.allocatePort();
    return new Program(port, spawnWithPort(settings, port), settings);
  }

  get stdout(): CappedOutput {
    return this.#process.stdout;
  }

  get stderr(): CappedOutput {
    return this.#process.stderr;
  }

  /** How the program ended, or `undefined` while it runs. */
  get exit(): ProgramExit | undefined {
    return this.#process.exit;
  }

  /**
   * Waits until the program listens on its `PORT` (on any address: 127.0.0.1, ::1, all interfaces),
   * read from the operating system so no connection is used up; with `protocol: 'udp'`, until it
   * has a UDP socket bound there. Fails at once when the program exits first or listens on another
   * port, and after `timeoutMs` (10 s) otherwise.
   */
  async waitForListening(options: { timeoutMs?: number; protocol?: 'tcp' | 'udp' } = {}): Promise<ListeningAddress> {
    const timeoutMs = this.#settings.ms(options.timeoutMs ?? 10_000);
    const protocol = options.protocol ?? 'tcp';
    for (let attempt = 1; ; attempt++) {
      this.#settings.log(`waiting up to ${formatSeconds(timeoutMs)} for the program to ${protocol === 'udp' ? 'bind a UDP socket to' : 'listen on'} port ${this.port}`);
      const timer = this.#timer(timeoutMs);
      const outcome = await this.#watchForListener(timer, protocol);
      if (outcome.kind === 'listening') {
        this.#settings.log(`listening on ${formatAddress(outcome.address, this.port)} after ${formatSeconds(timer.wallMs)}`);
        return { host: connectableHost(outcome.address, protocol), port: this.port };
      }
      if (outcome.kind === 'exited' && this.#settings.fixedPort && this.#lostPortRace()) throw portTaken(this.port);
      if (outcome.kind === 'exited' && this.#lostPortRace() && attempt < MAX_BIND_ATTEMPTS) {
        const port = await this.#settings.allocatePort();
        this.#settings.log(`port ${this.port} was taken by another process before the program could bind it; relaunching on port ${port}`);
        await this.#process.stop(STOP_GRACE_MS);
        this.port = port;
        this.#process = spawnWithPort(this.#settings, port);
        continue;
      }
      throw this.#explainNotListening(outcome, timer, protocol);
    }
  }

  /**
   * Waits for a line of output that matches `pattern` and returns the line and the match. Fails when the
   * program exits without printing it, or after `timeoutMs` (2 s); `what` names the line for the student.
   */
  async waitForLine(pattern: RegExp, options: { what: string; stream?: 'stdout' | 'stderr'; timeoutMs?: number }): Promise<{ line: string; match: RegExpExecArray }> {
    const stream = options.stream ?? 'stdout';
    const output = this.#process[stream];
    const timeoutMs = this.#settings.ms(options.timeoutMs ?? 2000);
    this.#settings.log(`waiting up to ${formatSeconds(timeoutMs)} for ${options.what} on ${stream}`);
    const find = () => {
      for (const line of output.lines) {
        const match = pattern.exec(line);
        if (match) return { line, match };
      }
      return undefined;
    };
    const timer = this.#timer(timeoutMs);
    const outcome = await this.#watchOutput(output, find, timer);
    if (typeof outcome !== 'string') return outcome;
    const state = outcome === 'exited' ? `it ${this.exit?.description ?? 'exited'} without printing it` : `it did not print it within ${timer.describe()}`;
    const otherStream = stream === 'stdout' ? 'stderr' : 'stdout';
    const onOtherStream = this.#process[otherStream].lines.some((line) => pattern.test(line));
    // Still running with nothing printed: the line may be in a buffer the program never flushed.
    const buffered = outcome === 'timeout' && output.totalBytes === 0 && !onOtherStream;
    throw new CheckFailure(`Your program was expected to print ${options.what} on ${stream}, but ${state}.`, {
      details: [describeOutput(output, stream)],
      ...(buffered && {
        hint: {
          python: "If it printed it, the line may still be in a buffer: the grader runs python3 -u, so do not reopen sys.stdout with buffering; print(..., flush=True) makes sure.",
          c: 'If it printed it, the line may still be in stdio\'s buffer: end it with \\n and do not setvbuf(stdout, ..., _IOFBF, ...); fflush(stdout) makes sure.',
        },
      }),
      ...(onOtherStream && {
        hint: {
          typescript: `It printed that line on ${otherStream}; print it on ${stream} (${stream === 'stdout' ? 'console.log' : 'console.error'}).`,
          python: `It printed that line on ${otherStream}; print it on ${stream} (${stream === 'stdout' ? 'print(...)' : 'print(..., file=sys.stderr)'}).`,
          c: `It printed that line on ${otherStream}; print it on ${stream} (${stream === 'stdout' ? 'printf(...)' : 'fprintf(stderr, ...)'}).`,
        },
      }),
    });
  }

  /**
   * Waits until `ready(text)` holds for the output so far, or the program exits, or `timeoutMs`
   * (5 s) passes; never fails. Returns whether `ready` held.
   */
  async waitForOutput(ready: (text: string) => boolean, options: { stream?: 'stdout' | 'stderr'; timeoutMs?: number } = {}): Promise<boolean> {
    const output = this.#process[options.stream ?? 'stdout'];
    const timeoutMs = this.#settings.ms(options.timeoutMs ?? 5000);
    this.#settings.log(`waiting up to ${formatSeconds(timeoutMs)} for the program's output`);
    const outcome = await this.#watchOutput(output, () => (ready(output.text) ? true : undefined), this.#timer(timeoutMs));
    return outcome === true;
  }

  /** Waits for the program to exit by itself; fails if it is still running after `timeoutMs` (2 s). */
  async waitForExit(options: { after: string; timeoutMs?: number }): Promise<ProgramExit> {
    const timeoutMs = options.timeoutMs ?? 2000;
    this.#settings.log(`waiting up to ${formatSeconds(this.#settings.ms(timeoutMs))} for the program to exit`);
    const exit = await this.exitWithin(timeoutMs);
    if (exit) return exit;
    throw new CheckFailure(`Your program was still running ${formatSeconds(this.#settings.ms(timeoutMs))} after ${options.after}.`);
  }

  /** How the program ended, if it ends within `timeoutMs`; `undefined` if it is still running then. */
  async exitWithin(timeoutMs: number): Promise<ProgramExit | undefined> {
    const timer = this.#timer(this.#settings.ms(timeoutMs));
    return Promise.race([this.#process.exited, timer.expired(this.#settings.signal).then(() => undefined)]);
  }

  /** Whether the program was launched with HTTP mocks (and so records its requests). */
  /** The launch's processes now: the program and everything it started. */
  members(): readonly number[] {
    return this.#process.members();
  }

  get usesHttpMocks(): boolean {
    return this.#settings.http !== undefined;
  }

  /** Every HTTP request the program made (it must have been launched with `http` mocks). */
  async httpRequests(): Promise<HttpRequestRecord[]> {
    if (!this.#settings.http) throw new Error('httpRequests() needs a program launched with `http` mocks.');
    return this.#settings.http.requests();
  }

  /** The connection readiness opened to `target`, if it had to open one; it is handed out once. */
  takeHandover(target: ListeningAddress): TcpConnection | undefined {
    const handover = this.#handover;
    if (handover === undefined || target.port !== this.port) return undefined;
    this.#handover = undefined;
    return handover;
  }

  /** Stops the program and everything it started (SIGTERM, then SIGKILL). Checks do this for you when they end. */
  async stop(): Promise<ProgramExit> {
    this.#handover?.close();
    return this.#process.stop(STOP_GRACE_MS);
  }

  /** What the report shows about this program: its output up to `REPORT_OUTPUT_BYTES` a stream. */
  report(): ProgramReport {
    const { stdout, stderr, exit } = this.#process;
    const out = stdout.head(REPORT_OUTPUT_BYTES);
    const err = stderr.head(REPORT_OUTPUT_BYTES);
    return {
      command: this.#settings.shownCommand,
      port: this.port,
      exit: exit?.description ?? 'still running',
      stdout: out.text,
      stderr: err.text,
      stdoutDroppedBytes: out.droppedBytes,
      stderrDroppedBytes: err.droppedBytes,
    };
  }

  // Resolves with what `find` finds as soon as it finds it, or with how the wait ended.
  #watchOutput<T>(output: CappedOutput, find: () => T | undefined, timer: ProgramTimer): Promise<T | 'exited' | 'timeout'> {
    return new Promise((resolve) => {
      const stopWaiting = new AbortController();
      const settle = (ending?: 'exited' | 'timeout') => {
        const found = find();
        if (found === undefined && !ending) return;
        off();
        stopWaiting.abort();
        resolve(found ?? ending ?? 'timeout');
      };
      const off = output.onData(() => settle());
      void timer.expired(AbortSignal.any([this.#settings.signal, stopWaiting.signal])).then(() => settle('timeout'));
      void this.#process.exited.then(() => settle('exited'));
      settle();
    });
  }

  // A limit on the program that does not run out while the program waits for a CPU.
  #timer(limitMs: number): ProgramTimer {
    return new ProgramTimer(limitMs, () => this.#process.members());
  }

  async #watchForListener(timer: ProgramTimer, protocol: 'tcp' | 'udp'): Promise<ListenerOutcome> {
    let wrongPortSince = 0;
    let wrongPorts = 0;
    for (let poll = 0; ; poll++) {
      const outcome = this.#settings.readiness === 'procfs'
        ? findListener(this.#process.members(), this.port, { lookForOtherPorts: poll % 10 === 0, protocol, inherited: this.#process.inheritedSockets() })
        : protocol === 'udp'
          ? await this.#datagramProbe()
          : await this.#connectProbe();
      if (outcome.kind === 'listening') return outcome;
      if (this.exit) return { kind: 'exited' };
      if (outcome.kind === 'wrong-port') {
        // Give a program that opens several listeners a moment after its latest to open ours too:
        // on a busy machine, one still opening them may take longer than that to reach ours.
        if (outcome.ports.length !== wrongPorts) {
          wrongPorts = outcome.ports.length;
          wrongPortSince = performance.now();
        }
        if (performance.now() - wrongPortSince > this.#settings.ms(1000)) return outcome;
      }
      if (timer.remainingMs() === 0 || this.#settings.signal.aborted) return { kind: 'timeout' };
      await Promise.race([sleep(POLL_MS), this.#process.exited]);
    }
  }

  async #connectProbe(): Promise<ListenerOutcome> {
    const socket = await probeByConnecting(this.port);
    if (socket === undefined) return { kind: 'not-yet' };
    this.#settings.log('connected to check that the program listens; this connection is the next client');
    this.#handover = TcpConnection.wrap(socket, this.#settings);
    return { kind: 'listening', address: socket.remoteAddress ?? '127.0.0.1' };
  }

  async #datagramProbe(): Promise<ListenerOutcome> {
    return (await probeByDatagram(this.port)) ? { kind: 'listening', address: '127.0.0.1' } : { kind: 'not-yet' };
  }

  #lostPortRace(): boolean {
    const stderr = this.stderr.text;
    return /EADDRINUSE/.test(stderr) && new RegExp(`[:\\s]${this.port}\\b`).test(stderr);
  }

  #explainNotListening(outcome: ListenerOutcome, timer: ProgramTimer, protocol: 'tcp' | 'udp'): CheckFailure {
    const udp = protocol === 'udp';
    const printed = describePrinted(this.#process);
    if (outcome.kind === 'exited') {
      const silent = this.stdout.totalBytes === 0 && this.stderr.totalBytes === 0;
      const hint: Hint | undefined = this.exit?.code === 0 && this.stderr.totalBytes === 0
        ? {
            typescript: 'A server must keep running: create it, call listen(), and do not call process.exit().',
            python: `A server must keep running: ${udp ? 'bind, then recvfrom() in a loop' : 'bind, listen and accept in a loop'}, and do not return from main() or call sys.exit().`,
            c: `A server must keep running: ${udp ? 'bind, then recvfrom() in a loop' : 'bind, listen and accept in a loop'}, and do not return from main() or call exit().`,
          }
        : silent ? undefined : 'Its output is shown below; the first error in it is usually the one to fix.';
      return new CheckFailure(`Your program ${this.exit?.description ?? 'exited'} before it ${udp ? 'bound a UDP socket to' : 'listened on'} port ${this.port} (the port in PORT); it ${printed}.`, hint ? { hint } : {});
    }
    if (outcome.kind === 'wrong-port') {
      const ports = outcome.ports.join(', ');
      return new CheckFailure(`Your program ${udp ? 'has a UDP socket bound to' : 'listens on'} port ${ports}, not on port ${this.port}, the port given in the PORT environment variable.`, {
        hint: {
          typescript: 'Read the port from the environment, e.g. `const port = Number(process.env.PORT ?? 12345);`.',
          python: "Read the port from the environment, e.g. `port = int(os.environ.get('PORT', 12345))`.",
          c: 'Read the port from the environment (`atoi(getenv("PORT"))`), and give it in network byte order: `.sin_port = htons(port)`.',
        },
      });
    }
    const busy = timer.computedThroughout();
    return new CheckFailure(`No ${udp ? 'UDP socket was bound to' : 'server was listening on'} port ${this.port} after ${timer.describe()}; the program was still running and ${printed}.`, {
      hint: busy ? 'Something before it computes without pause: a loop that spins instead of waiting (for a socket, a timer, input), or one that never ends.' : {
        typescript: `Call ${udp ? 'socket.bind()' : 'listen()'} with the port from process.env.PORT, and make sure nothing blocks before it (a busy loop, a wait for input).`,
        python: `Call bind() with the port from os.environ['PORT']${udp ? '' : ', then listen()'}, and make sure nothing blocks before it (a busy loop, input()).`,
        c: `Call bind() with htons(atoi(getenv("PORT")))${udp ? '' : ', then listen()'}, and make sure nothing blocks before it (a busy loop, reading stdin).`,
      },
    });
  }
}

function spawnWithPort(settings: ProgramSettings, port: number): SpawnedProcess {
  settings.onSpawn();
  const { command } = settings;
  const spawned = spawnProcess({
    file: command.file,
    args: [...command.args, ...settings.args],
    cwd: settings.cwd,
    env: { ...settings.env, ...command.env, PORT: String(port) },
    confinement: settings.confinement,
  });
  const variables = Object.entries({ PORT: String(port), ...settings.shownEnv }).map(([name, value]) => `${name}=${/^[\w@%+=:,./-]*$/.test(value) ? value : `'${value.replaceAll("'", "'\\''")}'`}`);
  settings.log(`started \`${[...variables, settings.shownCommand].join(' ')}\``);
  return spawned;
}

// The port the exercise names was taken by something else than the program: on a machine without
// a private network for the submission, the student's own server in another terminal, say. Not
// the student's failure: the grader's, with who holds it.
function portTaken(port: number): Error {
  const holder = findPortHolder(port);
  const who = holder ? `process ${holder.pid} (${holder.command})` : 'a connection still closing';
  return new Error(`port ${port}, which this exercise's programs listen on, is taken by ${who}: stop it (a server of yours still running in another terminal?) and grade again`);
}

// A server listening on all interfaces is reached on loopback; one on a specific address, there.
// A UDP socket on all IPv6 interfaces may be IPv6-only (which /proc does not show): ::1 reaches
// it either way.
function connectableHost(address: string, protocol: 'tcp' | 'udp'): string {
  if (address === '0.0.0.0') return '127.0.0.1';
  if (address === '::') return protocol === 'udp' ? '::1' : '127.0.0.1';
  return address;
}

function describePrinted(process: SpawnedProcess): string {
  const out = process.stdout.lines.length;
  const err = process.stderr.lines.length;
  if (out === 0 && err === 0) return 'had printed nothing';
  return `had printed ${plural(out, 'line')} to stdout and ${plural(err, 'line')} to stderr (shown below)`;
}

function describeOutput(output: CappedOutput, stream: string): string {
  if (output.droppedBytes > 0) {
    return `It printed ${plural(output.totalBytes, 'byte')} on ${stream}; the grader keeps the first ${plural(output.cap, 'byte')}, so a line printed after those is not seen.`;
  }
  const lines = output.lines;
  if (lines.length === 0) return `It printed nothing on ${stream}.`;
  return `It printed ${plural(lines.length, 'line')} on ${stream} (shown below).`;
}
