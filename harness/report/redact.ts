import type { CheckResult, SubmissionResult } from './types.ts';

/** A result as a student may see it: hidden checks keep their title, status and points, nothing else. */
export function redactHidden<T extends SubmissionResult>(result: T): T {
  return { ...result, checks: result.checks.map((check) => (check.hidden ? redactCheck(check) : check)) };
}

function redactCheck(check: CheckResult): CheckResult {
  const { hint: _hint, ...visible } = check;
  return { ...visible, message: check.status === 'pass' ? '' : 'A hidden check: its details are shown to instructors only.', details: [], log: [], transcript: [], programs: [] };
}
