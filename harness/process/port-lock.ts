import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

const RETRY_MS = 100;

/**
 * Takes the machine-wide turn to use `port` for a grading that has no private network (an
 * exercise that names its port, graded unconfined): the gradings of a class, or two graders on one
 * machine, then take turns instead of each failing on the other's bind. The turn is an abstract
 * Unix socket's name (Linux), which only one process at a time can hold, any user's, and which the
 * kernel frees with its holder, however it ends. Resolves with the release; elsewhere, at once.
 */
export async function takePortTurn(port: number, signal?: AbortSignal): Promise<() => Promise<void>> {
  if (process.platform !== 'linux') return async () => {};
  const name = `\0netgrade-port-${port}`;
  for (;;) {
    signal?.throwIfAborted();
    const server = net.createServer();
    const taken = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen({ path: name }, () => resolve(true));
    });
    if (taken) return () => new Promise<void>((resolve) => server.close(() => resolve()));
    // Cancelled, the loop's next turn throws the signal's reason, as a cancelled grading does.
    await sleep(RETRY_MS, undefined, signal ? { signal } : {}).catch(() => undefined);
  }
}
