import { truncationMarker } from './truncate.ts';
import type { CheckResult, ProgramReport } from './types.ts';

/** What students see in place of a hidden check's details, in every report. */
export const HIDDEN_CHECK_TEXT = 'A hidden check: its details are shown to instructors only.';

/** Whether a report may show this check's message, details, hint and output to its reader. */
export function showsDetails(check: CheckResult, instructor: boolean): boolean {
  return instructor || !check.hidden;
}

/** Why a check did not pass, as plain text: its message, the lines under it, and the hint. */
export function explainCheck(check: CheckResult): string {
  const lines = [check.message, ...check.details.map((line) => `  ${line}`)];
  if (check.hint) lines.push(`Hint: ${check.hint}`);
  return lines.filter((line) => line !== '').join('\n');
}

/**
 * Everything a report of one check says to its reader, as plain text: for a check that did not
 * pass, why, and what happened; for a pass, its remark if it has one (a compiler's warnings); for
 * a hidden check a student reads of, only whether it passed.
 */
export function checkText(check: CheckResult, instructor: boolean): string {
  if (!showsDetails(check, instructor)) return `A hidden check: ${check.status === 'pass' ? 'passed' : 'not passed'}.`;
  if (check.status === 'pass') return [check.message, ...check.details.map((line) => `  ${line}`)].filter((line) => line !== '').join('\n');
  const parts = [explainCheck(check)];
  if (check.status === 'error') parts.unshift("The grader itself failed on this check; that is not your program's fault.");
  if (check.status !== 'skip') parts.push(describeRun(check));
  return parts.filter((part) => part !== '').join('\n\n');
}

/** What happened during a check, as plain text: the grader's steps, the wire, and each program's output. */
export function describeRun(check: CheckResult): string {
  const sections: string[] = [];
  if (check.log.length > 0) sections.push(['What the grader did:', ...check.log.map((line) => `  ${line}`)].join('\n'));
  if (check.transcript.length > 0) sections.push(['On the wire:', ...check.transcript.map((line) => `  ${line}`)].join('\n'));
  for (const program of check.programs) sections.push(describeProgram(program));
  return sections.join('\n\n');
}

function describeProgram(program: ProgramReport): string {
  return [
    `Your program (${program.command}, PORT=${program.port}) ${program.exit}.`,
    describeStream('stdout', program.stdout, program.stdoutDroppedBytes),
    describeStream('stderr', program.stderr, program.stderrDroppedBytes),
  ].join('\n');
}

function describeStream(name: string, text: string, droppedBytes: number): string {
  if (text === '' && droppedBytes === 0) return `${name}: (nothing)`;
  const dropped = droppedBytes > 0 ? `\n${truncationMarker(droppedBytes, 'bytes')}` : '';
  return `${name}:\n${text.replace(/\n$/, '')}${dropped}`;
}
