import {
  CheckFailure,
  classifyErrorOutput,
  defineExercise,
  describeBytes,
  eachCase,
  expectBytes,
  expectSurvives,
  fail,
  type CheckContext,
  type Hint,
  type ListeningAddress,
  type Program,
  type TcpConnection,
} from 'netgrade';

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

/**
 * Reads the next reply on `client` and fails unless it is `line` in upper case and a `\n`; `what`
 * names the line for the student ("line 2", "client 3's line"). A failure says what usually
 * causes it: a character decoded in halves, bytes upper-cased as ASCII, a lost `\r`, or the code
 * serving this client having crashed.
 */
async function expectReply(program: Program, client: TcpConnection, line: string, what: string, otherClientsLines: readonly string[] = []): Promise<void> {
  let reply: Buffer;
  try {
    reply = await client.readUntil('\n', { what: `the reply to ${what}` });
  } catch (error) {
    throw explainMissingReply(program, error);
  }
  const expected = `${line.toUpperCase()}\n`;
  const text = reply.toString('utf8');
  if (text !== expected && otherClientsLines.some((other) => text === `${other.toUpperCase()}\n`)) {
    fail(`The reply to ${what} is the reply to another client's line: each client gets the replies to its own lines only.`, {
      details: [`expected: ${describeBytes(expected)}`, `actual:   ${describeBytes(reply)}`],
    });
  }
  expectBytes(reply, expected, { what: `The reply to ${what}`, ...replyHint(reply, line) });
}

// A check's failure (not the grader's own error), whichever copy of netgrade threw it.
function isCheckFailure(error: unknown): error is CheckFailure {
  return error instanceof Error && error.name === 'CheckFailure';
}

// A reply that did not come, because the program exited or the part of it serving this client
// crashed (a Python thread's exception is printed, and the server runs on without that client).
function explainMissingReply(program: Program, error: unknown): unknown {
  if (!isCheckFailure(error)) return error;
  const stderr = program.stderr.text;
  let note: string | undefined;
  if (program.exit) note = `Your server ${program.exit.description}.`;
  else if (classifyErrorOutput(stderr) === 'uncaught') {
    const exception = stderr.match(/^[A-Za-z_.]*(?:Error|Exception)\b.*$/gm)?.at(-1);
    note = `Meanwhile your server reported an uncaught exception${exception ? ` (${exception.trim()})` : ''}: the code serving this client crashed.`;
  }
  if (note === undefined) return error;
  const hint: Hint | undefined = /UnicodeDecodeError/.test(stderr) ? { python: SPLIT_CHARACTER_HINT.python } : error.hint;
  return new CheckFailure(`${error.message} ${note}`, { details: error.details, hint });
}

const SPLIT_CHARACTER_HINT = {
  typescript: "A UTF-8 character was split between two segments and each half was decoded alone. Keep the bytes (Buffer.concat) and decode each whole line, or call socket.setEncoding('utf8'), whose decoder keeps a split character whole.",
  python: "A UTF-8 character was split between two segments and a piece was decoded alone. Keep the received bytes, cut lines on b'\\n', and decode each whole line (line.decode('utf-8')).",
  c: "A UTF-8 character was split between two segments: keep the received bytes and answer a line only once its \\n has come, so both bytes of é are there.",
} as const;

