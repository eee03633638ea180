import { existsSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { claimPrivateUser } from './private-uid.ts';

describe('private uids', () => {
  test('claims made at once are all different, held in a claim file until released', async () => {
    const claims = await Promise.all(Array.from({ length: 40 }, () => claimPrivateUser()));
    expect(new Set(claims.map((claim) => claim.uid)).size).toBe(40);
    for (const claim of claims) {
      expect(claim.uid).toBeGreaterThanOrEqual(1_500_000_000);
      expect(claim.gid).toBe(claim.uid);
      expect(existsSync(`/run/netgrade/uids/${claim.uid}`)).toBe(true);
    }
    await Promise.all(claims.map((claim) => claim.release()));
    for (const claim of claims) expect(existsSync(`/run/netgrade/uids/${claim.uid}`)).toBe(false);
  });
});
