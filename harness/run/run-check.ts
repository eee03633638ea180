import { isCheckFailure } from '../errors.ts';
import { hintFor, type LanguageId } from '../language/language.ts';
import type { Exercise, ResolvedCheck } from '../exercise/types.ts';
import { formatSeconds } from '../report/format.ts';
import type { CheckResult, CheckStatus, SubmissionResult } from '../report/types.ts';
import { openCheckScope, type SubmissionRun } from './context.ts';

type Verdict = Pick<CheckResult, 'status' | 'message' | 'details' | 'hint'>;

/**
 * Runs one check within its time limit and turns what happened into a result: a CheckFailure is
 * the student's fail, anything else thrown is the grader's error. Whatever the check started is
 * stopped before this returns, also when `signal` cancels the check (which then rejects).
 */
export async function runCheck(check: ResolvedCheck, run: SubmissionRun, limitMs: number, signal?: AbortSignal): Promise<CheckResult> {
  const started = performance.now();
  const scope = openCheckScope(check.id, run);
  let timer: NodeJS.Timeout | undefined;
  let cancel: (() => void) | undefined;
  const interrupted = new Promise<'timeout' | 'cancelled'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), limitMs);
    cancel = () => resolve('cancelled');
    signal?.addEventListener('abort', cancel, { once: true });
  });
  // A check that forgets an `await` leaves a promise that rejects on its own, during the check or
  // as it closes: that is this check's error (its author's), not the end of the grading.
  const stray: unknown[] = [];
  const onStray = (reason: unknown) => void stray.push(reason);
  process.on('unhandledRejection', onStray);
  let verdict: Verdict;
  try {
    const outcome = await Promise.race([check.run(scope.ctx).then(() => 'done' as const), interrupted]);
    verdict = outcome === 'done' ? { status: 'pass', message: '', details: [] } : explainTimeout(limitMs, scope.log);
  } catch (error) {
    verdict = classifyError(error, run.submission.language?.id ?? 'typescript');
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', cancel!);
  }
  const { transcript, programs, designedWaitMs } = await scope.close();
  await new Promise((resolve) => setImmediate(resolve));
  process.off('unhandledRejection', onStray);
  if (stray.length > 0 && verdict.status !== 'error') verdict = strayRejection(stray[0]);
  const note = scope.note();
  if (note) verdict = verdict.status === 'pass' ? { ...verdict, message: note.message, details: note.details } : { ...verdict, details: [...verdict.details, note.message, ...note.details] };
  signal?.throwIfAborted();
  return {
    id: check.id,
    title: check.title,
    hidden: check.hidden,
    ...verdict,
    points: verdict.status === 'pass' ? check.points : 0,
    maxPoints: check.points,
    durationMs: Math.round(performance.now() - started),
    designedWaitMs,
    log: scope.log,
    transcript,
    programs,
  };
}

function explainTimeout(limitMs: number, log: readonly string[]): Verdict {
  const lastStep = log.at(-1);
  return {
    status: 'fail',
    message: `The check did not finish within ${formatSeconds(limitMs)}; it was stopped${lastStep ? ` while ${lastStep}` : ''}.`,
    details: [],
  };
}

function strayRejection(reason: unknown): Verdict {
  const failure = reason instanceof Error ? reason : new Error(String(reason));
  return {
    status: 'error',
    message: `The check itself failed; this is not your fault, please report it: a promise of the check's rejected after nobody awaited it (a missing await in the exercise?): ${failure.message}`,
    details: (failure.stack ?? '').split('\n').slice(1, 8).map((line) => line.trim()),
  };
}

function classifyError(error: unknown, language: LanguageId): Verdict {
  if (isCheckFailure(error)) {
    const hint = hintFor(error.hint, language);
    return { status: 'fail', message: error.message, details: error.details, ...(hint === undefined ? {} : { hint }) };
  }
  const failure = error instanceof Error ? error : new Error(String(error));
  return {
    status: 'error',
    message: `The grader itself failed in this check; this is not your fault, please report it: ${failure.message}`,
    details: (failure.stack ?? '').split('\n').slice(1, 8).map((line) => line.trim()),
  };
}

/** The result of a check that never ran (skipped, out of time, or the grader broke first). */
export function unrunCheck(check: ResolvedCheck, status: CheckStatus, message: string): CheckResult {
  return {
    id: check.id,
    title: check.title,
    hidden: check.hidden,
    status,
    points: 0,
    maxPoints: check.points,
    message,
    details: [],
    durationMs: 0,
    designedWaitMs: 0,
    log: [],
    transcript: [],
    programs: [],
  };
}

/** A submission whose checks did not run (nothing handed in, or the grader broke on it): every check says why, and scores nothing. */
export function unrunSubmission(exercise: Exercise, dir: string, seed: number, status: 'fail' | 'error', message: string, durationMs: number): SubmissionResult {
  return {
    exercise: exercise.id,
    submission: dir,
    passed: false,
    score: 0,
    maxScore: exercise.checks.reduce((sum, c) => sum + c.points, 0),
    seed,
    durationMs: Math.round(durationMs),
    designedWaitMs: 0,
    launches: 0,
    checks: exercise.checks.map((check) => unrunCheck(check, status, message)),
  };
}
