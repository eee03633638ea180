import net from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { allocatePort } from '../process/ports.ts';
import { OriginServer, type OriginRoute } from './http-origin.ts';
import { DesignedPauses } from './designed-pauses.ts';

let origin: OriginServer | undefined;
let controller = new AbortController();
const sockets: net.Socket[] = [];
afterEach(async () => {
  controller.abort();
  controller = new AbortController();
  for (const socket of sockets.splice(0)) socket.destroy();
  await origin?.close();
  origin = undefined;
});

async function start(routes: Record<string, OriginRoute>): Promise<OriginServer> {
  origin = await OriginServer.start(routes, { port: await allocatePort(), ms: (d) => d, log: () => {}, signal: controller.signal, pause: new DesignedPauses(controller.signal).pause });
  return origin;
}

/**
 * Sends `request` as raw bytes on a connection of its own and resolves with everything the origin
 * sent until it closed the connection, or until `complete(received)` holds: the exact framing, as
 * a proxy reads it.
 */
function exchange(server: OriginServer, request: string, complete: (received: Buffer) => boolean = () => false): Promise<{ data: Buffer; closed: boolean; at: number }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(server.port, server.host);
    sockets.push(socket);
    const chunks: Buffer[] = [];
    socket.on('connect', () => socket.write(request));
    socket.on('data', (chunk) => {
      chunks.push(chunk);
      if (complete(Buffer.concat(chunks))) resolve({ data: Buffer.concat(chunks), closed: false, at: performance.now() });
    });
    socket.on('close', () => resolve({ data: Buffer.concat(chunks), closed: true, at: performance.now() }));
    socket.on('error', reject);
  });
}

const get = (path: string, port: number, extra = '') => `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n${extra}\r\n`;
// A response with a Content-Length is complete once its head and that many bytes have come.
const hasBody = (data: Buffer) => {
  const end = data.indexOf('\r\n\r\n');
  const length = /content-length: (\d+)/i.exec(data.subarray(0, end).toString('latin1'))?.[1];
  return end >= 0 && length !== undefined && data.length >= end + 4 + Number(length);
};
const lastChunk = (data: Buffer) => data.includes('\r\n0\r\n\r\n');

