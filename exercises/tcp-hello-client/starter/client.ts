import net from 'node:net';

// Where to connect: the grader sets HOST and PORT; localhost:12345 when you run it yourself.
const host = process.env.HOST ?? 'localhost';
const port = Number(process.env.PORT ?? 12345);

const socket = net.connect({ host, port });

// TODO: read everything the server sends until it closes the connection, then print it.
// TODO: on an error, print a one-line message to stderr and exit with a non-zero code.
