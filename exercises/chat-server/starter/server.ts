import net from 'node:net';

const port = Number(process.env.PORT ?? 12345);

net
  .createServer((socket) => {
    socket.on('data', (chunk: Buffer) => {
      // TODO: collect bytes until '\n' (drop a '\r' before it). A client's first line is its name;
      // tell every other client "* <name> joined". Each later non-empty line goes to every other
      // client as "<name>: <text>".
    });
    // TODO: when a named client leaves (closes or resets its connection), tell the others
    // "* <name> left". What happens to the server when a client resets its connection?
  })
  .listen(port);
