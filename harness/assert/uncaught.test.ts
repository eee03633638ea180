import { describe, expect, test } from 'vitest';
import { isCheckFailure } from '../errors.ts';
import { classifyErrorOutput, expectNoUncaughtException } from './uncaught.ts';

const traceback = (...last: string[]) => ['Traceback (most recent call last):', '  File "/submission/pinger.py", line 12, in main', '    reply = sock.recv(1024)', '            ^^^^^^^^^^^^^^^', ...last].join('\n');

function failureOf(stderr: string, hint?: string) {
  try {
    expectNoUncaughtException(stderr, 'when the server reset the connection', hint ? { hint } : {});
  } catch (error) {
    if (isCheckFailure(error)) return error;
    throw error;
  }
  throw new Error('it did not fail');
}

describe('an uncaught exception', () => {
  test('is named in the message with where it came from, though a traceback ends past the lines shown', () => {
    const failure = failureOf(traceback('ConnectionResetError: [Errno 104] Connection reset by peer'));
    expect(failure.message).toBe('Your program crashed with an uncaught exception when the server reset the connection: ConnectionResetError: [Errno 104] Connection reset by peer (in pinger.py, line 12).');
    expect(failure.hint).toMatchObject({ python: expect.stringContaining('try/except') });
  });

  test("the exercise's hint, else: one the network raised is told to handle it, a mistake in the code (NameError, TypeError) to fix that line", () => {
    expect(failureOf(traceback('ConnectionRefusedError: [Errno 111] Connection refused'), 'Handle the refusal.').hint).toBe('Handle the refusal.');
    expect(failureOf(traceback("NameError: name 'timeout' is not defined")).hint).toMatch(/^That exception is a mistake in the program itself/);
    expect(failureOf("/submission/client.ts:3\n\nTypeError: x is not a function\n    at main (/submission/client.ts:3:5)\n\nNode.js v20.20.2").hint).toMatch(/a mistake in the program itself/);
    expect(failureOf("node:events:497\n      throw er;\n\nError: connect ECONNREFUSED 127.0.0.1:9\n    at TCPConnectWrap.afterConnect (node:net:1607:16)\n\nNode.js v20.20.2").hint).toMatchObject({ typescript: expect.stringContaining("socket.on('error'") });
  });

  test("a Python thread's exception is one that ended a thread, not the program", () => {
    const failure = failureOf(`Exception in thread Thread-2 (serve):\n${traceback('ConnectionResetError: [Errno 104] Connection reset by peer')}`);
    expect(failure.message).toMatch(/^A thread of your program ended with an uncaught exception when the server reset the connection: ConnectionResetError: .*; the program itself went on\.$/);
  });

  test('a printed stack trace is told apart from a crash, and clean output passes', () => {
    expect(classifyErrorOutput('Error: something\n    at main (/submission/a.ts:3:5)\n')).toBe('stack-trace');
    expect(classifyErrorOutput('Error: connection refused\n')).toBe('clean');
  });
});
