import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, test } from 'vitest';
import { DesignedPauses } from './designed-pauses.ts';

// Node's timers run on a millisecond clock read once per turn of the event loop, so a timer can
// fire up to 1 ms early by performance.now().
describe('DesignedPauses', () => {
  test('pauses one after another add up', async () => {
    const pauses = new DesignedPauses(new AbortController().signal);
    const started = performance.now();
    await pauses.pause(100);
    await pauses.pause(150);
    expect(pauses.totalMs).toBeGreaterThanOrEqual(248);
    expect(pauses.totalMs).toBeLessThanOrEqual(performance.now() - started);
  });

  test('a pause under way while another is counts once: the time some pause was under way', async () => {
    const pauses = new DesignedPauses(new AbortController().signal);
    const started = performance.now();
    const long = pauses.pause(300);
    await sleep(100);
    await pauses.pause(100);
    await long;
    const wall = performance.now() - started;
    expect(pauses.totalMs).toBeGreaterThanOrEqual(299);
    expect(pauses.totalMs).toBeLessThanOrEqual(wall);
  });

  test('a check that ends cuts its pauses short, and they count only until then', async () => {
    const controller = new AbortController();
    const pauses = new DesignedPauses(controller.signal);
    const started = performance.now();
    const pause = pauses.pause(60_000);
    setTimeout(() => controller.abort(), 100);
    await pause;
    expect(pauses.totalMs).toBeGreaterThanOrEqual(99);
    expect(pauses.totalMs).toBeLessThanOrEqual(performance.now() - started);
  });
});
