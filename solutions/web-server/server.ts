import http from 'node:http';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

const PUBLIC = path.resolve('public');
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.png': 'image/png',
};

function send(response: http.ServerResponse, status: number, type: string, body: Buffer, withBody: boolean): void {
  response.writeHead(status, { 'Content-Type': type, 'Content-Length': body.length });
  response.end(withBody ? body : undefined);
}

/** The file a request target names under public/, or undefined when it would leave public/. */
function fileFor(target: string): string | undefined {
  // Decoded after the query is cut off, so an encoded "?" stays part of the name; "/" is index.html.
  const decoded = decodeURIComponent(target.split('?')[0]!);
  const file = path.resolve(PUBLIC, `.${decoded.endsWith('/') ? `${decoded}index.html` : decoded}`);
  return file.startsWith(PUBLIC + path.sep) ? file : undefined;
}

http
  .createServer(async (request, response) => {
    const text = (status: number, message: string) => send(response, status, 'text/plain; charset=utf-8', Buffer.from(`${message}\n`), request.method !== 'HEAD');
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('Allow', 'GET, HEAD');
      return text(405, 'Method Not Allowed');
    }
    let file: string | undefined;
    try {
      file = fileFor(request.url ?? '/');
    } catch {
      return text(400, 'Bad Request: the path is not valid percent-encoding');
    }
    if (file === undefined) return text(403, 'Forbidden');
    try {
      const body = await readFile(file);
      send(response, 200, TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream', body, request.method === 'GET');
    } catch {
      text(404, 'Not Found');
    }
  })
  .listen(Number(process.env.PORT ?? 8080));
