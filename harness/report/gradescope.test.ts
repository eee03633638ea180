import { describe, expect, test } from 'vitest';
import { byteLength } from './cap.ts';
import { TEST_TEXT_BYTES } from './fit-json.ts';
import { renderGradescope } from './gradescope.ts';
import { SECRET, makeCheck, makeProgram, makeStudent, sampleChecks } from '../../test/helpers/results.ts';
import type { SubmissionResult } from './types.ts';

interface GradescopeTest {
  name: string;
  number: string;
  score: number;
  max_score: number;
  status: string;
  output: string;
  visibility: string;
}

interface GradescopeResults {
  score: number;
  execution_time: number;
  output: string;
  tests: GradescopeTest[];
}

function render(result: SubmissionResult, instructor = false): { json: string; results: GradescopeResults } {
  const json = renderGradescope(result, { instructor });
  return { json, results: JSON.parse(json) as GradescopeResults };
}

function sample(): SubmissionResult {
  return makeStudent('alice', 'tcp-echo', sampleChecks());
}

describe('renderGradescope', () => {
  test('it writes exactly the fields Gradescope reads, at the top and in every test', () => {
    const { results } = render(sample());
    expect(Object.keys(results).sort()).toEqual(['execution_time', 'output', 'score', 'tests']);
    for (const test of results.tests) expect(Object.keys(test).sort()).toEqual(['max_score', 'name', 'number', 'output', 'score', 'status', 'visibility']);
  });

  test('it reports the score, the run time in seconds, and a short summary', () => {
    const { results } = render(sample());
    expect(results.score).toBe(3);
    expect(results.execution_time).toBe(2.384);
    expect(results.output).toBe(
      "Score 3/11: 2 of 6 checks passed.\nThe grader failed on 1 check; that is not your program's fault. Tell your instructor.",
    );
  });

  test('each check becomes a visible, numbered test with its points and whether it passed', () => {
    const { results } = render(sample());
    expect(results.tests.map((t) => [t.number, t.name, t.score, t.max_score, t.status, t.visibility])).toEqual([
      ['1', 'Your server accepts a connection on PORT', 2, 2, 'passed', 'visible'],
      ['2', 'Your server sends back each line it receives', 0, 3, 'failed', 'visible'],
      ['3', 'Your server echoes many lines in order', 0, 2, 'failed', 'visible'],
      ['4', 'Your server closes the connection when the client does', 0, 1, 'failed', 'visible'],
      ['5', 'Your server serves 100 clients at once', 0, 2, 'failed', 'visible'],
      ['6', 'Your server echoes any byte', 1, 1, 'passed', 'visible'],
    ]);
  });

  test("a failed test's output has the message, details, hint, log, transcript and program output", () => {
    const output = render(sample()).results.tests[1]!.output;
    for (const expected of ['Sent "hello", expected "hello" back, got "HELLO".', 'actual:   HELLO\\n', 'Hint: Send back exactly', 'sent 6 bytes', '← HELLO\\n', 'stdout:\nlistening on 40123', 'warning: odd byte \x00 here']) {
      expect(output).toContain(expected);
    }
  });

  test('a passed test has no output, a skipped one only its reason, and a grader error says it is not the student’s fault', () => {
    const { tests } = render(sample()).results;
    expect(tests[0]!.output).toBe('');
    expect(tests[2]!.output).toBe('Skipped: it needs "echoes-line" to pass first.');
    expect(tests[3]!.output).toMatch(/^The grader itself failed on this check; that is not your program's fault\.\n\nThe grader failed: TypeError/);
  });

  test('a hidden check says only that it is hidden and whether it passed', () => {
    const { json, results } = render(sample());
    expect(json).not.toContain(SECRET);
    expect(results.tests[4]!.output).toBe('A hidden check: not passed.');
    expect(results.tests[5]!.output).toBe('A hidden check: passed.');
  });

  test("for instructors a hidden check keeps its details and Gradescope's hidden visibility", () => {
    const { tests } = render(sample(), true).results;
    expect(tests[4]!.output).toContain(`${SECRET}: only 12 of 100 clients got a reply`);
    expect(tests[4]!.visibility).toBe('hidden');
    expect(tests[1]!.visibility).toBe('visible');
  });

  test('students see no details of hidden checks when no options are given', () => {
    expect(renderGradescope(sample())).not.toContain(SECRET);
  });

  test('each test output is capped at 20 KB with a visible marker', () => {
    const check = makeCheck({ id: 'flood', status: 'fail', message: 'Too much output.', programs: [makeProgram({ stdout: 'é'.repeat(3_000_000) })] });
    const { json, results } = render(makeStudent('alice', 'tcp-echo', [check]));
    const output = results.tests[0]!.output;
    expect(byteLength(output)).toBeLessThanOrEqual(TEST_TEXT_BYTES);
    expect(output).toMatch(/^Too much output\./);
    expect(output).toMatch(/… \[truncated: [\d,]+ more bytes\]$/);
    expect(results.output).not.toContain('shortened');
    expect(byteLength(json)).toBeLessThan(30_000);
  });

  test('when many large outputs would pass 1 MB, they are shrunk further and the summary says so', () => {
    const checks = Array.from({ length: 120 }, (_, i) => makeCheck({ id: `c${i}`, status: 'fail', message: `Check ${i} failed.`, programs: [makeProgram({ stdout: 'x'.repeat(1_000_000) })] }));
    const { json, results } = render(makeStudent('alice', 'tcp-echo', checks));
    expect(byteLength(json)).toBeLessThanOrEqual(1_000_000);
    expect(byteLength(json)).toBeGreaterThan(500_000);
    expect(results.output).toContain("Some outputs were shortened further to keep this report under Gradescope's 1 MB limit.");
    for (const [i, test] of results.tests.entries()) expect(test.output).toMatch(new RegExp(`^Check ${i} failed\\.[^]*truncated`));
  });

  test('output that JSON escapes into several times its size still fits in 1 MB', () => {
    const checks = Array.from({ length: 60 }, (_, i) => makeCheck({ id: `c${i}`, status: 'fail', message: 'Binary reply.', programs: [makeProgram({ stdout: '\x00'.repeat(100_000) })] }));
    const json = renderGradescope(makeStudent('alice', 'tcp-echo', checks));
    expect(byteLength(json)).toBeLessThanOrEqual(1_000_000);
    expect((JSON.parse(json) as GradescopeResults).tests).toHaveLength(60);
  });
});
