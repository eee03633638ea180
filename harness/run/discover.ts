import { lstat, readdir } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../errors.ts';
import { isSkipped } from '../submission/copy-folder.ts';
import { hashString } from './hash.ts';
import { withoutInvisible } from '../report/safe-text.ts';
import { escapeInvalidUtf8, readStudentFolders, type StudentFolder } from './student-folders.ts';

/** One thing to grade: a student's folder for one exercise, or why there is none. */
export interface GradingJob {
  student: string;
  exercise: string;
  /** A path that reaches the folder. */
  dir: string;
  /** How the folder is named in reports, when `dir` is not its name (a name that is not UTF-8). */
  shownDir?: string;
  /** Why the student handed in nothing for this exercise: the job is a row of 0 points that says so. */
  missing?: string;
}

/** A class folder read: what to grade, and warnings to say before grading (each about one student, or the class). */
export interface ClassJobs {
  jobs: GradingJob[];
  warnings: { student?: string; text: string }[];
}

/** An exercise as discovery needs it: its id, and the file a student's program is in. */
export interface ClassExercise {
  id: string;
  entry: string;
}

/**
 * What a class is graded on, the instructor's choice, never what students handed in: one
 * exercise, each student's folder holding its files (`<student>/server.ts`), or several, a
 * folder each (`<student>/<exercise>/server.ts`). `known` is every exercise on offer, to
 * recognise a folder laid out for the other command.
 */
export type ClassPlan = { exercise: ClassExercise; known: readonly string[] } | { exercises: readonly ClassExercise[] };

// What a student's folder holds: its entries' names (as text), and the folders among them.
interface Contents {
  names: string[];
  folders: string[];
  /** Why it could not be read: the error's code. */
  unreadable?: string;
}

/**
 * The students of a class folder: every subfolder is one student's submission, named by their
 * id, and every one of them gets a row for every exercise graded, with the reason when there is
 * nothing to grade (an empty folder, a missing exercise folder, one that cannot be read).
 */
export async function discoverJobs(root: string, plan: ClassPlan): Promise<ClassJobs> {
  const students = await readStudentFolders(root);
  if (students.length === 0) throw new UsageError(`"${root}" has no subfolders; --submissions needs one folder per student.`);
  const contents = await Promise.all(students.map((student) => readContents(student.dir)));
  const found = await ('exercise' in plan ? oneExercise(root, students, contents, plan) : perExercise(root, students, contents, plan.exercises));
  return { ...found, warnings: [...lookalikes(students), ...found.warnings] };
}

// Students whose names read the same once invisible characters are removed (`amy` and `amy`
// with a zero-width space): the reports show them escaped, and the instructor is told.
function lookalikes(students: readonly StudentFolder[]): ClassJobs['warnings'] {
  const byLook = new Map<string, StudentFolder[]>();
  for (const student of students) {
    const look = withoutInvisible(student.id).normalize('NFKC');
    byLook.set(look, [...(byLook.get(look) ?? []), student]);
  }
  return [...byLook.values()].filter((group) => group.length > 1).map((group) => ({
    text: `Warning: ${group.length} student folders read as "${withoutInvisible(group[0]!.id)}": ${group.map((student) => student.id).join(', ')}; they are different students, shown with their invisible characters escaped.`,
  }));
}

async function oneExercise(root: string, students: StudentFolder[], contents: Contents[], plan: { exercise: ClassExercise; known: readonly string[] }): Promise<ClassJobs> {
  const { exercise, known } = plan;
  const jobs: GradingJob[] = [];
  const warnings: ClassJobs['warnings'] = [];
  const nested: { student: string; folder: string }[] = [];
  for (const [i, student] of students.entries()) {
    const { folders } = contents[i]!;
    const missing = nothingIn(contents[i]!, 'the folder');
    jobs.push(jobOf(student, exercise.id, student.dir, student.shownDir, missing));
    if (missing) {
      warnings.push({ student: student.id, text: `Warning: ${student.id}: ${missing} (0 points).` });
      continue;
    }
    const folder = folders.find((name) => sameId(exercise.id, name)) ?? folders.find((name) => known.some((id) => sameId(id, name)));
    if (folder && !(await exists(path.join(student.dir, exercise.entry)))) nested.push({ student: student.id, folder });
  }
  const handedIn = jobs.filter((job) => !job.missing).length;
  if (nested.length > 0 && nested.length * 2 > handedIn) {
    const examples = nested.slice(0, 3).map(({ student, folder }) => `${student}/${folder}/`).join(', ');
    throw new UsageError(
      `${nested.length} of ${handedIn} student folders hold exercise folders (${examples}${nested.length > 3 ? ', …' : ''}) and no ${exercise.entry}: ` +
        `that is the layout of \`grade all\` (<student>/<exercise>/). Run \`grade all --submissions ${root} --exercises ${exercise.id}\`.`,
    );
  }
  for (const { student, folder } of nested) {
    warnings.push({ student, text: `Warning: ${student}: no ${exercise.entry} at the top of the folder, but a ${folder}/ folder; each student's folder must hold the exercise's files themselves.` });
  }
  return { jobs, warnings };
}

