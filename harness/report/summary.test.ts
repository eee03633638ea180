import { describe, expect, test } from 'vitest';
import { makeCheck, makeStudent } from '../../test/helpers/results.ts';
import { byDifficulty, describeNotRun, formatPassRate } from './pass-rate.ts';
import { summarize } from './summary.ts';
import type { CheckResult, StudentResult } from './types.ts';

// compiles, then echoes (which needs compiles), then many (which needs echoes).
function graded(student: string, compiles: boolean, echoes = compiles): StudentResult {
  const checks: CheckResult[] = [
    makeCheck({ id: 'compiles', status: compiles ? 'pass' : 'fail' }),
    makeCheck({ id: 'echoes', status: compiles ? (echoes ? 'pass' : 'fail') : 'skip' }),
    makeCheck({ id: 'many', status: compiles && echoes ? 'pass' : 'skip' }),
  ];
  return makeStudent(student, 'echo', checks);
}

function missing(student: string): StudentResult {
  const checks = ['compiles', 'echoes', 'many'].map((id) => makeCheck({ id, status: 'fail', message: 'Not graded: the folder is empty.' }));
  return makeStudent(student, 'echo', checks, { missing: 'the folder is empty' });
}

describe('the class summary', () => {
  test("a check's pass rate is of the submissions where it ran: skipped checks and missing submissions count apart", () => {
    const summary = summarize([graded('a', true), graded('b', true, false), graded('c', false), graded('d', false), missing('e')]);
    const rates = Object.fromEntries(summary.checks.map((rate) => [rate.id, rate]));
    expect(rates.compiles).toMatchObject({ passed: 2, ran: 4, skipped: 0, missing: 1, total: 5, passRate: 0.5 });
    // Failing to compile is not failing to echo: echoes passed 1 of the 2 that ran it.
    expect(rates.echoes).toMatchObject({ passed: 1, ran: 2, skipped: 2, missing: 1, total: 5, passRate: 0.5 });
    expect(rates.many).toMatchObject({ passed: 1, ran: 1, skipped: 3, missing: 1, total: 5, passRate: 1 });
    expect(summary.missing).toBe(1);
    expect(summary.submissions).toBe(5);
  });

  test('a check no submission ran has a rate of 0, shown as not run, and comes after every check that ran', () => {
    const summary = summarize([graded('a', false), graded('b', false), missing('c')]);
    const sorted = [...summary.checks].sort(byDifficulty);
    expect(sorted.map((rate) => [rate.id, formatPassRate(rate), describeNotRun(rate)])).toEqual([
      ['compiles', '0%', '1 missing'],
      ['echoes', 'not run', '2 skipped · 1 missing'],
      ['many', 'not run', '2 skipped · 1 missing'],
    ]);
    expect(sorted[1]!.passRate).toBe(0);
  });

  test('checks are hardest first, then by exercise and id', () => {
    const summary = summarize([graded('a', true, false), graded('b', true)]);
    expect([...summary.checks].sort(byDifficulty).map((rate) => [rate.id, formatPassRate(rate), describeNotRun(rate)])).toEqual([
      ['echoes', '50%', ''],
      ['compiles', '100%', ''],
      ['many', '100%', '1 skipped'],
    ]);
  });
});
