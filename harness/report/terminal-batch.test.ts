import { describe, expect, test } from 'vitest';
import { makeBatch, makeCheck, makeStudent } from '../../test/helpers/results.ts';
import { renderBatchSummary, renderProgressLine } from './terminal-batch.ts';
import type { CheckResult, StudentResult } from './types.ts';

const plain = { color: false };

// compiles, then echoes (which needs compiles).
function graded(student: string, compiles: boolean, extra: CheckResult[] = []): StudentResult {
  return makeStudent(student, 'echo', [makeCheck({ id: 'compiles', status: compiles ? 'pass' : 'fail' }), makeCheck({ id: 'echoes', status: compiles ? 'pass' : 'skip' }), ...extra]);
}

function emptyFolder(student: string): StudentResult {
  const checks = ['compiles', 'echoes'].map((id) => makeCheck({ id, status: 'fail', message: 'Not graded: the folder is empty.' }));
  return makeStudent(student, 'echo', checks, { missing: 'the folder is empty' });
}

const section = (text: string, title: string) => {
  const lines = text.split('\n');
  const start = lines.indexOf(title) + 1;
  return lines.slice(start, lines.findIndex((line, i) => i >= start && !line.startsWith('  ')));
};

describe('the class summary on the terminal', () => {
  test("a check's pass rate is of the submissions where it ran, with the skipped and missing ones counted apart", () => {
    const text = renderBatchSummary(makeBatch('echo', [graded('a', true), graded('b', false), graded('c', false), emptyFolder('d')]), plain);
    expect(section(text, 'Checks, hardest first (pass rate where each ran)')).toEqual([
      '      33%  echo/compiles (1/3 passed · 1 missing)',
      '     100%  echo/echoes (1/1 passed · 2 skipped · 1 missing)',
    ]);
  });

  test('a single-exercise batch with an empty folder counts it as missing', () => {
    const text = renderBatchSummary(makeBatch('echo', [graded('a', true), emptyFolder('b')]), plain);
    expect(text.split('\n')[2]).toMatch(/^2 submissions · 1 passed every check · 1 missing · mean /);
    expect(renderBatchSummary(makeBatch('echo', [graded('a', true)]), plain)).not.toContain('missing');
  });

  test('a check that never ran says so, after those that ran', () => {
    const text = renderBatchSummary(makeBatch('echo', [graded('a', false), graded('b', false)]), plain);
    expect(section(text, 'Checks, hardest first (pass rate where each ran)')).toEqual(['       0%  echo/compiles (0/2 passed)', '  not run  echo/echoes (2 skipped)']);
  });

  test('it shows the ten hardest checks and says how many more there are', () => {
    const extra = Array.from({ length: 15 }, (_, i) => makeCheck({ id: `c${i + 1}`, status: i < 8 ? 'fail' : 'pass' }));
    const text = renderBatchSummary(makeBatch('echo', [graded('a', true, extra)]), plain);
    const checks = section(text, 'Checks, hardest first (pass rate where each ran)');
    expect(checks).toHaveLength(11);
    expect(checks.at(-1)).toBe('  … and 7 more checks (see --html or --json)');
    const one = Array.from({ length: 9 }, (_, i) => makeCheck({ id: `c${i + 1}` }));
    expect(section(renderBatchSummary(makeBatch('echo', [graded('a', true, one)]), plain), 'Checks, hardest first (pass rate where each ran)').at(-1)).toBe(
      '  … and 1 more check (see --html or --json)',
    );
  });

  test("a progress line shows a student's invisible characters and controls as escapes", () => {
    const line = renderProgressLine(graded('amy\u200b\u202e\x1b', true), 1, 2, plain);
    expect(line).toBe('[1/2] PASS amy\\u200b\\u202e\\x1b echo 2/2 0.49 s\n');
  });
});
