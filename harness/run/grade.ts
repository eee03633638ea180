import type { SubmissionNetwork } from '../network/submission-network.ts';
import path from 'node:path';
import type { Exercise, ResolvedCheck } from '../exercise/types.ts';
import { formatSeconds } from '../report/format.ts';
import type { CheckResult, SubmissionResult } from '../report/types.ts';
import type { SubmissionRun } from './context.ts';
import { runCheck, unrunCheck } from './run-check.ts';
import { prepareSubmission } from '../submission/prepare.ts';
import type { Readiness } from '../process/program.ts';
import { hasProcfs } from '../process/proc.ts';
import { takePortTurn } from '../process/port-lock.ts';
import type { LanguageId } from '../language/language.ts';
import { LANGUAGES } from '../language/languages.ts';

/** How to grade one submission. */
export interface GradeOptions {
  exercise: Exercise;
  /** The student's folder. */
  dir: string;
  seed: number;
  /** Multiplies every time limit, for slow machines. */
  timeoutFactor: number;
  /** The whole submission's time limit in ms (already scaled); checks past it are failed unrun. */
  submissionTimeoutMs: number;
  /** Run the build and every program in a bubblewrap sandbox (see harness/sandbox). */
  sandbox: boolean;
  /** The language to grade when the folder holds programs in several (`--language`). */
  language?: LanguageId;
  /** How to detect a listening program; by default /proc on Linux, a connection elsewhere. */
  readiness?: Readiness;
  /** Called as each check finishes, for live progress. */
  onCheckResult?: (result: CheckResult) => void;
  /** Cancels the grading: its programs are stopped and the promise rejects with the signal's reason. */
  signal?: AbortSignal;
  /** The submission's private network, when a grading worker has one: its names, and the grader's servers on it. */
  network?: SubmissionNetwork;
}

/** Grades one submission: runs its checks in order, skipping those whose dependencies did not pass. */
export async function gradeSubmission(options: GradeOptions): Promise<SubmissionResult> {
  // A port the exercise names is its network's: one grading at a time on it. (A worker's network
  // is the submission's own, where nobody else waits; without one, the machine's.) The time
  // limit starts once it is this grading's turn.
  const port = options.exercise.port;
  const release = port === undefined ? undefined : await takePortTurn(port, options.signal);
  try {
    return await gradeInTurn(options);
  } finally {
    await release?.();
  }
}

async function gradeInTurn(options: GradeOptions): Promise<SubmissionResult> {
  const started = performance.now();
  const deadline = started + options.submissionTimeoutMs;
  const ms = (duration: number) => Math.round(duration * options.timeoutFactor);
  const entry = { entry: options.exercise.entry, languages: options.exercise.languages.map((id) => LANGUAGES[id]), ...(options.language && { chosen: LANGUAGES[options.language] }) };
  const submission = await prepareSubmission(path.resolve(options.dir), entry, { sandbox: options.sandbox, ms });
  let launches = 0;
  const run: SubmissionRun = {
    submission,
    exerciseEnv: options.exercise.env,
    ...(options.exercise.port !== undefined && { fixedPort: options.exercise.port }),
    seed: options.seed,
    timeoutFactor: options.timeoutFactor,
    countLaunch: () => void launches++,
    readiness: options.readiness ?? (hasProcfs ? 'procfs' : 'connect'),
    ...(options.network && { network: options.network }),
  };
  const results: CheckResult[] = [];
  try {
    for (const check of options.exercise.checks) {
      options.signal?.throwIfAborted();
      const remaining = deadline - performance.now();
      const result = gateCheck(check, results, remaining, options.submissionTimeoutMs)
        ?? (await runCheck(check, run, Math.min(check.timeoutMs * options.timeoutFactor, remaining), options.signal));
      results.push(result);
      options.onCheckResult?.(result);
    }
  } finally {
    await submission.dispose();
  }
  const score = sum(results.map((r) => r.points));
  return {
    exercise: options.exercise.id,
    submission: submission.sourceDir,
    passed: results.every((r) => r.status === 'pass'),
    score,
    maxScore: sum(results.map((r) => r.maxPoints)),
    seed: options.seed,
    durationMs: Math.round(performance.now() - started),
    designedWaitMs: sum(results.map((r) => r.designedWaitMs)),
    launches,
    checks: results,
  };
}

// Too little time to start a program; also absorbs timers that fire a millisecond early.
const MIN_CHECK_BUDGET_MS = 100;

// A check is not run when a dependency did not pass, or when the submission is out of time.
function gateCheck(check: ResolvedCheck, done: readonly CheckResult[], remainingMs: number, limitMs: number): CheckResult | undefined {
  const blocker = done.find((r) => check.dependsOn.includes(r.id) && r.status !== 'pass');
  if (!blocker && remainingMs >= MIN_CHECK_BUDGET_MS) return undefined;
  const message = blocker
    ? `Skipped: it needs "${blocker.title}" (${blocker.id}) to pass first.`
    : `Not run: grading this submission took longer than its time limit (${formatSeconds(limitMs)}).`;
  return unrunCheck(check, blocker ? 'skip' : 'fail', message);
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
