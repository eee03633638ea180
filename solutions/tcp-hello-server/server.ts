import net from 'node:net';

const port = Number(process.env.PORT ?? 12345);

// Like the course's Python server: serve one client, then stop listening and exit.
const server = net.createServer((socket) => {
  console.log(`Connection from ${socket.remoteAddress}:${socket.remotePort} has been established.`);
  socket.end('Hello from server');
  server.close();
});

server.listen(port, 'localhost');
