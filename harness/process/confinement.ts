import type { ChildProcess } from 'node:child_process';

/** A command to start, with paths as the program sees them (see `Confinement.pathOf`). */
export interface LaunchCommand {
  file: string;
  args: readonly string[];
  cwd: string;
  env: Record<string, string>;
}

/** Where a program runs: a sandbox, or a plain process group. Everything that differs between the two is here. */
export interface Confinement {
  /** The path under which the program sees a host file the grader gives it. */
  pathOf(hostPath: string): string;
  /** Starts `command`, with stdin closed and stdout and stderr piped. */
  start(command: LaunchCommand): Launch;
}

/** What the grader uses of a started process (execa's subprocess is one). */
export type StartedProcess = Pick<ChildProcess, 'pid' | 'stdout' | 'stderr' | 'once'> & PromiseLike<unknown>;

/** One started command and every process it leads to. */
export interface Launch {
  /** The process the grader started: the program itself, or the sandbox around it. */
  subprocess: StartedProcess;
  /** Every process of the launch alive now (Linux; empty elsewhere). */
  members(): number[];
  /** Asks every process of the launch to stop (SIGTERM). */
  terminate(): Promise<void>;
  /** Ends every process of the launch at once (SIGKILL); synchronous, so an exiting grader can call it. */
  kill(): void;
  /** How the program ended, from how the started process ended. */
  programEnd(code: number | null, signal: NodeJS.Signals | null): { code: number | null; signal: NodeJS.Signals | null };
  /** A limit the kernel enforced on the launch (its memory cgroup's), in words for the student, once it has ended. */
  limitBroken?(): Promise<string | undefined>;
  /** Memory the kernel counts against the launch that no process shows (System V shared memory, tmpfs files), in bytes. */
  heldBytes?(): number;
}

/** Sends a signal to a process (or a group, as -pgid) that may already be gone. */
export function signalQuietly(target: number, signal: NodeJS.Signals): void {
  try {
    process.kill(target, signal);
  } catch {
    // ESRCH: already gone.
  }
}
