import { describe, expect, test } from 'vitest';
import { CheckFailure } from '../errors.ts';
import { expectBytes, fail } from './expect.ts';

/** Runs `fn` and returns what it threw; fails the test if it did not throw. */
function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw, but it returned');
}

function checkFailureFrom(fn: () => unknown): CheckFailure {
  const error = thrownBy(fn);
  expect(error).toBeInstanceOf(CheckFailure);
  return error as CheckFailure;
}

describe('expectBytes', () => {
  test('it returns quietly when the bytes equal the expected string', () => {
    expect(() => expectBytes(Buffer.from('Hello\r\n'), 'Hello\r\n', { what: 'The greeting' })).not.toThrow();
  });

  test('it returns quietly when the bytes equal expected bytes given as a Uint8Array', () => {
    expect(() => expectBytes(Buffer.from([1, 2, 0xff]), new Uint8Array([1, 2, 0xff]), { what: 'The frame' })).not.toThrow();
  });

  test('it returns quietly when nothing was expected and nothing was received', () => {
    expect(() => expectBytes(new Uint8Array(0), '', { what: 'The reply' })).not.toThrow();
  });

  test('it throws a CheckFailure naming the value and listing the expected and actual bytes when they differ', () => {
    const failure = checkFailureFrom(() => expectBytes(Buffer.from('Hello\n'), 'Hello\r\n', { what: 'The greeting' }));
    expect(failure.name).toBe('CheckFailure');
    expect(failure.message).toBe('The greeting is not what was expected.');
    expect(failure.details).toEqual([
      'expected: "Hello\\r\\n" (7 bytes)',
      'actual:   "Hello\\n" (6 bytes)',
      'first difference at byte 5: expected 0x0d ("\\r"), got 0x0a ("\\n")',
    ]);
  });

  test('it has no hint when none was given', () => {
    const failure = checkFailureFrom(() => expectBytes(Buffer.from('a'), 'b', { what: 'The reply' }));
    expect(failure.hint).toBeUndefined();
  });

  test('it says that nothing was received when the actual bytes are empty', () => {
    const failure = checkFailureFrom(() => expectBytes(new Uint8Array(0), 'pong\n', { what: 'The reply' }));
    expect(failure.message).toBe('The reply: nothing was received.');
    expect(failure.details).toContain('actual:   "" (0 bytes)');
    expect(failure.details).toContain('expected: "pong\\n" (5 bytes)');
  });

  test('it passes the hint through to the CheckFailure', () => {
    const hint = 'End each line with \\r\\n, not just \\n.';
    const failure = checkFailureFrom(() => expectBytes(Buffer.from('x\n'), 'x\r\n', { what: 'The line', hint }));
    expect(failure.hint).toBe(hint);
    expect(failure.details.length).toBeGreaterThan(0);
  });
});

describe('fail', () => {
  test('it throws a CheckFailure with the message, no hint and no details by default', () => {
    const failure = checkFailureFrom(() => fail('The server closed the connection early.'));
    expect(failure.message).toBe('The server closed the connection early.');
    expect(failure.hint).toBeUndefined();
    expect(failure.details).toEqual([]);
  });

  test('it throws a CheckFailure carrying the given hint and details', () => {
    const failure = checkFailureFrom(() =>
      fail('Wrong status line.', { hint: 'Start the reply with "HTTP/1.1".', details: ['expected: "HTTP/1.1"', 'actual:   "HTTP/1.0"'] }),
    );
    expect(failure.message).toBe('Wrong status line.');
    expect(failure.hint).toBe('Start the reply with "HTTP/1.1".');
    expect(failure.details).toEqual(['expected: "HTTP/1.1"', 'actual:   "HTTP/1.0"']);
  });
});
