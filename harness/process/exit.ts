import { LANGUAGES } from '../language/languages.ts';

/** How a program ended, in words a student understands. */
export interface ProgramExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The signal the grader sent to stop it, if the grader stopped it. */
  stoppedWith: 'SIGTERM' | 'SIGKILL' | null;
  description: string;
}

const SIGNAL_MEANINGS: Partial<Record<NodeJS.Signals, string>> = {
  SIGSEGV: 'crashed with a segmentation fault (SIGSEGV)',
  SIGBUS: 'crashed with a bus error (SIGBUS)',
  SIGFPE: 'crashed with an arithmetic error (SIGFPE)',
  SIGILL: 'crashed on an illegal instruction (SIGILL)',
  SIGABRT: 'aborted (SIGABRT)',
  SIGKILL: 'was killed (SIGKILL), for example by the system for using too much memory',
  SIGTERM: 'was terminated by someone else (SIGTERM)',
  SIGINT: 'was interrupted (SIGINT)',
  SIGXFSZ: 'was killed for writing a file larger than the grader allows (SIGXFSZ)',
};


/** Names the way a program ended: an exit code, a signal, out of memory, or stopped by the grader. */
export function describeExit(
  code: number | null,
  signal: NodeJS.Signals | null,
  stoppedWith: 'SIGTERM' | 'SIGKILL' | null,
  stderr: string,
  /** What explains how it ended better than its status: a limit it broke, or that it was suspended. */
  cause?: string,
): ProgramExit {
  return { code, signal, stoppedWith, description: cause ?? explain(code, signal, stoppedWith, stderr) };
}

/** How a program that was suspended (SIGSTOP, SIGTSTP) when the grader stopped it ended. */
export const SUSPENDED = 'was suspended (SIGSTOP or SIGTSTP), so it could not answer SIGTERM, and was killed by the grader (SIGKILL)';

function explain(code: number | null, signal: NodeJS.Signals | null, stoppedWith: string | null, stderr: string): string {
  // What each language's runtime prints when it runs out of memory.
  const outOfMemory = Object.values(LANGUAGES).flatMap((language) => language.outOfMemory).find(({ pattern }) => pattern.test(stderr));
  if (outOfMemory) return outOfMemory.description;
  if (stoppedWith === 'SIGKILL') return 'was still running, ignored SIGTERM, and was killed by the grader (SIGKILL)';
  if (stoppedWith === 'SIGTERM') {
    return signal ? 'was still running and was stopped by the grader (SIGTERM)' : `exited with code ${code} when the grader stopped it`;
  }
  if (signal) return SIGNAL_MEANINGS[signal] ?? `was killed by ${signal}`;
  const uncaught = code === 0 ? undefined : Object.values(LANGUAGES).map((language) => language.uncaughtError(stderr)).find((found) => found !== undefined);
  if (uncaught) return `exited with code ${code} after an uncaught exception (${uncaught.error}${uncaught.where ? `, in ${uncaught.where}` : ''})`;
  return `exited with code ${code}`;
}
