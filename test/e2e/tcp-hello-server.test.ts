import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { ROOT, runGrade } from '../helpers/run-grade.ts';

const FIXTURES = path.join(ROOT, 'fixtures/tcp-hello-server');
const SOLUTION = path.join(ROOT, 'solutions/tcp-hello-server');

describe('grading tcp-hello-server through the CLI', () => {
  test('the JSON report counts every launch of the program: one per check that talks to it', async () => {
    const run = await runGrade(['tcp-hello-server', SOLUTION]);
    expect(run.report?.launches).toBe(4);
  });

  test('the verdict on the reference solution does not change over repeated runs', async () => {
    const runs = await Promise.all(Array.from({ length: 6 }, () => runGrade(['tcp-hello-server', SOLUTION])));
    for (const run of runs) expect(run.report?.passed).toBe(true);
  });

  test('a program that never listens fails within the 10 s readiness limit, not the check timeout', async () => {
    const run = await runGrade(['tcp-hello-server', path.join(FIXTURES, 'never-listens')]);
    const listens = run.report!.checks.find((c) => c.id === 'listens')!;
    expect(listens.message).toMatch(/No server was listening on port \d+ after 10 s; the program was still running and had printed 1 line/);
    expect(listens.durationMs).toBeLessThan(15_000);
  });

  test('a failed check shows the conversation on the wire and a byte-level difference', async () => {
    const run = await runGrade(['tcp-hello-server', path.join(FIXTURES, 'extra-newline'), '--seed', '7'], { json: false });
    expect(run.stdout).toContain('actual:   "Hello from server\\n" (18 bytes)');
    expect(run.stdout).toContain('first difference at byte 17: expected end of data, got 0x0a ("\\n")');
    expect(run.stdout).toMatch(/← received "Hello from server\\n" \(18 bytes\)/);
    expect(run.stdout).toContain('seed 7');
  });

  test("a C program's gcc -Wall warnings are shown with its passing compiles check, in the terminal and the JSON report", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'netgrade-warning-'));
    try {
      const source = await readFile(path.join(SOLUTION, 'c', 'server.c'), 'utf8');
      await writeFile(path.join(dir, 'server.c'), source.replace('int main(void) {', 'int main(void) {\n  int unused = 3;'));
      const run = await runGrade(['tcp-hello-server', dir]);
      const compiles = run.report!.checks[0]!;
      expect(compiles.status).toBe('pass');
      expect(compiles.message).toBe('server.c compiled, with 1 warning: worth reading, they often point at a bug.');
      expect(compiles.details.join('\n')).toMatch(/server\.c:\d+:\d+: warning: unused variable .unused. \[-Wunused-variable\]/);
      expect(run.stderr).toContain('warning: unused variable');
      expect(run.report!.passed).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('a wrong port is named in the message', async () => {
    const run = await runGrade(['tcp-hello-server', path.join(FIXTURES, 'hard-coded-port')]);
    expect(run.report!.checks[1]!.message).toMatch(/listens on port 8080, not on port 12345, the port given in the PORT environment variable/);
  });
});

describe('port 12345, which tcp-hello-server names', () => {
  test('taken on a machine without a private network for the submission, is an ERROR naming its holder, not the student\'s failure', async () => {
    // A network of this test's own, so that the squatter disturbs no other grading; the grader
    // runs unconfined in it (--no-sandbox: no network of the submission's own).
    const squatter = "require('net').createServer().listen(12345, () => console.log('held'))";
    const prefix = ['unshare', '--net', 'sh', '-c', `ip link set lo up && { "$0" -e "${squatter}" > "$TMPDIR/held" & } && until [ -s "$TMPDIR/held" ]; do sleep 0.05; done && exec "$@"`, process.execPath];
    const run = await runGrade(['tcp-hello-server', SOLUTION, '--no-sandbox'], { prefix, env: { TMPDIR: '/tmp' } });
    const listens = run.report!.checks.find((check) => check.id === 'listens')!;
    expect(listens.status, listens.message).toBe('error');
    expect(listens.message).toMatch(/port 12345, which this exercise's programs listen on, is taken by process \d+ \(.*node -e .*listen\(12345/);
    expect(listens.message).toContain('a server of yours still running in another terminal?');
  });
});
