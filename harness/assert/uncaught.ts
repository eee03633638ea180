import { CheckFailure } from '../errors.ts';
import type { Hint } from '../language/language.ts';
import { LANGUAGES } from '../language/languages.ts';

const SHOWN_LINES = 8;

/** How a program's error output reads: its runtime's uncaught-exception report (Node's, a Python traceback), a printed stack trace, or neither. */
export function classifyErrorOutput(stderr: string): 'uncaught' | 'stack-trace' | 'clean' {
  const languages = Object.values(LANGUAGES);
  if (languages.some((language) => language.uncaught.some((pattern) => pattern.test(stderr)))) return 'uncaught';
  return languages.some((language) => language.stackFrame.test(stderr)) ? 'stack-trace' : 'clean';
}

/**
 * Fails when the program died of an uncaught exception or (unless allowed) printed a stack trace,
 * showing the student the first lines of it. `situation` says when, e.g. "when nothing listens on
 * PORT"; `hint` says what the exercise asks a program to do then (the default only says to handle it).
 */
export function expectNoUncaughtException(stderr: string, situation: string, options: { allowStackTrace?: boolean; hint?: Hint } = {}): void {
  const kind = classifyErrorOutput(stderr);
  if (kind === 'clean' || (kind === 'stack-trace' && options.allowStackTrace)) return;
  const firstLines = stderr.split('\n').filter((line) => line.trim() !== '').slice(0, SHOWN_LINES);
  if (kind === 'uncaught') {
    throw new CheckFailure(`Your program crashed with an uncaught exception ${situation}.`, {
      details: firstLines,
      hint: options.hint ?? {
        typescript: "Handle the error where it can happen: socket.on('error', ...), request.on('error', ...), or try/catch around await.",
        python: 'Handle the error where it can happen: try/except around the socket call (ConnectionError, OSError), and print a one-line message.',
      },
    });
  }
  throw new CheckFailure(`Your program printed a stack trace ${situation}, not a one-line error message.`, {
    details: firstLines,
    hint: {
      typescript: 'Print only the message, e.g. console.error(`Error: ${err.message}`), not the error object.',
      python: "Print only the message, e.g. print(f'Error: {error}', file=sys.stderr), not the traceback.",
    },
  });
}
