import { stringify } from 'csv-stringify/sync';
import { compareIds } from './order.ts';
import { escapeUnseen } from './safe-text.ts';
import type { BatchResult } from './types.ts';

/** What the row under the header is called; a student's cell never starts with a parenthesis (see `studentCell`), so no student reads as it. */
export const MAX_ROW = '(max points)';

/** A gradebook: one row per student, one column per exercise, and the total; under the header, each column's maximum. */
export function renderCsv(batch: BatchResult): string {
  const exercises = [...new Set(batch.submissions.map((result) => result.exercise))].sort(compareIds);
  const maxima = new Map(batch.submissions.map((result) => [result.exercise, result.maxScore]));
  const scores = new Map<string, Map<string, number>>();
  for (const result of batch.submissions) {
    const row = scores.get(result.student) ?? new Map<string, number>();
    row.set(result.exercise, result.score);
    scores.set(result.student, row);
  }
  const sum = (values: Iterable<number>) => Number([...values].reduce((total, value) => total + value, 0).toFixed(6));
  const rows = [...scores.keys()].sort(compareIds).map((student) => {
    const row = scores.get(student)!;
    return [studentCell(student), ...exercises.map((exercise) => row.get(exercise) ?? ''), sum(row.values())];
  });
  const max = [MAX_ROW, ...exercises.map((exercise) => maxima.get(exercise)!), sum(maxima.values())];
  // RFC 4180 ends records with CRLF and quotes any field holding a line break; csv-stringify
  // quotes only fields holding the whole CRLF, so bare CR or LF need `quoted_match`.
  return stringify([['student', ...exercises.map((exercise) => guardFormula(escapeUnseen(exercise))), 'total'], max, ...rows], { record_delimiter: 'windows', quoted_match: /[\r\n]/ });
}

// Where a spreadsheet may start a cell: the field's start, and after any character some reader
// splits at (a comma, the semicolon of German and French locales, a tab, a line break).
const PIECE_START = /(^|[,;\t\r\n])(?=[^\S\t\r\n]*[=+\-@]|')/g;

/**
 * Text a student chose, as a cell no spreadsheet runs as a formula. A cell that starts with `=`,
 * `+`, `-` or `@` (after spaces, which some skip) is one, and a spreadsheet may split a field at
 * `,` `;` a tab or a line break: every such piece gets a leading `'`, the spreadsheets' mark for
 * text, and so does a field that starts with a tab or CR. A piece that already starts with `'`
 * gets a second one, so the mark is always one added character and two names never share a cell.
 */
export function guardFormula(text: string): string {
  return text.replace(PIECE_START, "$1'").replace(/^(?=[\t\r])/, "'");
}

/**
 * A student's name in the first column: characters that show nothing written as escapes
 * (`amy\u200b`), guarded against formulas, and marked with `'` when it starts with a
 * parenthesis, so that `(max points)` (or ` (Max Points)`) handed in as a folder never reads as
 * the maxima row.
 */
function studentCell(student: string): string {
  const cell = guardFormula(escapeUnseen(student));
  return /^[^\S\t\r\n]*\(/.test(cell) ? `'${cell}` : cell;
}
