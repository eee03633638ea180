import { chmod, chown, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { BatchResult } from '../../harness/report/types.ts';
import { installNetgrade, type Install } from '../helpers/install.ts';
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

describe('without a sandbox, as root', () => {
  test('programs run as nobody, or, when nobody cannot enter TMPDIR, as root with a notice that says why', async () => {
    const dir = await makeSubmission({ 'server.ts': `import net from 'node:net';
console.log('uid', process.getuid());
net.createServer((socket) => socket.end('Hello from server')).listen(Number(process.env.PORT));
` });
    cleanups.push(dir.remove);
    await chmod(dir.dir, 0o755);
    const uidOf = (run: Awaited<ReturnType<typeof runGrade>>) => run.report!.checks.find((c) => c.id === 'listens')!.programs[0]!.stdout.trim();
    const open = await runGrade(['tcp-hello-server', dir.dir, '--no-sandbox']);
    expect(uidOf(open)).toBe('uid 65534');
    const closed = await mkdtemp(path.join(tmpdir(), 'netgrade-closed-'));
    cleanups.push(() => rm(closed, { recursive: true, force: true }));
    const run = await runGrade(['tcp-hello-server', dir.dir, '--no-sandbox'], { env: { TMPDIR: closed } });
    expect(uidOf(run)).toBe('uid 0');
    expect(run.stderr).toContain(`Note: programs will run as root, not nobody: nobody cannot reach the temporary folder ${closed}`);
  });
});

describe('what a program cannot get from the grader', () => {
  async function snooper(code: string) {
    const made = await makeSubmission({
      'server.ts': `import net from 'node:net';
import { execFileSync } from 'node:child_process';
import { readdirSync, readlinkSync, readSync } from 'node:fs';
${code}
net.createServer((socket) => {
  console.log(\`Connection from \${socket.remoteAddress}:\${socket.remotePort} has been established.\`);
  socket.end('Hello from server');
}).listen(Number(process.env.PORT));
`,
    });
    cleanups.push(made.remove);
    return made.dir;
  }

  test('a descriptor the grader inherited (a file, a terminal) does not reach the program', async () => {
    const secret = await makeSubmission({ 'secret.txt': 'netgrade-inherited-secret' });
    cleanups.push(secret.remove);
    const dir = await snooper(`for (const fd of readdirSync('/proc/self/fd')) {
  let target = '';
  try { target = readlinkSync('/proc/self/fd/' + fd); } catch {}
  const buffer = Buffer.alloc(64);
  let read = '';
  try { read = buffer.subarray(0, readSync(Number(fd), buffer, 0, 64, 0)).toString(); } catch {}
  console.log('fd', fd, target, read);
}`);
    const run = await runGrade(['tcp-hello-server', dir], { prefix: ['sh', '-c', 'exec 7< "$0"; exec "$@"', path.join(secret.dir, 'secret.txt')] });
    expect(run.report?.passed).toBe(true);
    const stdout = run.report!.checks.find((c) => c.id === 'listens')!.programs[0]!.stdout;
    expect(stdout).toContain('fd 0');
    expect(stdout).not.toContain('secret');
  });

  test('keys in the grader\'s session keyring are out of reach (each launch gets a keyring of its own)', async () => {
    const dir = await snooper(`for (const key of ['%user:grader-secret', '@s']) {
  try { console.log('keyring', key, execFileSync('keyctl', ['print', key], { stdio: 'pipe' }).toString()); } catch (error) { console.log('keyring', key, 'refused'); }
}`);
    const keyring = ['keyctl', 'session', 'netgrade-test', 'sh', '-c', 'keyctl add user grader-secret netgrade-keyring-secret @s > /dev/null && exec "$@"', 'sh'];
    const run = await runGrade(['tcp-hello-server', dir], { prefix: keyring });
    expect(run.report?.passed).toBe(true);
    const stdout = run.report!.checks.find((c) => c.id === 'listens')!.programs[0]!.stdout;
    expect(stdout).toContain('keyring %user:grader-secret refused');
    expect(stdout).not.toContain('netgrade-keyring-secret');
  });

  test('code that crashes the compiler (nested 3,000,000 deep) is the student\'s failure, not the grader\'s', async () => {
    const made = await makeSubmission({ 'server.ts': `const x = ${'['.repeat(3_000_000)}${']'.repeat(3_000_000)};\n` });
    cleanups.push(made.remove);
    const run = await runGrade(['tcp-hello-server', made.dir]);
    const compiles = run.report!.checks[0]!;
    expect(compiles.status).toBe('fail');
    expect(compiles.message).toMatch(/^The compiler \(esbuild\) stopped without compiling server\.ts: it /);
    expect(run.leftovers).toEqual([]);
  });

  test('a file name that is not UTF-8 (a zip from another system) is copied like any other', async () => {
    const dir = await snooper("console.log('files:', readdirSync('.', { encoding: 'buffer' }).map((name) => name.toString('hex')).join(' '));");
    await writeFile(Buffer.concat([Buffer.from(`${dir}/notes-`), Buffer.from([0xe9]), Buffer.from('.txt')]), 'latin-1 name');
    const run = await runGrade(['tcp-hello-server', dir]);
    expect(run.report?.checks.map((c) => c.status)).toEqual(['pass', 'pass', 'pass', 'pass', 'pass']);
    expect(run.report!.checks.find((c) => c.id === 'listens')!.programs[0]!.stdout).toContain(Buffer.from('notes-\xe9.txt', 'latin1').toString('hex'));
  });
});

describe('as an ordinary user', () => {
  // netgrade as root installed it for everyone (a folder anyone may enter, its files root's), not
  // this checkout, which that user may not be able to enter.
  let install: Install | undefined;
  beforeAll(async () => {
    install = await installNetgrade({ mode: 0o755 });
  }, 60_000);
  afterAll(async () => {
    await install?.remove();
  });

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
    const run = await runGrade(['tcp-hello-server', dir], { uid: ORDINARY_USER, bin: install!.bin });
    expect(run.report?.passed).toBe(true);
    expect(run.stderr).toContain('Note: no private network for your program here');
    const stdout = run.report!.checks.find((c) => c.id === 'listens')!.programs[0]!.stdout;
    expect(stdout).toMatch(new RegExp(`^sees: .*\\bsubmission\\b.* as ${ORDINARY_USER}\\n`));
    expect(stdout).not.toMatch(/\b(work|root|home)\b/);
    expect(run.leftovers).toEqual([]);
  });

  test('a class is refused: without root there is no private network per submission', async () => {
    const run = await runGrade(['tcp-hello-server', '--submissions', path.join(install!.project, 'solutions')], { uid: ORDINARY_USER, bin: install!.bin, json: false });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('Grading a class needs a private network for each submission');
    expect(run.stderr).toContain('sudo');
  });
});
