import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { chmod, cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { listDescendants } from '../../harness/process/proc.ts';
import { BIN, findProcesses, ROOT, runGrade } from '../helpers/run-grade.ts';

const SOLUTION = path.join(ROOT, 'solutions/tcp-hello-server');

describe('the grade command line', () => {
  test('an unknown exercise is a usage error that lists the known ones', async () => {
    const run = await runGrade(['tcp-hello-sever', SOLUTION], { json: false });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/Unknown exercise "tcp-hello-sever"\. Known exercises: .*tcp-hello-server/);
  });

  test('no exercise named: in a folder named after one, that one is graded, and the student is told; elsewhere a usage error', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'netgrade-named-'));
    try {
      const folder = path.join(dir, 'tcp-hello-server');
      await cp(SOLUTION, folder, { recursive: true });
      const run = await runGrade([], { cwd: folder });
      expect(run.exitCode, run.stderr).toBe(0);
      expect(run.report?.exercise).toBe('tcp-hello-server');
      expect(run.stderr).toContain('Grading tcp-hello-server, the name of this folder');
      const elsewhere = await runGrade([], { cwd: dir, json: false });
      expect(elsewhere.exitCode).toBe(2);
      expect(elsewhere.stderr).toContain('Name the exercise to grade');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('an unknown flag is a usage error', async () => {
    const run = await runGrade(['tcp-hello-server', SOLUTION, '--sead', '3'], { json: false });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/Unknown argument: sead/);
  });

  test('a folder that does not exist is a usage error naming the fix', async () => {
    const run = await runGrade(['tcp-hello-server', '/no/such/folder'], { json: false });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('"/no/such/folder" is not a folder. Pass the folder that contains your server.ts');
  });

  test('a negative time limit is a usage error naming the flag and the value', async () => {
    const run = await runGrade(['tcp-hello-server', SOLUTION, '--timeout-factor', '-1'], { json: false });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('--timeout-factor got -1');
  });

  test('list shows every exercise with its title and entry file', async () => {
    const run = await runGrade(['list'], { json: false });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/^tcp-hello-server\s+Basic TCP server.*\(write server\.ts, server\.py or server\.c\) · built-in$/m);
  });

  test('--help shows usage and examples and exits with 0', async () => {
    const run = await runGrade(['--help'], { json: false });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('grade <exercise> [dir]');
    expect(run.stdout).toContain('Examples:');
    expect(run.stdout).toContain('--timeout-factor');
  });

  test('--json writes the report to a file with the documented fields, and --seed is kept', async () => {
    const file = path.join(tmpdir(), `netgrade-report-${process.pid}.json`);
    try {
      const run = await runGrade(['tcp-hello-server', SOLUTION, '--seed', '12345', '--json', file], { json: false });
      expect(run.exitCode).toBe(0);
      expect(run.stdout).toContain('PASSED');
      const report = JSON.parse(await readFile(file, 'utf8'));
      expect(Object.keys(report)).toEqual(
        expect.arrayContaining(['exercise', 'submission', 'passed', 'score', 'maxScore', 'seed', 'durationMs', 'launches', 'checks']),
      );
      expect(report).toMatchObject({ exercise: 'tcp-hello-server', passed: true, seed: 12345, submission: SOLUTION });
      expect(Object.keys(report.checks[0])).toEqual(
        expect.arrayContaining(['id', 'title', 'status', 'points', 'maxPoints', 'message', 'durationMs']),
      );
    } finally {
      await rm(file, { force: true });
    }
  });

  test('a submission without the entry file fails with exit code 1 and says what is missing', async () => {
    const run = await runGrade(['tcp-hello-server', path.join(ROOT, 'fixtures/tcp-hello-server/missing-file')]);
    expect(run.exitCode).toBe(1);
    expect(run.report!.checks[0]!.message).toContain('server.ts, server.py or server.c was not found');
    expect(run.stderr).toContain('Hint: Found Server.ts');
  });
});

// The netgrade cgroups of a grader's descendants (its worker's program), as folders of /sys/fs/cgroup.
async function submissionCgroups(grader: number): Promise<string[]> {
  const folders = new Set<string>();
  for (const pid of listDescendants(grader)) {
    for (const line of (await readFile(`/proc/${pid}/cgroup`, 'utf8').catch(() => '')).split('\n')) {
      const [, controllers = '', where = ''] = line.split(':');
      if (!where.includes('/netgrade-')) continue;
      folders.add(controllers === '' ? path.join('/sys/fs/cgroup', where) : path.join('/sys/fs/cgroup', controllers.split(',')[0]!, where));
    }
  }
  return [...folders];
}

describe('an interrupted grader', () => {
  test('Ctrl+C stops the program and deletes the private copy and the submission\'s cgroups', async () => {
    const tmp = await mkdtemp(path.join(tmpdir(), 'netgrade-interrupt-'));
    await chmod(tmp, 0o755);
    try {
      const grading = execa(process.execPath, [BIN, 'tcp-hello-server', path.join(ROOT, 'fixtures/tcp-hello-server/never-listens')], {
        env: { TMPDIR: tmp },
        reject: false,
      });
      // Wait until the program runs in the cgroups a root grader makes for each submission (on a
      // busy machine the worker's start takes a while), then interrupt.
      let cgroups: string[] = [];
      for (let i = 0; i < 200 && cgroups.length === 0; i++) {
        await sleep(50);
        cgroups = await submissionCgroups(grading.pid!);
      }
      expect(cgroups.length).toBeGreaterThan(0);
      grading.kill('SIGINT');
      const result = await grading;
      expect(result.exitCode).toBe(130);
      // A grading worker (in a network namespace) cleans up after itself once told to stop.
      const copies = async () => (await readdir(tmp)).filter((name) => name.startsWith('netgrade-'));
      const left = async () => [...(await copies()), ...cgroups.filter((dir) => existsSync(dir))];
      for (let i = 0; i < 100 && (await left()).length > 0; i++) await sleep(50);
      expect(await left()).toEqual([]);
      expect(await findProcesses(tmp)).toEqual([]);
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  });
});
