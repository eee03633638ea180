import {
  CheckFailure,
  isCheckFailure,
  defineExercise,
  expectBytes,
  expectSurvives,
  type CheckContext,
  type Hint,
  type ListeningAddress,
  type Program,
  type UdpClient,
} from 'netgrade';

// The grader's random text: lower-case ASCII letters, in words; some checks add spaces, \t, \n,
// \r\n and a few non-ASCII words, all of whose upper case is the same in Python and JavaScript.
const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
// The largest datagram the grader sends, as the statement says.
const LARGEST = 8 * 1024;

/** Text a program cannot have hard-coded: random words, from the run's seed. */
function randomText(ctx: CheckContext, words = 3): string {
  return Array.from({ length: words }, () => ctx.random.string(ctx.random.int(3, 8), LETTERS)).join(' ');
}

/** The server, with its UDP socket bound, and where to send to it. */
async function startServer(ctx: CheckContext): Promise<{ program: Program; address: ListeningAddress }> {
  const program = await ctx.launch();
  return { program, address: await program.waitForListening({ protocol: 'udp' }) };
}

/**
 * A reference socket that can reach `address` (IPv6 when the server bound only an IPv6 address);
 * `other: true` puts it on 127.0.0.2, a sender a server must not take for 127.0.0.1.
 */
function socketFor(ctx: CheckContext, address: ListeningAddress, options: { name?: string; other?: boolean } = {}): Promise<UdpClient> {
  const ipv6 = address.host.includes(':');
  return ctx.udp({ ...(ipv6 ? { family: 6 } : options.other ? { address: '127.0.0.2' } : {}), ...(options.name !== undefined && { name: options.name }) });
}

/** What to tell the student when no reply came, or when the reply was wrong (given the reply). */
interface AnswerHints {
  silent?: Hint;
  wrong?: (reply: Buffer) => Hint | undefined;
}

/** Sends `text` from `udp` and fails unless the reply is its upper case; a server that died meanwhile is told so. */
async function expectAnswered(program: Program, udp: UdpClient, address: ListeningAddress, text: string, hints: AnswerHints = {}): Promise<void> {
  await udp.send(text, address);
  const shown = text.length <= 40 ? JSON.stringify(text) : `the ${text.length}-character datagram`;
  await expectSurvives(program, `it received ${shown}`, async () => {
    const reply = await withHint(udp.receive({ what: `the reply to ${shown}` }), hints.silent);
    const hint = hints.wrong?.(reply);
    expectBytes(reply, text.toUpperCase(), { what: `The reply to ${shown}`, ...(hint && { hint }) });
  });
}

/** `step`, with `hint` given to a failure of it that has none (or any failure, with `override`). */
async function withHint<T>(step: Promise<T>, hint: Hint | undefined, options: { override?: boolean } = {}): Promise<T> {
  try {
    return await step;
  } catch (error) {
    if (hint === undefined || !isCheckFailure(error) || (error.hint !== undefined && !options.override)) throw error;
    throw new CheckFailure(error.message, { hint, details: error.details });
  }
}

const NO_REPLY: Hint = {
  typescript: 'Send one datagram back to whoever sent this one, from the same socket: socket.send(reply, rinfo.port, rinfo.address).',
  python: 'Send one datagram back to whoever sent this one, from the same socket: message, address = sock.recvfrom(65535), then sock.sendto(reply, address).',
  c: 'Send one datagram back to whoever sent this one, from the same socket: sendto(sock, reply, length, 0, (struct sockaddr *)&from, from_length) with the address recvfrom() filled in.',
};

const EMPTY_DATAGRAM: Hint = {
  typescript: 'An empty datagram is a message like any other (UDP has no connection to close): answer it with an empty one, socket.send(Buffer.alloc(0), rinfo.port, rinfo.address).',
  python: "An empty datagram is a message like any other (UDP has no connection to close): recvfrom returns b'', and sock.sendto(b'', address) answers it. asyncio before Python 3.13 sends nothing for transport.sendto(b''): use a plain socket.",
  c: 'An empty datagram is a message like any other (UDP has no connection to close): recvfrom() returns 0 for it, and sendto() with a length of 0 answers it.',
};

/** A reply that upper-cased the ASCII letters of `text` and nothing else: bytes.upper() in Python. */
function asciiOnlyHint(text: string): (reply: Buffer) => Hint | undefined {
  const asciiUpper = Buffer.from(text.replace(/[a-z]+/g, (letters) => letters.toUpperCase()));
  return (reply) => reply.equals(asciiUpper)
    ? {
        typescript: 'Convert the decoded text, every letter of it, not only a–z: message.toString(\'utf8\').toUpperCase().',
        python: "bytes.upper() changes the ASCII letters a–z only: decode the datagram, upper() the text, encode the result: message.decode('utf-8', errors='replace').upper().encode('utf-8').",
        c: 'Only a-z were upper-cased: the statement lists the other characters the grader sends, each a sequence of UTF-8 bytes with its own upper case (some longer or shorter: ß is SS).',
      }
    : undefined;
}

/** A reply that is the first part of the right one: the datagram was read into too small a buffer. */
function cutShortHint(text: string): (reply: Buffer) => Hint | undefined {
  const expected = Buffer.from(text.toUpperCase());
  return (reply) => reply.length < expected.length && expected.subarray(0, reply.length).equals(reply)
    ? {
        typescript: `Your reply is the first ${reply.length} bytes of the right one: convert the whole datagram the 'message' event gives you.`,
        python: `Your reply is the first ${reply.length} bytes of the right one: recvfrom(bufsize) returns at most bufsize bytes of a datagram and drops the rest. Ask for enough: recvfrom(65535) takes any UDP datagram (the grader's are up to ${LARGEST}).`,
        c: `Your reply is the first ${reply.length} bytes of the right one: recvfrom() returns at most the buffer's size of a datagram and drops the rest; a datagram is up to 8192 bytes.`,
      }
    : undefined;
}

