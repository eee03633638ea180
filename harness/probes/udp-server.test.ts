import dgram from 'node:dgram';
import { afterEach, describe, expect, test } from 'vitest';
import { allocatePort } from '../process/ports.ts';
import { UdpReferenceServer, type UdpPlan, type UdpServeOptions } from './udp-server.ts';
import { DesignedPauses } from './designed-pauses.ts';

let server: UdpReferenceServer | undefined;
let controller = new AbortController();
let pauses = new DesignedPauses(controller.signal);
const sockets: dgram.Socket[] = [];
afterEach(async () => {
  controller.abort();
  controller = new AbortController();
  for (const socket of sockets.splice(0)) socket.close();
  await server?.close();
});

async function start(plan: UdpPlan, options: UdpServeOptions = {}): Promise<UdpReferenceServer> {
  pauses = new DesignedPauses(controller.signal);
  server = await UdpReferenceServer.start(plan, { port: await allocatePort(), ...options, log: () => {}, signal: controller.signal, pause: pauses.pause, hold: pauses.hold });
  return server;
}

/** A client socket that collects what comes back, with the time it came. */
async function client(): Promise<{ socket: dgram.Socket; got: { text: string; at: number }[] }> {
  const socket = dgram.createSocket('udp4');
  sockets.push(socket);
  const got: { text: string; at: number }[] = [];
  socket.on('message', (data) => got.push({ text: data.toString(), at: performance.now() }));
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return { socket, got };
}

const until = async (condition: () => boolean) => {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
};

describe("the grader's UDP server", () => {
  test('echoes, delays, duplicates and drops as its plan says, and records what came and went', async () => {
    const udp = await start((_data, n) => (n === 2 ? { drop: true } : n === 3 ? { copies: 2 } : n === 4 ? { delayMs: 200 } : {}));
    const { socket, got } = await client();
    const sentAt: number[] = [];
    for (const text of ['one', 'two', 'three', 'four']) {
      sentAt.push(performance.now());
      socket.send(text, udp.port, '127.0.0.1');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await until(() => got.length === 4);
    expect(got.map((g) => g.text)).toEqual(['one', 'three', 'three', 'four']);
    expect(got[3]!.at - sentAt[3]!).toBeGreaterThanOrEqual(190);
    expect(Math.abs(udp.arrivals[0]!.wallClock - Date.now())).toBeLessThan(60_000);
    expect(udp.arrivals.map((a) => [a.data.toString(), a.answer])).toEqual([['one', {}], ['two', { drop: true }], ['three', { copies: 2 }], ['four', { delayMs: 200 }]]);
    expect(udp.sent.map((s) => s.data.toString())).toEqual(['one', 'three', 'three', 'four']);
    expect(udp.sent[3]!.atMs - udp.arrivals[3]!.atMs).toBeGreaterThanOrEqual(190);
    expect(udp.transcript.render().join('\n')).toContain('the grader dropped datagram 2');
  });

  test('answers from another port of its own when the plan says so, and says so in the conversation', async () => {
    const udp = await start(() => ({ fromOtherPort: true }));
    const { socket } = await client();
    const from = new Promise<number>((resolve) => socket.once('message', (_data, rinfo) => resolve(rinfo.port)));
    socket.send('hi', udp.port, '127.0.0.1');
    const port = await from;
    expect(port).not.toBe(udp.port);
    expect(udp.transcript.render().join('\n')).toContain(`(from the grader's other port, ${port})`);
  });

  test('a delayed answer still due when the check ends is not sent, and closing does not wait for it', async () => {
    const udp = await start(() => ({ delayMs: 10_000 }));
    const { socket } = await client();
    socket.send('late', udp.port, '127.0.0.1');
    await until(() => udp.arrivals.length === 1);
    const closing = performance.now();
    controller.abort();
    await udp.close();
    server = undefined;
    // Not a speed target: the answer was 10 s away, and closing must not wait for it.
    expect(performance.now() - closing).toBeLessThan(5000);
    expect(udp.sent).toEqual([]);
  });

  test("with the client's patience set, its wait after a dropped datagram is a designed wait: until it sends again, at most the patience", async () => {
    const udp = await start(() => ({ drop: true }), { patienceMs: 400 });
    const { socket } = await client();
    const started = performance.now();
    socket.send('one', udp.port, '127.0.0.1');
    await until(() => udp.arrivals.length === 1);
    // The client gives up on 'one' after 150 ms, well within its patience: that much counts.
    await new Promise((resolve) => setTimeout(resolve, 150));
    socket.send('two', udp.port, '127.0.0.1');
    await until(() => udp.arrivals.length === 2);
    const gaveUp = performance.now() - started;
    expect(pauses.totalMs).toBeLessThan(400);
    // Nothing follows 'two': its wait counts for the whole patience, and no longer.
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(pauses.totalMs).toBeGreaterThanOrEqual(149 + 399);
    expect(pauses.totalMs).toBeLessThanOrEqual(gaveUp + 400);
  });

  test('without a patience set, a dropped datagram is no designed wait', async () => {
    const udp = await start(() => ({ drop: true }));
    const { socket } = await client();
    socket.send('one', udp.port, '127.0.0.1');
    await until(() => udp.arrivals.length === 1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(pauses.totalMs).toBe(0);
  });
});
