/** A time limit that may run longer than the clock says: see ProgramTimer. */
export interface Patience {
  /** Resolves once the limit has run out, or `signal` aborts. */
  expired(signal: AbortSignal): Promise<void>;
  /** The limit in words, with why it took longer on the clock if it did: `1 s (3 s on the clock, and it kept a CPU busy all along)`. */
  describe(): string;
  /** Whether the program computed without pause all the while: a busy loop, not a wait. */
  computedThroughout(): boolean;
}

/**
 * Resolves once `condition()` holds (tested now, and whenever a listener in `changed` is called),
 * or the `limit` (ms, or a Patience) runs out, or `signal` aborts (the check ended), or `until`
 * settles (say, the program exited). Never rejects: the caller looks at what it was waiting for
 * and says what happened.
 */
export function waitUntil(changed: Set<() => void>, condition: () => boolean, limit: number | Patience, signal: AbortSignal, until?: Promise<unknown>): Promise<void> {
  if (condition()) return Promise.resolve();
  return new Promise((resolve) => {
    // Ends the limit's own wait too, so that no timer outlives the wait it was for.
    const ended = new AbortController();
    const done = () => {
      ended.abort();
      changed.delete(check);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const check = () => {
      if (condition()) done();
    };
    changed.add(check);
    signal.addEventListener('abort', done);
    if (typeof limit === 'number') {
      const timer = setTimeout(done, limit);
      ended.signal.addEventListener('abort', () => clearTimeout(timer));
    } else {
      void limit.expired(ended.signal).then(done);
    }
    void until?.then(done, done);
  });
}
