import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import pLimit from 'p-limit';
import { UsageError } from '../errors.ts';
import { BUILT_IN_EXERCISES, loadExerciseFile, type Catalog, type CatalogEntry } from '../exercise/registry.ts';
import type { Exercise } from '../exercise/types.ts';
import { entriesOf, solutionFolder } from '../exercise/define.ts';
import type { LanguageId } from '../language/language.ts';
import { LANGUAGES } from '../language/languages.ts';
import { gradeIsolated } from '../run/grade-in-namespace.ts';
import { makeSeed } from '../run/random.ts';
import type { Isolation } from '../sandbox/isolation.ts';
import { compareVerdicts } from './compare.ts';
import { FULL_MARKS, readExpectation, type Expectation } from './expectation.ts';

/** A submission an exercise is verified against: its reference solution, or a fixture. */
export interface VerifyTarget {
  exercise: string;
  /** `solution` (`solution (python)` in another language than TypeScript), or the fixture's folder name. */
  name: string;
  dir: string;
  /** The language graded, for a solution folder that holds one in each. */
  language?: LanguageId;
  expected: Expectation;
}

/** How a target did over every run. */
export interface VerifyOutcome extends VerifyTarget {
  status: 'ok' | 'mismatch' | 'flaky';
  /** Each run's seed, and how the verdicts differed from the expectation (none when they matched). */
  runs: { seed: number; problems: string[]; verdicts: string }[];
}

/** How to verify. */
export interface VerifyOptions {
  catalog: Catalog;
  entries: readonly CatalogEntry[];
  runs: number;
  /** The first run's seed; the others get new ones. */
  seed: number;
  isolation: Isolation;
  timeoutFactor: number;
  submissionTimeoutMs: number;
  concurrency: number;
  onOutcome?: (outcome: VerifyOutcome) => void;
}

// netgrade's own solutions and fixtures sit beside its exercises.
const PACKAGE_ROOT = path.dirname(BUILT_IN_EXERCISES);

/**
 * Grades every exercise's reference solution (it must score full marks) and every fixture (it
 * must get exactly its expect.json's verdicts), `runs` times with a new seed each time: a
 * submission whose verdicts changed between runs is flaky, which is a bug of the exercise.
 */
export async function verifyExercises(options: VerifyOptions): Promise<VerifyOutcome[]> {
  const targets = (await Promise.all(options.entries.map((entry) => targetsOf(entry, options.catalog)))).flat();
  const seeds = [options.seed, ...Array.from({ length: options.runs - 1 }, makeSeed)];
  const limit = pLimit(options.concurrency);
  return Promise.all(
    targets.map(({ target, exercise }) =>
      limit(async () => {
        const runs: VerifyOutcome['runs'] = [];
        for (const seed of seeds) {
          const result = await gradeIsolated(options.isolation, {
            exercise,
            dir: target.dir,
            seed,
            timeoutFactor: options.timeoutFactor,
            submissionTimeoutMs: options.submissionTimeoutMs,
            ...(target.language && { language: target.language }),
          });
          runs.push({ seed, problems: compareVerdicts(result, target.expected), verdicts: result.checks.map((check) => `${check.id}:${check.status}`).join(' ') });
        }
        const outcome: VerifyOutcome = { ...target, status: classifyRuns(runs), runs };
        options.onOutcome?.(outcome);
        return outcome;
      }),
    ),
  );
}

/** Flaky when the verdicts changed between runs (whatever was expected); else a mismatch if any run missed its expectation. */
export function classifyRuns(runs: VerifyOutcome['runs']): VerifyOutcome['status'] {
  if (new Set(runs.map((run) => run.verdicts)).size > 1) return 'flaky';
  return runs.some((run) => run.problems.length > 0) ? 'mismatch' : 'ok';
}

// An exercise's solution and fixtures, from the course's folder or netgrade's own.
async function targetsOf(entry: CatalogEntry, catalog: Catalog): Promise<{ target: VerifyTarget; exercise: Exercise }[]> {
  const exercise = await loadExerciseFile(entry.file);
  const root = entry.origin === 'course' ? catalog.course! : PACKAGE_ROOT;
  const solution = path.join(root, 'solutions', entry.id);
  if (!(await isFolder(solution))) throw new UsageError(`${entry.id} has no reference solution: put one in ${solution}.`);
  const fixtures = path.join(root, 'fixtures', entry.id);
  const names = (await readdir(fixtures, { withFileTypes: true }).catch(() => [])).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  // One reference solution in each language the exercise is offered in.
  const targets: VerifyTarget[] = [];
  for (const [i, file] of entriesOf(exercise.entry, exercise.languages).entries()) {
    const language = exercise.languages[i]!;
    const dir = solutionFolder(solution, exercise.languages, language);
    if (!(await isFile(path.join(dir, file)))) throw new UsageError(`${entry.id} is offered in ${LANGUAGES[language].name} but has no reference solution in it: put ${file} in ${dir}.`);
    targets.push({ exercise: entry.id, name: i === 0 ? 'solution' : `solution (${language})`, dir, language, expected: FULL_MARKS });
  }
  for (const name of names) targets.push({ exercise: entry.id, name, dir: path.join(fixtures, name), expected: await readExpectation(path.join(fixtures, name), exercise) });
  return targets.map((target) => ({ target, exercise }));
}

async function isFolder(dir: string): Promise<boolean> {
  return stat(dir).then((info) => info.isDirectory(), () => false);
}

async function isFile(file: string): Promise<boolean> {
  return stat(file).then((info) => info.isFile(), () => false);
}
