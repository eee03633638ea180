import { describe, expect, test } from 'vitest';
import { byteLength } from './cap.ts';
import { renderPrairieLearn } from './prairielearn.ts';
import { SECRET, makeCheck, makeProgram, makeStudent, sampleChecks } from '../../test/helpers/results.ts';

interface PrairieLearnTest {
  name: string;
  points: number;
  max_points: number;
  message?: string;
  output?: string;
}

interface PrairieLearnResults {
  gradable: boolean;
  score?: number | null;
  message: string;
  tests?: PrairieLearnTest[];
}

function parse(json: string): PrairieLearnResults {
  return JSON.parse(json) as PrairieLearnResults;
}

/** The sample without its grader error, so that it is gradable. */
function gradableChecks() {
  return sampleChecks().filter((check) => check.status !== 'error');
}

describe('renderPrairieLearn', () => {
  test('a graded submission is gradable, scored from 0 to 1, with a summary and one test per check', () => {
    const results = parse(renderPrairieLearn(makeStudent('alice', 'tcp-echo', gradableChecks())));
    expect(Object.keys(results).sort()).toEqual(['gradable', 'message', 'score', 'tests']);
    expect(results.gradable).toBe(true);
    expect(results.score).toBeCloseTo(3 / 10, 10);
    expect(results.message).toBe('Score 3/10: 2 of 5 checks passed.');
    expect(results.tests!.map((t) => [t.name, t.points, t.max_points])).toEqual([
      ['Your server accepts a connection on PORT', 2, 2],
      ['Your server sends back each line it receives', 0, 3],
      ['Your server echoes many lines in order', 0, 2],
      ['Your server serves 100 clients at once', 0, 2],
      ['Your server echoes any byte', 1, 1],
    ]);
  });

  test("a failed test's message explains it and its output shows what happened", () => {
    const failed = parse(renderPrairieLearn(makeStudent('alice', 'tcp-echo', gradableChecks()))).tests![1]!;
    expect(failed.message).toBe(
      ['Sent "hello", expected "hello" back, got "HELLO".', '  expected: hello\\n', '  actual:   HELLO\\n', 'Hint: Send back exactly the bytes you read; do not change their case.'].join('\n'),
    );
    for (const expected of ['sent 6 bytes', '→ hello\\n', 'stdout:\nlistening on 40123', 'stderr:\nwarning: odd byte']) expect(failed.output).toContain(expected);
  });

  test('a hidden check shows only its name and points', () => {
    const json = renderPrairieLearn(makeStudent('alice', 'tcp-echo', gradableChecks()));
    expect(json).not.toContain(SECRET);
    const hidden = parse(json).tests!.filter((t) => t.name.includes('100 clients') || t.name.includes('any byte'));
    for (const test of hidden) expect(Object.keys(test).sort()).toEqual(['max_points', 'name', 'points']);
  });

  test('a submission worth no points scores 0 rather than dividing by zero', () => {
    const results = parse(renderPrairieLearn(makeStudent('alice', 'tcp-echo', [makeCheck({ id: 'warmup', maxPoints: 0, points: 0 })])));
    expect(results.score).toBe(0);
  });

  test('a grader error makes the submission not gradable, with no score, naming the check, so the student loses nothing', () => {
    const results = parse(renderPrairieLearn(makeStudent('alice', 'tcp-echo', sampleChecks())));
    expect(results.gradable).toBe(false);
    expect(results).not.toHaveProperty('score');
    expect(results.message).toBe('The grader failed on 1 check (closes-cleanly), so this attempt was not graded and does not count against you. Tell your instructor.');
    expect(results.tests!.find((t) => t.name.startsWith('Your server closes'))!.message).toContain('TypeError: Cannot read properties of undefined');
  });

  test('a grader error in a hidden check does not reveal its id or message', () => {
    const hiddenError = makeCheck({ id: `${SECRET}-check`, title: 'A secret check', status: 'error', hidden: true, message: `${SECRET} stack` });
    const json = renderPrairieLearn(makeStudent('alice', 'tcp-echo', [makeCheck({ id: 'listens' }), hiddenError]));
    expect(json).not.toContain(SECRET);
    expect(parse(json).message).toContain('The grader failed on 1 check (a hidden check)');
  });

  test('no result at all is not gradable, and the failure text says why', () => {
    const results = parse(renderPrairieLearn(undefined, 'The exercise "tcp-echo" could not be loaded: SyntaxError in exercises/tcp-echo/checks.ts.'));
    expect(results).toEqual({
      gradable: false,
      message:
        'The grader could not grade this submission, so this attempt was not graded and does not count against you. Tell your instructor.\nThe exercise "tcp-echo" could not be loaded: SyntaxError in exercises/tcp-echo/checks.ts.',
    });
  });

  test('no result and no failure text is still reported as not gradable', () => {
    const results = parse(renderPrairieLearn(undefined));
    expect(results.gradable).toBe(false);
    expect(results).not.toHaveProperty('score');
    expect(results.message).toMatch(/^The grader could not grade this submission/);
  });

  test('huge outputs are capped so the file stays within 1 MB, and the message says they were shortened', () => {
    const checks = Array.from({ length: 80 }, (_, i) =>
      makeCheck({ id: `c${i}`, status: 'fail', message: `Check ${i} failed.`, details: ['d'.repeat(500_000)], programs: [makeProgram({ stdout: '😀'.repeat(500_000) })] }),
    );
    const json = renderPrairieLearn(makeStudent('alice', 'tcp-echo', checks));
    expect(byteLength(json)).toBeLessThanOrEqual(1_000_000);
    const results = parse(json);
    expect(results.gradable).toBe(true);
    expect(results.message).toContain("Some test outputs were shortened further to keep this report under PrairieLearn's 1 MB limit.");
    for (const test of results.tests!) {
      expect(test.message).toMatch(/^Check \d+ failed\.[^]*… \[truncated: [\d,]+ more bytes\]$/);
      expect(test.output).toMatch(/… \[truncated: [\d,]+ more bytes\]$/);
    }
  });

  test('a huge failure text is capped too', () => {
    const json = renderPrairieLearn(undefined, 'trace line\n'.repeat(500_000));
    expect(byteLength(json)).toBeLessThanOrEqual(1_000_000);
    expect(parse(json).message).toMatch(/truncated: [\d,]+ more bytes\]$/);
  });
});
