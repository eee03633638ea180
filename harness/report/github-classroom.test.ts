import { describe, expect, test } from 'vitest';
import { renderGithubClassroom } from './github-classroom.ts';
import { makeCheck, makeStudent, sampleChecks, SECRET } from '../../test/helpers/results.ts';

interface ClassroomTest {
  name: string;
  status: string;
  score: number;
  message: string;
}

/**
 * What GitHub Classroom's autograding reporter (education/autograding-grading-reporter, src/main.js
 * and src/notify-classroom.js) does with a runner's output: base64 in `<RUNNER>_RESULTS`, decoded
 * and parsed; the points are the sum of the tests' `score` out of `max_score`; the workflow run
 * fails when the status is `fail` or `error`.
 */
function asTheReporterReads(rendered: string, runner = 'netgrade') {
  const env: Record<string, string> = { [`${runner.toUpperCase()}_RESULTS`]: Buffer.from(rendered).toString('base64') };
  const results = JSON.parse(Buffer.from(env[`${runner.trim().toUpperCase()}_RESULTS`]!, 'base64').toString('utf-8')) as { version: number; status: string; max_score: number; tests: ClassroomTest[] };
  const totalScore = results.max_score ? results.tests.reduce((sum, { score }) => sum + score, 0) : 0;
  return { results, points: `${totalScore}/${results.max_score}`, failed: results.status === 'fail' || results.status === 'error' };
}

describe("GitHub Classroom's result for one submission", () => {
  test('a passing submission: full points, a test per check, and the run passes', () => {
    const checks = [makeCheck({ id: 'compiles' }), makeCheck({ id: 'listens', maxPoints: 2 }), makeCheck({ id: 'greeting', maxPoints: 3 })];
    const { results, points, failed } = asTheReporterReads(renderGithubClassroom(makeStudent('alice', 'tcp-hello-server', checks)));
    expect(points).toBe('6/6');
    expect(failed).toBe(false);
    expect(results.version).toBe(1);
    expect(results.tests.map((t) => [t.name, t.status, t.score])).toEqual([
      ['Check compiles (compiles)', 'pass', 1],
      ['Check listens (listens)', 'pass', 2],
      ['Check greeting (greeting)', 'pass', 3],
    ]);
  });

  test('a failing submission: the points it earned, each failure with its message and hint, and the run fails', () => {
    const checks = [makeCheck({ id: 'compiles' }), makeCheck({ id: 'greeting', maxPoints: 3, status: 'fail', message: 'Your server sent "Hello".', hint: 'Send the whole greeting.' }), makeCheck({ id: 'closes', maxPoints: 2, status: 'skip', message: 'Skipped: it needs "greeting" to pass first.' })];
    const { results, points, failed } = asTheReporterReads(renderGithubClassroom(makeStudent('bob', 'tcp-hello-server', checks)));
    expect(points).toBe('1/6');
    expect(failed).toBe(true);
    expect(results.status).toBe('fail');
    expect(results.tests.map((t) => t.status)).toEqual(['pass', 'fail', 'fail']);
    expect(results.tests[1]!.message).toContain('Your server sent "Hello".');
    expect(results.tests[1]!.message).toContain('Hint: Send the whole greeting.');
  });

  test("a submission the grader failed on: status error, its points so far, and the error said to be the grader's; hidden checks keep their secrets", () => {
    const { results, points, failed } = asTheReporterReads(renderGithubClassroom(makeStudent('carol', 'tcp-echo', sampleChecks())));
    expect(results.status).toBe('error');
    expect(failed).toBe(true);
    expect(points).toBe('3/11');
    expect(results.tests.find((t) => t.name.endsWith('(closes-cleanly)'))!.message).toContain("The grader itself failed on this check; that is not your program's fault.");
    expect(JSON.stringify(results)).not.toContain(SECRET);
    expect(results.tests.find((t) => t.name.endsWith('(many-clients)'))!.message).toBe('A hidden check: not passed.');
  });
});
