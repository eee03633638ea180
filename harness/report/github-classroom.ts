import { capUtf8 } from './cap.ts';
import { checkText } from './check-text.ts';
import type { SubmissionResult } from './types.ts';

// GitHub keeps a step's outputs to 1 MiB in all; each check's message is kept well within.
const MESSAGE_BYTES = 16 * 1024;

/**
 * The result GitHub Classroom's autograding reporter reads (`<RUNNER>_RESULTS`, base64 of this
 * JSON): the submission's status, its maximum score, and a test per check with its points, so a
 * student sees points per check. The reporter adds up the tests' `score` against `max_score`, and
 * fails the workflow run for a status of `fail` or `error`. Written for students: a hidden
 * check shows only whether it passed.
 */
export function renderGithubClassroom(result: SubmissionResult): string {
  const status = result.checks.some((check) => check.status === 'error') ? 'error' : result.passed ? 'pass' : 'fail';
  return `${JSON.stringify({
    version: 1,
    status,
    max_score: result.maxScore,
    tests: result.checks.map((check) => ({
      name: `${check.title} (${check.id})`,
      status: check.status === 'pass' ? 'pass' : check.status === 'error' ? 'error' : 'fail',
      score: check.points,
      message: capUtf8(checkText(check, false), MESSAGE_BYTES),
      test_code: `netgrade ${result.exercise} · ${check.id}`,
      filename: '',
      line_no: 0,
      execution_time: `${(check.durationMs / 1000).toFixed(2)}s`,
    })),
  })}\n`;
}
