import { CheckFailure } from '../errors.ts';

// What Node prints when a program dies of an exception nobody caught: the banner lines, and the
// `Node.js vX.Y.Z` footer it adds to every fatal exception report.
const NODE_UNCAUGHT = [/^node:internal\//m, /triggerUncaughtException/, /Unhandled 'error' event/, /^Node\.js v\d+\.\d+\.\d+$/m, /\[UnhandledPromiseRejection/];
const STACK_FRAME = /^\s+at \S.*(:\d+:\d+|\(native\)|\(<anonymous>\))/m;
const SHOWN_LINES = 8;

/** How a program's error output reads: Node's uncaught-exception report, a printed stack trace, or neither. */
export function classifyErrorOutput(stderr: string): 'uncaught' | 'stack-trace' | 'clean' {
  if (NODE_UNCAUGHT.some((pattern) => pattern.test(stderr))) return 'uncaught';
  return STACK_FRAME.test(stderr) ? 'stack-trace' : 'clean';
}

/**
 * Fails when the program died of an uncaught exception or (unless allowed) printed a stack trace,
 * showing the student the first lines of it. `situation` says when, e.g. "when nothing listens on
 * PORT"; `hint` says what the exercise asks a program to do then (the default only says to handle it).
 */
export function expectNoUncaughtException(stderr: string, situation: string, options: { allowStackTrace?: boolean; hint?: string } = {}): void {
  const kind = classifyErrorOutput(stderr);
  if (kind === 'clean' || (kind === 'stack-trace' && options.allowStackTrace)) return;
  const firstLines = stderr.split('\n').filter((line) => line.trim() !== '').slice(0, SHOWN_LINES);
  if (kind === 'uncaught') {
    throw new CheckFailure(`Your program crashed with an uncaught exception ${situation}.`, {
      details: firstLines,
      hint: options.hint ?? "Handle the error where it can happen: socket.on('error', ...), request.on('error', ...), or try/catch around await.",
    });
  }
  throw new CheckFailure(`Your program printed a stack trace ${situation}, not a one-line error message.`, {
    details: firstLines,
    hint: 'Print only the message, e.g. console.error(`Error: ${err.message}`), not the error object.',
  });
}
