import { describe, expect, test } from 'vitest';
import { formatBytes, formatCount, formatSeconds, plural } from './format.ts';

describe('formatting for people', () => {
  test('counts get a comma every three digits, as en-US writes them', () => {
    for (const count of [0, 7, 999, 1000, 65_536, 1_048_576, 123_456_789]) expect(formatCount(count)).toBe(count.toLocaleString('en-US'));
  });

  test('byte counts use the largest binary unit, with up to two decimals', () => {
    expect(formatBytes(512)).toBe('512 bytes');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(1024 * 1024 * 1024)).toBe('1 GiB');
    expect(formatBytes(1.07 * 1024 ** 3)).toBe('1.07 GiB');
  });

  test('durations are in seconds, finer below one second', () => {
    expect(formatSeconds(10_000)).toBe('10 s');
    expect(formatSeconds(250)).toBe('0.25 s');
    expect(formatSeconds(1540)).toBe('1.5 s');
  });

  test('counts agree with their noun', () => {
    expect(plural(1, 'line')).toBe('1 line');
    expect(plural(1200, 'line')).toBe('1,200 lines');
  });
});
