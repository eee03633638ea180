import { execa } from 'execa';
import getPort from 'get-port';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import https from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { afterEach, describe, expect, test } from 'vitest';
import { mockHttp } from '../probes/http-mock/mock.ts';
import type { HttpMockSession } from '../probes/http-mock/session.ts';
import { makeAuthority } from './authority.ts';
import { openGateway } from './gateway.ts';

const HOST = 'api.example.org';
let dir: string | undefined;
let session: HttpMockSession | undefined;

afterEach(async () => {
  await session?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
  session = undefined;
  dir = undefined;
});

/** The grader's servers for one mock, on free ports, with a fresh authority; and where its certificate is. */
async function serve(reply: Parameters<typeof mockHttp>[2] = { status: 200, headers: { 'content-type': 'application/json' }, body: { text: 'hello' } }) {
  dir = await mkdtemp(path.join(tmpdir(), 'netgrade-gateway-'));
  const authority = await makeAuthority([HOST]);
  const ca = path.join(dir, 'ca.pem');
  await writeFile(ca, authority.caPem);
  const ports = { http: await getPort(), https: await getPort() };
  session = await openGateway([mockHttp('GET', `https://${HOST}/greeting`, reply)], { dir, certificates: authority.hosts, trustEnv: {}, ports });
  return { ca, caPem: authority.caPem, port: ports.https };
}

// Python's own TLS, with only the grader's authority trusted, SNI and the host checked as for any name.
const PYTHON = `
import socket, ssl, sys
port, cafile = int(sys.argv[1]), (sys.argv[2] if len(sys.argv) > 2 else None)
context = ssl.create_default_context(cafile=cafile)
raw = socket.create_connection(('127.0.0.1', port))
try:
    tls = context.wrap_socket(raw, server_hostname='${HOST}')
except ssl.SSLCertVerificationError as error:
    print('refused', error.verify_message)
    sys.exit(0)
tls.sendall(b'GET /greeting HTTP/1.1\\r\\nHost: ${HOST}\\r\\nConnection: close\\r\\n\\r\\n')
data = b''
while chunk := tls.recv(4096):
    data += chunk
print(data.split(b'\\r\\n')[0].decode(), data.split(b'\\r\\n\\r\\n', 1)[1].decode())
`;

function nodeGet(port: number, ca?: string): Promise<string> {
  return new Promise((resolve) => {
    const request = https.get({ host: '127.0.0.1', port, servername: HOST, path: '/greeting', headers: { host: HOST }, ...(ca && { ca }) }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve(`${response.statusCode} ${body}`));
    });
    request.on('error', (error: NodeJS.ErrnoException) => resolve(`refused ${error.code}`));
  });
}

describe("the grader's HTTPS servers for a program in any language", () => {
  test('a Python client that trusts the grader\'s authority reaches the declared name over TLS, and is answered from the mock', async () => {
    const { ca, port } = await serve();
    const { stdout } = await execa('python3', ['-c', PYTHON, String(port), ca]);
    expect(stdout).toMatch(/^HTTP\/1\.1 200 OK [\s\S]*\{"text":"hello"\}/);
    expect((await session!.requests()).map((r) => `${r.method} ${r.url} ${r.matched}`)).toEqual([`GET https://${HOST}/greeting true`]);
  });

  test('a Node client that trusts it does too', async () => {
    const { caPem, port } = await serve();
    expect(await nodeGet(port, caPem)).toBe('200 {"text":"hello"}');
  });

  test('a client that trusts only the usual authorities refuses the certificate: the trust is the grader\'s doing, not a hole', async () => {
    const { port } = await serve();
    expect(await nodeGet(port)).toMatch(/^refused (UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)$/);
    const { stdout } = await execa('python3', ['-c', PYTHON, String(port)]);
    expect(stdout).toMatch(/^refused unable to get local issuer certificate/);
    expect(await session!.requests()).toEqual([]);
  });

  test("a mock's network error resets the TLS connection, and the next request is answered", async () => {
    const { caPem, port } = await serve([{ error: { code: 'ECONNRESET', message: 'socket hang up' } }, { status: 200, body: { text: 'again' } }]);
    expect(await nodeGet(port, caPem)).toBe('refused ECONNRESET');
    expect(await nodeGet(port, caPem)).toBe('200 {"text":"again"}');
    expect((await session!.requests()).map((r) => r.answer)).toEqual(['network error ECONNRESET', '200']);
  });

  test('a request body over 1 MiB is reset unread, and the servers go on answering', async () => {
    const { caPem, port } = await serve();
    const huge = await new Promise<string>((resolve) => {
      const request = https.request({ host: '127.0.0.1', port, servername: HOST, path: '/greeting', method: 'POST', headers: { host: HOST }, ca: caPem }, (response) => {
        response.resume();
        response.on('end', () => resolve(`answered ${response.statusCode}`));
      });
      request.on('error', (error: NodeJS.ErrnoException) => resolve(`refused ${error.code}`));
      request.end(Buffer.alloc(2 * 1024 * 1024, 'x'));
    });
    expect(huge).toMatch(/^refused (ECONNRESET|EPIPE)$/);
    expect(await nodeGet(port, caPem)).toBe('200 {"text":"hello"}');
  });

  test('a request no URL can be made of (a Host of "a b", a port past 65535) is reset, and the servers go on answering', async () => {
    const { caPem, port } = await serve();
    for (const host of ['a b', `${HOST}:99999`, '[::1']) {
      const answer = await new Promise<string>((resolve) => {
        const socket = tls.connect({ host: '127.0.0.1', port, servername: HOST, ca: caPem }, () => socket.write(`GET /greeting HTTP/1.1\r\nHost: ${host}\r\n\r\n`));
        let data = '';
        socket.on('data', (chunk: Buffer) => (data += chunk.toString()));
        socket.on('error', (error: NodeJS.ErrnoException) => resolve(`reset ${error.code}`));
        socket.on('close', () => resolve(data === '' ? 'closed' : data.split('\r\n')[0]!));
      });
      expect(answer, host).toMatch(/^(reset ECONNRESET|closed|HTTP\/1\.1 400 Bad Request)$/);
    }
    expect(await nodeGet(port, caPem)).toBe('200 {"text":"hello"}');
  });
});
