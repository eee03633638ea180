import os from 'node:os';
import pLimit from 'p-limit';
import type { Exercise } from '../exercise/types.ts';
import { summarize } from '../report/summary.ts';
import type { BatchResult, StudentResult } from '../report/types.ts';
import type { GradingJob } from './discover.ts';
import type { Isolation } from '../sandbox/isolation.ts';
import { gradeIsolated } from './grade-in-namespace.ts';
import { unrunCheck } from './run-check.ts';

/** How to grade a class. */
export interface BatchOptions {
  jobs: readonly GradingJob[];
  exercises: ReadonlyMap<string, Exercise>;
  seed: number;
  timeoutFactor: number;
  submissionTimeoutMs: number;
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
export function makeBatchResult(
  exercise: string,
  seed: number,
  results: readonly StudentResult[],
  shard?: { index: number; count: number },
): BatchResult {
  const submissions = sortResults(results);
  return { exercise, generatedAt: new Date().toISOString(), seed, ...(shard && { shard }), submissions, summary: summarize(submissions) };
}

function sortResults(results: readonly StudentResult[]): StudentResult[] {
  return [...results].sort((a, b) => compare(a.student, b.student) || compare(a.exercise, b.exercise));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

async function gradeJob(job: GradingJob, options: BatchOptions): Promise<StudentResult> {
  const exercise = options.exercises.get(job.exercise)!;
  const started = performance.now();
  try {
    const result = await gradeIsolated(options.isolation, {
      exercise,
      dir: job.dir,
      seed: options.seed,
      timeoutFactor: options.timeoutFactor,
      submissionTimeoutMs: options.submissionTimeoutMs,
    });
    return { student: job.student, ...result };
  } catch (error) {
    return graderFailure(job, exercise, options.seed, error, performance.now() - started);
  }
}

// The grader broke on this submission (say its folder vanished): every check is an error, so the
// student still has a row and nobody mistakes it for a zero they earned.
function graderFailure(job: GradingJob, exercise: Exercise, seed: number, error: unknown, durationMs: number): StudentResult {
  const message = `The grader failed on this submission; this is not the student's fault: ${error instanceof Error ? error.message : String(error)}`;
  return {
    student: job.student,
    exercise: exercise.id,
    submission: job.dir,
    passed: false,
    score: 0,
    maxScore: exercise.checks.reduce((sum, c) => sum + c.points, 0),
    seed,
    durationMs: Math.round(durationMs),
    launches: 0,
    checks: exercise.checks.map((check) => unrunCheck(check, 'error', message)),
  };
}
