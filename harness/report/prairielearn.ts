import { capUtf8 } from './cap.ts';
import { describeRun, explainCheck } from './check-text.ts';
import { stringifyWithin } from './fit-json.ts';
import { plural } from './format.ts';
import type { CheckResult, SubmissionResult } from './types.ts';

const NOT_COUNTED = 'so this attempt was not graded and does not count against you. Tell your instructor.';

/**
 * PrairieLearn's external-grader results.json for one submission. When the grader itself failed
 * (a check with status `error`, or no result at all), the file says `gradable: false` and has no
 * score: PrairieLearn then neither awards nor takes points, nor uses up an attempt, instead of
 * recording the grader's fault as a zero for the student.
 */
export function renderPrairieLearn(result: SubmissionResult | undefined, failure?: string): string {
  const broken = result?.checks.filter((check) => check.status === 'error') ?? [];
  const gradable = result !== undefined && broken.length === 0;
  return stringifyWithin((textBytes, shrunk) => {
    const message = [gradable ? summarize(result) : whyNotGradable(broken, failure === undefined ? undefined : capUtf8(failure, textBytes))];
    if (shrunk) message.push("Some test outputs were shortened further to keep this report under PrairieLearn's 1 MB limit.");
    return {
      gradable,
      ...(gradable ? { score: result.maxScore > 0 ? Math.min(1, Math.max(0, result.score / result.maxScore)) : 0 } : {}),
      message: message.join('\n'),
      ...(result ? { tests: result.checks.map((check) => renderTest(check, textBytes)) } : {}),
    };
  });
}

function summarize(result: SubmissionResult): string {
  const passed = result.checks.filter((check) => check.status === 'pass').length;
  return `Score ${result.score}/${result.maxScore}: ${passed} of ${plural(result.checks.length, 'check')} passed.`;
}

function whyNotGradable(broken: readonly CheckResult[], failure: string | undefined): string {
  const lines: string[] = [];
  if (broken.length > 0) {
    // A hidden check's id may say what it tests; students only learn that one failed.
    const names = broken.map((check) => (check.hidden ? 'a hidden check' : check.id)).join(', ');
    lines.push(`The grader failed on ${plural(broken.length, 'check')} (${names}), ${NOT_COUNTED}`);
  } else {
    lines.push(`The grader could not grade this submission, ${NOT_COUNTED}`);
  }
  if (failure) lines.push(failure);
  return lines.join('\n');
}

function renderTest(check: CheckResult, textBytes: number): Record<string, unknown> {
  const test = { name: check.title, points: check.points, max_points: check.maxPoints };
  if (check.hidden) return test;
  const output = check.status === 'pass' || check.status === 'skip' ? '' : describeRun(check);
  return { ...test, message: capUtf8(explainCheck(check), textBytes), output: capUtf8(output, textBytes) };
}
