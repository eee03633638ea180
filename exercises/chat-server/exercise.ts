import { defineExercise, expectBytes, expectSurvives, fail, type CheckContext, type ListeningAddress, type Program, type TcpConnection } from 'netgrade';

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/** A chat name a program cannot have hard-coded, from the run's seed. */
function randomName(ctx: CheckContext): string {
  return ctx.random.string(ctx.random.int(3, 9), LETTERS) + ctx.random.int(1, 99);
}

/** A message of random words, in both cases. */
function randomText(ctx: CheckContext, words = 3): string {
  return Array.from({ length: words }, () => ctx.random.string(ctx.random.int(2, 7), LETTERS + LETTERS.toUpperCase())).join(' ');
}

/** One client in the room: its connection, and the name the others know it by. */
interface Member {
  name: string;
  client: TcpConnection;
}

/** Fails unless the next line `member` receives (after `skippable`, if that comes first) is `line`; a line about the member itself says so. */
async function expectHeard(member: Member, line: string, skippable?: string): Promise<void> {
  const read = () => member.client.readUntil('\n', { what: `"${line}\\n" to ${member.name}` });
  let received = await read();
  if (skippable !== undefined && received.toString('utf8') === `${skippable}\n`) received = await read();
  const text = received.toString('utf8');
  if (text !== `${line}\n` && (text === `* ${member.name} joined\n` || text.startsWith(`${member.name}: `))) {
    fail(`${member.name} received ${JSON.stringify(text)}, about itself: only the other clients in the room are told of a join or a message.`, {
      details: [`expected: ${JSON.stringify(`${line}\n`)}`],
    });
  }
  expectBytes(received, `${line}\n`, { what: `The line ${member.name} received` });
}

/**
 * Connects a client and sends its name (as `nameLine`, e.g. with `\r\n`); every member already in
 * `room` must be told it joined (after `mayFirstHear`, a line a member may or may not get first).
 * Returns the new member, now in `room`.
 */
async function join(ctx: CheckContext, address: ListeningAddress, room: Member[], options: { nameLine?: (name: string) => string; mayFirstHear?: string } = {}): Promise<Member> {
  const name = randomName(ctx);
  const client = await ctx.connect(address, { name });
  await client.send(options.nameLine ? options.nameLine(name) : `${name}\n`);
  for (const member of room) await expectHeard(member, `* ${name} joined`, options.mayFirstHear);
  const member = { name, client };
  room.push(member);
  return member;
}

/** The server, listening, and a room of `size` named clients, each announced to those before it. */
async function startRoom(ctx: CheckContext, size: number): Promise<{ program: Program; address: ListeningAddress; room: Member[] }> {
  const program = await ctx.launch();
  const address = await program.waitForListening();
  const room: Member[] = [];
  for (let i = 0; i < size; i++) await join(ctx, address, room);
  return { program, address, room };
}

/** `sender` says `text` (sent as `line`, default `text\n`): every other member gets `<name>: <text>`, the sender nothing. */
async function say(room: Member[], sender: Member, text: string, line = `${text}\n`): Promise<void> {
  await sender.client.send(line);
  for (const member of room) if (member !== sender) await expectHeard(member, `${sender.name}: ${text}`);
  await sender.client.expectSilence({ what: `back to ${sender.name}, who sent "${text}"` });
}

// What crashes a server when a client resets: an 'error' event nobody handles.
const RESET_HINT = "Give every socket an error handler, e.g. socket.on('error', () => {}): a reset is an 'error' event, and one nobody handles crashes the program.";

/** `leaving` closes (FIN) or resets its connection: every member left in the room must be told. */
async function leave(room: Member[], leaving: Member, how: 'fin' | 'reset'): Promise<void> {
  room.splice(room.indexOf(leaving), 1);
  if (how === 'fin') leaving.client.end();
  else leaving.client.reset();
  for (const member of room) await expectHeard(member, `* ${leaving.name} left`);
}

const BURST_CLIENTS = 10;
const BURST_MESSAGES = 5;

