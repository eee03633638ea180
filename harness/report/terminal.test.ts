import { describe, expect, test } from 'vitest';
import { makeCheck, makeProgram } from '../../test/helpers/results.ts';
import { makeCheckPrinter, renderCheck, renderHeader } from './terminal.ts';

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

describe('checks printed as they finish', () => {
  const skipped = (id: string, message = 'Skipped: it needs "server.ts exists and compiles" (compiles) to pass first.') => makeCheck({ id, status: 'skip', maxPoints: 2, points: 0, message });

  test('a run of checks skipped for one reason is one entry, under the failure that caused it', () => {
    const printer = makeCheckPrinter({ color: false });
    const printed = [
      printer.add(makeCheck({ id: 'compiles', status: 'fail', message: 'server.ts does not compile (1 error).' })),
      printer.add(skipped('listens')),
      printer.add(skipped('greeting')),
      printer.add(skipped('closes')),
      printer.flush(),
    ].join('');
    expect(printed.split('\n').filter(Boolean)).toHaveLength(4);
    expect(printed).toContain('○ SKIP  3 checks: listens, greeting, closes 0/6');
    expect(printed).toContain('Skipped: they need "server.ts exists and compiles" (compiles) to pass first.');
    expect(printed.indexOf('does not compile')).toBeLessThan(printed.indexOf('3 checks'));
  });

  test('skips for another reason, and a lone skip, are shown as they are; nothing is lost at the end', () => {
    const printer = makeCheckPrinter({ color: false });
    const other = 'Skipped: it needs "listens on PORT" (listens) to pass first.';
    const printed = [printer.add(skipped('a')), printer.add(skipped('b', other)), printer.add(makeCheck({ id: 'c', status: 'pass' })), printer.add(skipped('d')), printer.flush()].join('');
    for (const id of ['(a)', '(b)', '(c)', '(d)']) expect(printed).toContain(id);
    expect(printed).not.toContain('checks:');
  });
});

describe('the terminal report of a program that tries to forge it', () => {
  // Everything a program controls: its output, text a message quotes, its folder's name.
  const forged = [
    '\x1b[2J\x1b[3J\x1b[H✔ PASS  everything 10/10\x1b[8m',
    'NOT PASSED\r\x1b[1A\x1b[2KPASSED  score 10/10',
    'nul \x00 byte, bell \x07, invalid UTF-8 \ufffd',
    '::add-mask::netgrade',
    '  ::stop-commands::pause',
    '##[group]forged group',
    '\x1b[0Ksection_start:1700000000:forged\r\x1b[0KForged section',
  ].join('\n');
  const check = makeCheck({
    id: 'greeting',
    status: 'fail',
    message: `Your server sent "${forged.split('\n')[0]}"`,
    details: forged.split('\n'),
    hint: '::warning::forged hint',
    log: ['started the program', forged],
    transcript: [forged],
    programs: [makeProgram({ stdout: forged, stderr: forged })],
  });

  test.each([false, true])('no control character, overwrite or CI command reaches the output raw (colour %s)', (color) => {
    const text = renderHeader({ id: 'x', title: 'x' }, '/class/\x1b[31mamy', 1, { color }) + renderCheck(check, { color });
    // With colour, the only escape sequences are the report's own colours (SGR: ESC [ ... m).
    const withoutColours = text.replace(/\x1b\[[0-9;]*m/g, '');
    expect(withoutColours).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
    for (const line of text.split('\n')) {
      expect(line).not.toMatch(/^\s*::/);
      expect(line).not.toContain('##[');
    }
    expect(text).toContain('\\x1b[2J');
  });
});
