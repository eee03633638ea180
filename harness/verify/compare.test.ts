import { describe, expect, test } from 'vitest';
import { compareVerdicts } from './compare.ts';
import { makeCheck, makeStudent } from '../../test/helpers/results.ts';

const graded = makeStudent('fixture', 'demo', [
  makeCheck({ id: 'a', maxPoints: 2 }),
  makeCheck({ id: 'b', maxPoints: 1, status: 'fail', message: 'Your program was still running 2 s after its summary.' }),
]);

describe('comparing a graded fixture with its expect.json', () => {
  test('holds when the verdicts and the score are the ones expected', () => {
    expect(compareVerdicts(graded, { why: 'never exits', fails: ['b'], skips: [], score: '2/3' })).toEqual([]);
  });

  test('names the score it got when the expected score differs, though every verdict is right', () => {
    expect(compareVerdicts(graded, { why: 'never exits', fails: ['b'], skips: [], score: '1/3' })).toEqual(['scored 2/3, expected 1/3']);
  });

  test('names a failure it did not expect, with its message', () => {
    expect(compareVerdicts(graded, { why: 'correct', fails: [], skips: [] })).toEqual(['failed b, expected none', '  b: Your program was still running 2 s after its summary.']);
  });
});
