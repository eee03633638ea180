import { createHash } from 'node:crypto';
import { cp, mkdir, mkdtemp, readdir, readFile, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pLimit from 'p-limit';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { BatchResult, SubmissionResult } from '../../harness/report/types.ts';
import { ROOT, runGrade } from '../helpers/run-grade.ts';

// A class where attackers sit beside correct and broken classmates. Every student's verdict in the
// batch must equal the verdict they get graded alone, with one or two submissions at once. Some
// attack with their folder's name alone: a formula for a spreadsheet, the CSV's maxima row, a
// look-alike of a classmate, a name that is not UTF-8 (made below, as bytes).
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
  'x-carries-data-between-checks': 'fixtures/attacks/carries-data-between-checks',
  'x-makes-a-user-namespace': 'fixtures/attacks/makes-a-user-namespace',
  'x-hogs-the-cpu': 'fixtures/attacks/hogs-the-cpu',
  "mallory;=1+1;@SUM(1+1)*cmd|' -C calc'!A0": 'solutions/tcp-hello-server',
  '(max points)': 'fixtures/tcp-hello-server/wrong-text',
  'amy\u200b': 'fixtures/tcp-hello-server/never-listens',
};
// A Latin-1 name, as an archive made on another system gives: its id in the reports is escaped.
const NOT_UTF8 = { id: 'l\\xe9a', name: Buffer.from('l\xe9a', 'latin1'), source: 'solutions/tcp-hello-server' };
const HARNESS_FILE = path.join(ROOT, 'harness/index.ts');
const LEFT_BEHIND = 'netgrade-attack-left-behind';

let root: string;
let harnessHash: string;
const alone = new Map<string, string[]>();
let keyUsersBefore: Set<string>;

const verdicts = (result: SubmissionResult) => result.checks.map((check) => `${check.id}:${check.status}`);
const sha256 = async (file: string) => createHash('sha256').update(await readFile(file)).digest('hex');
// The uids the kernel holds keys for, among those netgrade gives submissions.
const privateKeyUsers = async () => new Set((await readFile('/proc/key-users', 'utf8')).split('\n').map((line) => line.split(':')[0]!.trim()).filter((uid) => Number(uid) >= FIRST_PRIVATE_UID));
const FIRST_PRIVATE_UID = 1_500_000_000;

