import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { listExerciseIds, loadExercise } from '../../harness/exercise/registry.ts';
import { compareVerdicts } from '../../harness/verify/compare.ts';
import { FULL_MARKS, readExpectation, type Expectation } from '../../harness/verify/expectation.ts';
import { solutionFolder } from '../../harness/exercise/define.ts';
import { findProcesses, ROOT, runGrade } from '../helpers/run-grade.ts';

// Every exercise's reference solution, and every fixture under fixtures/<exercise>/<name>/ with
// its expect.json, graded through the real CLI and judged by the comparison `grade verify` uses;
// then what only this project's tests hold the grader to (nothing left running, no secret
// printed, reports quoted safely and bounded, time limits).

// A secret in the grader's environment, as CI secrets are: no program may ever print it.
const CANARY = 'netgrade-canary-5f1c9e';
// Whatever a program does, one submission's JSON report stays this small.
const MAX_REPORT_CHARS = 4 * 1024 * 1024;
// A grading may wait out its checks' own limits (a program that never exits is given 25 s, twice):
// the test is the guard against a grader that hangs, not a speed target (those are in npm run bench).
const GRADING_TIMEOUT_MS = 180_000;

const exercises = await listExerciseIds();

async function readFixtures(folder: string, exercise?: string) {
  const dir = path.join(ROOT, 'fixtures', folder);
  const names = await readdir(dir).catch(() => [] as string[]);
  return Promise.all(
    names.map(async (name) => {
      const expected = await readExpectation(path.join(dir, name));
      const id = exercise ?? expected.exercise!;
      // Read again against the exercise, so an expect.json naming a check it lacks is an error.
      return { exercise: id, name: `${folder}/${name}`, dir: path.join(dir, name), expected: await readExpectation(path.join(dir, name), await loadExercise(id)) };
    }),
  );
}

// Each exercise's fixtures, and the hostile ones and attacks, which name their exercise.
const fixtures = (await Promise.all([...exercises.map((exercise) => readFixtures(exercise, exercise)), readFixtures('hostile'), readFixtures('attacks')])).flat();

async function gradeAndJudge(exercise: string, dir: string, expected: Expectation, flags: string[] = []) {
  const run = await runGrade([exercise, dir, ...flags], { env: { CI_SECRET_TOKEN: CANARY } });
  const report = run.report!;
  expect(compareVerdicts(report, expected), expected.why).toEqual([]);
  expect(run.exitCode).toBe(expected.fails.length === 0 ? 0 : 1);
  expect(run.leftovers).toEqual([]);
  if (expected.marker) expect(await findProcesses(expected.marker)).toEqual([]);
  // The terminal report (on stderr, with the JSON on stdout) quotes programs safely, whatever they printed.
  expect(run.stderr).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
  expect(run.stderr.split('\n').filter((line) => /^\s*::|##\[/.test(line))).toEqual([]);
  expect(run.stdout.length).toBeLessThan(MAX_REPORT_CHARS);
  for (const program of report.checks.flatMap((check) => check.programs)) expect(`${program.stdout}${program.stderr}`).not.toContain(CANARY);
}

// A solution folder holds one reference solution in each language its exercise is offered in.
const solutions = (await Promise.all(exercises.map(async (exercise) => {
  const { languages } = await loadExercise(exercise);
  return languages.map((language) => ({ exercise, language, dir: solutionFolder(path.join(ROOT, 'solutions', exercise), languages, language) }));
}))).flat();

describe('reference solutions', () => {
  test.concurrent.each(solutions)('the reference solution of $exercise in $language scores full marks and leaves nothing running', async ({ exercise, language, dir }) => {
    await gradeAndJudge(exercise, dir, FULL_MARKS, ['--language', language]);
  }, GRADING_TIMEOUT_MS);
});

describe('fixtures', () => {
  test.concurrent.each(fixtures)('$name gets exactly its expected verdicts', async ({ exercise, dir, expected }) => {
    await gradeAndJudge(exercise, dir, expected);
  }, GRADING_TIMEOUT_MS);
});
