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

  test("a wait held for the program counts until it is released, or for its whole length, and with pauses under way counts once", async () => {
    const pauses = new DesignedPauses(new AbortController().signal);
    const started = performance.now();
    const release = pauses.hold(10_000);
    await sleep(100);
    release();
    release();
    const released = pauses.totalMs;
    expect(released).toBeGreaterThanOrEqual(99);
    expect(released).toBeLessThan(1000);
    await sleep(50);
    expect(pauses.totalMs).toBe(released);
    pauses.hold(150);
    await pauses.pause(100);
    await sleep(100);
    expect(pauses.totalMs - released).toBeGreaterThanOrEqual(149);
    expect(pauses.totalMs - released).toBeLessThan(200);
    expect(pauses.totalMs).toBeLessThanOrEqual(performance.now() - started);
  });

  test('a wait measured afterwards is added as it is; a check that ends ends a held wait', async () => {
    const controller = new AbortController();
    const pauses = new DesignedPauses(controller.signal);
    pauses.add(250);
    pauses.add(-5);
    expect(pauses.totalMs).toBe(250);
    pauses.hold(60_000);
    await sleep(50);
    controller.abort();
    const ended = pauses.totalMs;
    await sleep(50);
    expect(pauses.totalMs).toBe(ended);
    expect(ended).toBeGreaterThanOrEqual(299);
  });
});
