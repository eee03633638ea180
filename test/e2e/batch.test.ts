import { execa } from 'execa';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { BatchResult, SubmissionResult } from '../../harness/report/types.ts';
import { BIN, ROOT, runGrade } from '../helpers/run-grade.ts';

// A class of five: one correct, three realistic bugs (one crashes, one exits at once), one empty folder
// (a missing submission).
const CLASS: Record<string, string> = {
  alice: 'solutions/tcp-hello-server',
  bob: 'fixtures/tcp-hello-server/extra-newline',
  carol: 'fixtures/tcp-hello-server/crashes-on-connect',
  dave: 'fixtures/tcp-hello-server/exits-at-once',
  erin: '',
};
const SEED = '777';
const FIXTURE_WRONG_TEXT = path.join(ROOT, 'fixtures/tcp-hello-server/wrong-text');

let dir: string;
let classDir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'netgrade-batch-'));
  classDir = path.join(dir, 'class');
  for (const [student, source] of Object.entries(CLASS)) {
    await mkdir(path.join(classDir, student), { recursive: true });
    if (source) await cp(path.join(ROOT, source), path.join(classDir, student), { recursive: true });
  }
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

// What must not differ between two runs with the same seed: verdicts and scores (not timings or ports).
function verdicts(results: readonly (SubmissionResult & { student?: string })[]) {
  return results.map((r) => ({ student: r.student, exercise: r.exercise, score: r.score, passed: r.passed, checks: r.checks.map((c) => `${c.id}:${c.status}`) }));
}

async function readBatch(file: string): Promise<BatchResult> {
  return JSON.parse(await readFile(file, 'utf8')) as BatchResult;
}

