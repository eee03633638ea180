import { describe, expect, test } from 'vitest';
import { makeCheck } from '../../test/helpers/results.ts';
import { renderCheck } from './terminal.ts';

describe('the terminal report of a check', () => {
  const hidden = makeCheck({ id: 'secret', status: 'fail', hidden: true, message: 'SECRET-MESSAGE', hint: 'SECRET-HINT', log: ['SECRET-LOG'] });

  test('a hidden check shows students its title and status only', () => {
    const text = renderCheck(hidden, { color: false });
    expect(text).toContain('FAIL');
    expect(text).toContain('(secret)');
    expect(text).toContain('shown to instructors only');
    expect(text).not.toMatch(/SECRET-/);
  });

  test('an instructor sees a hidden check whole', () => {
    const text = renderCheck(hidden, { color: false, instructor: true });
    expect(text).toContain('SECRET-MESSAGE');
    expect(text).toContain('SECRET-HINT');
    expect(text).toContain('SECRET-LOG');
  });
});
