import { describe, expect, test } from 'vitest';
import { takePortTurn } from './port-lock.ts';

describe.runIf(process.platform === 'linux')('a turn on a port', () => {
  test('is held by one taker at a time; the next gets it when it is released', async () => {
    const port = 40_000 + Math.floor(Math.random() * 10_000);
    const first = await takePortTurn(port);
    let second: (() => Promise<void>) | undefined;
    const waiting = takePortTurn(port).then((release) => (second = release));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(second).toBeUndefined();
    await first();
    await waiting;
    expect(second).toBeDefined();
    await second!();
  });

  test('a wait for it ends when the grading is cancelled', async () => {
    const port = 40_000 + Math.floor(Math.random() * 10_000);
    const held = await takePortTurn(port);
    const controller = new AbortController();
    const waiting = takePortTurn(port, controller.signal);
    controller.abort(new Error('cancelled'));
    await expect(waiting).rejects.toThrow('cancelled');
    await held();
  });
});
