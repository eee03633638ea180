import { describe, expect, test } from 'vitest';
import { escapeUnseen, safeLine, withoutInvisible } from './safe-text.ts';

describe('a line made safe to print', () => {
  test('terminal controls are shown as escapes, not obeyed', () => {
    expect(safeLine('\x1b[2J\x1b[H✔ PASS')).toBe('\\x1b[2J\\x1b[H✔ PASS');
    expect(safeLine('10/10\rscore 0/10')).toBe('10/10\\rscore 0/10');
    expect(safeLine('a\x00b\x07c\x7fd\x9be')).toBe('a\\x00b\\x07c\\x7fd\\x9be');
  });

  test('bidirectional overrides, which reorder what is shown, are shown as escapes', () => {
    expect(safeLine('pass \u202elaf\u202c')).toBe('pass \\u202elaf\\u202c');
  });

  test('ordinary text, tabs and non-ASCII letters stay as they are', () => {
    expect(safeLine('café → naïve\tcolumn 😀 "quoted" \\n')).toBe('café → naïve\tcolumn 😀 "quoted" \\n');
  });

  test('a line cannot be read as a GitHub workflow command, even indented', () => {
    for (const command of ['::add-mask::secret', '   ::stop-commands::token', '::error file=x::forged']) {
      expect(safeLine(command)).not.toMatch(/^\s*::/);
      expect(safeLine(command)).toContain('\\x3a:');
    }
    expect(safeLine('see ##[group]forged')).not.toContain('##[');
    // A `::` later in a line is not a command.
    expect(safeLine('std::vector')).toBe('std::vector');
  });

  test('a GitLab collapsible-section marker loses the escape and carriage return it needs', () => {
    const marker = '\x1b[0Ksection_start:1700000000:forged\r\x1b[0KForged section';
    expect(safeLine(marker)).not.toMatch(/[\x1b\r]/);
  });

  test('characters that show nothing are shown as escapes, so a look-alike name reads differently', () => {
    expect(safeLine('amy\u200b')).toBe('amy\\u200b');
    const invisible = ['\u200b', '\u200c', '\u200d', '\u2060', '\u2061', '\u2064', '\ufeff', '\u00ad', '\u180e', '\u3164', '\ufe0f', '\u034f'];
    for (const char of invisible) expect(safeLine(`a${char}b`), JSON.stringify(char)).toBe(`a\\u${char.codePointAt(0)!.toString(16).padStart(4, '0')}b`);
    // Tag characters and supplementary variation selectors are beyond U+FFFF: written as \u{...}.
    expect(safeLine('amy\u{e0041}\u{e0100}')).toBe('amy\\u{e0041}\\u{e0100}');
  });

  test('escapeUnseen escapes the same characters but keeps tab, newline and carriage return for the format to handle', () => {
    expect(escapeUnseen('a\u200bb\x1bc\u202ed\te\nf\rg')).toBe('a\\u200bb\\x1bc\\u202ed\te\nf\rg');
    expect(escapeUnseen('café ❤ 😀')).toBe('café ❤ 😀');
  });

  test('withoutInvisible removes what shows nothing, so look-alike names compare equal', () => {
    expect(withoutInvisible('a\u200bm\u2060y\ufeff\u{e0041}\u202e')).toBe('amy');
    expect(withoutInvisible('amy\x1b')).toBe('amy\x1b');
    expect(withoutInvisible('café')).toBe('café');
  });
});
