import net from 'node:net';

const port = Number(process.env.PORT ?? 12345);

net
  .createServer((socket) => {
    // TODO: send the greeting, then close the connection.
  })
  .listen(port);