function replyHint(reply: Buffer, line: string): { hint?: Hint } {
  const text = reply.toString('utf8');
  if (text.includes('\uFFFD')) return { hint: SPLIT_CHARACTER_HINT };
  const asciiUpper = line.replace(/[a-z]+/g, (letters) => letters.toUpperCase());
  if (asciiUpper !== line.toUpperCase() && text === `${asciiUpper}\n`) {
    return {
      hint: {
        typescript: 'Only the ASCII letters were upper-cased: decode the line to a string and call toUpperCase() on it, which upper-cases é as É.',
        python: "Only the ASCII letters were upper-cased: bytes.upper() changes a-z alone. Decode the line to a str first (line.decode('utf-8').upper()), which upper-cases é as É.",
        c: "Only the ASCII letters were upper-cased: é and è are two bytes each in UTF-8 (C3 A9, C3 A8), and become É and È (C3 89, C3 88): change the second byte.",
      },
    };
  }
  if (line.endsWith('\r') && text === `${line.slice(0, -1).toUpperCase()}\n`) {
    return {
      hint: {
        typescript: "The \\r before the \\n is part of the line and must come back: split on '\\n' alone (node:readline drops the \\r), and do not trim the line.",
        python: "The \\r before the \\n is part of the line and must come back: do not strip() the line, and read bytes (or text with newline=''): text mode turns '\\r\\n' into '\\n'.",
        c: "The \\r before the \\n is part of the line and must come back: send the line's bytes as they came, up to and including the \\n.",
      },
    };
  }
  const answered = text.slice(0, -1);
  if (answered !== '' && answered.length < line.length && line.toUpperCase().startsWith(answered)) {
    return {
      hint: {
        typescript: "Only the start of the line was answered: a 'data' chunk is not a line. Collect the bytes until a '\\n', then reply to the whole line.",
        python: "Only the start of the line was answered: one recv() returns what has arrived, which may be part of a line (or several lines). Collect the bytes until a b'\\n', then reply to the whole line.",
        c: "Only the start of the line was answered: one recv() returns what has arrived, which may be part of a line (or several lines). Keep the bytes until a \\n comes, and answer each whole line.",
      },
    };
  }
  return {};
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
  languages: ['typescript', 'python', 'c'],
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
        const { data, ended } = await client.readUntilClose({ timeoutMs: 300 });
        if (ended) fail(`Your server ${ended === 'fin' ? 'closed' : 'reset'} the connection after one line; it should keep it open for more lines until the client closes it.`);
        const extra = data.subarray(reply.length);
        if (extra.length > 0) {
          fail(`Your server sent ${describeBytes(extra)} after the reply, to a client that sent one line: a reply is the line in upper case and one \\n.`, {
            ...(/^(\r?\n)+$/.test(extra.toString('latin1')) && {
              hint: {
                typescript: 'The line you upper-cased still ended with its \\n: cut it off before adding the reply\'s own.',
                python: "The line you upper-cased still ended with its '\\n' (readline() and iterating over makefile() keep it): send it as it is, or cut the '\\n' off before adding one.",
              },
            }),
          });
        }
      },
    },

    shapes: eachCase({
      cases: SHAPES,
      caseId: (shape) => shape.id,
      title: (shape) => shape.title,
      points: 1,
      dependsOn: ['one-line'],
      run: async (ctx, shape) => {
        const { program, client } = await startAndConnect(ctx);
        await client.send(shape.lines.map((line) => `${line}\n`).join(''), shape.send);
        for (const [i, line] of shape.lines.entries()) await expectReply(program, client, line, `line ${i + 1}`);
      },
    }),

    'many-clients': {
      title: '20 clients at once each get the replies to their own lines only',
      points: 2,
      dependsOn: ['one-line'],
      run: async (ctx) => {
        const program = await ctx.launch();
        const address = await program.waitForListening();
        // The clients join one by one, each answered before the next connects, and all stay
        // connected: a server that serves one client at a time answers only the first. Waiting
        // for each answer also means no client connects while the server has connections it has
        // not yet accepted (a listen(1) backlog drops such a client's SYN, and TCP retries it 1 s later).
        const clients: TcpConnection[] = [];
        const sent: string[] = [];
        for (let i = 0; i < 20; i++) {
          const client = await ctx.connect(address);
          clients.push(client);
          const line = randomLine(ctx);
          sent.push(line);
          await client.send(`${line}\n`);
          await expectReply(program, client, line, `client ${i + 1}'s line`, sent.slice(0, -1)).catch((error: unknown) => {
            throw i > 0 && isCheckFailure(error) && client.received.length === 0 && runsUnharmed(program) ? oneClientAtATime(error, i + 1) : error;
          });
        }
        // Then every client sends before any reads: the server must keep their conversations apart.
        const lines = clients.map(() => randomLine(ctx));
        await Promise.all(clients.map((client, i) => client.send(`${lines[i]}\n`)));
        const everyLine = [...sent, ...lines];
        for (const [i, client] of clients.entries()) {
          await expectReply(program, client, lines[i]!, `client ${i + 1}'s second line`, everyLine.filter((line) => line !== lines[i]));
        }
      },
    },

    interleaved: {
      title: "keeps each client's unfinished line apart: pieces of two clients' lines, interleaved, get the right replies",
      points: 1,
      dependsOn: ['one-line'],
      run: async (ctx) => {
        const program = await ctx.launch();
        const address = await program.waitForListening();
        const a = await ctx.connect(address, { name: 'client A' });
        const b = await ctx.connect(address, { name: 'client B' });
        const [lineA, lineB] = [randomLine(ctx), randomLine(ctx)];
        const [cutA, cutB] = [Math.floor(lineA.length / 2), Math.floor(lineB.length / 2)];
        // A's first half, B's first half, then 300 ms later A's second half and B's: both halves
        // have reached the server before either line is complete, so a server that keeps one
        // buffer for all its clients joins them.
        await Promise.all([
          a.send(`${lineA}\n`, { splitAt: [cutA], pauseMs: 300 }),
          b.send(`${lineB}\n`, { splitAt: [cutB], pauseMs: 300 }),
        ]);
        // A reply that joins a piece of the other client's line to this one's (or lacks this one's first piece).
        const mixed = (received: Buffer, own: string, other: string) => {
          const text = received.toString('utf8');
          if (text.startsWith(`${other.toUpperCase()}\n`)) return false;
          const firstHalf = (line: string) => line.slice(0, Math.floor(line.length / 2)).toUpperCase();
          return text.includes(firstHalf(other)) || !text.includes(firstHalf(own));
        };
        for (const [client, own, other, name] of [[a, lineA, lineB, 'A'], [b, lineB, lineA, 'B']] as const) {
          try {
            await expectReply(program, client, own, `client ${name}'s line`, [other]);
          } catch (error) {
            if (!isCheckFailure(error)) throw error;
            if (client.received.length === 0 && name === 'B' && runsUnharmed(program)) throw oneClientAtATime(error, 'B');
            if (client.received.length > 0 && mixed(client.received, own, other)) {
              throw new CheckFailure(`${error.message} It holds a piece of the other client's line, or lacks the first piece of its own: your server mixed the two clients' unfinished lines.`, {
                details: error.details,
                hint: {
                  typescript: 'Keep the bytes received but not yet answered in a variable of each connection, declared inside the connection handler (net.createServer((socket) => { let pending = ...; ... })), not one shared by all clients.',
                  python: "Keep the bytes received but not yet answered per client: a local variable of the function that serves one client (a thread per client), or a dict from socket to bytes (selectors), not one global buffer.",
                  c: "Keep the bytes received but not yet answered per client: a buffer of the function (thread) that serves one client, not a global one.",
                },
              });
            }
            throw error;
          }
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
            hint: {
              typescript: "Close the connection when the client ends its side: socket.on('end', () => socket.end()), or leave Node's default (allowHalfOpen: false).",
              python: "recv() returns b'' when the client has closed its side: answer what was complete, then close that client's socket (client_socket.close()).",
              c: "recv() returns 0 when the client has closed its side: answer what was complete, then close(client).",
            },
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
          {
            crashHint: {
              typescript: "Give every socket an error handler, e.g. socket.on('error', () => {}): a reset is an 'error' event, and one nobody handles crashes the program.",
              python: "Catch the error where you call recv() and sendall() on a client's socket: a reset raises ConnectionResetError (an OSError). Close that client's socket and go on serving the others.",
              c: "Check what recv() and send() return: -1 on a reset ends that client (close its socket), not the server; and ignore SIGPIPE (signal(SIGPIPE, SIG_IGN)), or a send to a reset client kills the process.",
            },
          },
        );
      },
    },
  },
});

// Whether the server still runs and has reported no uncaught exception: its silence is then its design.
function runsUnharmed(program: Program): boolean {
  return !program.exit && classifyErrorOutput(program.stderr.text) !== 'uncaught';
}

// A client the server did not answer while an earlier one, already answered, was still connected.
function oneClientAtATime(error: CheckFailure, client: number | string): CheckFailure {
  const before = typeof client === 'number' ? 'The clients before it had been answered and were' : 'The client before it had been answered and was';
  return new CheckFailure(`${error.message} ${before} still connected: your server seems to serve one client at a time.`, {
    details: error.details,
    hint: {
      typescript: 'Serve every connection as it comes: net.createServer calls your handler for each one, and each socket\'s data events come as they arrive; do not wait for one client to leave before reading another.',
      python: 'Serve each client in a thread of its own (threading.Thread(target=serve, args=(client_socket,)).start() after accept()), or with selectors or socketserver.ThreadingTCPServer: a loop that accept()s the next client only when the last has left answers one at a time.',
      c: 'Serve each client in a thread of its own (pthread_create after accept(), pthread_detach), so that a client that waits does not hold up the others.',
    },
  });
}
