import { describe, expect, test } from 'vitest';
import { tailLines, truncateText, truncationMarker } from './truncate.ts';

describe('truncationMarker', () => {
  test('it names the number omitted and the unit inside brackets after an ellipsis', () => {
    expect(truncationMarker(5, 'bytes')).toBe('… [truncated: 5 more bytes]');
    expect(truncationMarker(3, 'lines')).toBe('… [truncated: 3 more lines]');
    expect(truncationMarker(9, 'characters')).toBe('… [truncated: 9 more characters]');
  });

  test('it formats large counts with en-US thousands separators', () => {
    expect(truncationMarker(1234567, 'bytes')).toBe('… [truncated: 1,234,567 more bytes]');
  });
});

describe('truncateText', () => {
  test('it returns text shorter than the limit unchanged', () => {
    expect(truncateText('hello', 10)).toBe('hello');
  });

  test('it returns text exactly as long as the limit unchanged', () => {
    expect(truncateText('hello', 5)).toBe('hello');
  });

  test('it keeps the first max characters and appends a marker with the number cut', () => {
    expect(truncateText('abcdefgh', 3)).toBe('abc… [truncated: 5 more characters]');
  });

  test('it formats the number of cut characters with thousands separators', () => {
    expect(truncateText('x'.repeat(1500), 200)).toBe(`${'x'.repeat(200)}… [truncated: 1,300 more characters]`);
  });
});

describe('tailLines', () => {
  test('it returns no lines for empty text', () => {
    expect(tailLines('', 5)).toEqual([]);
  });

  test('it does not count a final newline as starting another line', () => {
    expect(tailLines('one\ntwo\n', 5)).toEqual(['one', 'two']);
  });

  test('it keeps an unfinished last line', () => {
    expect(tailLines('one\ntwo', 5)).toEqual(['one', 'two']);
  });

  test('it keeps blank lines in the middle of the text', () => {
    expect(tailLines('a\n\nb\n', 5)).toEqual(['a', '', 'b']);
  });

  test('it returns every line when there are exactly max lines', () => {
    expect(tailLines('1\n2\n3\n', 3)).toEqual(['1', '2', '3']);
  });

  test('it keeps the last max lines and says how many earlier lines were left out', () => {
    expect(tailLines('l1\nl2\nl3\nl4\nl5\n', 2)).toEqual(['… [3 earlier lines not shown]', 'l4', 'l5']);
  });

  test('it formats a large number of earlier lines with thousands separators', () => {
    const text = Array.from({ length: 1501 }, (_, i) => `line ${i + 1}`).join('\n');
    expect(tailLines(text, 1)).toEqual(['… [1,500 earlier lines not shown]', 'line 1501']);
  });
});

describe('tailLines edge cases', () => {
  test('it says "1 earlier line" in the singular', () => {
    expect(tailLines('a\nb\nc', 2)).toEqual(['… [1 earlier line not shown]', 'b', 'c']);
  });

  test('it keeps no lines when asked for none', () => {
    expect(tailLines('a\nb', 0)).toEqual(['… [2 earlier lines not shown]']);
  });

  test('it drops the \\r of CRLF line endings', () => {
    expect(tailLines('a\r\nb\r\n', 5)).toEqual(['a', 'b']);
  });
});
