import net from 'node:net';

const host = process.env.HOST ?? 'localhost';
const port = Number(process.env.PORT ?? 25);
const from = process.env.MAIL_FROM ?? '';
const to = (process.env.MAIL_TO ?? '').split(',').map((address) => address.trim()).filter(Boolean);
const subject = process.env.SUBJECT ?? '';
const body = process.env.BODY ?? '';

class SmtpError extends Error {}

/** Reads whole replies: a reply ends with its last line, "nnn text" (a space after the code, not "-"). */
class ReplyReader {
  #pending = '';
  #lines: string[] = [];
  #waiting: ((reply: string) => void) | undefined;
  #failed: Error | undefined;
  #onFailure: ((error: Error) => void) | undefined;

  constructor(socket: net.Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (text: string) => {
      this.#pending += text;
      for (let end = this.#pending.indexOf('\n'); end >= 0; end = this.#pending.indexOf('\n')) {
        const line = this.#pending.slice(0, end).replace(/\r$/, '');
        this.#pending = this.#pending.slice(end + 1);
        this.#lines.push(line);
        if (/^\d{3}( |$)/.test(line)) {
          const reply = this.#lines.join('\n');
          this.#lines = [];
          this.#waiting?.(reply);
          this.#waiting = undefined;
        }
      }
    });
    socket.on('error', (error) => this.#fail(error));
    socket.on('close', () => this.#fail(new Error('the server closed the connection')));
  }

  #fail(error: Error): void {
    this.#failed ??= error;
    this.#onFailure?.(this.#failed);
  }

  /** The next whole reply; fails unless its code is one of `expected`. */
  next(expected: number[]): Promise<string> {
    return new Promise((resolve, reject) => {
      if (this.#failed) return reject(this.#failed);
      this.#onFailure = reject;
      this.#waiting = (reply) => {
        this.#onFailure = undefined;
        const last = reply.split('\n').at(-1)!;
        if (expected.includes(Number(last.slice(0, 3)))) resolve(reply);
        else reject(new SmtpError(last));
      };
    });
  }
}

async function connect(): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port }, () => {
      socket.off('error', reject);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

async function main(): Promise<void> {
  const socket = await connect();
  const replies = new ReplyReader(socket);
  const send = (line: string) => socket.write(`${line}\r\n`);
  try {
    await replies.next([220]);
    send('EHLO netgrade.client');
    await replies.next([250]);
    send(`MAIL FROM:<${from}>`);
    await replies.next([250]);
    for (const address of to) {
      send(`RCPT TO:<${address}>`);
      await replies.next([250, 251]);
    }
    send('DATA');
    await replies.next([354]);
    // Dot-stuffing: a body line that starts with "." gets one more, so none reads as the end.
    const lines = [`From: ${from}`, `To: ${to.join(', ')}`, `Subject: ${subject}`, '', ...body.split('\n').map((line) => (line.startsWith('.') ? `.${line}` : line))];
    socket.write(`${lines.join('\r\n')}\r\n.\r\n`);
    await replies.next([250]);
    send('QUIT');
    await replies.next([221]);
    socket.end();
  } catch (error) {
    if (error instanceof SmtpError) {
      // The server refused: say goodbye politely, then report the reply.
      send('QUIT');
      await replies.next([221]).catch(() => undefined);
      socket.end();
    } else {
      socket.destroy();
    }
    throw error;
  }
}

main().catch((error: Error) => {
  console.error(`mail not sent: ${error.message}`);
  process.exitCode = 1;
});
