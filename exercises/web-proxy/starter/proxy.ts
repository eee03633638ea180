import http from 'node:http';

// A forward proxy: the client's request line names a whole URL, GET http://host:port/path HTTP/1.1.
http
  .createServer((request, response) => {
    const url = new URL(request.url ?? '');
    // TODO: ask url.host for url.pathname + url.search (with http.request), and send the client
    // the origin's status, headers and body bytes.
    // TODO: what if the origin refuses the connection, or never answers? What about other methods?
    // TODO: keep 200 responses to GET in a cache, by the full URL, for 60 s (not Cache-Control: no-store).
    response.writeHead(501).end(`not implemented yet: ${url.href}\n`);
  })
  .listen(Number(process.env.PORT ?? 8080));
