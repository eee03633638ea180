import http from 'node:http';
import net from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { CheckFailure } from '../errors.ts';
import { sendHttpRequest, type HttpRequestOptions } from './http-client.ts';
import type { Transcript } from './transcript.ts';
import { DesignedPauses } from './designed-pauses.ts';

const servers: net.Server[] = [];
const sockets: net.Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

async function listen(server: net.Server): Promise<number> {
  servers.push(server);
  server.on('connection', (socket) => sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as net.AddressInfo).port;
}

/** A raw TCP server: each connection gets what `answer` writes once the request head has arrived. */
function rawServer(answer: (socket: net.Socket, request: string) => void): Promise<number> {
  return listen(
    net.createServer((socket) => {
      let request = '';
      socket.on('data', (chunk) => {
        request += chunk.toString('latin1');
        if (request.includes('\r\n\r\n')) answer(socket, request);
      });
    }),
  );
}

async function send(port: number, options: HttpRequestOptions) {
  const transcripts: Transcript[] = [];
  const signal = new AbortController().signal;
  const settings = { ms: (d: number) => d, log: () => {}, signal, pause: new DesignedPauses(signal).pause, record: (t: Transcript) => void transcripts.push(t) };
  const outcome = await sendHttpRequest({ host: '127.0.0.1', port }, options, settings).then(
    (response) => ({ response, failure: undefined }),
    (failure: unknown) => ({ response: undefined, failure }),
  );
  return { ...outcome, transcript: transcripts[0]! };
}

describe('the grader’s HTTP client', () => {
  test('reads status, headers and the exact body bytes from a node:http server, with Host set to the target', async () => {
    const body = Buffer.from([0, 1, 2, 255, 13, 10]);
    let host: string | undefined;
    const port = await listen(
      http.createServer((request, response) => {
        host = request.headers.host;
        response.writeHead(200, { 'Content-Type': 'image/png', 'X-Twice': ['a', 'b'] });
        response.end(body);
      }),
    );
    const { response } = await send(port, { path: '/a%20b.png' });
    expect(response).toMatchObject({ status: 200, httpVersion: '1.1', headers: { 'content-type': 'image/png', 'x-twice': 'a, b' } });
    expect(response!.body.equals(body)).toBe(true);
    expect(host).toBe(`127.0.0.1:${port}`);
    expect(response!.head).toMatch(/^HTTP\/1\.1 200 OK\nContent-Type: image\/png/);
  });

  test('a HEAD response has no body', async () => {
    const port = await rawServer((socket) => socket.end('HTTP/1.0 200 OK\r\nContent-Length: 10\r\n\r\n'));
    const { response } = await send(port, { method: 'HEAD', path: '/' });
    expect(response).toMatchObject({ status: 200, httpVersion: '1.0' });
    expect(response!.body.length).toBe(0);
  });

  test('sends a raw request as given, and a dribbled one in as many segments', async () => {
    const seen: string[] = [];
    const port = await listen(
      net.createServer((socket) => {
        socket.on('data', (chunk) => {
          seen.push(chunk.toString('latin1'));
          if (seen.join('').includes('\r\n\r\n')) socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 2\r\n\r\nno');
        });
      }),
    );
    const raw = 'GET /../server.ts HTTP/1.1\r\nHost: x\r\n\r\n';
    const { response, transcript } = await send(port, { raw, path: '/../server.ts', segments: raw.length, pauseMs: 2 });
    expect(response!.status).toBe(404);
    expect(seen.join('')).toBe(raw);
    expect(seen.length).toBeGreaterThan(raw.length / 2);
    expect(transcript.events.filter((e) => e.kind === 'sent')).toHaveLength(raw.length);
  });

  test('the wait for the answer starts once a dribbled request is all sent', async () => {
    const port = await rawServer((socket) => socket.end('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'));
    const { response } = await send(port, { path: '/', segments: 10, pauseMs: 60, timeoutMs: 300 });
    expect(response?.body.toString()).toBe('ok');
  });

  test('a body shorter than its Content-Length fails, saying how much came', async () => {
    const port = await rawServer((socket) => socket.end('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc'));
    const { failure } = await send(port, { path: '/' });
    expect(failure).toBeInstanceOf(CheckFailure);
    expect((failure as CheckFailure).message).toMatch(/closed after 3 bytes of the body, but Content-Length said 10/);
    expect((failure as CheckFailure).details.join('\n')).toContain('GET / HTTP/1.1');
  });

  test('a body longer than its Content-Length fails, saying the bytes ran past it', async () => {
    const port = await rawServer((socket) => socket.end('HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\ncafé'));
    const { failure } = await send(port, { path: '/' });
    expect((failure as CheckFailure).message).toMatch(/more bytes came after the body its Content-Length announced/);
    const head = await rawServer((socket) => socket.end('HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc'));
    const { failure: headFailure } = await send(head, { method: 'HEAD', path: '/' });
    expect((headFailure as CheckFailure).message).toMatch(/bytes came after its head, but a response to HEAD has no body/);
  });

  test('a response without Content-Length that never closes fails with why', async () => {
    const port = await rawServer((socket) => socket.write('HTTP/1.1 200 OK\r\n\r\nhello'));
    const { failure } = await send(port, { path: '/', timeoutMs: 300 });
    expect((failure as CheckFailure).message).toMatch(/no Content-Length, so its body ends only when the connection closes/);
  });

  test('bare \\n line ends and garbage are not responses', async () => {
    const bare = await rawServer((socket) => socket.end('HTTP/1.1 200 OK\nContent-Length: 2\n\nhi'));
    const garbage = await rawServer((socket) => socket.end('hello\r\n'));
    const none = await rawServer((socket) => socket.end());
    const results = await Promise.all([bare, garbage, none].map((port) => send(port, { path: '/' })));
    const messages = results.map(({ failure }) => (failure as CheckFailure).message);
    expect(messages[1]).toMatch(/does not start with a status line/);
    expect(messages[2]).toMatch(/closed before a response came/);
    expect(messages[0]).toMatch(/does not end with \\r\\n/);
  });

  test('a server that answers and resets the connection while the body is still coming is a response, not a crash', async () => {
    // A proxy that forwards a POST as a GET answers without reading the body; closing then resets.
    const port = await rawServer((socket) => {
      socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok');
      socket.resetAndDestroy();
    });
    const body = Buffer.alloc(4 * 1024 * 1024, 'x');
    const results = await Promise.all([1, 2, 3].map(() => send(port, { method: 'POST', path: '/form', body, segments: 8 })));
    for (const { response, failure, transcript } of results) {
      if (failure) expect((failure as Error).message).toMatch(/not an HTTP response/);
      else expect(response!.body.toString()).toBe('ok');
      expect(transcript.events.some((event) => event.kind === 'reset')).toBe(true);
    }
    // Sockets of the exchanges left no error unheard: the test process would have failed.
    await new Promise((resolve) => setTimeout(resolve, 100));
  });

  test('a refused connection fails the check, naming the request', async () => {
    const port = await listen(net.createServer());
    await new Promise((resolve) => servers.pop()!.close(resolve));
    const { failure } = await send(port, { path: '/x' });
    expect((failure as CheckFailure).message).toMatch(/Could not connect .* for GET \/x: the connection was refused/);
  });
});