describe("the grader's origin server", () => {
  test('answers each path as its route says, with a Content-Length and the exact body bytes, and 404 elsewhere', async () => {
    const body = Buffer.from([0, 1, 2, 0xff, 0x0d, 0x0a, 0x80]);
    const server = await start({ '/a.bin': { status: 200, headers: { 'Content-Type': 'application/octet-stream', 'X-Twice': ['one', 'two'] }, body }, '/moved': { status: 301, headers: { Location: '/elsewhere' } } });
    const { data } = await exchange(server, get('/a.bin', server.port), hasBody);
    const head = data.subarray(0, data.indexOf('\r\n\r\n')).toString('latin1');
    expect(head).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(head).toMatch(/\r\nContent-Type: application\/octet-stream/);
    expect(head).toMatch(/\r\nX-Twice: one\r\nX-Twice: two/);
    expect(head).toMatch(/\r\ncontent-length: 7/i);
    expect(data.subarray(data.indexOf('\r\n\r\n') + 4).equals(body)).toBe(true);

    const moved = await exchange(server, get('/moved', server.port), hasBody);
    expect(moved.data.toString('latin1')).toMatch(/^HTTP\/1\.1 301 Moved Permanently\r\n(.*\r\n)*Location: \/elsewhere\r\n/);
    const missing = await exchange(server, get('/nothing-here', server.port), hasBody);
    expect(missing.data.toString('latin1')).toMatch(/^HTTP\/1\.1 404 Not Found\r\n/);
  });

  test('a function route chooses each reply, counting the requests for its path from 1', async () => {
    const server = await start({ '/count': (request, n) => ({ body: `${request.method} ${n}` }) });
    for (const n of [1, 2, 3]) {
      const { data } = await exchange(server, get('/count', server.port), hasBody);
      expect(data.toString('latin1').endsWith(`GET ${n}`)).toBe(true);
    }
    expect(server.requestsFor('/count')).toHaveLength(3);
  });

  test('a chunked route sends the body in three chunks, framed as HTTP/1.1 says, with no Content-Length', async () => {
    const server = await start({ '/chunks': { body: 'abcdefghi', chunked: true } });
    const { data } = await exchange(server, get('/chunks', server.port), lastChunk);
    const text = data.toString('latin1');
    expect(text).toMatch(/\r\nTransfer-Encoding: chunked\r\n/i);
    expect(text).not.toMatch(/content-length/i);
    expect(text.slice(text.indexOf('\r\n\r\n') + 4)).toBe('3\r\nabc\r\n3\r\ndef\r\n3\r\nghi\r\n0\r\n\r\n');
  });

  test('a delayed route answers no sooner than its delay; a hang-up closes the connection with no answer', async () => {
    const server = await start({ '/slow': { body: 'late', delayMs: 300 }, '/gone': { hangUp: true } });
    const sent = performance.now();
    const slow = await exchange(server, get('/slow', server.port), hasBody);
    expect(slow.at - sent).toBeGreaterThanOrEqual(290);
    expect(slow.data.toString('latin1').endsWith('late')).toBe(true);

    const gone = await exchange(server, get('/gone', server.port));
    expect(gone).toMatchObject({ closed: true, data: Buffer.alloc(0) });
    expect(server.requestsFor('/gone')).toHaveLength(1);
  });

  test('a delayed reply gives up when the check ends, closing the connection instead of answering', async () => {
    const server = await start({ '/never': { body: 'x', delayMs: 60_000 } });
    const pending = exchange(server, get('/never', server.port));
    await until(() => server.requests.length === 1);
    controller.abort();
    expect(await pending).toMatchObject({ closed: true, data: Buffer.alloc(0) });
  });

  test('records each request as it arrived: origin form and absolute form, headers, body, and the time its head came', async () => {
    const server = await start({ '/page': { body: 'ok' } });
    const before = performance.now();
    await exchange(server, get('/page?q=1', server.port, 'X-Trace: abc\r\n'), hasBody);
    await exchange(server, `POST ${server.url('/page')} HTTP/1.1\r\nHost: example.test\r\nContent-Length: 5\r\n\r\nhello`, hasBody);
    expect(server.requests).toHaveLength(2);
    const [first, second] = server.requests;
    expect(first).toMatchObject({ method: 'GET', target: '/page?q=1', path: '/page?q=1', httpVersion: '1.1', headers: { host: `127.0.0.1:${server.port}`, 'x-trace': 'abc' } });
    expect(first!.at).toBeGreaterThanOrEqual(before);
    // The route is found by path: a query is part of it, so /page?q=1 was not /page.
    expect(server.requestsFor('/page')).toEqual([second]);
    expect(second).toMatchObject({ method: 'POST', target: `http://127.0.0.1:${server.port}/page`, path: '/page', headers: { host: 'example.test' } });
    expect(second!.body.toString()).toBe('hello');
  });

  test('a request whose announced body never comes is recorded as incomplete when its connection closes, and the origin stays up', async () => {
    const server = await start({ '/form': { body: 'ok' } });
    const socket = net.connect(server.port, server.host);
    sockets.push(socket);
    socket.on('error', () => undefined);
    socket.write(`GET /form HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nContent-Length: 43\r\n\r\nabc`);
    await until(() => server.requests.length === 1);
    socket.resetAndDestroy();
    await until(() => server.transcripts[0]!.events.some((event) => event.kind === 'reset' || event.kind === 'fin'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(server.requests[0]).toMatchObject({ method: 'GET', complete: false });
    expect(server.requests[0]!.body.toString()).toBe('abc');
    expect(server.describeRequests()).toEqual(["the grader's origin server received 1 request:", `  GET /form HTTP/1.1, Host: 127.0.0.1:${server.port}, announcing a 43-byte body that never came`]);
    const { data } = await exchange(server, get('/form', server.port), hasBody);
    expect(data.toString('latin1')).toMatch(/\r\n\r\nok$/);
    expect(server.describeRequests()[2]).toBe(`  GET /form HTTP/1.1, Host: 127.0.0.1:${server.port}`);
  });

  test('waitForRequests resolves the moment the counted request arrives, and false when it does not', async () => {
    const server = await start({ '/w': { body: 'w' } });
    const waited = server.waitForRequests('/w', 2, 30_000);
    await exchange(server, get('/w', server.port), hasBody);
    const started = performance.now();
    void exchange(server, get('/w', server.port), hasBody);
    expect(await waited).toBe(true);
    // Well before its timeout: it was the request that ended the wait.
    expect(performance.now() - started).toBeLessThan(20_000);
    expect(await server.waitForRequests('/other', 1, 100)).toBe(false);
  });

  test('several requests on one kept-alive connection are each answered and recorded', async () => {
    const server = await start({ '/a': { body: 'A' }, '/b': { body: 'B' } });
    const { data } = await exchange(server, get('/a', server.port) + get('/b', server.port), (d) => d.toString('latin1').endsWith('B'));
    expect(data.toString('latin1')).toMatch(/\r\n\r\nA[^]*\r\n\r\nB$/);
    expect(server.requests.map((r) => r.path)).toEqual(['/a', '/b']);
    expect(server.transcripts).toHaveLength(1);
  });

  test("shows each connection in the conversation: what the program sent, what the origin answered, and the close", async () => {
    const server = await start({ '/t': { body: 'shown' } });
    await exchange(server, get('/t', server.port, 'Connection: close\r\n'));
    await until(() => server.transcripts[0]!.events.some((event) => event.kind === 'ended-by-grader'));
    const [transcript] = server.transcripts;
    expect(transcript!.label).toBe('origin 1');
    const text = transcript!.render().join('\n');
    expect(text).toContain("to the grader's origin server");
    expect(text).toContain('"GET /t HTTP/1.1\\r\\n');
    expect(text).toContain('"HTTP/1.1 200 OK\\r\\n');
    expect(text).toContain('"shown"');
    expect(text).not.toContain('"" (0 bytes)');
    expect(text).toContain('the grader closed its side');
  });

  test('a hang-up is shown as the origin closing the connection', async () => {
    const server = await start({ '/gone': { hangUp: true } });
    await exchange(server, get('/gone', server.port));
    expect(server.transcripts[0]!.render().join('\n')).toContain('the grader closed the connection');
  });

  test('close() ends connections still open, so a check never waits on a kept-alive one', async () => {
    const server = await start({ '/k': { body: 'k' } });
    const open = exchange(server, get('/k', server.port), () => false);
    await until(() => server.requests.length === 1);
    await server.close();
    origin = undefined;
    expect((await open).closed).toBe(true);
  });
});

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}
