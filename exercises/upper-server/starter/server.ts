import net from 'node:net';

const port = Number(process.env.PORT ?? 12345);

net
  .createServer((socket) => {
    socket.on('data', (chunk: Buffer) => {
      // TODO: a chunk is not a line. Collect bytes until a '\n', then reply with that line in
      // upper case, followed by '\n'.
    });
    // TODO: what happens when a client resets its connection?
  })
  .listen(port);
