/**
 * The waits a check makes on purpose: a reference server's silence between segments, a reply
 * held back, an origin that answers late; and the waits its statement asks of the program, such
 * as a client waiting out its time-out for an echo the grader dropped, or a retry's back-off. The
 * report counts the wall-clock time during which at least one was under way (`designedWaitMs`),
 * so that the time a grading takes can be set against the time it must take.
 */
export class DesignedPauses {
  readonly #signal: AbortSignal;
  #active = 0;
  #since = 0;
  #totalMs = 0;

  constructor(signal: AbortSignal) {
    this.#signal = signal;
  }

  /**
   * A wait from now on: counted until `ms` (already scaled) pass, the returned function is called
   * (the program is done waiting), or the check ends, whichever is first; then `ended` is called.
   */
  readonly hold = (ms: number, ended?: () => void): (() => void) => {
    if (ms <= 0 || this.#signal.aborted) {
      ended?.();
      return () => {};
    }
    if (this.#active++ === 0) this.#since = performance.now();
    let open = true;
    const release = () => {
      if (!open) return;
      open = false;
      clearTimeout(timer);
      this.#signal.removeEventListener('abort', release);
      if (--this.#active === 0) this.#totalMs += performance.now() - this.#since;
      ended?.();
    };
    const timer = setTimeout(release, ms);
    this.#signal.addEventListener('abort', release, { once: true });
    return release;
  };

  /**
   * A wait that is over, measured by the check (the gap between two of the program's requests,
   * read from its log afterwards): added as it is. Only for a wait no other may overlap.
   */
  readonly add = (ms: number): void => {
    if (ms > 0) this.#totalMs += ms;
  };

  /** Sleeps `ms` (already scaled), or until the check ends. */
  readonly pause = (ms: number): Promise<void> => new Promise((resolve) => void this.hold(ms, resolve));

  /** The time some wait was under way so far, in ms. */
  get totalMs(): number {
    return this.#totalMs + (this.#active > 0 ? performance.now() - this.#since : 0);
  }
}
