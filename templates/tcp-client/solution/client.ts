import net from 'node:net';

const socket = net.connect(Number(process.env.PORT ?? 12345), process.env.HOST ?? 'localhost');
const chunks: Buffer[] = [];
socket.on('data', (chunk: Buffer) => chunks.push(chunk));
socket.on('end', () => console.log(Buffer.concat(chunks).toString('utf8')));
socket.on('error', (error) => {
  console.error(`Error: ${error.message}`);
  process.exitCode = 1;
});
