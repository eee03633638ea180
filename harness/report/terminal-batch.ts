import { createColors } from 'picocolors';
import { formatSeconds, plural } from './format.ts';
import { safeLine } from './safe-text.ts';
import type { TerminalStyle } from './terminal.ts';
import type { BatchResult, StudentResult } from './types.ts';

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
  const lines = [
    '',
    c.bold(`Class summary · ${batch.exercise}${batch.shard ? ` · shard ${batch.shard.index}/${batch.shard.count}` : ''}`),
    `${plural(summary.submissions, 'submission')} · ${summary.passed} passed every check · mean ${summary.meanScore}/${summary.maxScore} · median ${summary.medianScore}/${summary.maxScore} · ${formatSeconds(batch.durationMs)}`,
    '',
    c.bold('Scores'),
    ...summary.histogram.map((bin) => `  ${`${bin.from}–${bin.to}`.padStart(11)} ${'█'.repeat(Math.round((bin.count / widest) * BAR_WIDTH)).padEnd(BAR_WIDTH)} ${bin.count}`),
    '',
    c.bold('Checks, hardest first'),
    ...[...summary.checks]
      .sort((a, b) => a.passRate - b.passRate)
      .slice(0, SHOWN_CHECKS)
      .map((check) => `  ${`${Math.round(check.passRate * 100)}%`.padStart(4)}  ${check.exercise}/${check.id} ${c.dim(`(${check.passed}/${check.total})`)}`),
    c.dim(`seed ${batch.seed}`),
    '',
  ];
  return lines.join('\n');
}
