import { describe, expect, test } from 'vitest';
import { byteLength } from './cap.ts';
import { MARKDOWN_MAX_BYTES, escapeCell, renderMarkdown } from './markdown.ts';
import { makeBatch, makeCheck, makeStudent, sampleChecks } from '../../test/helpers/results.ts';
import type { BatchResult } from './types.ts';

/** Reads a GFM table row back into its cells' text: splits on unescaped pipes, then undoes escapes and <br>. */
function cells(row: string): string[] {
  expect(row).toMatch(/^\| .* \|$/);
  return row
    .slice(2, -2)
    .split(/(?<!\\)((?:\\\\)*) \| /)
    .reduce<string[]>((parts, piece, i) => (i % 2 === 1 ? (parts[parts.length - 1] += piece, parts) : [...parts, piece]), [])
    .map((cell) => cell.replace(/<br>/g, '\n').replace(/\\(.)/g, '$1'));
}

/** The tables of a document, each as its header's cells and its rows' cells. */
function tables(markdown: string): { header: string[]; rows: string[][] }[] {
  const found: { header: string[]; rows: string[][] }[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i]!.startsWith('| ') || !/^\|( --- \|)+$/.test(lines[i + 1] ?? '')) continue;
    const header = cells(lines[i]!);
    const rows: string[][] = [];
    for (i += 2; lines[i]?.startsWith('| '); i++) rows.push(cells(lines[i]!));
    expect(rows.every((row) => row.length === header.length)).toBe(true);
    found.push({ header, rows });
  }
  return found;
}

function classBatch(): BatchResult {
  const perfect = sampleChecks().map((check) => ({ ...check, status: 'pass' as const, points: check.maxPoints }));
  return makeBatch('tcp-echo', [makeStudent('carol', 'tcp-echo', sampleChecks()), makeStudent('alice', 'tcp-echo', perfect), makeStudent('bob', 'tcp-echo', sampleChecks())]);
}

