import { describe, expect, test } from 'vitest';
import { safeLine } from './safe-text.ts';

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
});
