// @ts-check
// The grader's HTTP and HTTPS servers for one launch of a program that nock cannot be loaded into
// (any language but Node's). It runs with the HTTP-mock preload: each request it receives is made
// again, as it came, from this process, where nock answers it from the launch's mocks and the
// preload logs it exactly as it logs a Node program's requests. One matching logic, one log, and
// the log is the grader's: the program never sees it.
// Plain JavaScript beside the preload: it runs in a plain Node, with nothing but the preload.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import tls from 'node:tls';

/** @type {{ address: string, httpPort: number, httpsPort: number, hosts: Record<string, { cert: string, key: string }> }} */
const config = JSON.parse(readFileSync(String(process.env.NETGRADE_GATEWAY), 'utf8'));
delete process.env.NETGRADE_GATEWAY;

const contexts = new Map(Object.entries(config.hosts).map(([host, pair]) => [host, tls.createSecureContext(pair)]));
const [fallback] = Object.values(config.hosts);

// What a program may ask of these servers, which run with the grader's rights and outside its
// cgroup: a body of 1 MiB, 64 connections at once, 1,000 requests a launch. Past that it is reset.
const MAX_BODY_BYTES = 1024 * 1024;
const MAX_CONNECTIONS = 64;
const MAX_REQUESTS = 1000;
let requests = 0;

// Headers about this hop, not the request: the request made again sets its own.
const HOP_HEADERS = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'proxy-connection', 'upgrade']);

/** @param {'http' | 'https'} scheme @returns {http.RequestListener} */
function relay(scheme) {
  return (request, response) => {
    if (++requests > MAX_REQUESTS) return reset(request.socket);
    // A request the program abandons, or one reset here, is no error of the grader's.
    request.on('error', () => undefined);
    /** @type {Buffer[]} */
    const chunks = [];
    let size = 0;
    request.on('data', (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) reset(request.socket);
      else chunks.push(chunk);
    });
    request.on('end', () => {
      if (size > MAX_BODY_BYTES) return;
      const body = Buffer.concat(chunks);
      /** @type {Record<string, string | string[]>} */
      const headers = {};
      for (const [name, value] of Object.entries(request.headers)) if (value !== undefined && !HOP_HEADERS.has(name)) headers[name] = value;
      if (body.length > 0) headers['content-length'] = String(body.length);
      /** @type {http.ClientRequest} */
      let again;
      try {
        again = (scheme === 'https' ? https : http).request(`${scheme}://${request.headers.host ?? 'localhost'}${request.url ?? '/'}`, { method: request.method, headers });
      } catch {
        // No URL can be made of it (a Host of "a b", a port past 65535): no request nock could match.
        return reset(request.socket);
      }
      again.on('response', (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.statusMessage, answer.rawHeaders);
        answer.pipe(response);
      });
      // A mock's network error, or a request no mock matches (blocked, as nock blocks it inside a
      // Node program): the connection is reset, as a failing network resets it.
      again.on('error', () => reset(request.socket));
      again.end(body);
    });
  };
}

// The TCP connection under each TLS one, by the client's port: only a TCP socket can be reset.
/** @type {Map<number | undefined, import('node:net').Socket>} */
const underneath = new Map();

/** @param {import('node:net').Socket} socket */
function reset(socket) {
  const tcp = underneath.get(socket.remotePort) ?? socket;
  if (!tcp.destroyed) tcp.resetAndDestroy();
}

// Whatever else goes wrong with one request (a log that cannot be written: the program filled its
// file system) must not end the servers for the requests after it.
process.on('uncaughtException', (error) => process.stderr.write(`${error.message}\n`));

const servers = [
  http.createServer(relay('http')).listen(config.httpPort, config.address),
  https
    .createServer({ ...fallback, SNICallback: (name, done) => done(null, contexts.get(name.toLowerCase()) ?? contexts.values().next().value) }, relay('https'))
    .on('connection', (/** @type {import('node:net').Socket} */ tcp) => {
      const port = tcp.remotePort;
      underneath.set(port, tcp);
      tcp.once('close', () => underneath.delete(port));
    })
    .listen(config.httpsPort, config.address),
];
let listening = 0;
for (const server of servers) {
  server.maxConnections = MAX_CONNECTIONS;
  server.on('listening', () => {
    if (++listening === servers.length) process.stdout.write('ready\n');
  });
  server.on('error', (error) => {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  });
}
