import { capUtf8 } from './cap.ts';
import { checkText } from './check-text.ts';
import { stringifyWithin } from './fit-json.ts';
import { plural } from './format.ts';
import type { SubmissionResult } from './types.ts';

/**
 * Who reads the file. Students by default; with `instructor: true` hidden checks keep their
 * details and get Gradescope's `hidden` visibility, so Gradescope itself keeps them from students.
 */
export interface GradescopeOptions {
  instructor: boolean;
}

/** Gradescope's autograder results.json for one submission: the score, a summary, and one test per check. */
export function renderGradescope(result: SubmissionResult, options: GradescopeOptions = { instructor: false }): string {
  return stringifyWithin((textBytes, shrunk) => ({
    score: result.score,
    execution_time: Number((result.durationMs / 1000).toFixed(3)),
    output: summarize(result, shrunk),
    tests: result.checks.map((check, index) => ({
      name: check.title,
      number: String(index + 1),
      score: check.points,
      max_score: check.maxPoints,
      status: check.status === 'pass' ? 'passed' : 'failed',
      output: capUtf8(checkText(check, options.instructor), textBytes),
      visibility: check.hidden && options.instructor ? 'hidden' : 'visible',
    })),
  }));
}

function summarize(result: SubmissionResult, shrunk: boolean): string {
  const passed = result.checks.filter((check) => check.status === 'pass').length;
  const errors = result.checks.filter((check) => check.status === 'error').length;
  const lines = [`Score ${result.score}/${result.maxScore}: ${passed} of ${plural(result.checks.length, 'check')} passed.`];
  if (errors > 0) lines.push(`The grader failed on ${plural(errors, 'check')}; that is not your program's fault. Tell your instructor.`);
  if (shrunk) lines.push("Some outputs were shortened further to keep this report under Gradescope's 1 MB limit.");
  return lines.join('\n');
}
