import { setTimeout as sleep } from 'node:timers/promises';
import { formatSeconds } from '../report/format.ts';
import { readCpuWaitMs, readThreadsRunnableMs } from './proc.ts';

/**
 * A program's time cannot run out while the machine keeps it from running: on a busy machine (a
 * class graded two at a time on two cores) a correct server may wait seconds for a CPU before it
 * gets to `listen()`. So a limit counts the wall clock less the time the program's threads spent
 * ready to run but waiting for a CPU (Linux's schedstat), up to `MAX_STRETCH` times the limit on
 * the wall clock: a program that keeps the CPUs busy itself cannot stretch its own time further.
 */
export const MAX_STRETCH = 3;
// A program with a thread that was running or ready to run for this share of a wait never waited
// for anything: it was computing, however busy the machine was.
const BUSY_SHARE = 0.8;

/** A time limit on a program, counted in the time it had the chance to run. */
export class ProgramTimer {
  readonly limitMs: number;
  readonly #members: () => readonly number[];
  readonly #program: () => readonly number[];
  readonly #started = performance.now();
  // Waits, and runnable time, before the limit started are not part of it.
  readonly #waitedBefore: number;
  readonly #runnableBefore: Map<string, number>;

  /**
   * `members` are the processes whose waits for a CPU do not count against the limit; `program`,
   * those of the student (by default the same), whose busy loop it would be.
   */
  constructor(limitMs: number, members: () => readonly number[], program: () => readonly number[] = members) {
    this.limitMs = limitMs;
    this.#members = members;
    this.#program = program;
    this.#waitedBefore = readCpuWaitMs(members());
    this.#runnableBefore = readThreadsRunnableMs(program());
  }

  /** Whether a thread of the program computed without pause for (nearly) all the time so far: a busy loop. */
  computedThroughout(): boolean {
    const wall = this.wallMs;
    if (wall <= 0) return false;
    for (const [tid, runnable] of readThreadsRunnableMs(this.#program())) {
      if (runnable - (this.#runnableBefore.get(tid) ?? 0) >= wall * BUSY_SHARE) return true;
    }
    return false;
  }

  /** Wall-clock time since the limit started. */
  get wallMs(): number {
    return performance.now() - this.#started;
  }

  /** How much of the limit is left; 0 once it has run out. */
  remainingMs(): number {
    const wall = this.wallMs;
    // No thread can have waited longer than the wall clock ran: before the limit, nothing to read.
    if (wall < this.limitMs) return this.limitMs - wall;
    if (wall >= this.limitMs * MAX_STRETCH) return 0;
    const waited = Math.max(0, readCpuWaitMs(this.#members()) - this.#waitedBefore);
    return Math.max(0, Math.min(this.limitMs - (wall - waited), this.limitMs * MAX_STRETCH - wall));
  }

  /** Resolves once the limit has run out, or `signal` aborts. */
  async expired(signal: AbortSignal): Promise<void> {
    for (let left = this.remainingMs(); left > 0 && !signal.aborted; left = this.remainingMs()) {
      await sleep(Math.max(left, MIN_SLEEP_MS), undefined, { signal }).catch(() => undefined);
    }
  }

  /**
   * The limit, and why it took longer on the clock when it did: the program computing without
   * pause (its own doing), or the machine busy with others (which does not count against it).
   */
  describe(): string {
    const wall = this.wallMs;
    const limit = formatSeconds(this.limitMs);
    if (this.computedThroughout()) return `${limit} (${formatSeconds(wall)} on the clock, and it kept a CPU busy all along)`;
    return wall > this.limitMs * 1.2 ? `${limit} (${formatSeconds(wall)} on the clock: the machine was busy, and time waiting for a CPU does not count)` : limit;
  }
}

// Re-reading the threads' waits more often than this buys nothing.
const MIN_SLEEP_MS = 20;
