import net from 'node:net';

const socket = net.connect(Number(process.env.PORT ?? 12345), process.env.HOST ?? 'localhost');
// TODO: collect what the server sends, and print it when the server closes the connection.
socket.on('error', (error) => {
  console.error(`Error: ${error.message}`);
  process.exitCode = 1;
});
