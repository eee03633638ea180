import type { SubmissionNetwork } from '../network/submission-network.ts';
import type { CheckContext } from '../exercise/types.ts';
import { TcpConnection } from '../probes/tcp-client.ts';
import { renderConversation } from '../probes/transcript.ts';
import { ReferenceServer } from '../probes/tcp-server.ts';
import { UdpClient } from '../probes/udp-client.ts';
import { UdpReferenceServer } from '../probes/udp-server.ts';
import { describeHttpRequests, openHttpMockSession, type HttpMockPlace, type HttpMockSession } from '../probes/http-mock/session.ts';
import type { HttpMock } from '../probes/http-mock/types.ts';
import { sendHttpRequest } from '../probes/http-client.ts';
import { OriginServer } from '../probes/http-origin.ts';
import { DesignedPauses } from '../probes/designed-pauses.ts';
import type { Transcript } from '../probes/transcript.ts';
import { putFiles } from '../submission/put-files.ts';
import type { ProgramReport } from '../report/types.ts';
import { makeChildEnv } from '../process/child-env.ts';
import { allocatePort, FIRST_PORT, LAST_PORT } from '../process/ports.ts';
import { CheckFailure } from '../errors.ts';
import { Program, type LaunchOptions, type Readiness } from '../process/program.ts';
import { ProgramTimer } from '../process/program-timer.ts';
import { makeRandom } from './random.ts';
import type { CheckWorkspace, PreparedSubmission } from '../submission/prepare.ts';

/** What every check of one submission shares. */
export interface SubmissionRun {
  submission: PreparedSubmission;
  exerciseEnv: Record<string, string>;
  /** The port the exercise names, if it names one (see ExerciseSpec.port). */
  fixedPort?: number;
  seed: number;
  timeoutFactor: number;
  /** Counts a start of the student's program, for the report. */
  countLaunch(): void;
  readiness: Readiness;
  /** The submission's private network, when it has one: its names, and the grader's servers on it. */
  network?: SubmissionNetwork;
}

/** A check's context and what it leaves behind: its log, the conversations, and its programs. */
export interface CheckScope {
  ctx: CheckContext;
  log: string[];
  /** What the check remarked with ctx.note, if anything: shown whatever its verdict. */
  note(): { message: string; details: string[] } | undefined;
  /** Stops the check's programs and closes its connections; returns what the report shows of them. */
  close(): Promise<{ transcript: string[]; programs: ProgramReport[]; designedWaitMs: number }>;
}

// How many of the names a program looked up a check's log shows.
const MAX_LOOKUPS_SHOWN = 10;

/**
 * A name as the program asked for it, safe in any report: a DNS label may hold any byte, so what
 * is not a letter, digit, dot, hyphen or underscore is shown as \xNN, and a line break in a name
 * cannot start a line of its own.
 */
function shownName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, (char) => [...Buffer.from(char)].map((byte) => `\\x${byte.toString(16).padStart(2, '0')}`).join(''));
}

