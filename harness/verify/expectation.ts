import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../errors.ts';
import type { Exercise } from '../exercise/types.ts';

/** What a fixture's expect.json says it must get. */
export interface Expectation {
  /** Why: the flaw, or the style, in a sentence. */
  why: string;
  /** The checks it must fail; every check not named here or in `skips` must pass. */
  fails: string[];
  /** The checks it must skip (a dependency failed). */
  skips: string[];
  /** The exercise it is graded for, for fixtures outside fixtures/<id>/ (hostile, attacks). */
  exercise?: string;
  /** The score it must get, as "points/max" (e.g. "11/13"): where a fixture is there to show that a score is fair. */
  score?: string;
  /** Text a failed check's message (or its details) must contain. */
  message?: string;
  /** Text a failed check's hint must contain. */
  hint?: string;
  /** Text how one of the program's launches ended must contain. */
  exit?: string;
  /** Text every launch of the program must print on stdout. */
  everyLaunchPrints?: string;
  /** For this project's tests: a word on the command line of processes the program starts. */
  marker?: string;
}

/** A reference solution's expectation: every check passes. */
export const FULL_MARKS: Expectation = { why: 'the reference solution scores full marks', fails: [], skips: [] };

/**
 * Reads `<dir>/expect.json`, checking it against the exercise (when given): a mistake in it is
 * an error that names the file and the fix, never a fixture that silently tests nothing.
 */
export async function readExpectation(dir: string, exercise?: Exercise): Promise<Expectation> {
  const file = path.join(dir, 'expect.json');
  const text = await readFile(file, 'utf8').catch(() => {
    throw new UsageError(`${file} is missing: every fixture needs one, e.g. { "why": "sends an extra newline", "fails": ["greeting"] }.`);
  });
  let value: Partial<Expectation>;
  try {
    value = JSON.parse(text) as Partial<Expectation>;
  } catch (error) {
    throw new UsageError(`${file} is not JSON: ${(error as Error).message}`);
  }
  const list = (name: 'fails' | 'skips') => {
    const ids = value[name] ?? [];
    if (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string')) throw new UsageError(`${file}: "${name}" must be a list of check ids, e.g. ["greeting"].`);
    return ids;
  };
  if (typeof value.why !== 'string' || value.why === '') throw new UsageError(`${file}: "why" must say, in a sentence, what this fixture is (its flaw or its style).`);
  if (value.score !== undefined && (typeof value.score !== 'string' || !/^\d+\/\d+$/.test(value.score))) {
    throw new UsageError(`${file}: "score" must be points out of the maximum, e.g. "11/13".`);
  }
  const expectation: Expectation = { ...value, why: value.why, fails: list('fails'), skips: list('skips') };
  if (exercise) {
    const known = new Set(exercise.checks.map((check) => check.id));
    const unknown = [...expectation.fails, ...expectation.skips].filter((id) => !known.has(id));
    if (unknown.length > 0) {
      throw new UsageError(`${file} names ${unknown.map((id) => `"${id}"`).join(', ')}, which ${exercise.id} has no check called; its checks are ${[...known].join(', ')}.`);
    }
  }
  return expectation;
}
