import os from 'node:os';
import pLimit from 'p-limit';
import type { Exercise } from '../exercise/types.ts';
import { byStudentThenExercise } from '../report/order.ts';
import { summarize } from '../report/summary.ts';
import type { BatchResult, StudentResult } from '../report/types.ts';
import type { GradingJob } from './discover.ts';
import type { Isolation } from '../sandbox/isolation.ts';
import type { LanguageId } from '../language/language.ts';
import { gradeIsolated } from './grade-in-namespace.ts';
import { studentSeed } from './random.ts';
import { unrunSubmission } from './run-check.ts';

/** How to grade a class. */
export interface BatchOptions {
  jobs: readonly GradingJob[];
  exercises: ReadonlyMap<string, Exercise>;
  /** The class's seed; each student's random data comes from it and their id (see studentSeed). */
  seed: number;
  timeoutFactor: number;
  submissionTimeoutMs: number;
  /** The language to grade where a folder holds programs in several. */
  language?: LanguageId;
  /** How submissions are kept apart. */
  isolation: Isolation;
  /** Submissions graded at once (default: the number of cores). */
  concurrency?: number;
  /** Called as each submission finishes, so reports can be written before the batch ends. */
  onResult?: (result: StudentResult, done: number) => void | Promise<void>;
}

/**
 * Grades every job, several at once, each in its own copy with its own ports. A submission that
 * breaks the grader gets a row of errors; it never stops the batch.
 */
export async function gradeBatch(options: BatchOptions): Promise<StudentResult[]> {
  const limit = pLimit(options.concurrency ?? os.availableParallelism());
  const results: StudentResult[] = [];
  await Promise.all(
    options.jobs.map((job) =>
      limit(async () => {
        const result = await gradeJob(job, options);
        results.push(result);
        await options.onResult?.(result, results.length);
      }),
    ),
  );
  return sortResults(results);
}

/** The batch report: results in a stable order (by student, then exercise) and the class summary. */
export function makeBatchResult(run: Pick<BatchResult, 'exercise' | 'seed' | 'durationMs' | 'shard'>, results: readonly StudentResult[]): BatchResult {
  const submissions = sortResults(results);
  const { exercise, seed, shard } = run;
  return { exercise, generatedAt: new Date().toISOString(), seed, durationMs: Math.round(run.durationMs), ...(shard && { shard }), submissions, summary: summarize(submissions) };
}

function sortResults(results: readonly StudentResult[]): StudentResult[] {
  return [...results].sort(byStudentThenExercise);
}

async function gradeJob(job: GradingJob, options: BatchOptions): Promise<StudentResult> {
  const exercise = options.exercises.get(job.exercise)!;
  const submission = job.shownDir ?? job.dir;
  const seed = studentSeed(options.seed, job.student);
  if (job.missing) return { student: job.student, ...unrunSubmission(exercise, submission, seed, 'fail', `Not graded: ${job.missing}.`, 0), missing: job.missing };
  const result = await gradeIsolated(options.isolation, {
    exercise,
    dir: job.dir,
    seed,
    timeoutFactor: options.timeoutFactor,
    submissionTimeoutMs: options.submissionTimeoutMs,
    ...(options.language && { language: options.language }),
  });
  return { student: job.student, ...result, submission };
}
