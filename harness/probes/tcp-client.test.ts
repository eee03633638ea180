import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, test } from 'vitest';
import { CheckFailure } from '../errors.ts';
import { dial, TcpConnection } from './tcp-client.ts';
import { renderConversation } from './transcript.ts';
import { testSettings } from '../../test/helpers/probe-settings.ts';

const servers: net.Server[] = [];
const sockets: net.Socket[] = [];
const connections: TcpConnection[] = [];
afterEach(async () => {
  for (const connection of connections.splice(0)) connection.close();
  for (const socket of sockets.splice(0)) socket.destroy();
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** A server on loopback whose handler gets each accepted socket; its port. */
async function listening(onSocket: (socket: net.Socket) => void = () => {}): Promise<number> {
  const server = net.createServer((socket) => {
    sockets.push(socket);
    socket.setNoDelay(true);
    onSocket(socket);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as net.AddressInfo).port;
}

async function connect(port: number): Promise<TcpConnection> {
  const connection = await TcpConnection.open({ host: '127.0.0.1', port }, {}, testSettings());
  connections.push(connection);
  return connection;
}

/** Writes pieces with pauses between them, so they arrive as separate segments. */
async function dribble(socket: net.Socket, pieces: readonly (string | Buffer)[]): Promise<void> {
  for (const piece of pieces) {
    socket.write(piece);
    await sleep(30);
  }
}

describe('dial', () => {
  test('a connection the kernel completed while the grader was stalled past the time limit is kept, not abandoned', async () => {
    const port = await listening();
    const dialed = dial({ host: '127.0.0.1', port }, 50);
    // A busy grader: the loop is blocked past the timeout while the handshake completes in the kernel.
    const until = Date.now() + 300;
    while (Date.now() < until);
    const socket = await dialed;
    sockets.push(socket);
    expect(socket.remotePort).toBe(port);
  });
});

describe('reading lines and bytes', () => {
  test('readLine returns each line in order, whatever the segments: several in one, one over several, UTF-8 split, \\r kept', async () => {
    const euro = Buffer.from('€');
    const port = await listening((socket) => void dribble(socket, ['one\ntwo\nth', 'ree\r\n', Buffer.concat([Buffer.from('a'), euro.subarray(0, 1)]), Buffer.concat([euro.subarray(1), Buffer.from('b\n')])]));
    const connection = await connect(port);
    expect([await connection.readLine(), await connection.readLine(), await connection.readLine(), await connection.readLine()]).toEqual(['one', 'two', 'three\r', 'a€b']);
  });

  test('readUntil and readBytes continue where the last read stopped', async () => {
    const port = await listening((socket) => socket.write('220-first\r\n220 last\r\nXYZ'));
    const connection = await connect(port);
    expect((await connection.readUntil('\r\n220 ')).toString()).toBe('220-first\r\n220 ');
    expect((await connection.readUntil('\r\n')).toString()).toBe('last\r\n');
    expect((await connection.readBytes(3)).toString()).toBe('XYZ');
  });

  test('a read that the program ends first fails, saying what it expected and what did come', async () => {
    const port = await listening((socket) => socket.end('partial'));
    const connection = await connect(port);
    const failure = await connection.readLine({ what: 'the reply to "hello"' }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(CheckFailure);
    expect((failure as CheckFailure).message).toBe('Your program was expected to send the reply to "hello", but it closed the connection, after sending only "partial".');
  });

  test('a read that times out says how long it waited', async () => {
    const port = await listening();
    const connection = await connect(port);
    await expect(connection.readLine({ timeoutMs: 100 })).rejects.toThrow('but it sent nothing more for 0.1 s.');
  });

  test('expectSilence passes when nothing more comes, and fails naming what came where nothing should', async () => {
    const port = await listening((socket) => socket.on('data', (chunk) => socket.write(chunk.toString() === 'echo\n' ? 'you: echo\n' : '')));
    const connection = await connect(port);
    await connection.send('quiet\n');
    await connection.expectSilence({ timeoutMs: 150 });
    await connection.send('echo\n');
    await expect(connection.expectSilence({ timeoutMs: 1000, what: 'to the sender of a message' })).rejects.toThrow(
      'Your program was expected to send nothing to the sender of a message, but it sent "you: echo\\n".',
    );
  });

  test('expectSilence ends when the program closes the connection: nothing can come after its FIN, and the close is not data', async () => {
    const port = await listening((socket) => socket.on('data', () => setTimeout(() => socket.end(), 50)));
    const connection = await connect(port);
    await connection.send('bye\n');
    const started = performance.now();
    await connection.expectSilence({ timeoutMs: 10_000 });
    // Not a speed target: the wait was 10 s, and the close came after 50 ms.
    expect(performance.now() - started).toBeLessThan(5000);
  });
});

describe('sending and closing', () => {
  test('send cuts a message into segments that arrive apart', async () => {
    const chunks: string[] = [];
    const port = await listening((socket) => socket.on('data', (chunk) => chunks.push(chunk.toString())));
    const connection = await connect(port);
    await connection.send('abcdef', { segments: 3, pauseMs: 50 });
    await sleep(50);
    expect(chunks).toEqual(['ab', 'cd', 'ef']);
  });

  test('end half-closes: the program sees the end of its input and can still reply', async () => {
    const port = await listening((socket) => socket.on('end', () => socket.end('bye\n')));
    const connection = await connect(port);
    connection.end();
    expect(await connection.readLine()).toBe('bye');
    expect((await connection.readUntilClose()).ended).toBe('fin');
  });

  test('reset is seen by the program as a reset connection', async () => {
    const seen = new Promise<string | undefined>((resolve) => {
      void listening((socket) => socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code))).then(async (port) => (await connect(port)).reset());
    });
    expect(await seen).toBe('ECONNRESET');
  });
});

describe('a conversation with several clients', () => {
  test('shows every connection on one clock, each line naming its client (aligned), in the order things happened', async () => {
    const port = await listening((socket) => socket.on('data', (chunk) => socket.write(chunk.toString().toUpperCase())));
    const since = performance.now();
    const [first, second] = [await connect(port), await connect(port)];
    first.transcript.label = 'ann';
    second.transcript.label = 'client 2';
    await first.send('a\n');
    await first.readLine();
    await second.send('b\n');
    await second.readLine();
    const lines = renderConversation([first.transcript, second.transcript], since);
    expect(lines[0]).toBe('2 connections, times since the check began:');
    const sent = lines.filter((line) => line.includes('sent') || line.includes('received')).map((line) => line.replace(/^\s+\+\d+\.\d+ s\s+/, ''));
    expect(sent).toEqual([
      'ann       → sent "a\\n" (2 bytes)',
      'ann       ← received "A\\n" (2 bytes)',
      'client 2  → sent "b\\n" (2 bytes)',
      'client 2  ← received "B\\n" (2 bytes)',
    ]);
  });
});
