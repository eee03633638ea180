import net from 'node:net';

const host = process.env.HOST ?? 'localhost';
const port = Number(process.env.PORT ?? 12345);

// Collect every chunk: a message may arrive in several pieces, and a UTF-8 character may be split
// between two of them, so the bytes are decoded once, at the end.
const chunks: Buffer[] = [];
const socket = net.connect({ host, port });
socket.on('data', (chunk: Buffer) => chunks.push(chunk));
socket.on('end', () => {
  console.log(Buffer.concat(chunks).toString('utf8'));
});
socket.on('error', (error) => {
  console.error(`Error: ${error.message}`);
  process.exitCode = 1;
});
