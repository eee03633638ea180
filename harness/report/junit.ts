import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';
import { HIDDEN_CHECK_TEXT, describeRun, explainCheck, showsDetails } from './check-text.ts';
import { escapeUnseen } from './safe-text.ts';
import type { BatchResult, CheckResult, StudentResult } from './types.ts';

/** Who reads the file: with `instructor: false`, hidden checks show only their status. */
export interface JunitOptions {
  instructor: boolean;
}

/** JUnit XML for a batch, as GitHub and GitLab test reporters read it: one test suite per submission, one test case per check. */
export function renderJunit(batch: BatchResult, options: JunitOptions): string {
  const counts = batch.submissions.map(countStatuses);
  const root = create({ version: '1.0', encoding: 'UTF-8', invalidCharReplacement: escapeInvalidCharacter }).ele('testsuites', {
    name: `netgrade ${batch.exercise}`,
    tests: sum(counts, 'tests'),
    failures: sum(counts, 'failures'),
    errors: sum(counts, 'errors'),
    skipped: sum(counts, 'skipped'),
    time: seconds(batch.submissions.reduce((total, result) => total + result.durationMs, 0)),
  });
  batch.submissions.forEach((result, index) => {
    // CI shows these names in lists: a student's controls and invisible characters as escapes.
    const student = escapeUnseen(result.student);
    const suite = root.ele('testsuite', {
      name: batch.exercise === 'all' ? `${student}/${result.exercise}` : student,
      ...counts[index],
      time: seconds(result.durationMs),
      timestamp: batch.generatedAt,
    });
    const properties = suite.ele('properties');
    for (const [name, value] of [['exercise', result.exercise], ['score', `${result.score}/${result.maxScore}`], ['seed', String(result.seed)]] as const) {
      properties.ele('property', { name, value });
    }
    const names = uniqueNames(result.checks.map((check) => check.id));
    result.checks.forEach((check, i) => addTestCase(suite, check, names[i]!, student, options));
  });
  return `${root.end({ prettyPrint: true })}\n`;
}

/**
 * XML 1.0 cannot hold most control characters at all, not even as character references, and
 * program output may contain any byte: show each as a visible escape (`\x1b`) so the file
 * always parses and the reader still sees what the program sent.
 */
export function escapeInvalidCharacter(char: string): string {
  const code = char.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

function addTestCase(suite: XMLBuilder, check: CheckResult, name: string, student: string, options: JunitOptions): void {
  const testcase = suite.ele('testcase', { name, classname: student, time: seconds(check.durationMs) });
  const detailed = showsDetails(check, options.instructor);
  const message = detailed ? check.message : HIDDEN_CHECK_TEXT;
  // GitLab shows the element's text and ignores the attribute, so the message goes in both.
  const text = detailed ? explainCheck(check) : HIDDEN_CHECK_TEXT;
  if (check.status === 'fail') testcase.ele('failure', { message }).txt(text);
  if (check.status === 'error') testcase.ele('error', { message }).txt(text);
  if (check.status === 'skip') testcase.ele('skipped', { message });
  const output = detailed ? describeRun(check) : '';
  if (output !== '') testcase.ele('system-out').txt(output);
}

/** Test case names must be unique within a suite: GitLab keeps only one of a repeated name. */
function uniqueNames(ids: readonly string[]): string[] {
  const taken = new Set<string>();
  return ids.map((id) => {
    let name = id;
    for (let n = 2; taken.has(name); n++) name = `${id} (${n})`;
    taken.add(name);
    return name;
  });
}

type Counts = Record<'tests' | 'failures' | 'errors' | 'skipped', number>;

function countStatuses(result: StudentResult): Counts {
  const count = (status: CheckResult['status']) => result.checks.filter((check) => check.status === status).length;
  return { tests: result.checks.length, failures: count('fail'), errors: count('error'), skipped: count('skip') };
}

function sum(counts: readonly Counts[], key: keyof Counts): number {
  return counts.reduce((total, count) => total + count[key], 0);
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}
