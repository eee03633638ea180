import { byteLength } from './cap.ts';
import { plural } from './format.ts';
import { byStudentThenExercise } from './order.ts';
import { byDifficulty, formatPassRate } from './pass-rate.ts';
import { escapeUnseen } from './safe-text.ts';
import type { BatchResult, CheckResult, StudentResult } from './types.ts';

/** GitHub refuses a job summary over 1 MiB, and shows none of it then. */
export const MARKDOWN_MAX_BYTES = 1024 * 1024;

const OVERSIZED_ROW_BYTES = 64 * 1024;

/** A table: its header lines, and body rows that may be cut to fit the size limit. */
interface Table {
  head: string[];
  rows: string[];
}

/**
 * A GitHub-flavoured Markdown summary of a batch, for the job summary: counts, one row per
 * submission, and pass rates (of the submissions where each check ran; the skipped and missing
 * ones in columns of their own).
 */
export function renderMarkdown(batch: BatchResult): string {
  const { summary } = batch;
  const shard = batch.shard ? ` (shard ${batch.shard.index}/${batch.shard.count})` : '';
  const counts = [plural(summary.submissions, 'submission'), `${summary.passed} passed every check`];
  if (summary.missing > 0) counts.push(`${summary.missing} missing`);
  counts.push(`mean ${summary.meanScore}/${summary.maxScore}`, `median ${summary.medianScore}/${summary.maxScore}`);
  const intro = [`## netgrade: ${escapeCell(batch.exercise)}${shard} — ${plural(summary.submissions, 'submission')}, ${summary.passed} passed`, '', counts.join(' · '), ''];
  const students = table(['Student', 'Exercise', 'Score', 'Passed checks', 'Failed checks'], [...batch.submissions].sort(byStudentThenExercise).map(studentRow));
  const rates = [...summary.checks].sort(byDifficulty);
  const checks = table(
    ['Exercise', 'Check', 'Title', 'Passed', 'Pass rate', 'Skipped', 'Missing'],
    rates.map((rate) => [rate.exercise, rate.id, rate.title, `${rate.passed}/${rate.ran}`, formatPassRate(rate), String(rate.skipped), String(rate.missing)]),
  );
  const cut = cutRows(intro, [students, checks]);
  const note = cut > 0 ? ['', cutNote(cut)] : [];
  return `${[...intro, ...students.head, ...students.rows, '', ...checks.head, ...checks.rows, ...note].join('\n')}\n`;
}

/**
 * A table cell's text: GitHub would read `|` as a column break, a newline as the table's end, and
 * `*_<[` and such as formatting; controls and characters that show nothing are written as their
 * escapes (`\u200b`), so `amy` and `amy` + U+200B read differently.
 */
export function escapeCell(text: string): string {
  return escapeUnseen(text).replace(/[\\`*_[\]<>|~&]/g, '\\$&').replace(/\r\n|\r|\n/g, '<br>');
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): Table {
  const line = (cells: readonly string[]) => `| ${cells.map(escapeCell).join(' | ')} |`;
  return { head: [line(header), `|${header.map(() => ' --- |').join('')}`], rows: rows.map(line) };
}

function studentRow(result: StudentResult): string[] {
  const passed = result.checks.filter((check) => check.status === 'pass').length;
  const failed = result.checks.filter((check) => check.status !== 'pass').map(failedName);
  return [result.student, result.exercise, `${result.score}/${result.maxScore}`, `${passed}/${result.checks.length}`, failed.join(', ') || '—'];
}

function failedName(check: CheckResult): string {
  if (check.status === 'error') return `${check.id} (grader error)`;
  return check.status === 'skip' ? `${check.id} (skipped)` : check.id;
}

function cutNote(cut: number): string {
  return `_${plural(cut, 'table row')} cut to keep this summary under GitHub's 1 MiB limit: write --json or --csv for every result._`;
}

/**
 * Drops whole rows until the document and a closing note fit in the limit (a half row would
 * break the table), and returns how many it dropped. Rows over 64 KiB go first: one such row
 * (thousands of failed check ids) would otherwise push out thousands of ordinary ones. Then rows
 * go from the end of the submissions table, then of the pass rates, whose first rows (the checks
 * most students fail) matter most.
 */
function cutRows(intro: readonly string[], tables: Table[]): number {
  const lineBytes = (lines: readonly string[]) => lines.reduce((total, line) => total + byteLength(line) + 1, 0);
  const rowCount = tables.reduce((total, t) => total + t.rows.length, 0);
  let size = lineBytes(intro) + tables.reduce((total, t) => total + lineBytes(t.head) + lineBytes(t.rows) + 1, 0);
  if (size <= MARKDOWN_MAX_BYTES) return 0;
  // Room for the note (and the blank line before it), counted with the largest number it could show.
  const budget = MARKDOWN_MAX_BYTES - byteLength(cutNote(rowCount)) - 2;
  let cut = 0;
  const drop = (t: Table, index: number) => {
    size -= byteLength(t.rows.splice(index, 1)[0]!) + 1;
    cut++;
  };
  for (const t of tables) {
    for (let i = t.rows.length - 1; i >= 0 && size > budget; i--) if (byteLength(t.rows[i]!) > OVERSIZED_ROW_BYTES) drop(t, i);
  }
  for (const t of tables) {
    while (size > budget && t.rows.length > 0) drop(t, t.rows.length - 1);
  }
  return cut;
}
