import net from 'node:net';

// Lines are split on the bytes (\n is one byte in UTF-8), so a character split between segments
// is decoded whole; a \r before the \n stays part of the line.
net
  .createServer((socket) => {
    let pending = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      for (let end = pending.indexOf(0x0a); end >= 0; end = pending.indexOf(0x0a)) {
        socket.write(`${pending.subarray(0, end).toString('utf8').toUpperCase()}\n`);
        pending = pending.subarray(end + 1);
      }
    });
    socket.on('error', () => {
      // a client that resets its connection is gone; the others are served
    });
  })
  .listen(Number(process.env.PORT ?? 12345));