describe('grading a class with --submissions', () => {
  test("every student gets the verdict they get when graded alone with their own seed, and a row even when their program crashes", async () => {
    const json = path.join(dir, 'class.json');
    const run = await runGrade(['tcp-hello-server', '--submissions', classDir, '--seed', SEED, '--jobs', '2', '--json', json], { json: false });
    expect(run.exitCode).toBe(0);
    const batch = await readBatch(json);
    expect(batch.submissions.map((s) => s.student)).toEqual(['alice', 'bob', 'carol', 'dave', 'erin']);
    const handedIn = Object.keys(CLASS).filter((student) => CLASS[student]);
    // Each student's random data is their own, from the class's seed: nothing to copy from a classmate's report.
    const seeds = batch.submissions.map((s) => s.seed);
    expect(new Set(seeds).size).toBe(seeds.length);
    const seedOf = (student: string) => String(batch.submissions.find((s) => s.student === student)!.seed);
    const alone = await Promise.all(
      handedIn.map(async (student) => ({ student, ...(await runGrade(['tcp-hello-server', path.join(classDir, student), '--seed', seedOf(student)])).report! })),
    );
    expect(verdicts(batch.submissions.filter((s) => handedIn.includes(s.student)))).toEqual(verdicts(alone));
    // The empty folder is a missing submission, with the reason on every check, not a program that failed.
    const erin = batch.submissions.find((s) => s.student === 'erin')!;
    expect(erin).toMatchObject({ missing: 'the folder is empty', score: 0, passed: false });
    expect(new Set(erin.checks.map((c) => c.message))).toEqual(new Set(['Not graded: the folder is empty.']));
    expect(batch.summary).toMatchObject({ submissions: 5, passed: 1, maxScore: 10 });
    expect(batch.summary.histogram.reduce((sum, bin) => sum + bin.count, 0)).toBe(5);
    const greeting = batch.summary.checks.find((c) => c.id === 'greeting')!;
    expect(greeting).toMatchObject({ passed: 1, total: 5 });
    expect(run.stdout).toContain('Class summary');
    expect(run.stdout).toMatch(/\[5\/5\] /);
    expect(run.leftovers).toEqual([]);
  });

  test('shards 1/3, 2/3 and 3/3 merged give what the unsharded run gives', async () => {
    const whole = path.join(dir, 'whole.json');
    const shards = [1, 2, 3].map((i) => path.join(dir, `shard-${i}.json`));
    await runGrade(['tcp-hello-server', '--submissions', classDir, '--seed', SEED, '--json', whole], { json: false });
    const shardRuns = await Promise.all(
      shards.map((file, i) => runGrade(['tcp-hello-server', '--submissions', classDir, '--seed', SEED, '--shard', `${i + 1}/3`, '--json', file], { json: false })),
    );
    for (const run of shardRuns) expect(run.exitCode).toBe(0);
    const sizes = await Promise.all(shards.map(async (file) => (await readBatch(file)).submissions.length));
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(5);
    const merged = path.join(dir, 'merged.json');
    const csv = path.join(dir, 'merged.csv');
    const run = await runGrade(['merge', ...shards, '--json', merged, '--csv', csv], { json: false });
    expect(run.exitCode).toBe(0);
    const [a, b] = [await readBatch(whole), await readBatch(merged)];
    expect(verdicts(b.submissions)).toEqual(verdicts(a.submissions));
    expect({ ...b.summary }).toEqual({ ...a.summary });
    expect(b.shard).toBeUndefined();
    expect((await readFile(csv, 'utf8')).trim().split('\n')).toHaveLength(7); // header, maximum, five students
  });

  test('a missing shard is named and the merge fails instead of shrinking the class', async () => {
    const files = [1, 3].map((i) => path.join(dir, `partial-${i}.json`));
    await Promise.all(files.map((file, i) => runGrade(['tcp-hello-server', '--submissions', classDir, '--seed', SEED, '--shard', `${i === 0 ? 1 : 3}/3`, '--json', file], { json: false })));
    const run = await runGrade(['merge', ...files, '--json', path.join(dir, 'never.json')], { json: false });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain('Missing shard 2/3');
  });

  test('--fail-under makes CI fail when a submission scores under the threshold', async () => {
    const run = await runGrade(['tcp-hello-server', '--submissions', classDir, '--seed', SEED, '--fail-under', '50'], { json: false });
    expect(run.exitCode).toBe(1);
  });

  test('grade all grades every exercise folder a submission holds', async () => {
    const student = path.join(dir, 'frank');
    await cp(path.join(ROOT, 'solutions/tcp-hello-server'), path.join(student, 'tcp-hello-server'), { recursive: true });
    await cp(path.join(ROOT, 'fixtures/http-get-todo/no-status-check'), path.join(student, 'http-get-todo'), { recursive: true });
    const json = path.join(dir, 'frank.json');
    const run = await runGrade(['all', student, '--json', json], { json: false });
    expect(run.exitCode).toBe(0);
    const batch = await readBatch(json);
    expect(batch.exercise).toBe('all');
    expect(batch.submissions.map((s) => [s.student, s.exercise, s.passed])).toEqual([
      ['frank', 'http-get-todo', false],
      ['frank', 'tcp-hello-server', true],
    ]);
    expect(run.stdout).toContain('netgrade · http-get-todo');
  });

  test('--markdown is also appended to the GitHub step summary', async () => {
    const summary = path.join(dir, 'step-summary.md');
    await writeFile(summary, '# earlier step\n');
    const run = await runGrade(['tcp-hello-server', '--submissions', classDir, '--seed', SEED, '--markdown', path.join(dir, 'summary.md')], {
      json: false,
      env: { GITHUB_STEP_SUMMARY: summary },
    });
    expect(run.exitCode).toBe(0);
    const text = await readFile(summary, 'utf8');
    expect(text.startsWith('# earlier step\n')).toBe(true);
    expect(text).toContain('| alice |');
    expect(text).toBe(`# earlier step\n${await readFile(path.join(dir, 'summary.md'), 'utf8')}\n`);
  });

  test('a batch killed mid-way has already written the results of every finished student', async () => {
    const slowClass = path.join(dir, 'slow-class');
    await cp(path.join(ROOT, 'solutions/tcp-hello-server'), path.join(slowClass, 'a-fast'), { recursive: true });
    await cp(path.join(ROOT, 'fixtures/tcp-hello-server/never-listens'), path.join(slowClass, 'b-slow'), { recursive: true });
    const json = path.join(dir, 'killed.json');
    const grading = execa(process.execPath, [BIN, 'tcp-hello-server', '--submissions', slowClass, '--jobs', '1', '--json', json], { reject: false });
    let written: BatchResult | undefined;
    for (let i = 0; i < 100 && !written?.submissions.length; i++) {
      await sleep(100);
      written = await readBatch(json).catch(() => undefined);
    }
    grading.kill('SIGTERM');
    await grading;
    expect(written?.submissions.map((s) => s.student)).toEqual(['a-fast']);
    expect(written?.submissions[0]!.passed).toBe(true);
  });

  test('Gradescope, PrairieLearn and GitHub Classroom reports describe one submission, so a class is a usage error', async () => {
    for (const format of ['gradescope', 'github-classroom']) {
      const run = await runGrade(['tcp-hello-server', '--submissions', classDir, `--${format}`, path.join(dir, 'one.json')], { json: false });
      expect(run.exitCode).toBe(2);
      expect(run.stderr).toContain(`--${format} describes one submission`);
    }
  });

  test("--github-classroom writes the reporter's result, and its base64 as the step output `result` when $GITHUB_OUTPUT is set", async () => {
    const result = path.join(dir, 'classroom.json');
    const outputs = path.join(dir, 'github-output');
    await writeFile(outputs, 'earlier=kept\n');
    const run = await runGrade(['tcp-hello-server', FIXTURE_WRONG_TEXT, '--github-classroom', result], { json: false, env: { GITHUB_OUTPUT: outputs } });
    expect(run.exitCode).toBe(1);
    const written = await readFile(result, 'utf8');
    const parsed = JSON.parse(written) as { status: string; max_score: number; tests: { score: number }[] };
    expect(parsed.status).toBe('fail');
    expect(parsed.tests.reduce((sum, t) => sum + t.score, 0)).toBeLessThan(parsed.max_score);
    const lines = (await readFile(outputs, 'utf8')).trimEnd().split('\n');
    expect(lines[0]).toBe('earlier=kept');
    expect(Buffer.from(lines[1]!.replace(/^result=/, ''), 'base64').toString('utf8')).toBe(written);
  });
});
