import { readlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { openSubmissionNetwork } from '../network/submission-network.ts';
import { loadExerciseFile } from '../exercise/registry.ts';
import type { CheckResult, SubmissionResult } from '../report/types.ts';
import { gradeSubmission } from './grade.ts';
import type { LanguageId } from '../language/language.ts';

/** What a grading worker is asked to do: one submission, one exercise (its exercise.ts). */
export interface WorkerJob {
  exerciseFile: string;
  /** The module it was compiled into, when the grader has it. */
  exerciseModule?: string;
  dir: string;
  seed: number;
  timeoutFactor: number;
  submissionTimeoutMs: number;
  sandbox: boolean;
  language?: LanguageId;
}

/** One line a worker writes on stdout. */
export type WorkerMessage =
  | { type: 'hello'; netns: string }
  | { type: 'check'; check: CheckResult }
  | { type: 'result'; result: SubmissionResult };

/**
 * Grades one submission and reports on stdout, one JSON message a line. Runs inside the
 * submission's network namespace, so its probes see the same private loopback as the program.
 */
export async function runWorker(jobText: string): Promise<void> {
  const job = JSON.parse(jobText) as WorkerJob;
  const send = (message: WorkerMessage) => process.stdout.write(`${JSON.stringify(message)}\n`);
  send({ type: 'hello', netns: readlinkSync('/proc/self/ns/net') });
  const exercise = await loadExerciseFile(job.exerciseFile, job.exerciseModule);
  // The submission's network is the grader's: its names are the exercise's, and any other is recorded.
  const network = await openSubmissionNetwork(exercise.hosts, tmpdir());
  try {
    const result = await gradeSubmission({ ...job, exercise, network, onCheckResult: (check) => send({ type: 'check', check }) });
    send({ type: 'result', result });
  } finally {
    await network.close();
  }
}
