import getPort from 'get-port';
import { randomInt } from 'node:crypto';

// Below Linux's ephemeral range (32768–60999), so a port we hand out is never one the kernel
// picks for an outgoing connection, and above the ports students hard-code (12345, 8080).
export const FIRST_PORT = 20_000;
export const LAST_PORT = 32_767;
const CANDIDATES = 32;
const BATCHES = 4;

/**
 * A free TCP port for a student's program. Candidates are random, so graders running in
 * parallel (other CI jobs, other test workers) rarely try the same ones.
 */
export async function allocatePort(): Promise<number> {
  for (let batch = 0; batch < BATCHES; batch++) {
    const candidates = Array.from({ length: CANDIDATES }, () => randomInt(FIRST_PORT, LAST_PORT + 1));
    // get-port falls back to any free port when no candidate is free; such a port is not ours to use.
    const port = await getPort({ port: candidates });
    if (port >= FIRST_PORT && port <= LAST_PORT) return port;
  }
  throw new Error(`No free port between ${FIRST_PORT} and ${LAST_PORT} after ${BATCHES * CANDIDATES} tries; is the machine out of ports?`);
}