beforeAll(async () => {
  harnessHash = await sha256(HARNESS_FILE);
  root = await mkdtemp(path.join(tmpdir(), 'netgrade-class-'));
  keyUsersBefore = await privateKeyUsers();
  for (const [student, source] of Object.entries(CLASS)) {
    await cp(path.join(ROOT, source), path.join(root, 'class', student), { recursive: true, verbatimSymlinks: true });
  }
  // Copied under a name Node can give, then renamed to the bytes.
  await cp(path.join(ROOT, NOT_UTF8.source), path.join(root, 'staging'), { recursive: true });
  await rename(path.join(root, 'staging'), Buffer.concat([Buffer.from(`${path.join(root, 'class')}/`), NOT_UTF8.name]));
  // Alone, each from a folder of its own (a name that is not UTF-8 cannot be given on a command line from here).
  const aloneDirs = { ...Object.fromEntries(Object.keys(CLASS).map((student) => [student, path.join(root, 'class', student)])), [NOT_UTF8.id]: path.join(ROOT, NOT_UTF8.source) };
  const limit = pLimit(3);
  await Promise.all(
    Object.entries(aloneDirs).map(([student, dir]) =>
      limit(async () => {
        const run = await runGrade(['tcp-hello-server', dir, '--seed', '1']);
        alone.set(student, verdicts(run.report!));
      }),
    ),
  );
}, 240_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('a class with attackers in it', () => {
  test.each([1, 2])('with --jobs %i, every student gets the verdict they get alone, and nothing is left behind', async (jobs) => {
    const json = path.join(root, `class-${jobs}.json`);
    const csv = path.join(root, `class-${jobs}.csv`);
    const run = await runGrade(['tcp-hello-server', '--submissions', path.join(root, 'class'), '--jobs', String(jobs), '--seed', '1', '--json', json, '--csv', csv], { json: false });
    expect(run.exitCode, run.stderr).toBe(0);
    const batch = JSON.parse(await readFile(json, 'utf8')) as BatchResult;
    expect(Object.fromEntries(batch.submissions.map((s) => [s.student, verdicts(s)]))).toEqual(Object.fromEntries(alone));
    expect(run.leftovers).toEqual([]);
    // Nothing of any submission is left in the kernel's key tables.
    expect([...(await privateKeyUsers())].filter((uid) => !keyUsersBefore.has(uid))).toEqual([]);

    // The gradebook: no cell a spreadsheet splits off (at , ; or a tab) starts a formula, one maxima row.
    const rows = (await readFile(csv, 'utf8')).trim().split('\r\n');
    const cells = rows.flatMap((row) => row.split(/[,;\t]/)).map((cell) => cell.replace(/^"/, '').trimStart());
    expect(cells.filter((cell) => /^[=+\-@]/.test(cell))).toEqual([]);
    expect(rows.filter((row) => row.split(',')[0] === '(max points)')).toHaveLength(1);
    // The look-alike is a row of its own, its invisible character shown; the instructor was warned.
    expect(rows.map((row) => row.split(',')[0])).toEqual(expect.arrayContaining(['amy', 'amy\\u200b', 'l\\xe9a']));
    expect(run.stderr).toContain('Warning: 2 student folders read as "amy": amy, amy\\u200b');
  }, 240_000);

  test('the attackers got the verdicts they deserve: the correct ones pass, the link to a classmate does not', () => {
    for (const correct of ['x-attacks-classmates', 'x-respawns-forever', 'x-carries-data-between-checks', 'x-makes-a-user-namespace', 'x-hogs-the-cpu', NOT_UTF8.id]) {
      expect(alone.get(correct)!.every((v) => v.endsWith(':pass')), correct).toBe(true);
    }
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

describe('a class graded with grade all, where one student hands in an empty folder for every exercise', () => {
  test('changes no classmate\'s rows: the exercises are the instructor\'s, not the union of what students handed in', async () => {
    const graded = async (name: string, withAttacker: boolean) => {
      const dir = path.join(root, name);
      await cp(path.join(ROOT, 'solutions/tcp-hello-server'), path.join(dir, 'amy', 'tcp-hello-server'), { recursive: true });
      await cp(path.join(ROOT, 'fixtures/tcp-hello-server/wrong-text'), path.join(dir, 'ben', 'tcp-hello-server'), { recursive: true });
      if (withAttacker) {
        await cp(path.join(ROOT, 'solutions/tcp-hello-server'), path.join(dir, 'x-every-exercise', 'tcp-hello-server'), { recursive: true });
        for (const exercise of await readdir(path.join(ROOT, 'exercises'))) await mkdir(path.join(dir, 'x-every-exercise', exercise), { recursive: true });
      }
      const json = path.join(root, `${name}.json`);
      const run = await runGrade(['all', '--submissions', dir, '--exercises', 'tcp-hello-server,upper-server', '--jobs', '2', '--seed', '1', '--json', json], { json: false });
      expect(run.exitCode, run.stderr).toBe(0);
      const batch = JSON.parse(await readFile(json, 'utf8')) as BatchResult;
      return batch.submissions.filter((s) => s.student !== 'x-every-exercise').map((s) => ({ student: s.student, exercise: s.exercise, verdicts: verdicts(s), missing: s.missing, maxScore: s.maxScore }));
    };
    const without = await graded('all-without', false);
    expect(without.map((row) => `${row.student} ${row.exercise}`)).toEqual(['amy tcp-hello-server', 'amy upper-server', 'ben tcp-hello-server', 'ben upper-server']);
    expect(await graded('all-with', true)).toEqual(without);
  }, 120_000);
});
