import { defineExercise, expectBytes, expectSurvives, type CheckContext, type ListeningAddress, type Program, type UdpClient } from 'netgrade';

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

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

/** Sends `text` from `udp` and fails unless the reply is its upper case; a server that died meanwhile is told so. */
async function expectAnswered(program: Program, udp: UdpClient, address: ListeningAddress, text: string, expected = text.toUpperCase()): Promise<void> {
  await udp.send(text, address);
  const shown = text.length <= 40 ? JSON.stringify(text) : `the ${text.length}-character datagram`;
  await expectSurvives(program, `it received ${shown}`, async () => {
    expectBytes(await udp.receive({ what: `the reply to ${shown}` }), expected, { what: `The reply to ${shown}` });
  });
}

export default defineExercise({
  id: 'udp-upper-server',
  title: 'UDP server: answer each datagram in upper case',
  entry: 'server.ts',
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
        await expectAnswered(program, udp, address, randomText(ctx));
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
          await expectAnswered(program, udp, address, text);
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
          await expectAnswered(program, udp, address, `${randomText(ctx, 1)} ${word}`);
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
        await expectAnswered(program, udp, address, ctx.random.string(8 * 1024, LETTERS));
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
          crashHint: "Decode with message.toString('utf8') (which replaces invalid bytes with �), or catch what your decoder throws.",
        });
      },
    },
  },
});
