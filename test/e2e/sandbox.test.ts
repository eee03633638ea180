import { chmod, chown, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import type { BatchResult } from '../../harness/report/types.ts';
import { ROOT, runGrade } from '../helpers/run-grade.ts';
import { makeSubmission } from '../helpers/submission.ts';

// Machines without bubblewrap, and graders that are not root, made for real: a private mount
// namespace with /dev/null over bwrap, and `setpriv` to an ordinary uid.
const WITHOUT_BWRAP = { hide: ['/usr/bin/bwrap'] };
const ORDINARY_USER = 65534;
const SOLUTION = path.join(ROOT, 'solutions/tcp-hello-server');
const ATTACKS = path.join(ROOT, 'fixtures/attacks');

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

describe('without bubblewrap', () => {
  test('a class is refused (exit code 2), with how to install it and the flag that grades without it', async () => {
    const run = await runGrade(['tcp-hello-server', '--submissions', ATTACKS], { ...WITHOUT_BWRAP, json: false });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('Grading a class needs a sandbox for student programs, but bwrap is not installed');
    expect(run.stderr).toContain('sudo apt-get install bubblewrap');
    expect(run.stderr).toContain('--no-sandbox');
    expect(run.stdout).toBe('');
  });

  test('--sandbox is refused the same way for one student', async () => {
    const run = await runGrade(['tcp-hello-server', SOLUTION, '--sandbox'], { ...WITHOUT_BWRAP, json: false });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('--sandbox needs a sandbox for student programs, but bwrap is not installed');
  });

  test('one student is graded after a one-line notice that says how to get the sandbox', async () => {
    const run = await runGrade(['tcp-hello-server', SOLUTION], WITHOUT_BWRAP);
    expect(run.report?.passed).toBe(true);
    // (With --json -, the text report follows on stderr.)
    const notes = run.stderr.split('\n').filter((line) => line.startsWith('Note:'));
    expect(notes).toEqual([expect.stringMatching(/^Note: no sandbox for your program here \(bwrap is not installed\); it runs unconfined\. To fix it, install bubblewrap/)]);
    expect(run.leftovers).toEqual([]);
  });

  test('--no-sandbox grades a class, saying once what that means', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'netgrade-no-sandbox-'));
    cleanups.push(() => rm(root, { recursive: true, force: true }));
    const json = path.join(root, 'class.json');
    const run = await runGrade(['tcp-hello-server', '--submissions', path.join(ROOT, 'solutions'), '--no-sandbox', '--json', json], { ...WITHOUT_BWRAP, json: false });
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toContain("Note: --no-sandbox: the class's programs run unconfined, and one submission can change another's verdict.");
    const batch = JSON.parse(await readFile(json, 'utf8')) as BatchResult;
    expect(batch.submissions.find((s) => s.student === 'tcp-hello-server')?.passed).toBe(true);
  });
});

describe('as an ordinary user', () => {
  async function submission(files: Record<string, string>) {
    const made = await makeSubmission(files);
    cleanups.push(made.remove);
    await chmod(made.dir, 0o755);
    await chown(made.dir, ORDINARY_USER, ORDINARY_USER);
    return made.dir;
  }

  test('programs still run in a sandbox, through a user namespace, and the grader says it has no private network', async () => {
    const dir = await submission({
      'server.ts': `import net from 'node:net';
import { readdirSync } from 'node:fs';
console.log('sees:', readdirSync('/').sort().join(' '), 'as', process.getuid());
net.createServer((socket) => {
  console.log(\`Connection from \${socket.remoteAddress}:\${socket.remotePort} has been established.\`);
  socket.end('Hello from server');
}).listen(Number(process.env.PORT));
`,
    });
    const run = await runGrade(['tcp-hello-server', dir], { uid: ORDINARY_USER });
    expect(run.report?.passed).toBe(true);
    expect(run.stderr).toContain('Note: no private network for your program here');
    const stdout = run.report!.checks.find((c) => c.id === 'listens')!.programs[0]!.stdout;
    expect(stdout).toMatch(new RegExp(`^sees: .*\\bsubmission\\b.* as ${ORDINARY_USER}\\n`));
    expect(stdout).not.toMatch(/\b(work|root|home)\b/);
    expect(run.leftovers).toEqual([]);
  });

  test('a class is refused: without root there is no private network per submission', async () => {
    const run = await runGrade(['tcp-hello-server', '--submissions', ATTACKS], { uid: ORDINARY_USER, json: false });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('Grading a class needs a private network for each submission');
    expect(run.stderr).toContain('sudo');
  });
});
