import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, describe, expect, test } from 'vitest';
import { hasProcfs, readCpuWaitMs } from './proc.ts';
import { MAX_STRETCH, ProgramTimer } from './program-timer.ts';

const children: ChildProcess[] = [];

// A process pinned to CPU 0, so that a few of them compete for one CPU on any machine.
function startOnCpu0(...command: string[]): ChildProcess {
  const child = spawn('taskset', ['-c', '0', ...command], { stdio: 'ignore' });
  children.push(child);
  return child;
}

const SPIN = [process.execPath, '-e', 'for (;;) {}'];

afterEach(async () => {
  await Promise.all(children.splice(0).map(async (child) => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
  }));
});

async function timeToExpiry(limitMs: number, pid: number): Promise<number> {
  const timer = new ProgramTimer(limitMs, () => [pid]);
  await timer.expired(new AbortController().signal);
  return timer.wallMs;
}

describe.runIf(hasProcfs)('ProgramTimer', () => {
  test('a program that sleeps has its limit on the wall clock', async () => {
    const sleeper = startOnCpu0('sleep', '60');
    // (Its start may have waited for a CPU on a busy machine: what counts is the wait during the limit.)
    await new Promise((resolve) => setTimeout(resolve, 100));
    const before = readCpuWaitMs([sleeper.pid!]);
    expect(await timeToExpiry(500, sleeper.pid!)).toBeGreaterThanOrEqual(500);
    // Asleep, it never waits for a CPU: nothing stretches its limit.
    expect(readCpuWaitMs([sleeper.pid!]) - before).toBeLessThan(100);
  });

  test('a program that waits for a CPU behind three busy ones gets more wall-clock time', async () => {
    for (let i = 0; i < 3; i++) startOnCpu0(...SPIN);
    const starved = startOnCpu0(...SPIN);
    // Sharing one CPU four ways, it runs about a quarter of the time.
    const wall = await timeToExpiry(500, starved.pid!);
    expect(wall).toBeGreaterThanOrEqual(1000);
  });

  test('a program cannot stretch its limit past the cap, however many busy processes it competes with', async () => {
    for (let i = 0; i < 12; i++) startOnCpu0(...SPIN);
    const starved = startOnCpu0(...SPIN);
    const timer = new ProgramTimer(300, () => [starved.pid!]);
    await timer.expired(new AbortController().signal);
    expect(timer.wallMs).toBeGreaterThanOrEqual(300 * MAX_STRETCH);
    expect(timer.remainingMs()).toBe(0);
    // It spins: it is told so, not that the machine was busy.
    expect(timer.describe()).toMatch(/on the clock, and it kept a CPU busy all along/);
  });
});

describe.runIf(hasProcfs)('a program that computes without pause', () => {
  test('is told so, rather than the machine being blamed; one that sleeps is not', async () => {
    const spinner = startOnCpu0(...SPIN);
    const busy = new ProgramTimer(600, () => [spinner.pid!]);
    await busy.expired(new AbortController().signal);
    expect(busy.computedThroughout()).toBe(true);
    expect(busy.describe()).toMatch(/it kept a CPU busy all along/);
    const sleeper = startOnCpu0('sleep', '60');
    const idle = new ProgramTimer(300, () => [sleeper.pid!]);
    await idle.expired(new AbortController().signal);
    expect(idle.computedThroughout()).toBe(false);
    expect(idle.describe()).not.toMatch(/CPU busy/);
  });
});
