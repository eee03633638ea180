import { stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import picocolors from 'picocolors';
import { UsageError } from '../errors.ts';
import { findCourse, listCatalog, loadExercise, type Catalog, type CatalogEntry } from '../exercise/registry.ts';
import type { Exercise } from '../exercise/types.ts';
import { discoverJobs, exercisesIn, inShard, parseShard, type GradingJob } from '../run/discover.ts';
import type { Isolation } from '../sandbox/isolation.ts';
import type { LanguageId } from '../language/language.ts';
import { languageNamed } from '../language/languages.ts';
import { programUserNotice } from '../sandbox/program-user.ts';
import { classSeed, makeSeed } from '../run/random.ts';
import type { ExerciseKind } from '../scaffold/new-exercise.ts';
import type { RawArguments, ReportTargets } from './parse-args.ts';

/** What every grading command shares. */
interface GradingSettings {
  /** Where exercises come from: the course's, then the built-in ones. */
  catalog: Catalog;
  seed: number;
  targets: ReportTargets;
  submissionTimeoutMs: number;
  timeoutFactor: number;
  color: boolean;
  instructor: boolean;
  /** Exit with 1 when a submission scores under this percentage. */
  failUnder: number | undefined;
  /** How submissions are kept apart: a sandbox per program, a network per submission. */
  isolation: Isolation;
  /** Said once before grading: protections this machine cannot give (no sandbox, no `nobody`). */
  notices: string[];
  /** The language to grade where a folder holds programs in several (`--language`). */
  language: LanguageId | undefined;
}

/** `grade <exercise> [dir]`: one student, one exercise, the full report. */
export interface GradeCommand extends GradingSettings {
  kind: 'grade';
  exercise: Exercise;
  dir: string;
  /** Grade again at every change in `dir`, until the student quits. */
  watch: boolean;
}

/** `grade <exercise|all> --submissions <dir>`, or `grade all <dir>`: several gradings, one report. */
export interface BatchCommand extends GradingSettings {
  kind: 'batch';
  /** An exercise id, or `all`. */
  label: string;
  exercises: Map<string, Exercise>;
  jobs: GradingJob[];
  concurrency: number;
  shard: { index: number; count: number } | undefined;
  /** One student's folder (`grade all <dir>`): show each exercise's full report, not progress. */
  detailed: boolean;
  /** The class's reports are handed to students: hidden checks redacted. */
  studentView: boolean;
}

export interface MergeCommand {
  kind: 'merge';
  reports: string[];
  targets: ReportTargets;
  color: boolean;
  studentView: boolean;
}

/** `grade verify [ids...]`: each exercise's reference solution and fixtures, graded `runs` times. */
export interface VerifyCommand extends GradingSettings {
  kind: 'verify';
  entries: CatalogEntry[];
  runs: number;
  concurrency: number;
}

/** `grade new <id> [--kind]`: a new exercise written into the course. */
export interface NewCommand {
  kind: 'new';
  course: string;
  id: string;
  exerciseKind: ExerciseKind;
  language: LanguageId;
}

/** `grade pack --student <dir> [--exercises a,b]`: what the course's students get. */
export interface PackCommand {
  kind: 'pack';
  course: string;
  out: string;
  exercises?: string[];
}

export type CliCommand = GradeCommand | BatchCommand | MergeCommand | VerifyCommand | NewCommand | PackCommand | { kind: 'list'; color: boolean; catalog: Catalog };

const ONE_SUBMISSION_ONLY = ['gradescope', 'prairielearn', 'github-classroom'] as const;

/** The one place where command-line values are checked and defaults applied. */
export async function normalizeOptions(raw: RawArguments): Promise<CliCommand> {
  const color = raw.color ?? picocolors.isColorSupported;
  const catalog: Catalog = {
    course: raw.course === undefined ? await findCourse(process.cwd()) : await validateDir(raw.course, 'a course folder, with exercises/<id>/exercise.ts'),
  };
  if (raw.command === 'list') return { kind: 'list', color, catalog };
  if (raw.command === 'new') {
    if (!catalog.course) throw new UsageError('grade new writes into a course: run it in a folder whose package.json depends on netgrade, or pass --course <dir>.');
    return { kind: 'new', course: catalog.course, id: raw.id!, exerciseKind: (raw.kind ?? 'tcp-server') as ExerciseKind, language: raw.language === undefined ? 'typescript' : languageNamed(raw.language).id };
  }
  if (raw.command === 'pack') {
    if (!catalog.course) throw new UsageError("grade pack packs a course's exercises: run it in a folder whose package.json depends on netgrade, or pass --course <dir>.");
    return { kind: 'pack', course: catalog.course, out: path.resolve(raw.student!), ...(raw.exercises && { exercises: raw.exercises }) };
  }
  await validateTargets(raw.targets);
  if (raw.studentView && raw.instructor) throw new UsageError('--student-view redacts hidden checks and --instructor shows them: choose one.');
  if (raw.watch && raw.command !== 'grade') throw new UsageError(`--watch grades one student's folder, not \`grade ${raw.command}\`.`);
  if (raw.command === 'merge') return { kind: 'merge', reports: raw.reports ?? [], targets: raw.targets, color, studentView: raw.studentView ?? false };
  if (raw.command === 'verify') return normalizeVerify(raw, await gradingSettings(raw, catalog, color));
  const settings = await gradingSettings(raw, catalog, color);
  const id = raw.exercise ?? (await exerciseOfFolder(catalog, raw, settings));
  raw = { ...raw, exercise: id };
  const all = id === 'all';
  if (raw.submissions === undefined && !all) {
    if (raw.jobs !== undefined || raw.shard !== undefined) throw new UsageError('--jobs and --shard grade a class: add --submissions <dir>.');
    if (raw.watch && settings.targets.json === '-') throw new UsageError('--watch redraws the screen at every run: write the JSON to a file (--json report.json), not to stdout.');
    const exercise = await loadExercise(id, catalog);
    return { kind: 'grade', ...settings, exercise, dir: await validateDir(raw.dir ?? '.', `the folder that contains your ${exercise.entry}`), watch: raw.watch ?? false };
  }
  if (raw.watch) throw new UsageError('--watch grades one exercise in one folder: `grade <exercise> [dir] --watch`, without --submissions or `all`.');
  return normalizeBatch(raw, settings, all);
}

// No exercise named: in a folder named after one (`chat-server/`), that is the exercise meant.
async function exerciseOfFolder(catalog: Catalog, raw: RawArguments, settings: GradingSettings): Promise<string> {
  const folder = path.basename(path.resolve(raw.dir ?? '.'));
  if (raw.submissions !== undefined || !(await listCatalog(catalog)).some((entry) => entry.id === folder)) {
    throw new UsageError('Name the exercise to grade, e.g. `grade tcp-hello-server`. Run `grade list` to see them.');
  }
  settings.notices.push(`Grading ${folder}, the name of this folder (\`grade <exercise>\` grades another).`);
  return folder;
}

async function gradingSettings(raw: RawArguments, catalog: Catalog, color: boolean): Promise<GradingSettings> {
  // Loaded here, not at the top: it brings execa, which `grade list` and `grade merge` do without.
  const { decideIsolation } = await import('../sandbox/isolation.ts');
  const timeoutFactor = positive(raw.timeoutFactor ?? 1, '--timeout-factor', 'a number such as 2 for a machine twice as slow');
  const settings: GradingSettings = {
    catalog,
    seed: raw.seed === undefined ? makeSeed() : validateSeed(raw.seed),
    targets: raw.targets,
    submissionTimeoutMs: positive(raw.timeout ?? 300, '--timeout', 'a number of seconds, e.g. 120') * 1000 * timeoutFactor,
    timeoutFactor,
    color,
    instructor: raw.instructor ?? false,
    failUnder: raw.failUnder === undefined ? undefined : percentage(raw.failUnder),
    language: raw.language === undefined ? undefined : languageNamed(raw.language).id,
    ...(await decideIsolation(raw.sandbox, raw.submissions !== undefined)),
  };
  const userNotice = settings.isolation.sandbox ? undefined : await programUserNotice();
  if (userNotice) settings.notices.push(userNotice);
  return settings;
}

// `grade verify [ids...]`: the course's exercises by default (every built-in one outside a course).
async function normalizeVerify(raw: RawArguments, settings: GradingSettings): Promise<VerifyCommand> {
  const entries = await listCatalog(settings.catalog);
  const chosen = (raw.exercises ?? []).map((id) => entries.find((entry) => entry.id === id) ?? unknownExercise(id, entries));
  const others = Object.keys(settings.targets).filter((format) => format !== 'junit');
  if (others.length > 0) throw new UsageError(`grade verify writes --junit only, not --${others[0]}.`);
  return {
    kind: 'verify',
    ...settings,
    entries: chosen.length > 0 ? chosen : entries.filter((entry) => !settings.catalog.course || entry.origin === 'course'),
    runs: wholeNumber(raw.runs ?? 3, '--runs'),
    concurrency: raw.jobs === undefined ? os.availableParallelism() : wholeNumber(raw.jobs, '--jobs'),
  };
}

function unknownExercise(id: string, entries: readonly CatalogEntry[]): never {
  throw new UsageError(`Unknown exercise "${id}". Known exercises: ${entries.map((entry) => entry.id).join(', ') || '(none)'}.`);
}

async function normalizeBatch(raw: RawArguments, settings: GradingSettings, all: boolean): Promise<BatchCommand> {
  const catalog = await listCatalog(settings.catalog);
  const known = catalog.map((entry) => entry.id);
  if (raw.exercises !== undefined && !all) throw new UsageError(`--exercises chooses among the exercises of \`grade all\`; \`grade ${raw.exercise}\` grades one.`);
  const chosen = raw.exercises?.map((id) => (known.includes(id) ? id : unknownExercise(id, catalog)));
  const shard = raw.shard === undefined ? undefined : parseShard(raw.shard);
  const exercises = new Map<string, Exercise>();
  const load = async (ids: readonly string[]) => {
    for (const id of ids) exercises.set(id, await loadExercise(id, settings.catalog));
    return ids.map((id) => ({ id, entry: exercises.get(id)!.entry }));
  };
  let jobs: GradingJob[];
  if (raw.submissions !== undefined) {
    if (raw.dir !== undefined) throw new UsageError(`Give either a folder or --submissions, not both ("${raw.dir}" and "${raw.submissions}").`);
    for (const format of ONE_SUBMISSION_ONLY) {
      if (settings.targets[format]) throw new UsageError(`--${format} describes one submission; grade each student on its own, or use --json/--junit for a class.`);
    }
    const root = await validateDir(raw.submissions, 'a folder with one subfolder per student');
    // What a class is graded on is the instructor's choice: never what its students handed in.
    const courseIds = catalog.filter((entry) => !settings.catalog.course || entry.origin === 'course').map((entry) => entry.id);
    const plan = all ? { exercises: await load(chosen ?? courseIds) } : { exercise: (await load([raw.exercise!]))[0]!, known };
    const found = await discoverJobs(root, plan);
    if (raw.seed === undefined) settings.seed = classSeed(all ? 'all' : raw.exercise!, found.jobs.map((job) => job.student), { sharded: shard !== undefined });
    const inThisShard = (student: string | undefined) => !shard || student === undefined || inShard(student, shard);
    jobs = found.jobs.filter((job) => inThisShard(job.student));
    settings.notices.push(...found.warnings.filter((warning) => inThisShard(warning.student)).map((warning) => warning.text));
  } else {
    const dir = await validateDir(raw.dir ?? '.', 'a folder with one subfolder per exercise, named by exercise id');
    const found = await exercisesIn(dir, chosen ?? known);
    if (found.length === 0) throw new UsageError(`"${raw.dir ?? '.'}" has no exercise folders. \`grade all <dir>\` looks for subfolders named ${(chosen ?? known).join(', ')}.`);
    await load(found);
    jobs = found.map((exercise) => ({ student: path.basename(dir), exercise, dir: path.join(dir, exercise) }));
  }
  return {
    kind: 'batch',
    ...settings,
    label: all ? 'all' : raw.exercise!,
    exercises,
    jobs,
    concurrency: raw.jobs === undefined ? os.availableParallelism() : wholeNumber(raw.jobs, '--jobs'),
    shard,
    detailed: raw.submissions === undefined,
    studentView: raw.studentView ?? false,
  };
}

async function validateTargets(targets: ReportTargets): Promise<void> {
  for (const [format, file] of Object.entries(targets)) {
    if (file === '' || (file === '-' && format !== 'json')) invalid(`--${format}`, file, 'a file name (only --json also takes - for stdout)');
    if (file === '-') continue;
    const folder = path.dirname(path.resolve(file));
    if (!(await stat(folder).then((info) => info.isDirectory(), () => false))) {
      throw new UsageError(`--${format} ${file}: the folder ${folder} does not exist; create it first.`);
    }
  }
}

async function validateDir(dir: string, what: string): Promise<string> {
  const resolved = path.resolve(dir);
  const info = await stat(resolved).catch(() => undefined);
  if (!info?.isDirectory()) throw new UsageError(`"${dir}" is not a folder. Pass ${what}.`);
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

function wholeNumber(value: number, flag: string): number {
  if (!Number.isSafeInteger(value) || value < 1) invalid(flag, value, 'a whole number of at least 1');
  return value;
}

function percentage(value: number): number {
  if (!Number.isFinite(value) || value < 0 || value > 100) invalid('--fail-under', value, 'a percentage between 0 and 100');
  return value;
}

function invalid(flag: string, value: unknown, expected: string): never {
  throw new UsageError(`${flag} got ${JSON.stringify(value)}; it needs ${expected}.`);
}
