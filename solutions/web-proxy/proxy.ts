import http from 'node:http';

// Headers that describe one connection, not the message: each hop sets its own.
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'proxy-authorization', 'proxy-authenticate', 'proxy-connection']);
const CACHE_MS = 60_000;
const ORIGIN_TIMEOUT_MS = 5000;

interface Cached {
  status: number;
  headers: http.OutgoingHttpHeaders;
  body: Buffer;
  at: number;
}
const cache = new Map<string, Cached>();

function endToEnd(headers: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name)));
}

function answer(client: http.ServerResponse, status: number, text: string): void {
  if (client.headersSent) return void client.destroy();
  client.writeHead(status, { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(text) }).end(text);
}

http
  .createServer((request, client) => {
    if (request.method !== 'GET') return answer(client, 501, 'only GET is supported\n');
    let url: URL;
    try {
      url = new URL(request.url ?? '');
      if (url.protocol !== 'http:') throw new Error('not http');
    } catch {
      return answer(client, 400, 'a proxy request names an absolute http:// URL\n');
    }
    const key = url.href;
    const hit = cache.get(key);
    if (hit && Date.now() - hit.at < CACHE_MS) return void client.writeHead(hit.status, hit.headers).end(hit.body);

    const upstream = http.request(
      { host: url.hostname, port: url.port || 80, path: url.pathname + url.search, headers: { ...endToEnd(request.headers), host: url.host }, timeout: ORIGIN_TIMEOUT_MS },
      (response) => {
        const headers = endToEnd(response.headers);
        const status = response.statusCode ?? 502;
        client.writeHead(status, response.statusMessage, headers);
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          client.write(chunk);
        });
        response.on('end', () => {
          client.end();
          if (status === 200 && !/no-store/i.test(String(response.headers['cache-control'] ?? ''))) {
            cache.set(key, { status, headers: { ...headers, 'content-length': Buffer.concat(chunks).length }, body: Buffer.concat(chunks), at: Date.now() });
          }
        });
        response.on('error', () => client.destroy());
      },
    );
    // A silent origin: give up and say so; the error event that follows answers nothing twice.
    upstream.on('timeout', () => {
      answer(client, 504, 'the origin did not answer in time\n');
      upstream.destroy();
    });
    upstream.on('error', () => {
      if (!client.writableEnded) answer(client, 502, 'the origin could not be reached\n');
    });
    upstream.end();
  })
  .listen(Number(process.env.PORT ?? 8080));