/** Makes the context for one check. Everything it starts belongs to the check and ends with it. */
export function openCheckScope(checkId: string, run: SubmissionRun): CheckScope {
  const log: string[] = [];
  const programs: Program[] = [];
  const connections: TcpConnection[] = [];
  const servers: ReferenceServer[] = [];
  const udpSockets: UdpClient[] = [];
  const udpServers: UdpReferenceServer[] = [];
  const origins: OriginServer[] = [];
  const exchanges: Transcript[] = [];
  const controller = new AbortController();
  const ms = (duration: number) => Math.round(duration * run.timeoutFactor);
  const addLog = (line: string) => void log.push(line);
  const pauses = new DesignedPauses(controller.signal);
  // A probe's wait for the programs is as patient as their own limits: time they, or the grader
  // itself, spent waiting for a CPU on a busy machine does not count.
  const programMembers = () => programs.flatMap((program) => program.members());
  const patience = (limitMs: number) => new ProgramTimer(limitMs, () => [process.pid, ...programMembers()], programMembers);
  // What every probe of the check gets: the time scale, the check's log, its end, its pauses and
  // patience. On a port the exercise names, every launch binds the same port again: a reference
  // client answers the program's close with a reset, so the port is not left in TIME_WAIT for the
  // next launch, whose bind() (without SO_REUSEADDR, as the course text's) would fail.
  const probe = { ms, log: addLog, signal: controller.signal, pause: pauses.pause, patience, resetWhenPeerCloses: run.fixedPort !== undefined };
  const started = performance.now();
  const { submission } = run;
  const mockSessions: HttpMockSession[] = [];
  let note: { message: string; details: string[] } | undefined;
  // Inside a Node program, nock answers; for any other language, the grader's own servers on the
  // submission's network, which only a grading worker has.
  // An impostor's certificate needs real TLS, so the grader's servers, whatever the language.
  const mockSession = (mocks: readonly HttpMock[], place: HttpMockPlace, certificate: LaunchOptions['certificate']) => {
    const language = submission.language;
    if (certificate === undefined && (!language || language.httpMocks === 'in-process')) return openHttpMockSession(mocks, place);
    const served = certificate === 'untrusted' ? "an impostor's HTTPS is served by the grader's servers" : `a ${language!.name} program's HTTP is answered by the grader's servers`;
    if (!run.network) throw new Error(`${served} on the submission's private network, which this grading has none of: it is made with the sandbox, for a grader running as root (sudo), without --no-sandbox, with bubblewrap, util-linux and iproute2 installed (see README, Untrusted programs)`);
    return run.network.serveMocks(mocks, { untrusted: certificate === 'untrusted' });
  };
  // Once per name (a program asks for A and AAAA, and may retry), and a few names at most: a
  // program that looks up a million names gets a report of a few lines.
  const looked = new Set<string>();
  const unwatchNames = run.network?.names.watch(({ name }) => {
    if (looked.has(name) || looked.size > MAX_LOOKUPS_SHOWN) return;
    looked.add(name);
    addLog(looked.size > MAX_LOOKUPS_SHOWN
      ? 'your program looked up more names, which are not shown'
      : `your program looked up ${shownName(name)}, which this exercise does not serve: the lookup failed at once (no real network is used)`);
  });
  // The check's own copy, made when it first starts the program.
  let workspace: Promise<CheckWorkspace> | undefined;
  // Ports are allocated in the submission's own network, where only its programs and the grader
  // live: none free while its programs run means they hold them all, which is the student's doing.
  const freePort = async () => {
    try {
      return await allocatePort();
    } catch (error) {
      if (programs.length === 0) throw error;
      throw new CheckFailure(`The grader needed a free port, but every port from ${FIRST_PORT} to ${LAST_PORT} was taken while your program ran: it, or processes it started, holds them.`, {
        hint: 'Listen only on the port in PORT, and close servers and sockets you no longer need.',
      });
    }
  };

  const ctx: CheckContext = {
    async launch(options = {}) {
      const first = workspace === undefined;
      const { dir, graderDir, command, shownCommand, confinement, owner } = await (workspace ??= submission.openCheck());
      if (options.files) {
        if (!first) throw new Error('launch({ files }) works only for the first launch of a check: later launches share its copy, which a program may have changed');
        await putFiles(dir, options.files, owner);
      }
      const { pathOf } = confinement;
      const http = options.http ? await mockSession(options.http, { dir: graderDir, owner, pathOf }, options.certificate) : undefined;
      if (http) mockSessions.push(http);
      const program = await Program.start({
        displayName: submission.entry,
        command: command(http?.preload),
        shownCommand,
        shownEnv: { ...run.exerciseEnv, ...options.env },
        cwd: pathOf(dir),
        env: makeChildEnv(pathOf(dir), { ...http?.env, ...run.exerciseEnv, ...options.env }),
        confinement,
        args: options.args ?? [],
        allocatePort: freePort,
        ...probe,
        onSpawn: run.countLaunch,
        readiness: run.readiness,
        ...(http && { http }),
        ...(options.port === undefined && run.fixedPort !== undefined && { fixedPort: true }),
      }, options.port ?? run.fixedPort);
      programs.push(program);
      // The check timed out while this launch was starting: close() has already stopped the others.
      if (controller.signal.aborted) {
        await program.stop();
        throw new Error('the check ended while the program was starting');
      }
      return program;
    },
    async connect(target, options = {}) {
      const handedOver = programs.map((program) => program.takeHandover(target)).find((c) => c !== undefined);
      const connection = handedOver ?? (await TcpConnection.open(target, options, probe));
      connection.transcript.label = options.name ?? `client ${connections.length + 1}`;
      connections.push(connection);
      return connection;
    },
    request(target, request) {
      return sendHttpRequest(target, request, { ...probe, record: (transcript) => void exchanges.push(transcript) });
    },
    async origin(routes) {
      const server = await OriginServer.start(routes, { port: await freePort(), ...probe });
      origins.push(server);
      return server;
    },
    async serve(steps, options = {}) {
      const server = await ReferenceServer.start(steps, { port: run.fixedPort ?? (await freePort()), ...options, ...probe });
      servers.push(server);
      return server;
    },
    async udp(options = {}) {
      const address = options.address ?? (options.family === 6 ? '::1' : '127.0.0.1');
      const socket = await UdpClient.open(address, probe);
      socket.transcript.label = options.name ?? `udp ${udpSockets.length + 1}`;
      udpSockets.push(socket);
      return socket;
    },
    async serveUdp(plan = () => ({}), options = {}) {
      const server = await UdpReferenceServer.start(plan, { port: await freePort(), ...options, ...probe, hold: pauses.hold });
      server.transcript.label = `udp server${udpServers.length > 0 ? ` ${udpServers.length + 1}` : ''}`;
      udpServers.push(server);
      return server;
    },
    freePort,
    // The entry as found, once the build has found it (server.c where the exercise says server.ts).
    submission: {
      get entry() {
        return submission.entry;
      },
      build: submission.build,
    },
    note(message, details = []) {
      note = { message, details: [...details] };
    },
    random: makeRandom(run.seed, checkId),
    ms,
    log: addLog,
    signal: controller.signal,
    programWaits: pauses.hold,
    programWaited: pauses.add,
  };

  return {
    ctx,
    log,
    note: () => note,
    async close() {
      controller.abort();
      unwatchNames?.();
      for (const connection of connections) connection.close();
      for (const socket of udpSockets) socket.close();
      await Promise.all([
        ...programs.map((program) => program.stop()),
        ...mockSessions.map((session) => session.close()),
        ...servers.map((server) => server.close()),
        ...udpServers.map((server) => server.close()),
        ...origins.map((server) => server.close()),
      ]);
      const served = servers.flatMap((server) => server.connections);
      served.forEach((connection, i) => (connection.transcript.label = `program ${i + 1}`));
      const http = await Promise.all(programs.map(async (program, i) => (program.usesHttpMocks ? describeHttpRequests(await program.httpRequests(), i) : [])));
      // The copy and the grader's files for it (HTTP mocks included); a workspace that could not
      // be made (the build failed) has nothing to delete.
      await workspace?.then((made) => made.dispose(), () => undefined);
      return {
        transcript: [...renderConversation([...[...connections, ...served, ...udpSockets, ...udpServers].map((peer) => peer.transcript), ...exchanges, ...origins.flatMap((origin) => origin.transcripts)], started), ...http.flat()],
        programs: programs.map((program) => program.report()),
        designedWaitMs: Math.round(pauses.totalMs),
      };
    },
  };
}
