import {
  CheckFailure,
  defineExercise,
  end,
  diffBytes,
  expectBytes,
  expectHandledFailure,
  expectNoUncaughtException,
  fail,
  pause,
  reset,
  send,
  type CheckContext,
  type Hint,
  type Program,
  type ProgramExit,
  type Random,
  type ServerConnection,
  type ServerStep,
} from 'netgrade';

// Checks wait this long for a client to print and exit: generous, since a correct one takes milliseconds.
const OUTPUT_WAIT_MS = 5000;
const LONG_MESSAGE_BYTES = 96 * 1024;

/** Starts the grader's server with `steps`, then the student's client pointed at it. */
async function startClient(ctx: CheckContext, steps: readonly ServerStep[]) {
  const server = await ctx.serve(steps);
  const program = await ctx.launch({ port: server.port, env: { HOST: '127.0.0.1' } });
  const connection = await server.waitForConnection({ from: program });
  return { server, program, connection };
}

/**
 * Fails unless the program printed exactly `message`, optionally followed by one newline.
 * `connection` is the grader's side, to tell the student what it had done when the output fell short.
 */
async function expectPrinted(program: Program, connection: ServerConnection, message: string): Promise<void> {
  const expected = Buffer.from(message);
  await program.waitForOutput((text) => Buffer.byteLength(text) >= expected.length);
  // A moment more, so output printed after the message is seen too.
  const exit = await program.exitWithin(300);
  const printed = program.stdout.bytes;
  const actual = printed.equals(Buffer.concat([expected, Buffer.from('\n')])) ? expected : printed;
  if (!actual.equals(expected)) explainShortfall(exit, connection, actual, expected, program.stderr.text);
  expectBytes(actual, expected, { what: 'What your program printed', ...hintFor(actual, expected) });
}

// A program that died before printing the message, or printed nothing and never stopped reading,
// is told so, rather than only shown the bytes it did not print.
function explainShortfall(exit: ProgramExit | undefined, connection: ServerConnection, actual: Buffer, expected: Buffer, stderr: string): void {
  const details = [`What it printed, against the message:`, ...diffBytes(expected, actual)];
  if (exit && (exit.code !== 0 || exit.signal !== null)) {
    const splitCharacter = /UnicodeDecodeError: .*(unexpected end of data|invalid continuation byte|invalid start byte)/.test(stderr);
    fail(`Your program ${exit.description} before it printed the whole message.`, {
      details,
      hint: splitCharacter
        ? {
            python: `A UTF-8 character was split between two pieces, and a piece was decoded alone: ${DECODE_TOGETHER_PY}`,
          }
        : 'Its error output below shows where it went wrong.',
    });
  }
  if (!exit && actual.length === 0 && connection.scriptEndedAt !== undefined) {
    fail('Your program printed nothing: it was still running, reading, after the server had sent the whole message and closed the connection.', {
      details,
      hint: {
        typescript: "Print the message when the server closes the connection: in socket.on('end', ...), or after a for await loop over the socket.",
        python: "recv() returns b'' once the server has closed the connection: stop the loop then (if not chunk: break), and print what you collected.",
        c: 'recv() returns 0 once the server has closed the connection: stop the loop then, and print what you collected.',
      },
    });
  }
}

const DECODE_TOGETHER_PY = "collect the bytes and decode them together once the server has closed (b''.join(chunks).decode('utf-8')), or decode with codecs.getincrementaldecoder('utf-8')(), which keeps a split character until its last byte comes.";

function hintFor(actual: Buffer, expected: Buffer): { hint?: Hint } {
  if (actual.includes(Buffer.from('\uFFFD'))) {
    return {
      hint: {
        typescript: "A character came out as �: a UTF-8 character was split between two chunks. Decode all the bytes together (Buffer.concat(chunks).toString('utf8')) or call socket.setEncoding('utf8').",
        python: `A character came out as �: a UTF-8 character was split between two pieces, and each piece was decoded alone. Instead, ${DECODE_TOGETHER_PY}`,
        c: 'A character came out as �: write the bytes exactly as they came, all of them, without converting them.',
      },
    };
  }
  const line = actual.at(-1) === 0x0a ? actual.subarray(0, -1) : actual;
  if (line.length > 0 && line.length < expected.length && expected.subarray(0, line.length).equals(line)) {
    return {
      hint: {
        typescript: "Only the start of the message was printed. A message can arrive in several 'data' chunks: collect them all and print when the server closes the connection ('end').",
        python: "Only the start of the message was printed: one recv() returns what has arrived so far, which may be a piece of the message. Call recv() in a loop until it returns b'' (the server closed the connection), then print it all.",
        c: 'Only the start of the message was printed: one recv() returns what has arrived so far, which may be a piece of the message. Call recv() in a loop until it returns 0 (the server closed the connection), keeping every byte.',
      },
    };
  }
  if (newlinesBetweenPieces(actual, expected)) {
    return {
      hint: {
        typescript: 'Newlines appeared inside the message: console.log ends every call with one. Collect the chunks and print once, when the server closes the connection, or write each with process.stdout.write(chunk).',
        python: "Newlines appeared inside the message: print() ends every call with one. Collect the pieces and print once after the loop, or print each with print(text, end='').",
        c: 'Newlines appeared inside the message: write each piece as it came (fwrite), and one newline at the end.',
      },
    };
  }
  if (actual.includes(expected)) return { hint: 'Print the message alone, with no other text around it.' };
  return {};
}

