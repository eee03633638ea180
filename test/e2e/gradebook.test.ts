import { execa } from 'execa';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { BatchResult } from '../../harness/report/types.ts';
import { BIN, ROOT, runGrade } from '../helpers/run-grade.ts';

// A class handing in two exercises as <student>/<exercise>/, with the odd cases an instructor meets.
let dir: string;
let classDir: string;
const SERVER = path.join(ROOT, 'solutions/tcp-hello-server');
const CLIENT = path.join(ROOT, 'solutions/tcp-hello-client');

async function student(name: string, folders: Record<string, string | null>): Promise<void> {
  await mkdir(path.join(classDir, name), { recursive: true });
  for (const [folder, source] of Object.entries(folders)) {
    if (source) await cp(source, path.join(classDir, name, folder), { recursive: true });
    else await writeFile(path.join(classDir, name, folder), 'not in an exercise folder\n');
  }
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'netgrade-gradebook-'));
  classDir = path.join(dir, 'class');
  await student('amy', { 'tcp-hello-server': SERVER, 'tcp-hello-client': CLIENT });
  await student('Ben', { 'TCP-Hello-Server': SERVER, 'tcp-hello-client': CLIENT });
  await student('cal', {});
  await student('dan', { 'server.ts': null });
  await student('s10', { 'tcp-hello-server': SERVER });
  await student('s2', { 'tcp-hello-server': SERVER, 'tcp-hello-client': CLIENT });
}, 30_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('a gradebook for grade all --submissions', () => {
  test('every student is a row in every report, a missing exercise is 0 points with the reason, and the run warns', async () => {
    const out = (name: string) => path.join(dir, name);
    const run = await runGrade(
      ['all', '--submissions', classDir, '--exercises', 'tcp-hello-server,tcp-hello-client', '--jobs', '2', '--json', out('class.json'), '--csv', out('class.csv'), '--markdown', out('class.md'), '--junit', out('class.xml')],
      { json: false },
    );
    expect(run.exitCode, run.stderr).toBe(0);
    const order = ['amy', 'Ben', 'cal', 'dan', 's2', 's10'];
    const batch = JSON.parse(await readFile(out('class.json'), 'utf8')) as BatchResult;
    expect([...new Set(batch.submissions.map((s) => s.student))]).toEqual(order);
    expect(batch.submissions).toHaveLength(order.length * 2);
    const reason = (name: string, exercise: string) => batch.submissions.find((s) => s.student === name && s.exercise === exercise)!.checks[0]!.message;
    expect(reason('Ben', 'tcp-hello-server')).toBe('Not graded: did you mean tcp-hello-server/? Found TCP-Hello-Server/, and exercise folders are named exactly by id.');
    expect(reason('cal', 'tcp-hello-client')).toBe('Not graded: no exercise folders found in cal/.');
    expect(reason('dan', 'tcp-hello-server')).toBe("Not graded: no exercise folders found in dan/, but server.ts is at its top: each exercise's files go in a folder named by its id (dan/tcp-hello-server/server.ts).");
    expect(reason('s10', 'tcp-hello-client')).toBe('Not graded: missing (no tcp-hello-client/ folder).');
    for (const name of ['Ben', 'cal', 'dan', 's10']) expect(run.stderr).toMatch(new RegExp(`^Warning: ${name}: .*\\(0 points\\)\\.$`, 'm'));
    expect(run.stderr).not.toMatch(/^Warning: (amy|s2):/m);
    // A student who handed in one exercise of two has not passed every check.
    expect(batch.summary).toMatchObject({ submissions: 6, passed: 2 });

    const csv = (await readFile(out('class.csv'), 'utf8')).trim().split('\r\n').map((row) => row.split(','));
    expect(csv[0]).toEqual(['student', 'tcp-hello-client', 'tcp-hello-server', 'total']);
    expect(csv[1]).toEqual(['(max points)', '10', '10', '20']);
    expect(csv.slice(2).map((row) => row[0])).toEqual(order);
    expect(csv.find((row) => row[0] === 'cal')).toEqual(['cal', '0', '0', '0']);

    const markdown = await readFile(out('class.md'), 'utf8');
    const shown = order.map((name) => markdown.indexOf(`| ${name} |`));
    expect(shown.every((at) => at > 0)).toBe(true);
    expect([...shown].sort((a, b) => a - b)).toEqual(shown);
    const junit = await readFile(out('class.xml'), 'utf8');
    for (const name of order) expect(junit).toContain(`${name}`);
  });

  test('one exercise for a class: an empty student folder is a row of 0 points that says so, with a warning', async () => {
    const oneClass = path.join(dir, 'one-exercise');
    await cp(SERVER, path.join(oneClass, 'amy'), { recursive: true });
    await mkdir(path.join(oneClass, 'cal'), { recursive: true });
    const out = (name: string) => path.join(dir, name);
    const run = await runGrade(['tcp-hello-server', '--submissions', oneClass, '--json', out('server.json'), '--html', out('server.html')], { json: false });
    expect(run.stderr).toMatch(/^Warning: cal: the folder is empty \(0 points\)\.$/m);
    const batch = JSON.parse(await readFile(out('server.json'), 'utf8')) as BatchResult;
    expect(batch.submissions.find((s) => s.student === 'cal')).toMatchObject({ score: 0, passed: false, missing: 'the folder is empty' });
    expect(await readFile(out('server.html'), 'utf8')).toMatch(/<dt>missing submissions<\/dt>\s*<dd[^>]*>1<\/dd>/);
  });

  test('one exercise for a class laid out for grade all: a usage error that says what to run, before anything is graded', async () => {
    const run = await runGrade(['tcp-hello-server', '--submissions', classDir, '--json', path.join(dir, 'never.json')], { json: false });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(`4 of 5 student folders hold exercise folders (amy/tcp-hello-server/, Ben/TCP-Hello-Server/, s2/tcp-hello-server/, …) and no server.ts: that is the layout of \`grade all\``);
    expect(run.stderr).toContain(`Run \`grade all --submissions ${classDir} --exercises tcp-hello-server\`.`);
  });

  test('shards of a class graded without --seed share one seed, and merge refuses shards graded with different ones', async () => {
    const shard = (i: number, seed?: string) => path.join(dir, `shard-${i}${seed ?? ''}.json`);
    const args = (i: number, ...more: string[]) => ['all', '--exercises', 'tcp-hello-server', '--submissions', classDir, '--shard', `${i}/2`, '--json', shard(i, more[1]), ...more];
    await Promise.all([1, 2].map((i) => runGrade(args(i), { json: false })));
    const seeds = await Promise.all([1, 2].map(async (i) => (JSON.parse(await readFile(shard(i), 'utf8')) as BatchResult).seed));
    expect(seeds[0]).toBe(seeds[1]);
    const merged = await runGrade(['merge', shard(1), shard(2), '--json', path.join(dir, 'merged.json')], { json: false });
    expect(merged.exitCode).toBe(0);
    expect(merged.stdout).not.toMatch(/· 0 s\b/);

    await runGrade(args(2, '--seed', '99'), { json: false });
    const mixed = await runGrade(['merge', shard(1), shard(2, '99'), '--json', path.join(dir, 'never.json')], { json: false });
    expect(mixed.exitCode).toBe(1);
    expect(mixed.stderr).toContain('graded with different seeds');
  });

  test('--fail-under decides the exit code of one submission as it does for a class', async () => {
    // extra-newline scores 7/10: over 50%, under 90%.
    const fixture = path.join(ROOT, 'fixtures/tcp-hello-server/extra-newline');
    expect((await runGrade(['tcp-hello-server', fixture, '--fail-under', '50'])).exitCode).toBe(0);
    expect((await runGrade(['tcp-hello-server', fixture, '--fail-under', '90'])).exitCode).toBe(1);
    expect((await runGrade(['tcp-hello-server', fixture])).exitCode).toBe(1);
  });

  test('on a terminal, each finished student gets a line above the progress bar', async () => {
    const small = path.join(dir, 'small');
    for (const name of ['amy', 'bob']) await cp(SERVER, path.join(small, name), { recursive: true });
    // `script` runs the grader on a pseudo-terminal, as a person at a terminal would.
    const command = [process.execPath, BIN, 'tcp-hello-server', '--submissions', small, '--no-color'].map((arg) => `'${arg}'`).join(' ');
    const run = await execa('script', ['-qc', command, '/dev/null'], { env: { TERM: 'xterm', CI: '' }, reject: false, timeout: 60_000 });
    const screen = run.stdout.replace(/\x1b\[[0-9;?]*[a-zA-Z]/g, '').replaceAll('\r', '\n');
    // Graded two at a time: either may finish first.
    expect(screen).toMatch(/\[[12]\/2\] PASS amy tcp-hello-server 10\/10 .*\n/);
    expect(screen).toMatch(/\[[12]\/2\] PASS bob tcp-hello-server 10\/10 .*\n/);
    expect(screen).toContain('grading |');
  });
});
