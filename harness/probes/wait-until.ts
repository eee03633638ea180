/**
 * Resolves once `condition()` holds (tested now, and whenever a listener in `changed` is called),
 * or `timeoutMs` passes, or `signal` aborts (the check ended), or `until` settles (say, the
 * program exited). Never rejects: the caller looks at what it was waiting for and says what happened.
 */
export function waitUntil(changed: Set<() => void>, condition: () => boolean, timeoutMs: number, signal: AbortSignal, until?: Promise<unknown>): Promise<void> {
  if (condition()) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      changed.delete(check);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const check = () => {
      if (condition()) done();
    };
    const timer = setTimeout(done, timeoutMs);
    changed.add(check);
    signal.addEventListener('abort', done);
    void until?.then(done, done);
  });
}
