import { createColors } from 'picocolors';
import { create } from 'xmlbuilder2';
import type { VerifyOutcome } from '../verify/verify.ts';
import { escapeInvalidCharacter } from './junit.ts';
import { safeLine } from './safe-text.ts';
import type { TerminalStyle } from './terminal.ts';

/** One verified submission: ok, or how it differed (with each run's seed), or flaky (with the seeds whose verdicts differ). */
export function renderVerifyOutcome(outcome: VerifyOutcome, style: TerminalStyle): string {
  const c = createColors(style.color);
  const name = `${outcome.exercise}/${outcome.name}`;
  if (outcome.status === 'ok') return `${c.green('✔ ok      ')} ${name}\n`;
  if (outcome.status === 'flaky') {
    const lines = outcome.runs.map((run) => `    seed ${run.seed}: ${run.verdicts}`);
    return [`${c.magenta('‼ flaky   ')} ${name}: its verdicts changed between runs`, ...lines].map(safeLine).join('\n') + '\n';
  }
  const failed = outcome.runs.find((run) => run.problems.length > 0)!;
  const lines = failed.problems.map((problem) => `    ${problem}`);
  return [`${c.red('✘ mismatch')} ${name} (seed ${failed.seed}; ${outcome.expected.why})`, ...lines].map(safeLine).join('\n') + '\n';
}

/** A table: for each exercise, how many submissions were verified, and how many did not hold. */
export function renderVerifySummary(outcomes: readonly VerifyOutcome[], runs: number, style: TerminalStyle): string {
  const c = createColors(style.color);
  const exercises = [...new Set(outcomes.map((outcome) => outcome.exercise))];
  const rows = exercises.map((exercise) => {
    const mine = outcomes.filter((outcome) => outcome.exercise === exercise);
    const count = (status: VerifyOutcome['status']) => mine.filter((outcome) => outcome.status === status).length;
    return [exercise, String(mine.length), String(count('ok')), String(count('mismatch')), String(count('flaky'))];
  });
  const table = [['exercise', 'submissions', 'ok', 'mismatch', 'flaky'], ...rows];
  const widths = table[0]!.map((_, column) => Math.max(...table.map((row) => row[column]!.length)));
  const lines = table.map((row) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  '));
  const bad = outcomes.filter((outcome) => outcome.status !== 'ok').length;
  const verdict = bad === 0 ? c.green(c.bold('VERIFIED')) : c.red(c.bold('NOT VERIFIED'));
  return ['', ...lines, '', `${verdict}  ${outcomes.length - bad} of ${outcomes.length} submissions got their expected verdicts in each of ${runs} runs`, ''].join('\n');
}

/** JUnit XML for CI: a test suite per exercise, a test case per verified submission. */
export function renderVerifyJunit(outcomes: readonly VerifyOutcome[]): string {
  const root = create({ version: '1.0', encoding: 'UTF-8', invalidCharReplacement: escapeInvalidCharacter }).ele('testsuites', { name: 'netgrade verify' });
  for (const exercise of new Set(outcomes.map((outcome) => outcome.exercise))) {
    const mine = outcomes.filter((outcome) => outcome.exercise === exercise);
    const suite = root.ele('testsuite', { name: exercise, tests: mine.length, failures: mine.filter((outcome) => outcome.status !== 'ok').length, errors: 0, skipped: 0 });
    for (const outcome of mine) {
      const test = suite.ele('testcase', { name: outcome.name, classname: exercise });
      if (outcome.status === 'ok') continue;
      const text = outcome.runs.map((run) => `seed ${run.seed}: ${run.problems.join('; ') || 'as expected'} [${run.verdicts}]`).join('\n');
      test.ele('failure', { message: outcome.status === 'flaky' ? 'its verdicts changed between runs' : outcome.runs.find((run) => run.problems.length > 0)!.problems.join('; ') }).txt(text);
    }
  }
  return `${root.end({ prettyPrint: true })}\n`;
}
