import net from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { allocatePort } from '../process/ports.ts';
import { MAX_CONNECTIONS, ReferenceServer } from './tcp-server.ts';
import { expectLine, expectSilence, expectUntil, pause, reply, type ServerStep } from './server-script.ts';
import { testSettings } from '../../test/helpers/probe-settings.ts';

let server: ReferenceServer | undefined;
const clients: net.Socket[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  await server?.close();
});

describe('the reference server', () => {
  test('serves a bounded number of connections in a check and resets the rest, saying so once', async () => {
    const log: string[] = [];
    server = await ReferenceServer.start([], { port: await allocatePort(), ...testSettings(), log: (line) => void log.push(line) });
    const ends = await Promise.all(
      Array.from({ length: MAX_CONNECTIONS + 4 }, () => {
        const client = net.connect(server!.port, '127.0.0.1');
        clients.push(client);
        return new Promise<string>((resolve) => {
          client.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
          client.on('connect', () => setTimeout(() => resolve('open'), 200));
        });
      }),
    );
    expect(server.connections).toHaveLength(MAX_CONNECTIONS);
    expect(ends.filter((end) => end === 'ECONNRESET')).toHaveLength(4);
    expect(log.filter((line) => line.includes(`more than ${MAX_CONNECTIONS} connections`))).toHaveLength(1);
  });
});

describe('the dialog server', () => {
  const settings = testSettings;

  /** A client that runs `talk` once connected to the server; resolves with the connection the server saw. */
  async function dialog(steps: ServerStep[], talk: (socket: net.Socket) => void) {
    server = await ReferenceServer.start(steps, { port: await allocatePort(), ...settings() });
    const client = net.connect(server.port, '127.0.0.1');
    client.setNoDelay(true);
    clients.push(client);
    client.on('error', () => {});
    client.on('connect', () => talk(client));
    return server.waitForConnection();
  }

  /** Answers each complete reply (a line starting with `nnn `) with the next of `lines`, as a careful client does. */
  function answering(lines: string[]) {
    return (socket: net.Socket) => {
      let pending = '';
      socket.on('data', (chunk) => {
        pending += chunk.toString();
        while (/^\d{3} .*\r\n/m.test(pending)) {
          pending = pending.slice(pending.search(/^\d{3} .*\r\n/m)).replace(/^.*\r\n/, '');
          const next = lines.shift();
          if (next !== undefined) socket.write(next);
        }
      });
    };
  }

  test('a client that waits for each whole reply and sends the expected lines follows the script', async () => {
    let checked = '';
    const connection = await dialog(
      [
        reply('220-hello\r\n220 ready\r\n', { segments: 3, pauseMs: 30 }),
        expectLine(/^EHLO \S+$/i, { what: 'EHLO <name>', ending: '\r\n' }),
        reply('250 ok\r\n'),
        expectUntil('\r\n.\r\n', { what: 'the message', check: (data) => void (checked = data.toString()) }),
        reply('250 queued\r\n'),
      ],
      answering(['ehlo me\r\n', 'body\r\n.\r\n']),
    );
    await connection.expectScript();
    expect(checked).toBe('body\r\n.\r\n');
  });

  test('a client that speaks while a reply in pieces is still arriving fails, naming what it sent too early', async () => {
    const connection = await dialog([reply('220-hello\r\n220 ready\r\n', { segments: 2, pauseMs: 100 }), expectLine(/^EHLO/, { what: 'EHLO' })], (socket) =>
      socket.once('data', () => socket.write('EHLO me\r\n')),
    );
    await expect(connection.expectScript()).rejects.toThrow(`Your program sent "EHLO me\\r\\n" before the grader's reply "220-hello\\r\\n220 ready\\r\\n" had all arrived.`);
  });

  test('a client that speaks too early and then leaves is judged on what it sent, not let off by leaving', async () => {
    const connection = await dialog([reply('220-a\r\n220 b\r\n', { segments: 2, pauseMs: 150 }), expectLine(/^EHLO/, { what: 'EHLO' })], (socket) =>
      socket.once('data', () => socket.end('EHLO me\r\n')),
    );
    await expect(connection.expectScript()).rejects.toThrow('Your program sent "EHLO me\\r\\n" before the grader\'s reply');
  });

  test('a line that does not match names the reply it answered; a client that leaves before a line is due fails', async () => {
    const answered = await dialog([reply('251 will forward\r\n'), expectLine(/^RCPT/, { what: 'RCPT TO:<b@x>' })], (socket) => socket.once('data', () => socket.write('QUIT\n')));
    await expect(answered.expectScript()).rejects.toThrow('but it sent "QUIT\\n", in answer to the grader\'s "251 will forward\\r\\n".');
    await server?.close();
    const gone = await dialog([reply('220 hi\r\n'), pause(100), expectLine(/^EHLO/, { what: 'EHLO <name>' })], (socket) => socket.once('data', () => socket.end()));
    await expect(gone.expectScript()).rejects.toThrow('Your program was expected to send EHLO <name> (a line ending with \\n), but it closed the connection, in answer to the grader\'s "220 hi\\r\\n".');
  });

  test('a line that ends with \\n alone where \\r\\n is due fails, and so does a line that does not match', async () => {
    const bare = await dialog([expectLine(/^QUIT$/, { what: 'QUIT', ending: '\r\n' })], (socket) => socket.write('QUIT\n'));
    await expect(bare.expectScript()).rejects.toThrow('Your program sent "QUIT\\n", which ends with \\n alone; every line it sends must end with \\r\\n.');
    await server?.close();
    const wrong = await dialog([expectLine(/^QUIT$/, { what: 'QUIT' })], (socket) => socket.write('BYE\n'));
    await expect(wrong.expectScript()).rejects.toThrow('Your program was expected to send QUIT (a line ending with \\n), but it sent "BYE\\n".');
  });

  test('silence where a line is due fails, saying how long the grader waited; a client that speaks during expectSilence fails', async () => {
    const quiet = await dialog([expectLine(/^HELO/, { what: 'HELO <name>', timeoutMs: 150 })], () => {});
    await expect(quiet.expectScript()).rejects.toThrow('Your program was expected to send HELO <name> (a line ending with \\n), but it sent nothing more for 0.15 s.');
    await server?.close();
    const eager = await dialog([expectSilence(300, { what: 'before the greeting' }), reply('220 hi\r\n')], (socket) => socket.write('HELO me\r\n'));
    await expect(eager.expectScript()).rejects.toThrow('Your program was expected to send nothing before the greeting, but it sent "HELO me\\r\\n".');
    expect(eager.transcript.render().join('\n')).toContain('the grader stopped here');
  });
});
