import { stringify } from 'csv-stringify/sync';
import type { BatchResult } from './types.ts';

/** A gradebook: one row per student, one column per exercise, and the total. */
export function renderCsv(batch: BatchResult): string {
  const exercises = [...new Set(batch.submissions.map((result) => result.exercise))].sort();
  const scores = new Map<string, Map<string, number>>();
  for (const result of batch.submissions) {
    const row = scores.get(result.student) ?? new Map<string, number>();
    row.set(result.exercise, result.score);
    scores.set(result.student, row);
  }
  const rows = [...scores.keys()].sort().map((student) => {
    const row = scores.get(student)!;
    const total = [...row.values()].reduce((sum, score) => sum + score, 0);
    return [guardFormula(student), ...exercises.map((exercise) => row.get(exercise) ?? ''), Number(total.toFixed(6))];
  });
  // RFC 4180 ends records with CRLF and quotes any field holding a line break; csv-stringify
  // quotes only fields holding the whole CRLF, so bare CR or LF need `quoted_match`.
  return stringify([['student', ...exercises.map(guardFormula), 'total'], ...rows], { record_delimiter: 'windows', quoted_match: /[\r\n]/ });
}

/**
 * Spreadsheets run a cell that starts with `=`, `+`, `-` or `@` (or a tab or CR, which some skip
 * before looking) as a formula; a student chooses their folder's name, so a leading `'` keeps it text.
 */
export function guardFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}
