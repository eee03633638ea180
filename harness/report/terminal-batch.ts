import { createColors } from 'picocolors';
import { formatSeconds, plural } from './format.ts';
import { byDifficulty, describeNotRun, formatPassRate } from './pass-rate.ts';
import { safeLine } from './safe-text.ts';
import type { TerminalStyle } from './terminal.ts';
import type { BatchResult, CheckSummary, StudentResult } from './types.ts';

const BAR_WIDTH = 30;
const SHOWN_CHECKS = 10;

/** One line per finished submission, for logs and CI (no terminal control codes). */
export function renderProgressLine(result: StudentResult, done: number, total: number, style: TerminalStyle): string {
  const c = createColors(style.color);
  const verdict = result.passed ? c.green('PASS') : result.checks.some((check) => check.status === 'error') ? c.magenta('ERROR') : c.red('FAIL');
  const counter = `[${String(done).padStart(String(total).length)}/${total}]`;
  return `${counter} ${verdict} ${safeLine(result.student)} ${c.dim(result.exercise)} ${result.score}/${result.maxScore} ${c.dim(formatSeconds(result.durationMs))}\n`;
}

/** The class summary: counts, mean and median, a score histogram, and the checks that trip students up. */
export function renderBatchSummary(batch: BatchResult, style: TerminalStyle): string {
  const c = createColors(style.color);
  const { summary } = batch;
  const widest = Math.max(1, ...summary.histogram.map((bin) => bin.count));
  const counts = [plural(summary.submissions, 'submission'), `${summary.passed} passed every check`];
  if (summary.missing > 0) counts.push(`${summary.missing} missing`);
  counts.push(`mean ${summary.meanScore}/${summary.maxScore}`, `median ${summary.medianScore}/${summary.maxScore}`, formatSeconds(batch.durationMs));
  const hardest = [...summary.checks].sort(byDifficulty);
  const more = hardest.length - SHOWN_CHECKS;
  const lines = [
    '',
    c.bold(`Class summary · ${batch.exercise}${batch.shard ? ` · shard ${batch.shard.index}/${batch.shard.count}` : ''}`),
    counts.join(' · '),
    '',
    c.bold('Scores'),
    ...summary.histogram.map((bin) => `  ${`${bin.from}–${bin.to}`.padStart(11)} ${'█'.repeat(Math.round((bin.count / widest) * BAR_WIDTH)).padEnd(BAR_WIDTH)} ${bin.count}`),
    '',
    c.bold('Checks, hardest first (pass rate where each ran)'),
    ...hardest.slice(0, SHOWN_CHECKS).map((check) => `  ${formatPassRate(check).padStart(7)}  ${check.exercise}/${check.id} ${c.dim(`(${describeCounts(check)})`)}`),
    ...(more > 0 ? [c.dim(`  … and ${plural(more, 'more check')} (see --html or --json)`)] : []),
    c.dim(`seed ${batch.seed}`),
    '',
  ];
  return lines.join('\n');
}

// `1/3 passed · 2 skipped · 1 missing`: of the submissions that ran the check, then those that did not.
function describeCounts(check: CheckSummary): string {
  return [check.ran > 0 ? `${check.passed}/${check.ran} passed` : '', describeNotRun(check)].filter((part) => part !== '').join(' · ');
}