// The message, with a newline printed after some of its pieces: a print per piece received.
function newlinesBetweenPieces(actual: Buffer, expected: Buffer): boolean {
  const withoutNewlines = (bytes: Buffer) => bytes.toString('latin1').replaceAll('\n', '');
  const extra = actual.filter((byte) => byte === 0x0a).length - expected.filter((byte) => byte === 0x0a).length;
  return extra > 1 && withoutNewlines(actual) === withoutNewlines(expected);
}

// A check's failure (not the grader's own error), whichever copy of netgrade threw it.
function isCheckFailure(error: unknown): error is CheckFailure {
  return error instanceof Error && error.name === 'CheckFailure';
}

function randomMessage(random: Random): string {
  const opening = random.pick(['Hello from server', 'Greetings from the server', 'Hi there, client', 'Welcome to the server']);
  return `${opening} #${random.int(100, 999)} ${random.string(12)}`;
}

function randomLongMessage(random: Random): string {
  const lines: string[] = [];
  for (let size = 0; size < LONG_MESSAGE_BYTES; size += 65) lines.push(`${String(lines.length).padStart(5, '0')} ${random.string(58)}`);
  return lines.join('\n');
}

// Cut offsets that fall inside multi-byte UTF-8 characters: one byte into each of them.
function cutsInsideCharacters(message: string, characters: readonly string[]): number[] {
  return characters.map((character) => Buffer.byteLength(message.slice(0, message.indexOf(character))) + 1);
}

export default defineExercise({
  id: 'tcp-hello-client',
  title: 'Basic TCP client: print what the server sends',
  entry: 'client.ts',
  languages: ['typescript', 'python', 'c'],
  // The course text's client connects to localhost 12345: the grader's server is there (and in HOST and PORT).
  port: 12345,
  checks: {
    'one-piece': {
      title: 'prints exactly the message a server sends in one piece',
      points: 2,
      run: async (ctx) => {
        const message = randomMessage(ctx.random);
        const { program, connection } = await startClient(ctx, [send(message), end()]);
        await expectPrinted(program, connection, message);
      },
    },

    segments: {
      title: 'prints the whole message when it arrives in several pieces with pauses between them',
      points: 2,
      run: async (ctx) => {
        const message = randomMessage(ctx.random);
        const { program, connection } = await startClient(ctx, [send(message, { segments: 3, pauseMs: 200 }), end()]);
        await expectPrinted(program, connection, message);
      },
    },

    'utf8-split': {
      title: 'decodes UTF-8 correctly when a character is split across two pieces',
      points: 1,
      run: async (ctx) => {
        const message = `Grüße vom Server ${ctx.random.string(8)} 🚀 ✓`;
        const splitAt = cutsInsideCharacters(message, ['ü', '🚀']);
        const { program, connection } = await startClient(ctx, [send(message, { splitAt, pauseMs: 200 }), end()]);
        await expectPrinted(program, connection, message);
      },
    },

    long: {
      title: `prints a long message (${LONG_MESSAGE_BYTES / 1024} KiB) whole`,
      points: 1,
      run: async (ctx) => {
        const message = randomLongMessage(ctx.random);
        const { program, connection } = await startClient(ctx, [send(message), end()]);
        await expectPrinted(program, connection, message);
      },
    },

    exits: {
      title: 'exits by itself, with code 0, within 2 s after the server closes the connection',
      points: 1,
      run: async (ctx) => {
        const { program, connection } = await startClient(ctx, [send(randomMessage(ctx.random)), end()]);
        await connection.scriptDone;
        const exit = await program.waitForExit({ after: 'the server closed the connection', timeoutMs: 2000 });
        expectNoUncaughtException(program.stderr.text, 'after the server closed the connection', {
          hint: {
            typescript: "A normal close is not an error: print the message on 'end' (or after the for await loop) and let the program end.",
            python: "A normal close is not an error: recv() returns b'' then; leave the loop, print the message, and let the program end.",
          },
        });
        if (exit.code !== 0) {
          fail(`Your program ${exit.description} after the server closed the connection normally; it should exit with code 0.`);
        }
      },
    },

    refused: {
      title: 'when nothing listens on PORT: a one-line error on stderr and a non-zero exit code',
      points: 1,
      run: async (ctx) => {
        const program = await ctx.launch({ port: await ctx.freePort(), env: { HOST: '127.0.0.1' } });
        await expectHandledFailure(program, 'its connection was refused (nothing listens on PORT)');
      },
    },

    reset: {
      title: 'when the server resets the connection mid-message: a one-line error and a non-zero exit code',
      points: 1,
      run: async (ctx) => {
        const message = randomMessage(ctx.random);
        const { program, connection } = await startClient(ctx, [send(message.slice(0, 10)), pause(100), reset()]);
        await connection.scriptDone;
        try {
          await expectHandledFailure(program, 'the server reset the connection');
        } catch (error) {
          // A client that only ended its sending side (a half-close) still sees the reset and passes;
          // one that closed after the first piece never saw it, which is what it needs to hear.
          if (!connection.clientLeftFirst || !isCheckFailure(error)) throw error;
          fail('Your program closed the connection itself after the first piece of the message, before the server reset it, so it never saw the reset.', {
            hint: {
              typescript: "Keep reading until the server closes the connection ('end') or it fails ('error'): a message can arrive in several pieces.",
              python: "Keep calling recv() until it returns b'' (the server closed the connection) or raises an error (ConnectionResetError): a message can arrive in several pieces.",
              c: 'Keep calling recv() until it returns 0 (the server closed the connection) or -1 (ECONNRESET: print the error, return 1): a message can arrive in several pieces.',
            },
          });
        }
      },
    },
  },
});