export default defineExercise({
  id: 'udp-upper-server',
  title: 'UDP server: answer each datagram in upper case',
  entry: 'server.ts',
  languages: ['typescript', 'python', 'c'],
  checks: {
    binds: {
      title: 'binds a UDP socket to the port given in PORT within 10 s',
      points: 1,
      run: async (ctx) => {
        const program = await ctx.launch();
        await program.waitForListening({ protocol: 'udp', timeoutMs: 10_000 });
      },
    },

    'one-datagram': {
      title: 'answers a datagram with its text in upper case, sent back to the sender from PORT, within 1 s',
      points: 2,
      dependsOn: ['binds'],
      run: async (ctx) => {
        const { program, address } = await startServer(ctx);
        const udp = await socketFor(ctx, address);
        await expectAnswered(program, udp, address, randomText(ctx), { silent: NO_REPLY });
        // Long enough to see a reply sent again "in case the first was lost".
        await udp.expectNothing({ timeoutMs: 1500, what: 'after the one reply (one datagram answers one datagram)' });
      },
    },

    several: {
      title: 'answers datagrams sent one after another, each with its own reply: spaces and newlines kept, an empty one answered empty',
      points: 1,
      dependsOn: ['one-datagram'],
      run: async (ctx) => {
        const { program, address } = await startServer(ctx);
        const udp = await socketFor(ctx, address);
        for (const text of [randomText(ctx, 1), `  ${randomText(ctx, 2)}  `, `${randomText(ctx, 3)}\n`, '', `\t${randomText(ctx, 4)}\r\n`]) {
          // Whatever went wrong with the empty one (no reply, the server ended), the cause is the same.
          await withHint(expectAnswered(program, udp, address, text), text === '' ? EMPTY_DATAGRAM : undefined, { override: true });
        }
      },
    },

    utf8: {
      title: 'converts the UTF-8 text, whatever it does to its length: "café" gets "CAFÉ", "straße" "STRASSE", "ﬀ" "FF", "ŉ" "ʼN"',
      points: 1,
      dependsOn: ['one-datagram'],
      run: async (ctx) => {
        const { program, address } = await startServer(ctx);
        const udp = await socketFor(ctx, address);
        // Upper case can be longer or shorter in bytes than the text (ﬀ: 3 bytes, FF: 2; ŉ: 2, ʼN: 3).
        for (const word of ['café', 'straße', 'ångström', 'ﬀ', 'ŉ']) {
          const text = `${randomText(ctx, 1)} ${word}`;
          await expectAnswered(program, udp, address, text, { wrong: asciiOnlyHint(text) });
        }
      },
    },

    large: {
      title: 'answers an 8 KiB datagram whole',
      points: 1,
      dependsOn: ['one-datagram'],
      run: async (ctx) => {
        const { program, address } = await startServer(ctx);
        const udp = await socketFor(ctx, address);
        const text = ctx.random.string(LARGEST, LETTERS);
        await expectAnswered(program, udp, address, text, { wrong: cutShortHint(text) });
      },
    },

    clients: {
      title: 'three clients (one on 127.0.0.2), their datagrams interleaved: each gets the replies to its own, and only those',
      points: 2,
      dependsOn: ['one-datagram'],
      run: async (ctx) => {
        const { address } = await startServer(ctx);
        const clients = [await socketFor(ctx, address, { name: 'client a' }), await socketFor(ctx, address, { name: 'client b', other: true }), await socketFor(ctx, address, { name: 'client c' })];
        for (let round = 0; round < 2; round++) {
          const texts = clients.map(() => randomText(ctx, 2));
          for (const [i, udp] of clients.entries()) await udp.send(texts[i]!, address);
          for (const [i, udp] of clients.entries()) {
            const what = `client ${'abc'[i]}'s reply to "${texts[i]}"`;
            expectBytes(await udp.receive({ what }), texts[i]!.toUpperCase(), { what: `The reply client ${'abc'[i]} received` });
          }
        }
        await Promise.all(clients.map((udp) => udp.expectNothing({ what: "to a client whose datagrams were all answered (another client's reply?)" })));
      },
    },

    'invalid-utf8': {
      title: 'a datagram that is not valid UTF-8 does not stop the server',
      points: 1,
      dependsOn: ['one-datagram'],
      run: async (ctx) => {
        const { program, address } = await startServer(ctx);
        const careless = await socketFor(ctx, address, { name: 'invalid' });
        await careless.send(Buffer.from([0x68, 0x69, 0xff, 0xfe, 0xc3]), address);
        // Whatever it answers to that is its own affair; a new client must still be answered.
        const udp = await socketFor(ctx, address, { name: 'next' });
        await expectSurvives(program, 'a datagram that is not valid UTF-8', () => expectAnswered(program, udp, address, randomText(ctx)), {
          crashHint: {
            typescript: "Decode with message.toString('utf8') (which replaces invalid bytes with �), or catch what your decoder throws.",
            python: "Decode with message.decode('utf-8', errors='replace') (which replaces invalid bytes with �), or catch UnicodeDecodeError.",
            c: 'Copy bytes that are not valid UTF-8 (or not in the table) as they are; nothing a datagram holds may end the server.',
          },
        });
      },
    },
  },
});
