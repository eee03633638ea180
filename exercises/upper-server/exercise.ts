import { defineExercise, eachCase, expectBytes, expectSurvives, fail, type CheckContext, type ListeningAddress, type Program, type TcpConnection } from 'netgrade';

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/** A line a program cannot have hard-coded: random words, from the run's seed. */
function randomLine(ctx: CheckContext, words = 3): string {
  return Array.from({ length: words }, () => ctx.random.string(ctx.random.int(3, 8), LETTERS)).join(' ');
}

/** The server, started and listening, and a client connected to it. */
async function startAndConnect(ctx: CheckContext): Promise<{ program: Program; address: ListeningAddress; client: TcpConnection }> {
  const program = await ctx.launch();
  const address = await program.waitForListening();
  return { program, address, client: await ctx.connect(address) };
}

// Each way lines may reach the server: what is sent (and how it is cut), and the replies expected.
const SHAPES = [
  { id: 'several-per-segment', title: 'answers three lines that arrive in one segment, in order', lines: ['one two', 'three', 'four five six'], send: {} },
  { id: 'split-over-segments', title: 'answers a line that arrives in three pieces', lines: ['split over segments'], send: { segments: 3, pauseMs: 150 } },
  { id: 'utf8-split', title: 'answers a line with a multi-byte UTF-8 character split between segments', lines: ['café crème'], send: { splitAt: [4] } },
  { id: 'crlf', title: 'keeps a \\r before the \\n: "abc\\r\\n" gets "ABC\\r\\n"', lines: ['carriage return\r'], send: {} },
  { id: 'long-line', title: 'answers a 64 KiB line', lines: ['x'.repeat(64 * 1024 - 1)], send: {} },
] as const;

export default defineExercise({
  id: 'upper-server',
  title: 'Line server: answer each line in upper case',
  entry: 'server.ts',
  checks: {
    listens: {
      title: 'listens on the port given in PORT within 10 s',
      points: 1,
      run: async (ctx) => {
        const program = await ctx.launch();
        await program.waitForListening({ timeoutMs: 10_000 });
      },
    },

    'one-line': {
      title: 'answers a line with the line in upper case, within 1 s, and keeps the connection open',
      points: 2,
      dependsOn: ['listens'],
      run: async (ctx) => {
        const { client } = await startAndConnect(ctx);
        const line = randomLine(ctx);
        await client.send(`${line}\n`);
        const reply = await client.readUntil('\n', { what: `the reply to "${line}\\n"` });
        expectBytes(reply, `${line.toUpperCase()}\n`, { what: 'The reply' });
        const { ended } = await client.readUntilClose({ timeoutMs: 300 });
        if (ended) fail(`Your server ${ended === 'fin' ? 'closed' : 'reset'} the connection after one line; it should keep it open for more lines until the client closes it.`);
      },
    },

    shapes: eachCase({
      cases: SHAPES,
      caseId: (shape) => shape.id,
      title: (shape) => shape.title,
      points: 1,
      dependsOn: ['one-line'],
      run: async (ctx, shape) => {
        const { client } = await startAndConnect(ctx);
        await client.send(shape.lines.map((line) => `${line}\n`).join(''), shape.send);
        for (const [i, line] of shape.lines.entries()) {
          const reply = await client.readUntil('\n', { what: `the reply to line ${i + 1}` });
          expectBytes(reply, `${line.toUpperCase()}\n`, { what: `The reply to line ${i + 1}` });
        }
      },
    }),

    'many-clients': {
      title: '20 clients at once each get the replies to their own lines only',
      points: 2,
      dependsOn: ['one-line'],
      run: async (ctx) => {
        const program = await ctx.launch();
        const address = await program.waitForListening();
        const clients = [];
        for (let i = 0; i < 20; i++) clients.push(await ctx.connect(address));
        const lines = clients.map(() => randomLine(ctx));
        // Every client sends before any reads: the server must keep their conversations apart.
        await Promise.all(clients.map((client, i) => client.send(`${lines[i]}\n`)));
        for (const [i, client] of clients.entries()) {
          const reply = await client.readUntil('\n', { what: `client ${i + 1}'s reply` });
          expectBytes(reply, `${lines[i]!.toUpperCase()}\n`, { what: `The reply client ${i + 1} received` });
        }
      },
    },

    'closes-after-fin': {
      title: 'when a client closes its side, answers its last line and closes the connection within 1 s',
      points: 1,
      dependsOn: ['one-line'],
      run: async (ctx) => {
        const { client } = await startAndConnect(ctx);
        const line = randomLine(ctx, 2);
        await client.send(`${line}\n`);
        client.end();
        expectBytes(await client.readUntil('\n', { what: 'the reply to the last line' }), `${line.toUpperCase()}\n`, { what: 'The reply' });
        const { ended } = await client.readUntilClose({ timeoutMs: 1000 });
        if (ended === null) {
          fail('Your server kept the connection open after the client closed its side (FIN).', {
            hint: "Close the connection when the client ends its side: socket.on('end', () => socket.end()), or leave Node's default (allowHalfOpen: false).",
          });
        }
      },
    },

    'survives-reset': {
      title: 'a client that resets its connection does not stop the server: the next client is answered',
      points: 1,
      dependsOn: ['one-line'],
      run: async (ctx) => {
        const { program, address, client } = await startAndConnect(ctx);
        // A reply first, so the reset reaches a connection the server has accepted and reads, with
        // nothing in flight: data sent just before a reset reaches Node as an ordinary end.
        const first = randomLine(ctx, 2);
        await client.send(`${first}\n`);
        await client.readUntil('\n', { what: 'the reply to the first line' });
        client.reset();
        // The reset reaches the server before the next client's connection and line do, so a server
        // that dies of it dies before it can answer; whatever the next client then sees, the exit
        // (not a timing window) is what tells the reset crashed it.
        const line = randomLine(ctx, 2);
        await expectSurvives(
          program,
          'a client reset its connection',
          async () => {
            const next = await ctx.connect(address);
            await next.send(`${line}\n`);
            expectBytes(await next.readUntil('\n', { what: 'the reply to the next client' }), `${line.toUpperCase()}\n`, { what: 'The reply' });
          },
          { crashHint: "Give every socket an error handler, e.g. socket.on('error', () => {}): a reset is an 'error' event, and one nobody handles crashes the program." },
        );
      },
    },
  },
});
