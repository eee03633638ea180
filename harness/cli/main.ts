import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../errors.ts';
import { listCatalog, loadExerciseFile, type Catalog } from '../exercise/registry.ts';
import { gradeBatch, makeBatchResult } from '../run/batch.ts';
import { mergeShards } from '../report/merge.ts';
import { ReportWriter } from '../report/outputs.ts';
import { redactHidden } from '../report/redact.ts';
import { renderBatchSummary } from '../report/terminal-batch.ts';
import { renderTerminal } from '../report/terminal.ts';
import type { BatchResult, StudentResult, SubmissionResult } from '../report/types.ts';
import { gradeAndReport } from './grade-one.ts';
import { normalizeOptions, type BatchCommand, type GradeCommand, type MergeCommand, type VerifyCommand } from './options.ts';
import { parseArguments } from './parse-args.ts';

/** Where the CLI writes; tests pass their own. */
export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /** The keyboard, for --watch: a terminal (put in raw mode) or a pipe of lines. */
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?(raw: boolean): unknown };
}

/** Runs the `grade` command line and returns its exit code: 0 done/passed, 1 not passed, 2 usage error. */
export async function main(argv: readonly string[], io: CliIo = process): Promise<number> {
  try {
    const raw = await parseArguments(argv, (text) => io.stdout.write(`${text}\n`));
    if (raw.handled) return 0;
    const command = await normalizeOptions(raw);
    if ('notices' in command) for (const notice of command.notices) io.stderr.write(`${notice}\n`);
    switch (command.kind) {
      case 'list':
        return await printExercises(command.catalog, io);
      case 'grade':
        return await gradeOne(command, io);
      case 'batch':
        return await gradeMany(command, io);
      case 'merge':
        return await merge(command, io);
      case 'verify':
        return await verify(command, io);
      case 'new': {
        const { scaffoldExercise } = await import('../scaffold/new-exercise.ts');
        const made = await scaffoldExercise(command.course, command.id, command.exerciseKind);
        io.stdout.write(`${made.map((dir) => `wrote ${dir}`).join('\n')}\nNext: edit ${path.join(made[0]!, 'exercise.ts')}, and run \`grade verify ${command.id}\`.\n`);
        return 0;
      }
    }
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`grade: ${error.message}\nRun \`grade --help\` for usage.\n`);
    return 2;
  }
}

async function printExercises(catalog: Catalog, io: CliIo): Promise<number> {
  if (catalog.course) io.stdout.write(`course ${catalog.course}\n`);
  for (const entry of await listCatalog(catalog)) {
    const exercise = await loadExerciseFile(entry.file);
    io.stdout.write(`${entry.id.padEnd(24)} ${exercise.title} (write ${exercise.entry}) · ${entry.origin}\n`);
  }
  return 0;
}

async function gradeOne(command: GradeCommand, io: CliIo): Promise<number> {
  if (command.watch) {
    const { watchAndGrade } = await import('./watch.ts');
    return watchAndGrade(command, io);
  }
  // With the JSON on stdout, the human report moves to stderr so the JSON stays parseable.
  const result = await gradeAndReport(command, command.targets.json === '-' ? io.stderr : io.stdout, io.stdout);
  // With --fail-under, the threshold decides, as it does for a class; without, every check must pass.
  if (command.failUnder !== undefined) return failsThreshold([result], command.failUnder) ? 1 : 0;
  return result.passed ? 0 : 1;
}

async function gradeMany(command: BatchCommand, io: CliIo): Promise<number> {
  const out = command.targets.json === '-' ? io.stderr : io.stdout;
  const style = { color: command.color, instructor: true };
  const started = performance.now();
  const writer = await ReportWriter.open(command.targets, io.stdout);
  const finished: StudentResult[] = [];
  const audience = command.studentView ? 'student' : 'instructor';
  const batchOf = (results: readonly StudentResult[]) =>
    makeBatchResult({ exercise: command.label, seed: command.seed, shard: command.shard, durationMs: performance.now() - started }, command.studentView ? results.map(redactHidden) : results);
  const progress = command.detailed ? undefined : (await import('./progress.ts')).createProgress(command.jobs.length, out, style);
  await gradeBatch({
    jobs: command.jobs,
    exercises: command.exercises,
    seed: command.seed,
    timeoutFactor: command.timeoutFactor,
    submissionTimeoutMs: command.submissionTimeoutMs,
    isolation: command.isolation,
    concurrency: command.detailed ? 1 : command.concurrency,
    onResult: async (result, done) => {
      finished.push(result);
      if (progress) progress.advance(result, done);
      else out.write(renderTerminal(result, command.exercises.get(result.exercise)!, { color: command.color, instructor: command.instructor }));
      writer.update({ batch: batchOf(finished), audience });
    },
  });
  progress?.stop();
  const batch = batchOf(finished);
  await writer.finish({ batch, audience });
  out.write(renderBatchSummary(batch, style));
  return failsThreshold(batch.submissions, command.failUnder) ? 1 : 0;
}

async function verify(command: VerifyCommand, io: CliIo): Promise<number> {
  const [{ verifyExercises }, { renderVerifyJunit, renderVerifyOutcome, renderVerifySummary }] = await Promise.all([import('../verify/verify.ts'), import('../report/verify.ts')]);
  const style = { color: command.color };
  const outcomes = await verifyExercises({ ...command, onOutcome: (outcome) => io.stdout.write(renderVerifyOutcome(outcome, style)) });
  io.stdout.write(renderVerifySummary(outcomes, command.runs, style));
  if (command.targets.junit) await writeFile(command.targets.junit, renderVerifyJunit(outcomes));
  return outcomes.every((outcome) => outcome.status === 'ok') ? 0 : 1;
}

async function merge(command: MergeCommand, io: CliIo): Promise<number> {
  const reports = await Promise.all(
    command.reports.map(async (file) => {
      const text = await readFile(file, 'utf8').catch(() => {
        throw new UsageError(`Cannot read "${file}": pass the --json reports written by the shards.`);
      });
      return { file, batch: JSON.parse(text) as BatchResult };
    }),
  );
  const outcome = mergeShards(reports);
  if (!outcome.ok) {
    io.stderr.write(`grade merge: not merged.\n${outcome.problems.map((p) => `  ${p}`).join('\n')}\n`);
    return 1;
  }
  const batch = command.studentView ? { ...outcome.batch, submissions: outcome.batch.submissions.map(redactHidden) } : outcome.batch;
  await (await ReportWriter.open(command.targets, io.stdout)).finish({ batch, audience: command.studentView ? 'student' : 'instructor' });
  const out = command.targets.json === '-' ? io.stderr : io.stdout;
  out.write(renderBatchSummary(outcome.batch, { color: command.color }));
  return 0;
}

// `--fail-under 80`: some submission scored under 80% of its points.
function failsThreshold(results: readonly SubmissionResult[], failUnder: number | undefined): boolean {
  return failUnder !== undefined && results.some((r) => r.maxScore > 0 && (r.score / r.maxScore) * 100 < failUnder);
}
