import { setTimeout as sleep } from 'node:timers/promises';

/**
 * The pauses a check makes on purpose: a reference server's silence between segments, a reply
 * held back, an origin that answers late. They sleep, and the report counts the wall-clock time
 * during which at least one was under way (`designedWaitMs`), so that the time a grading takes can
 * be set against the time it must take.
 */
export class DesignedPauses {
  readonly #signal: AbortSignal;
  #active = 0;
  #since = 0;
  #totalMs = 0;

  constructor(signal: AbortSignal) {
    this.#signal = signal;
  }

  /** Sleeps `ms` (already scaled), or until the check ends. */
  readonly pause = async (ms: number): Promise<void> => {
    if (ms <= 0) return;
    if (this.#active++ === 0) this.#since = performance.now();
    try {
      await sleep(ms, undefined, { signal: this.#signal }).catch(() => undefined);
    } finally {
      if (--this.#active === 0) this.#totalMs += performance.now() - this.#since;
    }
  };

  /** The time some pause was under way so far, in ms. */
  get totalMs(): number {
    return this.#totalMs + (this.#active > 0 ? performance.now() - this.#since : 0);
  }
}
