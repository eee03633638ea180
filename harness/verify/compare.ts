import type { SubmissionResult } from '../report/types.ts';
import type { Expectation } from './expectation.ts';

/**
 * How a graded submission differs from what its expectation says, one sentence per difference;
 * none when it got exactly its verdicts. The same comparison serves `grade verify` and this
 * project's own fixture tests.
 */
export function compareVerdicts(result: SubmissionResult, expected: Expectation): string[] {
  const problems: string[] = [];
  const ids = (status: string) => result.checks.filter((check) => check.status === status).map((check) => check.id);
  const differ = (a: readonly string[], b: readonly string[]) => a.length !== b.length || a.some((id, i) => id !== b[i]);
  const [failed, skipped, errors] = [ids('fail'), ids('skip'), ids('error')];
  const order = (list: readonly string[]) => result.checks.map((check) => check.id).filter((id) => list.includes(id));
  if (differ(failed, order(expected.fails))) {
    problems.push(`failed ${show(failed)}, expected ${show(order(expected.fails))}`);
    // What an unexpected failure said is what its author needs to see.
    for (const check of result.checks.filter((c) => c.status === 'fail' && !expected.fails.includes(c.id))) problems.push(`  ${check.id}: ${check.message}`);
  }
  if (differ(skipped, order(expected.skips))) problems.push(`skipped ${show(skipped)}, expected ${show(order(expected.skips))}`);
  if (errors.length > 0) problems.push(`the grader itself failed in ${show(errors)}: ${result.checks.find((check) => check.status === 'error')!.message}`);
  const score = `${result.score}/${result.maxScore}`;
  if (expected.score && score !== expected.score) problems.push(`scored ${score}, expected ${expected.score}`);
  const failures = result.checks.filter((check) => check.status === 'fail');
  for (const check of failures) if (check.message === '') problems.push(`${check.id} failed without a message`);
  const explained = failures.map((check) => [check.message, ...check.details].join('\n')).join('\n');
  if (expected.message && !explained.includes(expected.message)) problems.push(`no failed check says "${expected.message}"`);
  if (expected.hint && !failures.some((check) => check.hint?.includes(expected.hint!))) problems.push(`no failed check hints "${expected.hint}"`);
  const launches = result.checks.flatMap((check) => check.programs);
  if (expected.exit && !launches.some((program) => program.exit.includes(expected.exit!))) problems.push(`no launch ended as "${expected.exit}"`);
  if (expected.everyLaunchPrints) {
    if (launches.length < 2) problems.push(`only ${launches.length} launch, to print "${expected.everyLaunchPrints}" every time`);
    if (launches.some((program) => !program.stdout.includes(expected.everyLaunchPrints!))) problems.push(`not every launch printed "${expected.everyLaunchPrints}"`);
  }
  return problems;
}

function show(ids: readonly string[]): string {
  return ids.length === 0 ? 'none' : ids.join(', ');
}
