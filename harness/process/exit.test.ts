import { describe, expect, test } from 'vitest';
import { describeExit } from './exit.ts';

const NODE_OOM_STDERR = [
  '<--- Last few GCs --->',
  '',
  'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory',
  ' 1: 0xb090e0 node::Abort() [node]',
].join('\n');

describe('describeExit', () => {
  test('it returns the code, signal and grader signal it was given along with the description', () => {
    expect(describeExit(3, null, null, '')).toEqual({ code: 3, signal: null, stoppedWith: null, description: 'exited with code 3' });
  });

  test('it describes a normal exit with code 0', () => {
    expect(describeExit(0, null, null, '').description).toBe('exited with code 0');
  });

  test('it describes a non-zero exit code', () => {
    expect(describeExit(1, null, null, 'Error: listen EADDRINUSE').description).toBe('exited with code 1');
  });

  test('it names the uncaught exception a program died of, and where in the student\'s files, in each language', () => {
    const python = [
      'Traceback (most recent call last):',
      '  File "/submission/server.py", line 17, in <module>',
      '    main()',
      '  File "/submission/server.py", line 10, in main',
      '    client_socket, address = server_socket.accept()',
      '  File "/usr/lib/python3.11/socket.py", line 294, in accept',
      '    fd, addr = self._accept()',
      'OSError: [Errno 22] Invalid argument',
    ].join('\n');
    expect(describeExit(1, null, null, python).description).toBe('exited with code 1 after an uncaught exception (OSError: [Errno 22] Invalid argument, in server.py, line 10)');
    const node = [
      '/submission/server.ts:2',
      'const s = net.createServer((c) => { x.foo(); });',
      '',
      "TypeError: Cannot read properties of undefined (reading 'foo')",
      '    at Server.<anonymous> (/submission/server.ts:2:60)',
      '    at Server.emit (node:events:524:28)',
      '',
      'Node.js v20.20.2',
    ].join('\n');
    expect(describeExit(1, null, null, node).description).toBe("exited with code 1 after an uncaught exception (TypeError: Cannot read properties of undefined (reading 'foo'), in server.ts:2)");
    // A traceback printed by a program that then exited by itself with 0 is not how it ended.
    expect(describeExit(0, null, null, python).description).toBe('exited with code 0');
  });

  test('it names a segmentation fault when the program died of SIGSEGV', () => {
    expect(describeExit(null, 'SIGSEGV', null, '').description).toBe('crashed with a segmentation fault (SIGSEGV)');
  });

  test('it names a signal it has no explanation for', () => {
    expect(describeExit(null, 'SIGUSR2', null, '').description).toBe('was killed by SIGUSR2');
  });

  test('it says a SIGKILL the grader did not send may have come from using too much memory', () => {
    expect(describeExit(null, 'SIGKILL', null, '').description).toContain('too much memory');
  });

  test('it says a SIGTERM the grader did not send came from someone else', () => {
    expect(describeExit(null, 'SIGTERM', null, '').description).toBe('was terminated by someone else (SIGTERM)');
  });

  test('it detects running out of JavaScript heap from the stderr text, whatever the exit status', () => {
    expect(describeExit(null, 'SIGABRT', null, NODE_OOM_STDERR).description).toBe('ran out of memory (JavaScript heap out of memory)');
    expect(describeExit(134, null, null, NODE_OOM_STDERR).description).toBe('ran out of memory (JavaScript heap out of memory)');
  });

  test('it detects a worker running out of memory from the stderr text', () => {
    const stderr = 'Error [ERR_WORKER_OUT_OF_MEMORY]: Worker terminated due to reaching memory limit';
    expect(describeExit(1, null, null, stderr).description).toContain('ran out of memory');
  });

  test('it detects a Buffer refused by the per-process memory limit from the uncaught RangeError', () => {
    const stderr = 'RangeError: Array buffer allocation failed\n    at Function.alloc (node:buffer:394:17)';
    expect(describeExit(1, null, null, stderr).description).toBe('ran out of memory (a Buffer could not be allocated: "Array buffer allocation failed")');
  });

  test('it names the file size limit when a program is killed by SIGXFSZ', () => {
    expect(describeExit(null, 'SIGXFSZ', null, '').description).toContain('writing a file larger than the grader allows');
  });

  test('it does not mention memory when stderr has no out-of-memory message', () => {
    expect(describeExit(null, 'SIGABRT', null, 'Assertion failed: something').description).toBe('aborted (SIGABRT)');
  });

  test('it says the grader stopped a program that died of the grader SIGTERM', () => {
    expect(describeExit(null, 'SIGTERM', 'SIGTERM', '').description).toBe('was still running and was stopped by the grader (SIGTERM)');
  });

  test('it gives the exit code of a program that handled the grader SIGTERM and exited', () => {
    expect(describeExit(0, null, 'SIGTERM', '').description).toBe('exited with code 0 when the grader stopped it');
  });

  test('it says the program ignored SIGTERM when the grader had to send SIGKILL', () => {
    expect(describeExit(null, 'SIGKILL', 'SIGKILL', '').description).toBe(
      'was still running, ignored SIGTERM, and was killed by the grader (SIGKILL)',
    );
  });
});
