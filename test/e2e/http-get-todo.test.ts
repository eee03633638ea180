import net from 'node:net';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { ROOT, runGrade } from '../helpers/run-grade.ts';

const FIXTURES = path.join(ROOT, 'fixtures/http-get-todo');

describe('grading http-get-todo through the CLI', () => {
  test('a request to another host is blocked inside the program and named in the report', async () => {
    const run = await runGrade(['http-get-todo', path.join(FIXTURES, 'reaches-other-host')]);
    const check = run.report!.checks.find((c) => c.id === 'one-request')!;
    expect(check.message).toContain('made 2 requests');
    expect(check.transcript).toContain(
      '  GET https://www.google.com/generate_204 → blocked: not an endpoint of this exercise (no real network is used)',
    );
    // Blocked means the program saw a failed request: it went on to print the todo it was served.
    expect(run.report!.checks.find((c) => c.id === 'prints-todo')!.status).toBe('pass');
  });

  test('plain http is named as the difference', async () => {
    const run = await runGrade(['http-get-todo', path.join(FIXTURES, 'plain-http')]);
    expect(run.report!.checks.find((c) => c.id === 'one-request')!.message).toContain('used http://, not https://');
  });

  test('a wrong path is named as the difference', async () => {
    const run = await runGrade(['http-get-todo', path.join(FIXTURES, 'wrong-path')]);
    expect(run.report!.checks.find((c) => c.id === 'one-request')!.message).toContain('asked for /todos/2, not /todos/1');
  });

  test('printing the object with console.log is told to print JSON.stringify', async () => {
    const run = await runGrade(['http-get-todo', path.join(FIXTURES, 'console-log-object')]);
    const check = run.report!.checks.find((c) => c.id === 'prints-todo')!;
    expect(check.message).toContain('printed a JavaScript object');
    expect(check.hint).toContain('JSON.stringify');
  });

  test('the requests a program made are recorded even when it ends with an uncaught exception', async () => {
    const run = await runGrade(['http-get-todo', path.join(FIXTURES, 'no-try-catch')]);
    const check = run.report!.checks.find((c) => c.id === 'failures/network-error')!;
    expect(check.message).toContain('uncaught exception');
    expect(check.transcript).toContain("  GET https://jsonplaceholder.typicode.com/todos/1 → answered by the grader's mock (network error ECONNRESET)");
  });
});

describe('the test suite itself', () => {
  test('cannot open a connection to a host outside the machine', () => {
    expect(() => net.connect({ host: '93.184.216.34', port: 80 })).toThrow('tests may only use loopback addresses');
  });
});
