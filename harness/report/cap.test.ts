import { describe, expect, test } from 'vitest';
import { byteLength, capUtf8 } from './cap.ts';

const marker = (n: number) => `[-${n}]`;

describe('capUtf8', () => {
  test('it returns text that already fits unchanged', () => {
    expect(capUtf8('hello', 5)).toBe('hello');
    expect(capUtf8('', 0)).toBe('');
  });

  test('it keeps the result, marker included, within the byte limit and counts the bytes it cut', () => {
    const capped = capUtf8('abcdefghij', 8, marker);
    expect(capped).toBe('abc[-7]');
    expect(byteLength(capped)).toBeLessThanOrEqual(8);
  });

  test('it ends a cut text with the shared truncation marker by default', () => {
    const capped = capUtf8('x'.repeat(10_000), 100);
    expect(capped).toMatch(/^x+… \[truncated: [\d,]+ more bytes\]$/);
    expect(byteLength(capped)).toBeLessThanOrEqual(100);
    const kept = capped.indexOf('…');
    expect(capped).toContain(`${(10_000 - kept).toLocaleString('en-US')} more bytes`);
  });

  test('it never splits a multi-byte character, at any limit', () => {
    const text = 'aé€😀'.repeat(20);
    // From 6 bytes on, the marker ("[-200]" at most) fits, and a whole prefix comes before it.
    for (let max = 6; max <= byteLength(text); max++) {
      const capped = capUtf8(text, max, marker);
      expect(byteLength(capped)).toBeLessThanOrEqual(max);
      expect(capped).not.toContain('\ufffd');
      const kept = capped.replace(/\[-\d+\]$/, '');
      expect(text.startsWith(kept)).toBe(true);
      if (capped !== text) expect(capped).toBe(`${kept}[-${byteLength(text) - byteLength(kept)}]`);
    }
  });

  test('it cuts a marker that does not fit on its own rather than exceed the limit', () => {
    expect(capUtf8('abcdefghij', 3, marker)).toBe('[-1');
    expect(capUtf8('abcdefghij', 0, marker)).toBe('');
  });

  test('it still fits when a marker grows as fewer bytes are cut', () => {
    const growing = (n: number) => '!'.repeat(20 - Math.min(n, 19));
    const capped = capUtf8('y'.repeat(40), 30, growing);
    expect(byteLength(capped)).toBeLessThanOrEqual(30);
    expect(capped.startsWith('y')).toBe(true);
  });

  test('it caps a text of many megabytes quickly and exactly', () => {
    const huge = '€'.repeat(5_000_000);
    const started = performance.now();
    const capped = capUtf8(huge, 20_000);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(byteLength(capped)).toBeLessThanOrEqual(20_000);
    expect(byteLength(capped)).toBeGreaterThan(19_900);
  });
});
