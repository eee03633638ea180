import { formatCount } from './format.ts';
import { compareIds } from './order.ts';
import type { CheckSummary } from './types.ts';

/** Orders checks hardest first: by pass rate where they ran, then by exercise and id; checks that never ran come last, having no rate. */
export function byDifficulty(a: CheckSummary, b: CheckSummary): number {
  return Number(a.ran === 0) - Number(b.ran === 0) || a.passRate - b.passRate || compareIds(a.exercise, b.exercise) || compareIds(a.id, b.id);
}

/** A check's pass rate for people: `60%`, or `not run` when no submission ran it. */
export function formatPassRate(rate: CheckSummary): string {
  return rate.ran === 0 ? 'not run' : `${Math.round(rate.passRate * 100)}%`;
}

/** The submissions that did not run a check, for people: `5 skipped · 3 missing`, or `''` when every one ran it. */
export function describeNotRun(rate: CheckSummary): string {
  const parts: string[] = [];
  if (rate.skipped > 0) parts.push(`${formatCount(rate.skipped)} skipped`);
  if (rate.missing > 0) parts.push(`${formatCount(rate.missing)} missing`);
  return parts.join(' · ');
}
