import { CheckFailure } from '../errors.ts';
import type { Hint } from '../language/language.ts';
import { LANGUAGES } from '../language/languages.ts';

const SHOWN_LINES = 8;
// An exception the network raised (a refused or reset connection, a time-out, a name not found),
// in Python's and Node's words: what the default hint is about. Any other is a bug in the code.
const FROM_THE_NETWORK = /OSError|ConnectionError|Connection\w*Error|BrokenPipeError|TimeoutError|socket\.timeout|gaierror|E(CONN\w+|PIPE|TIMEDOUT|HOSTUNREACH|NETUNREACH|NOTFOUND|AI_AGAIN)|socket hang up/;

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
    // The exception itself, and where: a traceback ends with it, past the lines shown.
    const found = Object.values(LANGUAGES).map((language) => language.uncaughtError(stderr)).find((error) => error !== undefined);
    const which = found ? `: ${found.error}${found.where ? ` (in ${found.where})` : ''}` : '';
    const fromCode = found !== undefined && !FROM_THE_NETWORK.test(found.error);
    const who = found?.inThread ? 'A thread of your program ended with an uncaught exception' : 'Your program crashed with an uncaught exception';
    throw new CheckFailure(`${who} ${situation}${which}${found?.inThread ? '; the program itself went on' : ''}.`, {
      details: firstLines,
      hint:
        options.hint ??
        (fromCode
          ? 'That exception is a mistake in the program itself, not something the network did: fix the line it names.'
          : {
              typescript: "Handle the error where it can happen: socket.on('error', ...), request.on('error', ...), or try/catch around await.",
              python: 'Handle the error where it can happen: try/except around the socket call (ConnectionError, OSError), and print a one-line message.',
              c: 'Check what each call returns: on -1, print a one-line message (perror) and return 1.',
            }),
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
