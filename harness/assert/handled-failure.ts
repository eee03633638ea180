import { CheckFailure, isCheckFailure } from '../errors.ts';
import { fail } from './expect.ts';
import { expectNoUncaughtException } from './uncaught.ts';
import type { Hint } from '../language/language.ts';
import type { Program } from '../process/program.ts';
import type { ProgramExit } from '../process/exit.ts';

/**
 * After a failure the program had to handle, it must end by itself within `timeoutMs` (5 s) with a
 * non-zero exit code, an error message on stderr, and no uncaught exception or stack trace.
 * `event` is a clause that completes "when …" and "after …" in the messages: "its connection was
 * refused", "the server reset the connection". `hint` says how to handle this failure in the
 * student's words, and is given with whatever part of it went wrong (the defaults are about
 * socket errors; an HTTP client's, or a clean close that is no error at all, need their own).
 * Returns how it ended, for checks of what it printed.
 */
export async function expectHandledFailure(program: Program, event: string, options: { timeoutMs?: number; hint?: Hint } = {}): Promise<ProgramExit> {
  const exit = await program.waitForExit({ after: event, timeoutMs: options.timeoutMs ?? 5000 }).catch((error: unknown) => {
    // Still running: the program never noticed, which the hint is about as much as the rest.
    if (!options.hint || !isCheckFailure(error) || error.hint !== undefined) throw error;
    throw new CheckFailure(error.message, { details: error.details, hint: options.hint });
  });
  expectNoUncaughtException(program.stderr.text, `when ${event}`, {
    hint: options.hint ?? {
      typescript: "Handle the error with socket.on('error', ...) (or try/catch around await): print a one-line message with console.error, and set process.exitCode = 1.",
      python: 'Handle the error with try/except (ConnectionError, OSError): print a one-line message to sys.stderr, and exit with sys.exit(1).',
      c: 'Check what each call returns: on -1, print a one-line message (perror("connect")) and return 1 from main.',
    },
  });
  if (exit.signal === null && exit.code === 0) {
    fail(`Your program exited with code 0 when ${event}; it should report the failure with a non-zero exit code.`, {
      hint: options.hint ?? { typescript: 'Set process.exitCode = 1 (or call process.exit(1)) in your error handler.', python: 'Call sys.exit(1) in your except block.', c: 'Return 1 from main (or call exit(1)) when a call fails.' },
    });
  }
  if (program.stderr.text.trim() === '') {
    fail(`Your program printed nothing on stderr when ${event}.`, { hint: options.hint ?? { typescript: 'Print a one-line error with console.error(...).', python: 'Print a one-line error with print(..., file=sys.stderr).', c: 'Print a one-line error with perror(...) or fprintf(stderr, ...).' } });
  }
  return exit;
}
