import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { findProcesses, idsWithStatus, ROOT, runGrade } from '../helpers/run-grade.ts';

// Every exercise's reference solution, and every fixture under fixtures/<exercise>/<name>/ with
// its expect.json, graded through the real CLI.
interface Expectation {
  why: string;
  fails: string[];
  skips?: string[];
  /** Hostile fixtures: the exercise they are graded for (others take it from their folder). */
  exercise?: string;
  /** The grading must end within this many seconds. */
  maxSeconds?: number;
  /** Text one of the failed checks' messages (or their details) must contain. */
  message?: string;
  /** A word on the command line of every process the program starts: none may be left afterwards. */
  marker?: string;
  /** Text every launch of the program must print on stdout. */
  everyLaunchPrints?: string;
  /** Text one of the failed checks' hints must contain: the advice fits this exercise. */
  hint?: string;
  /** Text how one of the program's launches ended must contain, as the report says it. */
  exit?: string;
}

// A secret in the grader's environment, as CI secrets are: no program may ever print it.
const CANARY = 'netgrade-canary-5f1c9e';
// Whatever a program does, one submission's JSON report stays this small.
const MAX_REPORT_CHARS = 4 * 1024 * 1024;

const exercises = readdirSync(path.join(ROOT, 'exercises')).filter((id) => !id.startsWith('.'));

function readFixtures(folder: string, exercise?: string) {
  const dir = path.join(ROOT, 'fixtures', folder);
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    // an exercise without fixtures
  }
  return names.map((name) => {
    const expected = JSON.parse(readFileSync(path.join(dir, name, 'expect.json'), 'utf8')) as Expectation;
    return { exercise: exercise ?? expected.exercise!, name: `${folder}/${name}`, dir: path.join(dir, name), expected };
  });
}

// Each exercise's fixtures, and the hostile ones and attacks, which name their exercise.
const fixtures = [...exercises.flatMap((exercise) => readFixtures(exercise, exercise)), ...readFixtures('hostile'), ...readFixtures('attacks')];

describe('reference solutions', () => {
  test.concurrent.each(exercises)('the reference solution of %s scores full marks and leaves nothing running', async (exercise) => {
    const run = await runGrade([exercise, path.join(ROOT, 'solutions', exercise)]);
    expect(run.report?.checks.filter((c) => c.status !== 'pass').map((c) => `${c.id}: ${c.message}`)).toEqual([]);
    expect(run.report?.score).toBe(run.report?.maxScore);
    expect(run.exitCode).toBe(0);
    expect(run.leftovers).toEqual([]);
  });
});

describe('fixtures', () => {
  test.concurrent.each(fixtures)('$name gets exactly its expected verdicts', async ({ exercise, dir, expected }) => {
    const started = performance.now();
    const run = await runGrade([exercise, dir], { env: { CI_SECRET_TOKEN: CANARY } });
    const seconds = (performance.now() - started) / 1000;
    const report = run.report!;
    const messages = report.checks.filter((c) => c.status !== 'pass').map((c) => `${c.id}: ${c.message}`);
    expect(idsWithStatus(report, 'fail'), `${expected.why}\n${messages.join('\n')}`).toEqual(expected.fails);
    expect(idsWithStatus(report, 'skip'), expected.why).toEqual(expected.skips ?? []);
    expect(idsWithStatus(report, 'error')).toEqual([]);
    expect(run.exitCode).toBe(expected.fails.length === 0 ? 0 : 1);
    for (const check of report.checks.filter((c) => c.status === 'fail')) expect(check.message).not.toBe('');
    if (expected.message) {
      const explained = report.checks.filter((c) => c.status === 'fail').map((c) => [c.message, ...c.details].join('\n'));
      expect(explained.join('\n')).toContain(expected.message);
    }
    if (expected.hint) expect(report.checks.filter((c) => c.status === 'fail').map((c) => c.hint ?? '').join('\n')).toContain(expected.hint);
    if (expected.exit) expect(report.checks.flatMap((c) => c.programs.map((p) => p.exit)).join('\n')).toContain(expected.exit);
    if (expected.maxSeconds) expect(seconds).toBeLessThan(expected.maxSeconds);
    expect(run.leftovers).toEqual([]);
    if (expected.marker) expect(await findProcesses(expected.marker)).toEqual([]);
    // The terminal report (on stderr, with the JSON on stdout) quotes programs safely, whatever they printed.
    expect(run.stderr).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
    expect(run.stderr.split('\n').filter((line) => /^\s*::|##\[/.test(line))).toEqual([]);
    expect(run.stdout.length).toBeLessThan(MAX_REPORT_CHARS);
    const launches = report.checks.flatMap((check) => check.programs);
    for (const program of launches) expect(`${program.stdout}${program.stderr}`).not.toContain(CANARY);
    if (expected.everyLaunchPrints) {
      expect(launches.length).toBeGreaterThan(1);
      for (const program of launches) expect(program.stdout).toContain(expected.everyLaunchPrints);
    }
  });
});
