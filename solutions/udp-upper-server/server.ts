import dgram from 'node:dgram';

const socket = dgram.createSocket('udp4');

// One reply per datagram, from this same socket, to whoever sent it. toString('utf8') never
// throws: invalid bytes become U+FFFD.
socket.on('message', (message, rinfo) => {
  socket.send(message.toString('utf8').toUpperCase(), rinfo.port, rinfo.address);
});
socket.on('error', (error) => console.error(`socket error: ${error.message}`));
socket.bind(Number(process.env.PORT ?? 12345));
