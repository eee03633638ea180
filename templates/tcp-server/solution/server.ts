import net from 'node:net';

net.createServer((socket) => socket.end('Hello from {{id}}')).listen(Number(process.env.PORT ?? 12345));
