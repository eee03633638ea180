import dgram from 'node:dgram';

const host = process.env.HOST ?? '127.0.0.1';
const port = Number(process.env.PORT ?? 12000);

const socket = dgram.createSocket('udp4');

// TODO: for n = 1 to 10, one at a time: send `Ping <n> <Date.now()>` to host:port, wait up to
// 1 s for the echo of that ping (a reply that starts with `Ping <n> `), and print
// `Reply <n>: rtt=<ms> ms` or `Request <n> timed out`. Then print the summary line, close the
// socket, and let the program end.
socket.close();
