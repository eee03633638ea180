import { defineExercise, expectBytes, fail, type CheckContext, type ListeningAddress, type Program, type UdpClient } from 'netgrade';

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

/** A reference socket that can reach `address` (IPv6 when the server bound only an IPv6 address). */
function socketFor(ctx: CheckContext, address: ListeningAddress, name?: string): Promise<UdpClient> {
  return ctx.udp({ family: address.host.includes(':') ? 6 : 4, ...(name !== undefined && { name }) });
}

/** Sends `text` from `udp` and fails unless the reply is its upper case. */
async function expectAnswered(udp: UdpClient, address: ListeningAddress, text: string | Buffer, expected: string): Promise<void> {
  await udp.send(text, address);
  const shown = typeof text === 'string' && text.length <= 40 ? `"${text}"` : 'the datagram';
  expectBytes(await udp.receive({ what: `the reply to ${shown}` }), expected, { what: `The reply to ${shown}` });
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
        const { address } = await startServer(ctx);
        const udp = await socketFor(ctx, address);
        const text = randomText(ctx);
        await expectAnswered(udp, address, text, text.toUpperCase());
        await udp.expectNothing({ what: 'after the one reply (one datagram answers one datagram)' });
      },
    },

    several: {
      title: 'answers five datagrams sent one after another, each with its own reply',
      points: 1,
      dependsOn: ['one-datagram'],
      run: async (ctx) => {
        const { address } = await startServer(ctx);
        const udp = await socketFor(ctx, address);
        for (let i = 0; i < 5; i++) {
          const text = randomText(ctx, i + 1);
          await expectAnswered(udp, address, text, text.toUpperCase());
        }
      },
    },

    utf8: {
      title: 'converts the UTF-8 text: "café" gets "CAFÉ", "straße" gets "STRASSE"',
      points: 1,
      dependsOn: ['one-datagram'],
      run: async (ctx) => {
        const { address } = await startServer(ctx);
        const udp = await socketFor(ctx, address);
        for (const word of ['café', 'straße', 'ångström']) {
          const text = `${randomText(ctx, 1)} ${word}`;
          await expectAnswered(udp, address, text, text.toUpperCase());
        }
      },
    },

    large: {
      title: 'answers an 8 KiB datagram whole',
      points: 1,
      dependsOn: ['one-datagram'],
      run: async (ctx) => {
        const { address } = await startServer(ctx);
        const udp = await socketFor(ctx, address);
        const text = ctx.random.string(8 * 1024, LETTERS);
        await expectAnswered(udp, address, text, text.toUpperCase());
      },
    },

    clients: {
      title: 'three clients, their datagrams interleaved: each gets the replies to its own, and only those',
      points: 2,
      dependsOn: ['one-datagram'],
      run: async (ctx) => {
        const { address } = await startServer(ctx);
        const clients = [await socketFor(ctx, address, 'client a'), await socketFor(ctx, address, 'client b'), await socketFor(ctx, address, 'client c')];
        for (let round = 0; round < 2; round++) {
          const texts = clients.map(() => randomText(ctx, 2));
          for (const [i, udp] of clients.entries()) await udp.send(texts[i]!, address);
          for (const [i, udp] of clients.entries()) {
            const what = `client ${'abc'[i]}'s reply to "${texts[i]}"`;
            expectBytes(await udp.receive({ what }), texts[i]!.toUpperCase(), { what: `The reply client ${'abc'[i]} received` });
          }
        }
        for (const udp of clients) await udp.expectNothing({ what: "to a client whose datagrams were all answered (another client's reply?)" });
      },
    },

    'invalid-utf8': {
      title: 'a datagram that is not valid UTF-8 does not stop the server',
      points: 1,
      dependsOn: ['one-datagram'],
      run: async (ctx) => {
        const { program, address } = await startServer(ctx);
        const careless = await socketFor(ctx, address, 'invalid');
        await careless.send(Buffer.from([0x68, 0x69, 0xff, 0xfe, 0xc3]), address);
        // Whatever it answers to that is its own affair; a new client must still be answered.
        const udp = await socketFor(ctx, address, 'next');
        const text = randomText(ctx);
        try {
          await expectAnswered(udp, address, text, text.toUpperCase());
        } catch (error) {
          const exit = await program.exitWithin(2000);
          if (exit) {
            fail(`Your server ${exit.description} after a datagram that is not valid UTF-8.`, {
              hint:
                exit.code === 0
                  ? 'A server runs until it is stopped: keep its socket open.'
                  : "Decode with message.toString('utf8') (which replaces invalid bytes with �), or catch what your decoder throws.",
            });
          }
          throw error;
        }
      },
    },
  },
});
