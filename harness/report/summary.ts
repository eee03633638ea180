import type { BatchSummary, CheckSummary, StudentResult } from './types.ts';

const BINS = 10;

/** The class at a glance: scores per student (summed over exercises), and the pass rate of every check where it ran. */
export function summarize(results: readonly StudentResult[]): BatchSummary {
  const byStudent = new Map<string, { score: number; maxScore: number; passed: boolean }>();
  for (const result of results) {
    const total = byStudent.get(result.student) ?? { score: 0, maxScore: 0, passed: true };
    byStudent.set(result.student, {
      score: total.score + result.score,
      maxScore: total.maxScore + result.maxScore,
      passed: total.passed && result.passed,
    });
  }
  const totals = [...byStudent.values()];
  const scores = totals.map((t) => t.score).sort((a, b) => a - b);
  const maxScore = Math.max(0, ...totals.map((t) => t.maxScore));
  return {
    submissions: totals.length,
    passed: totals.filter((t) => t.passed).length,
    missing: results.filter((result) => result.missing).length,
    meanScore: round(scores.reduce((sum, s) => sum + s, 0) / (scores.length || 1)),
    medianScore: round(median(scores)),
    maxScore,
    histogram: histogram(scores, maxScore),
    checks: checkPassRates(results),
  };
}

function median(sorted: readonly number[]): number {
  if (sorted.length === 0) return 0;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function histogram(scores: readonly number[], maxScore: number): BatchSummary['histogram'] {
  const width = maxScore / BINS;
  const bins = Array.from({ length: BINS }, (_, i) => ({ from: round(i * width), to: round((i + 1) * width), count: 0 }));
  for (const score of scores) {
    const index = maxScore === 0 ? BINS - 1 : Math.min(BINS - 1, Math.floor(score / width));
    bins[index]!.count++;
  }
  return bins;
}

// A check skipped because one it needs failed, or one of a submission that is missing, says
// nothing about the check itself: it counts apart, and the rate is of the submissions where it ran.
function checkPassRates(results: readonly StudentResult[]): CheckSummary[] {
  const rates = new Map<string, CheckSummary>();
  for (const result of results) {
    for (const check of result.checks) {
      const key = `${result.exercise}\0${check.id}`;
      const rate = rates.get(key) ?? { exercise: result.exercise, id: check.id, title: check.title, passed: 0, total: 0, ran: 0, skipped: 0, missing: 0, passRate: 0 };
      rate.total++;
      if (result.missing) rate.missing++;
      else if (check.status === 'skip') rate.skipped++;
      else rate.ran++;
      if (check.status === 'pass' && !result.missing) rate.passed++;
      rate.passRate = rate.ran === 0 ? 0 : round(rate.passed / rate.ran, 4);
      rates.set(key, rate);
    }
  }
  return [...rates.values()];
}

function round(value: number, digits = 2): number {
  return Number(value.toFixed(digits));
}
