import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../errors.ts';
import { isSkipped } from '../submission/copy-folder.ts';
import { compareIds } from '../report/order.ts';
import { hashString } from './hash.ts';

/** One thing to grade: a student's folder for one exercise, or why there is none. */
export interface GradingJob {
  student: string;
  exercise: string;
  dir: string;
  /** Why the student handed in nothing for this exercise: the job is a row of 0 points that says so. */
  missing?: string;
}

/** A class folder read: what to grade, and a warning for each student whose work is not all there. */
export interface ClassJobs {
  jobs: GradingJob[];
  warnings: { student: string; text: string }[];
}

/**
 * The students of a class folder: every subfolder is one student's submission, named by their id,
 * and every one of them gets a row. With `all`, each student's folder holds one subfolder per
 * exercise (`<student>/<exercise>/`); the exercises are those any student handed in, and a student
 * without one of them gets a row of 0 points with the reason (and a warning line), never no row.
 */
export async function discoverJobs(root: string, exercise: string | { all: readonly string[] }): Promise<ClassJobs> {
  const students = await subfolders(root);
  if (students.length === 0) throw new UsageError(`"${root}" has no subfolders; --submissions needs one folder per student.`);
  if (typeof exercise === 'string') {
    const jobs = students.map((student) => ({ student, exercise, dir: path.join(root, student) }));
    const empty = await Promise.all(jobs.map(async (job) => ((await readdir(job.dir)).some((name) => !isSkipped(name)) ? [] : [job.student])));
    return { jobs, warnings: empty.flat().map((student) => ({ student, text: `Warning: ${student}: the folder is empty (0 points).` })) };
  }
  const folders = new Map(await Promise.all(students.map(async (student) => [student, await subfolders(path.join(root, student))] as const)));
  const handedIn = (id: string, names: readonly string[]) => names.find((name) => name.toLowerCase() === id.toLowerCase());
  const expected = exercise.all.filter((id) => [...folders.values()].some((names) => handedIn(id, names)));
  if (expected.length === 0) {
    throw new UsageError(`No student folder in "${root}" holds an exercise folder; \`grade all --submissions\` looks for <student>/<exercise>/, with exercises ${exercise.all.join(', ')}.`);
  }
  const jobs: GradingJob[] = [];
  const warnings: ClassJobs['warnings'] = [];
  for (const student of students) {
    const names = folders.get(student)!;
    const reasons: string[] = [];
    for (const id of expected) {
      const dir = path.join(root, student, id);
      const missing = names.includes(id) ? undefined : missingReason(student, id, names, expected);
      jobs.push({ student, exercise: id, dir, ...(missing && { missing }) });
      if (missing) reasons.push(`${id}: ${missing}`);
    }
    if (reasons.length > 0) warnings.push({ student, text: `Warning: ${student}: ${reasons.join('; ')} (0 points).` });
  }
  return { jobs, warnings };

  function missingReason(student: string, id: string, names: readonly string[], ids: readonly string[]): string {
    const nearMiss = handedIn(id, names);
    if (nearMiss) return `did you mean ${id}/? Found ${nearMiss}/, and folder names are case-sensitive`;
    if (!ids.some((other) => handedIn(other, names))) return `no exercise folders found in ${student}/`;
    return `missing (no ${id}/ folder)`;
  }
}

/** The exercises a submission folder holds, one subfolder each, named by exercise id. */
export async function exercisesIn(dir: string, known: readonly string[]): Promise<string[]> {
  const names = new Set(await subfolders(dir));
  return known.filter((id) => names.has(id));
}

async function subfolders(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries.filter((e) => e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules').map((e) => e.name).sort(compareIds);
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
