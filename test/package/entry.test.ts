import { describe, expect, test } from 'vitest';

describe("netgrade's entry for plain Node", () => {
  test('offers every value harness/index.ts exports, each the same thing', async () => {
    const entry = (await import('../../bin/index.js')) as Record<string, unknown>;
    const source = (await import('../../harness/index.ts')) as Record<string, unknown>;
    expect(Object.keys(entry).sort()).toEqual(Object.keys(source).sort());
    for (const name of Object.keys(source)) expect(typeof entry[name], name).toBe(typeof source[name]);
  });
});
