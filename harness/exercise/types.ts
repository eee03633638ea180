import type { LanguageId } from '../language/language.ts';
import type { Program, LaunchOptions } from '../process/program.ts';
import type { TcpConnection, ConnectOptions, TcpTarget } from '../probes/tcp-client.ts';
import type { Random } from '../run/random.ts';
import type { ReferenceServer, ServeOptions } from '../probes/tcp-server.ts';
import type { ServerStep } from '../probes/server-script.ts';
import type { UdpClient } from '../probes/udp-client.ts';
import type { UdpPlan, UdpReferenceServer, UdpServeOptions } from '../probes/udp-server.ts';
import type { HttpRequestOptions, HttpResponse } from '../probes/http-client.ts';
import type { OriginRoute, OriginServer } from '../probes/http-origin.ts';

/** What a check's body gets: probes, the student's program, randomness, and a log. */
export interface CheckContext {
  /** Starts the student's program with a free port in `PORT`; it is stopped when the check ends. */
  launch(options?: LaunchOptions): Promise<Program>;
  /** Connects a reference TCP client; its transcript is shown to the student when the check fails. */
  connect(target: TcpTarget, options?: ConnectOptions): Promise<TcpConnection>;
  /**
   * Starts a scripted reference server on a free port, for a client to connect to; it closes when
   * the check ends. It listens on both loopbacks (so `localhost` finds it), or only on `host`: an
   * address such as `127.0.0.2` that `localhost` is not, so a client that ignores HOST misses it.
   */
  serve(steps: readonly ServerStep[], options?: ServeOptions): Promise<ReferenceServer>;
  /**
   * A reference UDP socket on IPv4 loopback (IPv6 with `family: 6`, or any loopback `address`
   * such as `127.0.0.2`, a sender a server must not take for 127.0.0.1), for a UDP server; its
   * datagrams are shown to the student, under `name` (`udp <n>` when unset), when the check fails.
   */
  udp(options?: { family?: 4 | 6; address?: string; name?: string }): Promise<UdpClient>;
  /**
   * The grader's UDP server on 127.0.0.1 and a free port, for a UDP client: it echoes each
   * datagram as `plan` says (delayed, twice, or dropped) and records what came and went, when.
   */
  serveUdp(plan?: UdpPlan, options?: UdpServeOptions): Promise<UdpReferenceServer>;
  /**
   * Sends one HTTP request to a student's server (or proxy) on a connection of its own, and reads
   * the response with Node's HTTP client. Fails the check, showing what was sent and received,
   * when the answer is not a complete HTTP response; any status is returned, for the check to judge.
   */
  request(target: TcpTarget, request: HttpRequestOptions): Promise<HttpResponse>;
  /**
   * The grader's origin server on 127.0.0.1 and a free port, for a proxy: each path answers as
   * its route says (status, headers, body, a delay, chunks, or a hang-up), any other with 404;
   * every request is recorded as it arrived. It closes when the check ends.
   */
  origin(routes: Record<string, OriginRoute>): Promise<OriginServer>;
  /** A free port with nothing listening on it, e.g. to see what a client does when its connection is refused. */
  freePort(): Promise<number>;
  /** The submission under test: its entry file, and its build. */
  submission: SubmissionAccess;
  /** Randomness seeded from the run's seed and this check's id, so a run can be replayed. */
  random: Random;
  /** Scales a duration (ms) by `--timeout-factor`, for waits a check chooses itself. */
  ms(duration: number): number;
  /** Adds a line to the check's log, which the student reads when the check fails. */
  log(line: string): void;
  /** Aborted when the check times out or ends; long waits should give up when it fires. */
  signal: AbortSignal;
  /**
   * A wait the statement asks of the program from now on, such as ten 1 s time-outs with nothing
   * at PORT: counted in the report's designedWaitMs (the time a grading must take) until `ms`
   * pass or the returned function is called, when the program is done waiting.
   */
  programWaits(ms: number): () => void;
  /**
   * A wait the statement asked of the program and it made, measured afterwards (a retry's
   * back-off, from its request log): counted in designedWaitMs. Give the part it was asked for,
   * not more.
   */
  programWaited(ms: number): void;
  /** A remark the student sees with the check whatever its verdict, a passing one too (a compiler's warnings): a line, and lines below it. */
  note(message: string, details?: readonly string[]): void;
}

