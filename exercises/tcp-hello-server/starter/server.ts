import net from 'node:net';

// The port to listen on: the grader sets PORT; 12345 when you run it yourself.
const port = Number(process.env.PORT ?? 12345);

const server = net.createServer((socket) => {
  // TODO: print "Connection from <address> has been established."
  //       with the client's IP address and port (socket.remoteAddress, socket.remotePort)
  // TODO: send exactly "Hello from server", then close the connection
});

server.listen(port);
