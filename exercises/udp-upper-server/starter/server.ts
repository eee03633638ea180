import dgram from 'node:dgram';

const socket = dgram.createSocket('udp4');

socket.on('message', (message, rinfo) => {
  // TODO: send back to the sender (rinfo.address, rinfo.port) one datagram: the text of
  // `message` (UTF-8) in upper case.
});
socket.bind(Number(process.env.PORT ?? 12345));
