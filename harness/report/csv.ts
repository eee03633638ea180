import { stringify } from 'csv-stringify/sync';
import { compareIds } from './order.ts';
import type { BatchResult } from './types.ts';

/** What the row under the header is called: a name no student folder has (they never start with a parenthesis in practice, and it sorts apart). */
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
    return [guardFormula(student), ...exercises.map((exercise) => row.get(exercise) ?? ''), sum(row.values())];
  });
  const max = [MAX_ROW, ...exercises.map((exercise) => maxima.get(exercise)!), sum(maxima.values())];
  // RFC 4180 ends records with CRLF and quotes any field holding a line break; csv-stringify
  // quotes only fields holding the whole CRLF, so bare CR or LF need `quoted_match`.
  return stringify([['student', ...exercises.map(guardFormula), 'total'], max, ...rows], { record_delimiter: 'windows', quoted_match: /[\r\n]/ });
}

/**
 * Spreadsheets run a cell that starts with `=`, `+`, `-` or `@` (or a tab or CR, which some skip
 * before looking) as a formula; a student chooses their folder's name, so a leading `'` keeps it text.
 */
export function guardFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}
