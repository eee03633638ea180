import { DesignedPauses } from '../../harness/probes/designed-pauses.ts';
import type { InboxSettings } from '../../harness/probes/inbox.ts';

/** What a check gives its probes, for a probe tested on its own: real time, no log, an end that never comes. */
export function testSettings(): InboxSettings {
  const signal = new AbortController().signal;
  return { ms: (d) => d, log: () => {}, signal, pause: new DesignedPauses(signal).pause };
}
