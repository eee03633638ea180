import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../errors.ts';
import { hashString } from './hash.ts';

/** One thing to grade: a student's folder for one exercise. */
export interface GradingJob {
  student: string;
  exercise: string;
  dir: string;
}

/**
 * The students of a class folder: every subfolder is one student's submission, named by their id.
 * With `exercises`, each student's folder holds one subfolder per exercise (`<student>/<exercise>/`).
 */
export async function discoverJobs(root: string, exercise: string | { all: readonly string[] }): Promise<GradingJob[]> {
  const students = await subfolders(root);
  if (students.length === 0) throw new UsageError(`"${root}" has no subfolders; --submissions needs one folder per student.`);
  const jobs: GradingJob[] = [];
  for (const student of students) {
    const dir = path.join(root, student);
    if (typeof exercise === 'string') jobs.push({ student, exercise, dir });
    else jobs.push(...(await exercisesIn(dir, exercise.all)).map((id) => ({ student, exercise: id, dir: path.join(dir, id) })));
  }
  return jobs;
}

/** The exercises a submission folder holds, one subfolder each, named by exercise id. */
export async function exercisesIn(dir: string, known: readonly string[]): Promise<string[]> {
  const names = new Set(await subfolders(dir));
  return known.filter((id) => names.has(id));
}

async function subfolders(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries.filter((e) => e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules').map((e) => e.name).sort();
}

/** Parses `--shard i/n` (1-based, like vitest's and Playwright's). */
export function parseShard(text: string): { index: number; count: number } {
  const match = /^(\d+)\/(\d+)$/.exec(text);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count) {
    throw new UsageError(`--shard got "${text}"; it needs i/n with 1 ≤ i ≤ n, e.g. --shard 2/3.`);
  }
  return { index, count };
}

/**
 * Whether a student belongs to a shard. By a hash of the id, so a student's shard never depends
 * on who else is in the class: adding a late submission does not move anyone else.
 */
export function inShard(student: string, shard: { index: number; count: number }): boolean {
  return hashString(student) % shard.count === shard.index - 1;
}