export default defineExercise({
  id: 'chat-server',
  title: 'Chat server: names, messages to everyone else, joins and leaves',
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

    joins: {
      title: 'when a client sends its name, every other client in the room gets "* <name> joined", and the newcomer nothing',
      points: 2,
      dependsOn: ['listens'],
      run: async (ctx) => {
        const program = await ctx.launch();
        const address = await program.waitForListening();
        // Connected first, but without a name it is not in the room: it must hear of no one.
        const outsider = await ctx.connect(address, { name: 'no name yet' });
        const room: Member[] = [];
        for (let i = 0; i < 3; i++) await join(ctx, address, room);
        const newcomer = room.at(-1)!;
        await Promise.all([
          newcomer.client.expectSilence({ what: `to ${newcomer.name}, who has just joined (the others are told, not the newcomer)` }),
          outsider.expectSilence({ what: 'to a client that has not sent its name (it is not in the room)' }),
        ]);
      },
    },

    messages: {
      title: 'a line goes to every other client in the room as "<name>: <text>", in order; the sender, and a client with no name yet, get nothing',
      points: 2,
      dependsOn: ['joins'],
      run: async (ctx) => {
        const { address, room } = await startRoom(ctx, 3);
        // Connected, but without a name it is not in the room: it must hear none of this.
        const outsider = await ctx.connect(address, { name: 'no name yet' });
        await say(room, room[0]!, randomText(ctx, 8));
        await say(room, room[2]!, randomText(ctx, 1));
        // Spaces are part of the text: leading, trailing and several in a row.
        await say(room, room[1]!, `  ${randomText(ctx, 1)}   ${randomText(ctx, 2)}  `);
        await outsider.expectSilence({ what: 'to a client that has not sent its name yet (it is not in the room)' });
        // A newcomer after the talk hears nothing of it: no history, no greeting.
        const late = await join(ctx, address, room);
        await late.client.expectSilence({ what: `to ${late.name}, who joined after the others talked` });
      },
    },

    crlf: {
      title: 'a \\r before the \\n is dropped, in names and messages',
      points: 1,
      dependsOn: ['messages'],
      run: async (ctx) => {
        const { address, room } = await startRoom(ctx, 1);
        const sender = await join(ctx, address, room, { nameLine: (name) => `${name}\r\n` });
        const text = randomText(ctx);
        await say(room, sender, text, `${text}\r\n`);
      },
    },

    segments: {
      title: 'lines split over segments, several lines in one segment, a UTF-8 character split in two',
      points: 1,
      dependsOn: ['messages'],
      run: async (ctx) => {
        const { address, room } = await startRoom(ctx, 1);
        // The name and a first message in one segment: the server must see two lines.
        const name = randomName(ctx);
        const client = await ctx.connect(address, { name });
        const first = randomText(ctx);
        await client.send(`${name}\n${first}\n`);
        const sender = { name, client };
        await expectHeard(room[0]!, `* ${name} joined`);
        await expectHeard(room[0]!, `${name}: ${first}`);
        room.push(sender);
        const split = randomText(ctx, 4);
        await client.send(`${split}\n`, { segments: 3 });
        await expectHeard(room[0]!, `${name}: ${split}`);
        const accented = `${randomText(ctx, 1)} café`;
        await client.send(`${accented}\n`, { splitAt: [Buffer.byteLength(accented) - 1] });
        await expectHeard(room[0]!, `${name}: ${accented}`);
        const [a, b] = [randomText(ctx, 2), randomText(ctx, 2)];
        await client.send(`${a}\n${b}\n`);
        await expectHeard(room[0]!, `${name}: ${a}`);
        await expectHeard(room[0]!, `${name}: ${b}`);
      },
    },

    'empty-lines': {
      title: 'empty lines are ignored',
      points: 1,
      dependsOn: ['messages'],
      run: async (ctx) => {
        const { room } = await startRoom(ctx, 2);
        const text = randomText(ctx);
        await room[0]!.client.send(`\n\r\n${text}\n`);
        await expectHeard(room[1]!, `${room[0]!.name}: ${text}`);
      },
    },

    leaves: {
      title: 'when a client closes its connection, every other client gets "* <name> left"; an emptied room takes newcomers',
      points: 2,
      dependsOn: ['messages'],
      run: async (ctx) => {
        const { program, address, room } = await startRoom(ctx, 3);
        const leaving = room[1]!;
        await expectSurvives(program, `${leaving.name} closed its connection`, async () => {
          await leave(room, leaving, 'fin');
          await join(ctx, address, room);
        }, { crashHint: RESET_HINT });
        await say(room, room[0]!, randomText(ctx));
        // Everyone leaves; the empty room still takes newcomers. The last to leave has no one to
        // tell, so whether the server noticed before the first newcomer named itself is not the
        // grader's to know: that newcomer may yet hear of it.
        while (room.length > 1) await leave(room, room[0]!, 'fin');
        const last = room[0]!;
        await leave(room, last, 'fin');
        await expectSurvives(program, 'the last client in the room left', async () => {
          // The server closing that connection tells it has seen the leave: a server that ends
          // when its room empties has a moment to do so before anyone comes back.
          await last.client.readUntilClose({ timeoutMs: 1000 });
          await program.exitWithin(300);
          await join(ctx, address, room);
          await join(ctx, address, room, { mayFirstHear: `* ${last.name} left` });
        });
      },
    },

    'leaves-by-reset': {
      title: 'a client that resets its connection is gone too ("* <name> left"), and the server goes on',
      points: 1,
      dependsOn: ['leaves'],
      run: async (ctx) => {
        const { program, address, room } = await startRoom(ctx, 3);
        const leaving = room[2]!;
        await expectSurvives(program, `${leaving.name} reset its connection`, async () => {
          await leave(room, leaving, 'reset');
          await join(ctx, address, room);
        }, { crashHint: RESET_HINT });
        await say(room, room[0]!, randomText(ctx));
      },
    },

    'nameless-leave': {
      title: 'a client that leaves before sending its name causes no message',
      points: 1,
      dependsOn: ['leaves'],
      run: async (ctx) => {
        const { program, address, room } = await startRoom(ctx, 2);
        const closes = await ctx.connect(address, { name: 'nameless 1' });
        closes.end();
        const resets = await ctx.connect(address, { name: 'nameless 2' });
        resets.reset();
        // What the room hears next must be the next join, not a leave of someone never in it.
        await expectSurvives(program, 'a client without a name reset its connection', () => join(ctx, address, room), { crashHint: RESET_HINT });
        await say(room, room[0]!, randomText(ctx));
      },
    },

    'many-clients': {
      title: `${BURST_CLIENTS} clients each sending ${BURST_MESSAGES} lines at once: every other client gets them all, each sender's in order`,
      points: 2,
      dependsOn: ['messages'],
      run: async (ctx) => {
        const { room } = await startRoom(ctx, BURST_CLIENTS);
        const sent = new Map(room.map((member) => [member.name, Array.from({ length: BURST_MESSAGES }, (_, i) => `${i + 1} ${randomText(ctx, 2)}`)]));
        await Promise.all(room.map((member) => member.client.send(sent.get(member.name)!.map((text) => `${text}\n`).join(''))));
        for (const member of room) {
          const heard = new Map<string, string[]>();
          for (let i = 0; i < (BURST_CLIENTS - 1) * BURST_MESSAGES; i++) {
            const line = await member.client.readLine({ what: `line ${i + 1} of the ${(BURST_CLIENTS - 1) * BURST_MESSAGES} messages ${member.name} should get` });
            const colon = line.indexOf(': ');
            const from = line.slice(0, colon);
            if (colon < 0 || !sent.has(from) || from === member.name) fail(`${member.name} received "${line}", which is not "<name>: <text>" from another client in the room.`);
            heard.set(from, [...(heard.get(from) ?? []), line.slice(colon + 2)]);
          }
          for (const [from, texts] of sent) {
            if (from === member.name) continue;
            const got = heard.get(from) ?? [];
            if (got.join('\n') !== texts.join('\n')) {
              fail(`${member.name} did not receive ${from}'s messages, in the order sent.`, {
                details: [`expected: ${JSON.stringify(texts)}`, `received: ${JSON.stringify(got)}`],
              });
            }
          }
        }
      },
    },
  },
});
