import { stat } from 'node:fs/promises';
import path from 'node:path';
import picocolors from 'picocolors';
import { UsageError } from '../errors.ts';
import { loadExercise } from '../exercise/registry.ts';
import type { Exercise } from '../exercise/types.ts';
import { makeSeed } from '../run/random.ts';
import type { RawArguments } from './parse-args.ts';

/** A validated `grade <exercise> [dir]` invocation. */
export interface GradeCommand {
  kind: 'grade';
  exercise: Exercise;
  dir: string;
  seed: number;
  /** Where to write the JSON report: a file, `-` for stdout, or nowhere. */
  json: string | undefined;
  submissionTimeoutMs: number;
  timeoutFactor: number;
  color: boolean;
}

export type CliCommand = GradeCommand | { kind: 'list'; color: boolean };

/** The one place where command-line values are checked and defaults applied. */
export async function normalizeOptions(raw: RawArguments): Promise<CliCommand> {
  const color = raw.color ?? picocolors.isColorSupported;
  if (raw.command === 'list') return { kind: 'list', color };
  if (!raw.exercise) throw new UsageError('Name the exercise to grade, e.g. `grade tcp-hello-server`. Run `grade list` to see them.');
  const exercise = await loadExercise(raw.exercise);
  const timeoutFactor = positive(raw.timeoutFactor ?? 1, '--timeout-factor', 'a number such as 2 for a machine twice as slow');
  return {
    kind: 'grade',
    exercise,
    dir: await validateDir(raw.dir ?? '.', exercise),
    seed: raw.seed === undefined ? makeSeed() : validateSeed(raw.seed),
    json: raw.json === '' ? invalid('--json', raw.json, 'a file name, or - for stdout') : raw.json,
    submissionTimeoutMs: positive(raw.timeout ?? 300, '--timeout', 'a number of seconds, e.g. 120') * 1000 * timeoutFactor,
    timeoutFactor,
    color,
  };
}

async function validateDir(dir: string, exercise: Exercise): Promise<string> {
  const resolved = path.resolve(dir);
  const info = await stat(resolved).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw new UsageError(`"${dir}" is not a folder. Pass the folder that contains your ${exercise.entry}: grade ${exercise.id} path/to/folder`);
  }
  return resolved;
}

function validateSeed(seed: number): number {
  if (!Number.isSafeInteger(seed) || seed < 0) invalid('--seed', seed, 'a whole number, as printed at the end of a report');
  return seed;
}

function positive(value: number, flag: string, expected: string): number {
  if (!Number.isFinite(value) || value <= 0) invalid(flag, value, expected);
  return value;
}

function invalid(flag: string, value: unknown, expected: string): never {
  throw new UsageError(`${flag} got ${JSON.stringify(value)}; it needs ${expected}.`);
}
