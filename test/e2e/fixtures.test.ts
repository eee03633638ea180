import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { idsWithStatus, ROOT, runGrade } from '../helpers/run-grade.ts';

// Every exercise's reference solution, and every fixture under fixtures/<exercise>/<name>/ with
// its expect.json, graded through the real CLI.
interface Expectation {
  why: string;
  fails: string[];
  skips?: string[];
}

const exercises = readdirSync(path.join(ROOT, 'exercises')).filter((id) => !id.startsWith('.'));
const fixtures = exercises.flatMap((exercise) => {
  const dir = path.join(ROOT, 'fixtures', exercise);
  const names = (() => {
    try {
      return readdirSync(dir);
    } catch {
      return [];
    }
  })();
  return names.map((name) => ({
    exercise,
    name,
    dir: path.join(dir, name),
    expected: JSON.parse(readFileSync(path.join(dir, name, 'expect.json'), 'utf8')) as Expectation,
  }));
});

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
  test.concurrent.each(fixtures)('$exercise/$name gets exactly its expected verdicts', async ({ exercise, dir, expected }) => {
    const run = await runGrade([exercise, dir]);
    const report = run.report!;
    const messages = report.checks.filter((c) => c.status !== 'pass').map((c) => `${c.id}: ${c.message}`);
    expect(idsWithStatus(report, 'fail'), `${expected.why}\n${messages.join('\n')}`).toEqual(expected.fails);
    expect(idsWithStatus(report, 'skip'), expected.why).toEqual(expected.skips ?? []);
    expect(idsWithStatus(report, 'error')).toEqual([]);
    expect(run.exitCode).toBe(expected.fails.length === 0 ? 0 : 1);
    for (const check of report.checks.filter((c) => c.status === 'fail')) expect(check.message).not.toBe('');
    expect(run.leftovers).toEqual([]);
  });
});
