import { setTimeout as sleep } from 'node:timers/promises';
import type { Confinement, Launch, LaunchCommand } from './confinement.ts';
import { describeExit, SUSPENDED, type ProgramExit } from './exit.ts';
import { brokenLimit } from './limits.ts';
import { CappedOutput, OUTPUT_CAP_BYTES } from './output.ts';
import { hasProcfs, isSuspended, readStdioSockets } from './proc.ts';
import { undoOnExit } from './undo-on-exit.ts';

/** A process the grader started: its capped output, its exit, and how to stop it and its children. */
export interface SpawnedProcess {
  stdout: CappedOutput;
  stderr: CappedOutput;
  /** Set once the process has exited. */
  readonly exit: ProgramExit | undefined;
  /** Resolves when the process exits, by itself or because it was stopped. */
  exited: Promise<ProgramExit>;
  /** Every process of the launch alive now (Linux; empty elsewhere). */
  members(): number[];
  /** The sockets every process of the launch inherits as its stdout and stderr: none the program opened. */
  inheritedSockets(): ReadonlySet<number>;
  /** Ends the process and everything it started: SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs: number): Promise<ProgramExit>;
}

export interface SpawnOptions extends LaunchCommand {
  confinement: Confinement;
  /** Bytes kept of each output stream. */
  outputCapBytes?: number;
}

const WATCH_INTERVAL_MS = 250;

// Every launch still alive, so that a grader that is itself interrupted leaves nothing behind.
const liveLaunches = undoOnExit<Launch>((launch) => launch.kill());

/** Starts a confined program with stdin closed, keeping its output up to a cap, watched for runaway use of processes and memory. */
export function spawnProcess(options: SpawnOptions): SpawnedProcess {
  const launch = options.confinement.start(options);
  const { subprocess } = launch;
  liveLaunches.add(launch);
  const stdout = new CappedOutput(options.outputCapBytes ?? OUTPUT_CAP_BYTES);
  const stderr = new CappedOutput(options.outputCapBytes ?? OUTPUT_CAP_BYTES);
  subprocess.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
  subprocess.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
  // The promise also settles on spawn errors; the 'exit' event alone decides how the process ended.
  const settled = Promise.resolve(subprocess).then(() => undefined, () => undefined);

  let inherited: ReadonlySet<number> | undefined;
  let stoppedWith: 'SIGTERM' | 'SIGKILL' | null = null;
  let exit: ProgramExit | undefined;
  // What explains the end better than the exit status: a limit broken, or being suspended.
  let cause: string | undefined;
  // A program that forks or allocates without end is stopped before it harms the machine.
  const watchdog = hasProcfs
    ? setInterval(() => {
        cause ??= brokenLimit(launch.members(), launch.heldBytes?.());
        if (cause) launch.kill();
      }, WATCH_INTERVAL_MS).unref()
    : undefined;
  const exited = new Promise<ProgramExit>((resolve) => {
    subprocess.once('exit', (code, signal) => {
      clearInterval(watchdog);
      const stoppedBefore = stoppedWith;
      const ended = launch.programEnd(code, signal);
      // Output written just before exiting may still be in the pipe: let it arrive first.
      void Promise.race([settled, sleep(50)]).then(async () => {
        cause ??= await launch.limitBroken?.();
        exit = describeExit(ended.code, ended.signal, stoppedBefore, `${stderr.text}\n${stderr.tailText}`, cause);
        resolve(exit);
      });
    });
  });

  return {
    stdout,
    stderr,
    get exit() {
      return exit;
    },
    exited,
    members: () => launch.members(),
    // Read once, from the started process: what its descendants inherit is what it holds.
    inheritedSockets: () => (inherited ??= hasProcfs && subprocess.pid !== undefined ? readStdioSockets(subprocess.pid) : new Set()),
    async stop(graceMs) {
      if (exit === undefined) {
        stoppedWith = 'SIGTERM';
        await launch.terminate();
        const ended = await Promise.race([exited.then(() => true), sleep(graceMs, undefined, { ref: false }).then(() => false)]);
        if (!ended) {
          stoppedWith = 'SIGKILL';
          // A suspended program did not ignore SIGTERM: it could not run to answer it.
          if (launch.members().some(isSuspended)) cause ??= SUSPENDED;
        }
      }
      // Children may outlive the program (a server that forked, then exited): end them all.
      // (The waits here are unref'd: a finished grader must not linger for a timer that lost its race.)
      launch.kill();
      const result = await exited;
      await Promise.race([settled, sleep(200, undefined, { ref: false })]);
      liveLaunches.delete(launch);
      return result;
    },
  };
}