describe('renderMarkdown', () => {
  test('it opens with a heading naming the exercise and counts, then the summary line', () => {
    const lines = renderMarkdown(classBatch()).split('\n');
    expect(lines[0]).toBe('## netgrade: tcp-echo — 3 submissions, 1 passed');
    expect(lines[2]).toBe('3 submissions · 1 passed every check · mean 5.67/11 · median 3/11');
  });

  test('it has a row per submission, sorted by student, with score, passed checks and the ids of the rest', () => {
    const [students] = tables(renderMarkdown(classBatch()));
    expect(students!.header).toEqual(['Student', 'Exercise', 'Score', 'Passed checks', 'Failed checks']);
    expect(students!.rows).toEqual([
      ['alice', 'tcp-echo', '11/11', '6/6', '—'],
      ['bob', 'tcp-echo', '3/11', '2/6', 'echoes-line, echoes-many (skipped), closes-cleanly (grader error), many-clients'],
      ['carol', 'tcp-echo', '3/11', '2/6', 'echoes-line, echoes-many (skipped), closes-cleanly (grader error), many-clients'],
    ]);
  });

  test('it lists the pass rate of every check where it ran, lowest first, with the skipped and missing counted apart', () => {
    const [, checks] = tables(renderMarkdown(classBatch()));
    expect(checks!.header).toEqual(['Exercise', 'Check', 'Title', 'Passed', 'Pass rate', 'Skipped', 'Missing']);
    expect(checks!.rows.map((row) => [row[1], ...row.slice(3)])).toEqual([
      ['closes-cleanly', '1/3', '33%', '0', '0'],
      ['echoes-line', '1/3', '33%', '0', '0'],
      ['many-clients', '1/3', '33%', '0', '0'],
      // Skipped by bob and carol, whose echoes-line failed: it passed where it ran.
      ['binary-safe', '3/3', '100%', '0', '0'],
      ['echoes-many', '1/1', '100%', '2', '0'],
      ['listens', '3/3', '100%', '0', '0'],
    ]);
  });

  test('a single-exercise batch with an empty folder counts it as missing, in the summary line and the pass rates', () => {
    const empty = makeStudent('dan', 'tcp-echo', [makeCheck({ id: 'listens', status: 'fail', message: 'Not graded: the folder is empty.' })], { missing: 'the folder is empty' });
    const markdown = renderMarkdown(makeBatch('tcp-echo', [makeStudent('amy', 'tcp-echo', [makeCheck({ id: 'listens' })]), empty]));
    expect(markdown.split('\n')[2]).toBe('2 submissions · 1 passed every check · 1 missing · mean 0.5/1 · median 0.5/1');
    const [, checks] = tables(markdown);
    expect(checks!.rows).toEqual([['tcp-echo', 'listens', 'Check listens', '1/1', '100%', '0', '1']]);
  });

  test('a check no submission ran reads as not run', () => {
    const checks = [makeCheck({ id: 'compiles', status: 'fail' }), makeCheck({ id: 'echoes', status: 'skip' })];
    const [, rates] = tables(renderMarkdown(makeBatch('tcp-echo', [makeStudent('amy', 'tcp-echo', checks)])));
    expect(rates!.rows.map((row) => row.slice(3))).toEqual([['0/1', '0%', '0', '0'], ['0/0', 'not run', '1', '0']]);
  });

  test('a student name with characters that show nothing, or controls, reads as their escapes', () => {
    const batch = makeBatch('tcp-echo', ['amy', 'amy\u200b', 'amy\u202eevil\x1b'].map((student) => makeStudent(student, 'tcp-echo', [makeCheck({ id: 'x' })])));
    const markdown = renderMarkdown(batch);
    expect(markdown).not.toMatch(/[\u200b\u202e\x1b]/);
    const [students] = tables(markdown);
    expect(students!.rows.map((row) => row[0])).toEqual(['amy', 'amy\\u200b', 'amy\\u202eevil\\x1b']);
  });

  test('escapeCell escapes pipes and backslashes and turns line breaks into <br>', () => {
    expect(escapeCell('a|b\\c\nd\r\ne')).toBe('a\\|b\\\\c<br>d<br>e');
  });

  test('a batch of all exercises shows the exercise of each row and of each check', () => {
    const batch = makeBatch('all', [makeStudent('alice', 'udp-time', [makeCheck({ id: 'replies' })]), makeStudent('alice', 'tcp-echo', [makeCheck({ id: 'listens', status: 'fail' })])]);
    const markdown = renderMarkdown(batch);
    expect(markdown.split('\n')[0]).toBe('## netgrade: all — 1 submission, 0 passed');
    const [students, checks] = tables(markdown);
    expect(students!.rows.map((row) => row.slice(0, 2))).toEqual([['alice', 'tcp-echo'], ['alice', 'udp-time']]);
    expect(checks!.rows.map((row) => row.slice(0, 2))).toEqual([['tcp-echo', 'listens'], ['udp-time', 'replies']]);
  });

  test('a summary that fits has no note about cut rows', () => {
    expect(renderMarkdown(classBatch())).not.toContain('cut to keep');
  });

  test('a huge class is cut by whole rows to stay within 1 MiB, ending with how many rows were cut', () => {
    const students = Array.from({ length: 12_000 }, (_, i) => makeStudent(`student-${String(i).padStart(5, '0')}-${'x'.repeat(40)}`, 'tcp-echo', sampleChecks()));
    const markdown = renderMarkdown(makeBatch('tcp-echo', students));
    expect(byteLength(markdown)).toBeLessThanOrEqual(MARKDOWN_MAX_BYTES);
    expect(byteLength(markdown)).toBeGreaterThan(MARKDOWN_MAX_BYTES - 1000);
    const [shown, checks] = tables(markdown);
    const last = markdown.trimEnd().split('\n').at(-1)!;
    const cut = Number(last.match(/^_([\d,]+) table rows cut to keep this summary under GitHub's 1 MiB limit/)![1]!.replaceAll(',', ''));
    expect(shown!.rows.length + cut).toBe(12_000);
    expect(shown!.rows.at(-1)![0]).toBe(`student-${String(shown!.rows.length - 1).padStart(5, '0')}-${'x'.repeat(40)}`);
    expect(checks!.rows).toHaveLength(6);
  });

  test('enormous rows are dropped whole, before any ordinary row', () => {
    const huge = ['a', 'b', 'c'].map((letter) => makeCheck({ id: `${letter}-${'y'.repeat(400_000)}`, title: `Check ${letter}`, status: 'fail' }));
    const batch = makeBatch('tcp-echo', [makeStudent('alice', 'tcp-echo', [makeCheck({ id: 'ok' })]), makeStudent('zed', 'tcp-echo', huge)]);
    const markdown = renderMarkdown(batch);
    expect(byteLength(markdown)).toBeLessThanOrEqual(MARKDOWN_MAX_BYTES);
    const [students, checks] = tables(markdown);
    expect(students!.rows.map((row) => row[0])).toEqual(['alice']);
    // Dropping zed's row and one enormous check row is enough; the ordinary row stays.
    expect(checks!.rows.map((row) => row[1]!.slice(0, 2))).toEqual(['a-', 'b-', 'ok']);
    expect(markdown.trimEnd().split('\n').at(-1)).toMatch(/^_2 table rows cut/);
  });
});
