import net from 'node:net';

const host = process.env.HOST ?? 'localhost';
const port = Number(process.env.PORT ?? 25);

const socket = net.connect({ host, port });
socket.on('data', (chunk: Buffer) => {
  // TODO: a chunk is not a reply. A reply ends with its last line, "250 text\r\n" (a space after
  // the code); lines before it look like "250-text\r\n". Wait for the whole reply, check its code,
  // then send the next command, ended by "\r\n":
  // EHLO <name>, MAIL FROM:<MAIL_FROM>, one RCPT TO:<...> per address in MAIL_TO, DATA, the
  // message (headers, an empty line, the body, a line with a single "."), QUIT.
});
// TODO: what if the connection is refused, or the server closes it in the middle?