async function perExercise(root: string, students: StudentFolder[], contents: Contents[], exercises: readonly ClassExercise[]): Promise<ClassJobs> {
  const jobs: GradingJob[] = [];
  const reasons = new Map<string, { exercise: string; missing: string }[]>();
  for (const [i, student] of students.entries()) {
    const found = contents[i]!;
    for (const exercise of exercises) {
      const dir = path.join(student.dir, exercise.id);
      const missing = found.folders.includes(exercise.id) ? nothingIn(await readContents(dir), `the ${exercise.id}/ folder`) : missingReason(student.id, exercise, found, exercises);
      jobs.push(jobOf(student, exercise.id, dir, path.join(student.shownDir, exercise.id), missing));
      if (missing) reasons.set(student.id, [...(reasons.get(student.id) ?? []), { exercise: exercise.id, missing }]);
    }
  }
  // An exercise nobody handed in is said once for the class, not once for every student.
  const nobody = exercises.filter((exercise) => jobs.every((job) => job.exercise !== exercise.id || job.missing)).map((exercise) => exercise.id);
  if (nobody.length === exercises.length) {
    throw new UsageError(`No student folder in "${root}" holds an exercise folder; \`grade all --submissions\` looks for <student>/<exercise>/, with exercises ${nobody.join(', ')}.`);
  }
  const warnings: ClassJobs['warnings'] = [];
  if (nobody.length > 0) {
    const handed = exercises.map((exercise) => exercise.id).filter((id) => !nobody.includes(id));
    warnings.push({ text: `Warning: no student handed in ${nobody.join(', ')} (0 points each); to grade only some exercises, pass --exercises ${handed.join(',')}.` });
  }
  for (const student of students) {
    const said = (reasons.get(student.id) ?? []).filter(({ exercise }) => !nobody.includes(exercise)).map(({ exercise, missing }) => `${exercise}: ${missing}`);
    if (said.length > 0) warnings.push({ student: student.id, text: `Warning: ${student.id}: ${said.join('; ')} (0 points).` });
  }
  return { jobs, warnings };
}

function missingReason(student: string, exercise: ClassExercise, found: Contents, exercises: readonly ClassExercise[]): string {
  if (found.unreadable) return nothingIn(found, `${student}/`)!;
  const nearMiss = found.folders.find((name) => sameId(exercise.id, name));
  if (nearMiss) return `did you mean ${exercise.id}/? Found ${nearMiss}/, and exercise folders are named exactly by id`;
  if (exercises.some((other) => found.folders.some((name) => sameId(other.id, name)))) return `missing (no ${exercise.id}/ folder)`;
  const loose = exercises.map((other) => other.entry).find((entry) => found.names.includes(entry));
  if (loose) return `no exercise folders found in ${student}/, but ${loose} is at its top: each exercise's files go in a folder named by its id (${student}/${exercise.id}/${exercise.entry})`;
  return `no exercise folders found in ${student}/`;
}

function jobOf(student: StudentFolder, exercise: string, dir: string, shownDir: string, missing: string | undefined): GradingJob {
  return { student: student.id, exercise, dir, ...(shownDir !== dir && { shownDir }), ...(missing && { missing }) };
}

// The same id as a student might mistype it: case, and the separators `-`, `_`, `.` and spaces, aside.
function sameId(id: string, name: string): boolean {
  const loose = (text: string) => text.toLowerCase().replace(/[-_.\s]/g, '');
  return loose(id) === loose(name);
}

async function readContents(dir: string): Promise<Contents> {
  try {
    const entries = (await readdir(dir, { withFileTypes: true, encoding: 'buffer' })).filter((entry) => !isSkipped(entry.name.toString('latin1')));
    const names = entries.map((entry) => escapeInvalidUtf8(entry.name));
    const folders = entries.flatMap((entry, i) => (entry.isDirectory() && !names[i]!.startsWith('.') ? [names[i]!] : []));
    return { names, folders };
  } catch (error) {
    return { names: [], folders: [], unreadable: (error as NodeJS.ErrnoException).code ?? String(error) };
  }
}

// Why a folder holds nothing to grade, if it does not: `the folder is empty`.
function nothingIn(contents: Contents, folder: string): string | undefined {
  if (contents.unreadable) return `${folder} cannot be read (${contents.unreadable})`;
  return contents.names.length === 0 ? `${folder} is empty` : undefined;
}

async function exists(file: string): Promise<boolean> {
  return lstat(file).then(() => true, () => false);
}

/** The exercises a submission folder holds, one subfolder each, named by exercise id. */
export async function exercisesIn(dir: string, known: readonly string[]): Promise<string[]> {
  const { folders } = await readContents(dir);
  return known.filter((id) => folders.includes(id));
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
