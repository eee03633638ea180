import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, describe, expect, test } from 'vitest';
import { hasProcfs } from '../process/proc.ts';
import { ProgramTimer } from '../process/program-timer.ts';
import { waitUntil } from './wait-until.ts';

const children: ChildProcess[] = [];

afterEach(async () => {
  await Promise.all(children.splice(0).map(async (child) => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
  }));
});

// Processes that never stop computing, pinned to CPU 0 so that they compete for one CPU on any machine.
function spinOnCpu0(): ChildProcess {
  const child = spawn('taskset', ['-c', '0', process.execPath, '-e', 'for (;;) {}'], { stdio: 'ignore' });
  children.push(child);
  return child;
}

describe('waitUntil', () => {
  test('ends when the condition holds, long before its limit', async () => {
    const changed = new Set<() => void>();
    let ready = false;
    setTimeout(() => {
      ready = true;
      for (const listener of changed) listener();
    }, 50);
    const started = performance.now();
    await waitUntil(changed, () => ready, new ProgramTimer(60_000, () => []), new AbortController().signal);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(changed.size).toBe(0);
  });

  test.runIf(hasProcfs)('waiting for a program that waits for a CPU is as patient as the program\'s own limits', async () => {
    for (let i = 0; i < 3; i++) spinOnCpu0();
    const starved = spinOnCpu0();
    const started = performance.now();
    await waitUntil(new Set(), () => false, new ProgramTimer(500, () => [starved.pid!]), new AbortController().signal);
    // Sharing one CPU four ways, the program ran about a quarter of the time.
    expect(performance.now() - started).toBeGreaterThanOrEqual(1000);
  });
});
