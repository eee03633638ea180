import { CheckFailure } from '../errors.ts';
import type { Hint } from '../language/language.ts';
import { diffBytes } from './bytes.ts';

/** Fails the check with a message for the student (and an optional hint on how to fix it). */
export function fail(message: string, options: { hint?: Hint; details?: string[] } = {}): never {
  throw new CheckFailure(message, options);
}

/**
 * Fails unless `actual` is exactly `expected`, byte for byte, showing where they differ
 * (a trailing newline, a `\r`, a missing byte are all visible).
 */
export function expectBytes(
  actual: Uint8Array,
  expected: Uint8Array | string,
  options: { what: string; hint?: Hint },
): void {
  const details = diffBytes(typeof expected === 'string' ? Buffer.from(expected) : expected, actual);
  if (details.length === 0) return;
  const message = actual.length === 0 ? `${options.what}: nothing was received.` : `${options.what} is not what was expected.`;
  throw new CheckFailure(message, { details, ...(options.hint === undefined ? {} : { hint: options.hint }) });
}
