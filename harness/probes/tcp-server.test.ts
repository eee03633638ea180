import net from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { allocatePort } from '../process/ports.ts';
import { MAX_CONNECTIONS, ReferenceServer } from './tcp-server.ts';

let server: ReferenceServer | undefined;
const clients: net.Socket[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  await server?.close();
});

describe('the reference server', () => {
  test('serves a bounded number of connections in a check and resets the rest, saying so once', async () => {
    const log: string[] = [];
    server = await ReferenceServer.start([], { port: await allocatePort(), ms: (d) => d, log: (line) => log.push(line), signal: new AbortController().signal });
    const ends = await Promise.all(
      Array.from({ length: MAX_CONNECTIONS + 4 }, () => {
        const client = net.connect(server!.port, '127.0.0.1');
        clients.push(client);
        return new Promise<string>((resolve) => {
          client.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
          client.on('connect', () => setTimeout(() => resolve('open'), 200));
        });
      }),
    );
    expect(server.connections).toHaveLength(MAX_CONNECTIONS);
    expect(ends.filter((end) => end === 'ECONNRESET')).toHaveLength(4);
    expect(log.filter((line) => line.includes(`more than ${MAX_CONNECTIONS} connections`))).toHaveLength(1);
  });
});