/** The student's submission as a check sees it. */
export interface SubmissionAccess {
  /** The entry file, relative to the student's folder (for example `server.ts`). */
  entry: string;
  /** Builds the entry file once; fails the check with the compiler's message if it cannot. Gives the compiler's warnings. */
  build(): Promise<{ warnings: readonly string[] }>;
}

interface CheckCommon<Dep extends string> {
  /** Points the check is worth (per case, for a table). */
  points: number;
  /** Checks that must pass first; when one did not, this check is skipped with the reason. */
  dependsOn?: readonly Dep[];
  /** The check's own time limit in ms (before `--timeout-factor`); 30 s when unset. */
  timeoutMs?: number;
  /** Students see only that a hidden check exists and whether it passed; instructors see everything. */
  hidden?: boolean;
}

/** One check: a sentence the student reads, and the body that decides it. */
export interface CheckSpec<Dep extends string = string> extends CheckCommon<Dep> {
  title: string;
  run(ctx: CheckContext): Promise<void>;
}

/** One check definition run once per case, each case its own result (see `eachCase`). */
export interface CheckTableSpec<Dep extends string = string, Case = unknown> extends CheckCommon<Dep> {
  cases: readonly Case[];
  /** A short id for a case, unique in the table (it becomes `<check>/<case>`). */
  caseId(testCase: Case): string;
  title(testCase: Case): string;
  run(ctx: CheckContext, testCase: Case): Promise<void>;
}

/** A table of cases as `checks` holds it: it has no `run` of its own, so inline checks type their `ctx`. */
export interface CheckTable<Dep extends string = string> extends CheckCommon<Dep> {
  kind: 'table';
  /** The table's cases as checks: ids `<key>/<case>`. */
  expand(key: string): { id: string; title: string; run(ctx: CheckContext): Promise<void> }[];
}

export type AnyCheckSpec<Dep extends string> = CheckSpec<Dep> | CheckTable<Dep>;

/** What an exercise file declares. Check ids are the keys of `checks`, in the order they run. */
export interface ExerciseSpec<Checks> {
  id: string;
  title: string;
  /** The file the student writes, relative to their folder, e.g. `server.ts`; in another language, its extension is that language's (`server.py`). */
  entry: string;
  /** The languages a student may write it in (default TypeScript only). */
  languages?: readonly LanguageId[];
  /**
   * The port the program and the grader meet on, when the statement names one (the course text's
   * 12345): every launch's PORT, and where the grader's own server listens for a client. Without
   * it, each launch gets a free port in PORT.
   */
  port?: number;
  /**
   * The host names its programs talk to (`jsonplaceholder.typicode.com`): on a submission's
   * private network they resolve to the loopback, where the grader answers; every other name
   * fails to resolve at once, and the report names it.
   */
  hosts?: readonly string[];
  /** Points for the built-in first check, "the entry file exists and compiles" (default 1). */
  compilePoints?: number;
  /** Extra environment variables for every launch of the program. */
  env?: Record<string, string>;
  checks: Checks;
}

/** A check after tables are expanded and defaults applied: what the runner executes. */
export interface ResolvedCheck {
  id: string;
  title: string;
  points: number;
  hidden: boolean;
  dependsOn: readonly string[];
  timeoutMs: number;
  run(ctx: CheckContext): Promise<void>;
}

/** A loaded exercise, ready to grade. */
export interface Exercise {
  readonly kind: 'netgrade-exercise';
  /** The exercise.ts it was loaded from, when it was (a grading worker loads it again from there). */
  readonly file?: string;
  /** The module that file was imported as (compiled once, so a worker imports that instead). */
  readonly module?: string;
  id: string;
  title: string;
  entry: string;
  languages: readonly LanguageId[];
  port?: number;
  /** The host names its programs talk to (see ExerciseSpec.hosts); none by default. */
  hosts: readonly string[];
  env: Record<string, string>;
  checks: readonly ResolvedCheck[];
}
