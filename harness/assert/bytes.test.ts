import { describe, expect, test } from 'vitest';
import { countBytes, describeBytes, diffBytes } from './bytes.ts';

const bytes = (text: string) => Buffer.from(text);

describe('describeBytes', () => {
  test('it wraps printable ASCII in double quotes unchanged', () => {
    expect(describeBytes('Hello, world!')).toBe('"Hello, world!"');
  });

  test('it shows empty input as an empty quoted string', () => {
    expect(describeBytes('')).toBe('""');
    expect(describeBytes(new Uint8Array(0))).toBe('""');
  });

  test('it escapes newline, carriage return, tab, NUL, double quotes and backslashes', () => {
    expect(describeBytes('a\nb\rc\td\0e"f\\g')).toBe('"a\\nb\\rc\\td\\0e\\"f\\\\g"');
  });

  test('it shows a CRLF line ending as \\r\\n so it can be told apart from \\n', () => {
    expect(describeBytes('Hello\r\n')).toBe('"Hello\\r\\n"');
    expect(describeBytes('Hello\n')).toBe('"Hello\\n"');
  });

  test('it shows other control characters and DEL as \\xNN', () => {
    expect(describeBytes('\x01\x1b[0m\x7f')).toBe('"\\x01\\x1b[0m\\x7f"');
  });

  test('it shows bytes that are not valid UTF-8 as \\xNN and keeps the ASCII around them', () => {
    expect(describeBytes(Buffer.from([0x68, 0xff, 0x69]))).toBe('"h\\xffi"');
    expect(describeBytes(Buffer.from([0xc3]))).toBe('"\\xc3"');
  });

  test('it still escapes control characters in input that is not valid UTF-8', () => {
    expect(describeBytes(Buffer.from([0xfe, 0x0d, 0x0a, 0x22]))).toBe('"\\xfe\\r\\n\\""');
  });

  test('it keeps valid multi-byte UTF-8 such as accented letters and emoji readable', () => {
    expect(describeBytes('café')).toBe('"café"');
    expect(describeBytes('party 🎉\n')).toBe('"party 🎉\\n"');
    expect(describeBytes(Buffer.from('日本語', 'utf8'))).toBe('"日本語"');
  });

  test('it reads only the bytes of a Uint8Array view, not the rest of its buffer', () => {
    const backing = Buffer.from('xxHELLOyy');
    const view = new Uint8Array(backing.buffer, backing.byteOffset + 2, 5);
    expect(describeBytes(view)).toBe('"HELLO"');
  });

  test('it does not add a truncation marker when the input is exactly the limit', () => {
    expect(describeBytes('abcdef', 6)).toBe('"abcdef"');
  });

  test('it cuts input longer than the limit and says how many bytes were left out', () => {
    expect(describeBytes('abcdefgh', 3)).toBe('"abc" … [truncated: 5 more bytes]');
  });

  test('it shows at most 512 bytes by default and formats the omitted count with thousands separators', () => {
    const shown = describeBytes('a'.repeat(2000));
    expect(shown).toBe(`"${'a'.repeat(512)}" … [truncated: 1,488 more bytes]`);
  });

  test('it counts omitted bytes, not characters, when multi-byte text is cut', () => {
    // 10 × "é" is 20 bytes; keeping 4 bytes (two whole "é") leaves 16 out.
    expect(describeBytes('é'.repeat(10), 4)).toBe('"éé" … [truncated: 16 more bytes]');
  });
});

describe('countBytes', () => {
  test('it uses the singular for exactly one byte', () => {
    expect(countBytes(1)).toBe('1 byte');
  });

  test('it uses the plural for zero and for more than one byte', () => {
    expect(countBytes(0)).toBe('0 bytes');
    expect(countBytes(2)).toBe('2 bytes');
    expect(countBytes(17)).toBe('17 bytes');
  });

  test('it formats large counts with en-US thousands separators', () => {
    expect(countBytes(1234567)).toBe('1,234,567 bytes');
  });
});

describe('diffBytes', () => {
  test('it returns no lines when both inputs are equal', () => {
    expect(diffBytes(bytes('Hello\r\n'), bytes('Hello\r\n'))).toEqual([]);
  });

  test('it returns no lines when both inputs are empty', () => {
    expect(diffBytes(new Uint8Array(0), new Uint8Array(0))).toEqual([]);
  });

  test('it reports an extra trailing newline with its byte index, its hex value and "too many"', () => {
    expect(diffBytes(bytes('hello'), bytes('hello\n'))).toEqual([
      'expected: "hello" (5 bytes)',
      'actual:   "hello\\n" (6 bytes)',
      'first difference at byte 5: expected end of data, got 0x0a ("\\n") (1 byte too many)',
    ]);
  });

  test('it counts every extra byte after the expected end as too many', () => {
    const lines = diffBytes(bytes('ok'), bytes('ok\r\n\r\n'));
    expect(lines[2]).toBe('first difference at byte 2: expected end of data, got 0x0d ("\\r") (4 bytes too many)');
  });

  test('it reports a missing last byte with "missing"', () => {
    expect(diffBytes(bytes('hello\n'), bytes('hello'))).toEqual([
      'expected: "hello\\n" (6 bytes)',
      'actual:   "hello" (5 bytes)',
      'first difference at byte 5: expected 0x0a ("\\n"), got end of data (1 byte missing)',
    ]);
  });

  test('it reports every expected byte as missing when nothing was received', () => {
    const lines = diffBytes(bytes('hi\n'), new Uint8Array(0));
    expect(lines[1]).toBe('actual:   "" (0 bytes)');
    expect(lines[2]).toBe('first difference at byte 0: expected 0x68 ("h"), got end of data (3 bytes missing)');
  });

  test('it points at the \\r when \\r\\n was expected but \\n was sent, without "too many" or "missing"', () => {
    const lines = diffBytes(bytes('OK\r\n'), bytes('OK\n'));
    expect(lines).toEqual([
      'expected: "OK\\r\\n" (4 bytes)',
      'actual:   "OK\\n" (3 bytes)',
      'first difference at byte 2: expected 0x0d ("\\r"), got 0x0a ("\\n")',
    ]);
  });

  test('it reports the first differing byte in the middle of equal-length inputs', () => {
    const lines = diffBytes(bytes('abcXefZ'), bytes('abcYefQ'));
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('first difference at byte 3: expected 0x58 ("X"), got 0x59 ("Y")');
  });

  test('it shows a differing byte that is not valid UTF-8 on its own as \\xNN', () => {
    const lines = diffBytes(Buffer.from([0x61, 0x62]), Buffer.from([0x61, 0xff]));
    expect(lines[1]).toBe('actual:   "a\\xff" (2 bytes)');
    expect(lines[2]).toBe('first difference at byte 1: expected 0x62 ("b"), got 0xff ("\\xff")');
  });
});

describe('describeBytes at the truncation limit', () => {
  test('it never cuts inside a multi-byte character, so the text stays readable', () => {
    expect(describeBytes(`a${'é'.repeat(10)}`, 4)).toBe('"aé" … [truncated: 18 more bytes]');
  });
});
