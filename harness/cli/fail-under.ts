import type { SubmissionResult } from '../report/types.ts';

/** `--fail-under 80`: some submission scored under 80% of its points (the command then exits with 1). */
export function failsThreshold(results: readonly SubmissionResult[], failUnder: number | undefined): boolean {
  return failUnder !== undefined && results.some((r) => r.maxScore > 0 && (r.score / r.maxScore) * 100 < failUnder);
}
