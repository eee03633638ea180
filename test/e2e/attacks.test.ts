import { createHash } from 'node:crypto';
import { cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pLimit from 'p-limit';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { BatchResult, SubmissionResult } from '../../harness/report/types.ts';
import { ROOT, runGrade } from '../helpers/run-grade.ts';

// A class where attackers sit beside correct and broken classmates. Every student's verdict in the
// batch must equal the verdict they get graded alone, with one or two submissions at once.
const CLASS: Record<string, string> = {
  amy: 'solutions/tcp-hello-server',
  ben: 'fixtures/tcp-hello-server/keeps-serving',
  cat: 'fixtures/tcp-hello-server/async-await',
  dan: 'fixtures/tcp-hello-server/wrong-text',
  eve: 'fixtures/tcp-hello-server/never-listens',
  fay: 'fixtures/tcp-hello-server/crashes-on-connect',
  'x-attacks-classmates': 'fixtures/attacks/attacks-classmates',
  'x-respawns-forever': 'fixtures/attacks/respawns-forever',
  'x-leaves-files-behind': 'fixtures/attacks/leaves-files-behind',
  'x-links-to-classmate': 'fixtures/attacks/links-to-classmate',
  'x-aims-the-build-output': 'fixtures/attacks/aims-the-build-output',
  'x-reads-what-it-should-not': 'fixtures/attacks/reads-what-it-should-not',
};
const HARNESS_FILE = path.join(ROOT, 'harness/index.ts');
const LEFT_BEHIND = 'netgrade-attack-left-behind';

let root: string;
let harnessHash: string;
const alone = new Map<string, string[]>();

const verdicts = (result: SubmissionResult) => result.checks.map((check) => `${check.id}:${check.status}`);
const sha256 = async (file: string) => createHash('sha256').update(await readFile(file)).digest('hex');

beforeAll(async () => {
  harnessHash = await sha256(HARNESS_FILE);
  root = await mkdtemp(path.join(tmpdir(), 'netgrade-class-'));
  for (const [student, source] of Object.entries(CLASS)) {
    await cp(path.join(ROOT, source), path.join(root, 'class', student), { recursive: true, verbatimSymlinks: true });
  }
  const limit = pLimit(3);
  await Promise.all(
    Object.keys(CLASS).map((student) =>
      limit(async () => {
        const run = await runGrade(['tcp-hello-server', path.join(root, 'class', student), '--seed', '1']);
        alone.set(student, verdicts(run.report!));
      }),
    ),
  );
}, 180_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('a class with attackers in it', () => {
  test.each([1, 2])('with --jobs %i, every student gets the verdict they get alone, and nothing is left behind', async (jobs) => {
    const json = path.join(root, `class-${jobs}.json`);
    const run = await runGrade(['tcp-hello-server', '--submissions', path.join(root, 'class'), '--jobs', String(jobs), '--seed', '1', '--json', json], { json: false });
    expect(run.exitCode, run.stderr).toBe(0);
    const batch = JSON.parse(await readFile(json, 'utf8')) as BatchResult;
    expect(Object.fromEntries(batch.submissions.map((s) => [s.student, verdicts(s)]))).toEqual(Object.fromEntries(alone));
    expect(run.leftovers).toEqual([]);
  }, 180_000);

  test('the attackers got the verdicts they deserve: the correct ones pass, the link to a classmate does not', () => {
    expect(alone.get('x-attacks-classmates')!.every((v) => v.endsWith(':pass'))).toBe(true);
    expect(alone.get('x-respawns-forever')!.every((v) => v.endsWith(':pass'))).toBe(true);
    expect(alone.get('x-links-to-classmate')).toEqual(['compiles:fail', 'listens:skip', 'greeting:skip', 'closes:skip', 'logs-connection:skip']);
    expect(alone.get('amy')!.every((v) => v.endsWith(':pass'))).toBe(true);
  });

  test('the harness file a link aimed the build output at is unchanged', async () => {
    expect(await sha256(HARNESS_FILE)).toBe(harnessHash);
  });

  test('no file a program left in a temporary folder is on the machine afterwards', async () => {
    for (const dir of ['/tmp', '/var/tmp', '/dev/shm', root]) expect(await readdir(dir), dir).not.toContain(LEFT_BEHIND);
    expect(await readdir(path.join(root, 'class', 'x-leaves-files-behind'))).not.toContain(LEFT_BEHIND);
  });
});

describe('a class of twelve programs that flood their output with control bytes', () => {
  test('is graded to the end, with every student in every report', async () => {
    const flooding = path.join(ROOT, 'fixtures/attacks/floods-output-with-control-bytes');
    const students = Array.from({ length: 12 }, (_, i) => `s${String(i + 1).padStart(2, '0')}`);
    for (const student of students) await cp(flooding, path.join(root, 'floods', student), { recursive: true });
    const json = path.join(root, 'floods.json');
    const csv = path.join(root, 'floods.csv');
    const run = await runGrade(['tcp-hello-server', '--submissions', path.join(root, 'floods'), '--jobs', '2', '--json', json, '--csv', csv], { json: false });
    expect(run.exitCode, run.stderr).toBe(0);
    const batch = JSON.parse(await readFile(json, 'utf8')) as BatchResult;
    // A student short of 8 is shown with why, so a failure here says what broke.
    const why = batch.submissions.filter((s) => s.score !== 8).map((s) => `${s.student}: ${s.checks.map((c) => `${c.id} ${c.status}: ${c.message}`).join('; ')}`).join('\n');
    expect(batch.submissions.map((s) => [s.student, s.score]), why).toEqual(students.map((student) => [student, 8]));
    const rows = (await readFile(csv, 'utf8')).trim().split('\n');
    for (const student of students) expect(rows.some((row) => row.startsWith(`${student},`))).toBe(true);
  }, 180_000);
});
