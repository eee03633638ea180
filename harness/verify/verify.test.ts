import { describe, expect, test } from 'vitest';
import { classifyRuns } from './verify.ts';

const run = (seed: number, verdicts: string, problems: string[] = []) => ({ seed, verdicts, problems });

describe('a verified submission over several runs', () => {
  test('is ok when every run got its expected verdicts', () => {
    expect(classifyRuns([run(1, 'a:pass b:fail'), run(2, 'a:pass b:fail')])).toBe('ok');
  });

  test('is a mismatch when the runs agree with each other but not with the expectation', () => {
    expect(classifyRuns([run(1, 'a:fail', ['failed a']), run(2, 'a:fail', ['failed a'])])).toBe('mismatch');
  });

  test('is flaky when its verdicts changed between runs, even if one run matched', () => {
    expect(classifyRuns([run(1, 'a:pass'), run(2, 'a:fail', ['failed a'])])).toBe('flaky');
  });
});
