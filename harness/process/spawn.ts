import { execa } from 'execa';
import { setTimeout as sleep } from 'node:timers/promises';
import { CappedOutput } from './output.ts';
import { describeExit, type ProgramExit } from './exit.ts';
import { randomUUID } from 'node:crypto';
import type { ProgramUser } from '../sandbox/program-user.ts';
import { brokenLimit } from './limits.ts';
import { hasProcfs, listProcessesWithEnv, listProcessTree } from './proc.ts';

/** A process the grader started: its capped output, its exit, and how to stop it and its children. */
export interface SpawnedProcess {
  pid: number;
  stdout: CappedOutput;
  stderr: CappedOutput;
  /** Set once the process has exited. */
  readonly exit: ProgramExit | undefined;
  /** Resolves when the process exits, by itself or because it was stopped. */
  exited: Promise<ProgramExit>;
  /** Ends the process and everything it started: SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs: number): Promise<ProgramExit>;
}

export interface SpawnOptions {
  file: string;
  args: readonly string[];
  cwd: string;
  env: Record<string, string>;
  /** Run as this user (the grader must be root), e.g. `nobody`. */
  user?: ProgramUser;
}

/** The variable that marks every process a launch starts, so that none can slip away. */
const LAUNCH_MARKER = 'NETGRADE_LAUNCH';
const WATCH_INTERVAL_MS = 250;

// Every launch still alive, so that a grader that is itself interrupted leaves nothing behind.
const liveLaunches = new Map<number, string>();
process.once('exit', () => {
  for (const [pid, marker] of liveLaunches) killTree(pid, marker, 'SIGKILL');
});

/**
 * Starts a program in its own process group (so the grader can signal everything it starts),
 * with stdin closed and a clean environment.
 */
export function spawnProcess(options: SpawnOptions): SpawnedProcess {
  const marker = randomUUID();
  const subprocess = execa(options.file, options.args, {
    cwd: options.cwd,
    env: { ...options.env, [LAUNCH_MARKER]: marker },
    extendEnv: false,
    stdin: 'ignore',
    buffer: false,
    reject: false,
    detached: true,
    cleanup: false,
    windowsHide: true,
    ...(options.user && { uid: options.user.uid, gid: options.user.gid }),
  });
  const pid = subprocess.pid;
  if (pid === undefined) throw new Error(`Could not start ${options.file}: the operating system gave it no process id.`);
  liveLaunches.set(pid, marker);
  const stdout = new CappedOutput();
  const stderr = new CappedOutput();
  subprocess.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
  subprocess.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
  // The promise also settles on spawn errors; the 'exit' event alone decides how the process ended.
  const settled = subprocess.then(() => undefined, () => undefined);

  let stoppedWith: 'SIGTERM' | 'SIGKILL' | null = null;
  let exit: ProgramExit | undefined;
  let limitBroken: string | undefined;
  // A program that forks or allocates without end is stopped before it harms the machine.
  const watchdog = hasProcfs
    ? setInterval(() => {
        limitBroken ??= brokenLimit(pid);
        if (limitBroken) killTree(pid, marker, 'SIGKILL');
      }, WATCH_INTERVAL_MS).unref()
    : undefined;
  const exited = new Promise<ProgramExit>((resolve) => {
    subprocess.once('exit', (code, signal) => {
      clearInterval(watchdog);
      const stoppedBefore = stoppedWith;
      // Output written just before exiting may still be in the pipe: let it arrive first.
      void Promise.race([settled, sleep(50)]).then(() => {
        exit = describeExit(code, signal, stoppedBefore, `${stderr.text}\n${stderr.tailText}`, limitBroken);
        resolve(exit);
      });
    });
  });

  return {
    pid,
    stdout,
    stderr,
    get exit() {
      return exit;
    },
    exited,
    async stop(graceMs) {
      if (exit === undefined) {
        stoppedWith = 'SIGTERM';
        killTree(pid, marker, 'SIGTERM');
        const ended = await Promise.race([exited.then(() => true), sleep(graceMs, undefined, { ref: false }).then(() => false)]);
        if (!ended) stoppedWith = 'SIGKILL';
      }
      // Children may outlive the program (a server that forked, then exited): end them all.
      // (The waits here are unref'd: a finished grader must not linger for a timer that lost its race.)
      killTree(pid, marker, 'SIGKILL');
      const result = await exited;
      await Promise.race([settled, sleep(200, undefined, { ref: false })]);
      liveLaunches.delete(pid);
      return result;
    },
  };
}

/** Sends a signal to a process group and, on Linux, to every process of the launch that left it. */
function killTree(pid: number, marker: string, signal: NodeJS.Signals): void {
  const escaped = new Set([...listProcessTree(pid), ...listProcessesWithEnv(LAUNCH_MARKER, marker)]);
  signalQuietly(-pid, signal);
  for (const member of escaped) signalQuietly(member, signal);
}

/** Sends a signal to a process (or a group, as -pgid) that may already be gone. */
export function signalQuietly(target: number, signal: NodeJS.Signals): void {
  try {
    process.kill(target, signal);
  } catch {
    // ESRCH: already gone.
  }
}
