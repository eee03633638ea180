import { createColors } from 'picocolors';
import { formatSeconds, plural } from './format.ts';
import { safeLine } from './safe-text.ts';
import { tailLines, truncateText, truncationMarker } from './truncate.ts';
import type { CheckResult, CheckStatus, ProgramReport, SubmissionResult } from './types.ts';

type Colors = ReturnType<typeof createColors>;

/** How the terminal report looks. */
export interface TerminalStyle {
  color: boolean;
  /** Show hidden checks' messages and data (students see only that they exist and their status). */
  instructor?: boolean;
}

const SHOWN_OUTPUT_LINES = 20;
const SHOWN_LINE_CHARS = 300;
const INDENT = '       ';

/** The report's first lines: what is graded, where, and with which seed. */
export function renderHeader(exercise: { id: string; title: string }, submission: string, seed: number, style: TerminalStyle): string {
  const c = createColors(style.color);
  return `${c.bold(`netgrade · ${exercise.id}`)} — ${exercise.title}\n${c.dim(`submission ${safeLine(submission)} · seed ${seed}`)}\n`;
}

/** One check: its verdict line, and for anything but a pass, why, and what was seen. */
export function renderCheck(result: CheckResult, style: TerminalStyle): string {
  const c = createColors(style.color);
  const lines = [`${badge(result.status, c)} ${result.title} ${c.dim(`(${result.id})`)} ${c.dim(`${result.points}/${result.maxPoints}`)}`];
  // A pass may carry a remark (a compiler's warnings).
  if (result.status === 'pass') return [lines[0], ...indent(result.message ? [result.message] : []), ...indent(result.details, '  ')].join('\n') + '\n';
  if (result.hidden && !style.instructor) return `${lines[0]}\n${INDENT}${c.dim('A hidden check: its details are shown to instructors only.')}\n`;
  lines.push(...indent([result.message]));
  lines.push(...indent(result.details, '  '));
  if (result.hint) lines.push(`${INDENT}${c.cyan('Hint:')} ${safeLine(result.hint)}`);
  if (result.status === 'skip') return `${lines.join('\n')}\n`;
  if (result.log.length > 0) lines.push(`${INDENT}${c.bold('What the grader did:')}`, ...indent(result.log, '  '));
  if (result.transcript.length > 0) lines.push(`${INDENT}${c.bold('On the wire:')}`, ...indent(result.transcript, '  '));
  for (const program of result.programs) lines.push(...renderProgram(program, c));
  return `${lines.join('\n')}\n`;
}

/**
 * Prints checks as they finish, with a run of checks skipped for one reason as one entry: a
 * compile error stays in view above "4 checks skipped", not under a screen of SKIP lines.
 * `add` gives what to print now; `flush` what is still held, once the last check is in.
 */
export function makeCheckPrinter(style: TerminalStyle): { add(result: CheckResult): string; flush(): string } {
  let held: CheckResult[] = [];
  const flush = () => {
    const text = held.length === 1 ? renderCheck(held[0]!, style) : held.length > 1 ? renderSkips(held, style) : '';
    held = [];
    return text;
  };
  return {
    add(result) {
      if (result.status === 'skip' && (held.length === 0 || held[0]!.message === result.message)) {
        held.push(result);
        return '';
      }
      const before = flush();
      if (result.status === 'skip') {
        held.push(result);
        return before;
      }
      return before + renderCheck(result, style);
    },
    flush,
  };
}

// Checks skipped for one reason: one line naming them all, and the reason once.
function renderSkips(results: readonly CheckResult[], style: TerminalStyle): string {
  const c = createColors(style.color);
  const points = results.reduce((total, result) => total + result.maxPoints, 0);
  const reason = results[0]!.message.replace(/^Skipped: it needs /, 'Skipped: they need ');
  return `${badge('skip', c)} ${results.length} checks: ${results.map((result) => result.id).join(', ')} ${c.dim(`0/${points}`)}\n${indent([reason]).join('\n')}\n`;
}

/** The closing lines: score, counts, duration, and how to replay the run. */
export function renderSummary(result: SubmissionResult, style: TerminalStyle): string {
  const c = createColors(style.color);
  const passed = result.checks.filter((check) => check.status === 'pass').length;
  const verdict = result.passed ? c.green(c.bold('PASSED')) : c.red(c.bold('NOT PASSED'));
  return [
    '',
    `${verdict}  score ${c.bold(`${result.score}/${result.maxScore}`)} · ${passed} of ${plural(result.checks.length, 'check')} passed · ${formatSeconds(result.durationMs)}`,
    c.dim(`seed ${result.seed}: add --seed ${result.seed} to replay this run with the same random data`),
    '',
  ].join('\n');
}

/** The whole report of one submission. */
export function renderTerminal(result: SubmissionResult, exercise: { id: string; title: string }, style: TerminalStyle): string {
  const printer = makeCheckPrinter(style);
  return [
    renderHeader(exercise, result.submission, result.seed, style),
    ...result.checks.map((check) => printer.add(check)),
    printer.flush(),
    renderSummary(result, style),
  ].join('');
}

function badge(status: CheckStatus, c: Colors): string {
  switch (status) {
    case 'pass':
      return c.green('✔ PASS ');
    case 'fail':
      return c.red('✘ FAIL ');
    case 'skip':
      return c.yellow('○ SKIP ');
    case 'error':
      return c.magenta('‼ ERROR');
  }
}

function renderProgram(program: ProgramReport, c: Colors): string[] {
  const lines = [`${INDENT}${c.bold(`Your program (${program.command}, PORT=${program.port})`)} ${program.exit}.`];
  lines.push(...renderStream('stdout', program.stdout, program.stdoutDroppedBytes, c));
  lines.push(...renderStream('stderr', program.stderr, program.stderrDroppedBytes, c));
  return lines;
}

function renderStream(name: string, text: string, droppedBytes: number, c: Colors): string[] {
  if (text === '') return [`${INDENT}  ${name}: ${c.dim('(nothing)')}`];
  const shown = tailLines(text, SHOWN_OUTPUT_LINES).map((line) => `${INDENT}  ${c.dim('│')} ${safeLine(truncateText(line, SHOWN_LINE_CHARS))}`);
  if (droppedBytes > 0) shown.push(`${INDENT}  ${c.dim('│')} ${truncationMarker(droppedBytes, 'bytes')}`);
  return [`${INDENT}  ${name}:`, ...shown];
}

// Messages, details, steps and the wire quote what programs printed and sent: each line made safe.
function indent(lines: readonly string[], extra = ''): string[] {
  return lines.flatMap((line) => line.split('\n')).map((line) => `${INDENT}${extra}${safeLine(line)}`);
}
