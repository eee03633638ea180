import dgram from 'node:dgram';
import { afterEach, describe, expect, test } from 'vitest';
import { UdpClient } from './udp-client.ts';
import { testSettings } from '../../test/helpers/probe-settings.ts';

const sockets: dgram.Socket[] = [];
const clients: UdpClient[] = [];
afterEach(() => {
  for (const client of clients.splice(0)) client.close();
  for (const socket of sockets.splice(0)) socket.close();
});

const settings = testSettings();

/** A UDP server on loopback whose handler answers through `reply(data, rinfo, socket)`; its port. */
async function server(type: 'udp4' | 'udp6', reply: (data: Buffer, rinfo: dgram.RemoteInfo, socket: dgram.Socket) => void): Promise<number> {
  const socket = dgram.createSocket(type);
  sockets.push(socket);
  socket.on('message', (data, rinfo) => reply(data, rinfo, socket));
  await new Promise<void>((resolve) => socket.bind(0, type === 'udp4' ? '127.0.0.1' : '::1', resolve));
  return socket.address().port;
}

async function client(family: 4 | 6 = 4): Promise<UdpClient> {
  const opened = await UdpClient.open(family === 4 ? '127.0.0.1' : '::1', settings);
  clients.push(opened);
  return opened;
}

describe('the reference UDP socket', () => {
  test('sends datagrams and reads the replies in order, on IPv4 and IPv6, recording both', async () => {
    for (const [type, host, family] of [['udp4', '127.0.0.1', 4], ['udp6', '::1', 6]] as const) {
      const port = await server(type, (data, rinfo, socket) => socket.send(data.toString().toUpperCase(), rinfo.port, rinfo.address));
      const udp = await client(family);
      await udp.send('one', { host, port });
      await udp.send('two', { host, port });
      expect([(await udp.receive()).toString(), (await udp.receive()).toString()]).toEqual(['ONE', 'TWO']);
      const lines = udp.transcript.render().join('\n');
      expect(lines).toContain(`→ datagram "one" (3 bytes) to ${family === 4 ? host : `[${host}]`}:${port}`);
      expect(lines).toContain('← datagram "TWO" (3 bytes) from');
    }
  });

  test('a reply from another socket than the one the datagram reached fails, saying so', async () => {
    const other = dgram.createSocket('udp4');
    sockets.push(other);
    const port = await server('udp4', (data, rinfo) => other.send(data, rinfo.port, rinfo.address));
    const udp = await client();
    await udp.send('hi', { host: '127.0.0.1', port });
    await expect(udp.receive({ what: 'the reply' })).rejects.toThrow(`not from 127.0.0.1:${port}, where the grader sent its own`);
  });

  test('no reply fails after the wait; expectNothing fails naming what came', async () => {
    const quiet = await server('udp4', () => {});
    const udp = await client();
    await udp.send('hi', { host: '127.0.0.1', port: quiet });
    await expect(udp.receive({ what: 'the reply to "hi"', timeoutMs: 100 })).rejects.toThrow('Your program was expected to send the reply to "hi", but no datagram came within 0.1 s.');
    const echo = await server('udp4', (data, rinfo, socket) => socket.send(data, rinfo.port, rinfo.address));
    await udp.expectNothing({ timeoutMs: 50 });
    await udp.send('extra', { host: '127.0.0.1', port: echo });
    await expect(udp.expectNothing({ what: 'after the reply' })).rejects.toThrow('Your program was expected to send nothing after the reply, but a datagram came: "extra" (5 bytes)');
  });
});
