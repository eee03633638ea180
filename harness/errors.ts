import type { Hint } from './language/language.ts';

// Marks a CheckFailure for `isCheckFailure`: a registered symbol, the same in every copy of
// netgrade, since a course's exercises may import another copy than the grader that runs them.
const CHECK_FAILURE = Symbol.for('netgrade.CheckFailure');

/** A verdict against the student: what went wrong on their side, and how to fix it. */
export class CheckFailure extends Error {
  override readonly name = 'CheckFailure';
  readonly [CHECK_FAILURE] = true;
  /** A short suggestion shown under the message, in the student's terms (and language). */
  readonly hint: Hint | undefined;
  /** Extra lines (expected/actual, a byte diff) shown below the message. */
  readonly details: string[];

  constructor(message: string, options: { hint?: Hint | undefined; details?: string[] } = {}) {
    super(message);
    this.hint = options.hint;
    this.details = options.details ?? [];
  }
}

/** A mistake in how netgrade was called (unknown exercise, bad flag); the CLI exits with code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly code = 'USAGE';
}

/** Whether an error is the student's fault (a failed check) rather than the grader's, whichever copy of netgrade threw it. */
export function isCheckFailure(error: unknown): error is CheckFailure {
  return typeof error === 'object' && error !== null && (error as { [CHECK_FAILURE]?: unknown })[CHECK_FAILURE] === true;
}
