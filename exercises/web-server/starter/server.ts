import http from 'node:http';
import { readFile } from 'node:fs/promises';

const port = Number(process.env.PORT ?? 8080);

http
  .createServer(async (request, response) => {
    // TODO: a request's URL is percent-encoded and may carry a query string; "/" means index.html;
    // a path must never lead out of public/ ("/../server.ts").
    const file = `public${request.url}`;
    // TODO: GET and HEAD only; a HEAD response has GET's headers and no body.
    // TODO: a missing file is a 404, not a crash.
    const body = await readFile(file);
    // TODO: the Content-Type from the file's extension.
    response.writeHead(200, { 'Content-Length': body.length });
    response.end(body);
  })
  .listen(port);
