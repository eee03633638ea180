import { CheckFailure, defineExercise, expectBytes, expectNoUncaughtException, expectSurvives, fail, isCheckFailure, type CheckContext, type Hint, type ListeningAddress, type Program, type TcpConnection } from 'netgrade';

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
  /**
   * A read begun when this member joined together with another and the other was told first:
   * the next line it got (its own news of that join, or whatever came next), not yet judged.
   */
  unjudged?: Promise<Buffer | undefined>;
  /** A line this member may get before the next one it is expected to: the other's join, when both were told. */
  mayFirstHear?: string;
}

/** The next line `member` received: first what a read begun earlier got, if it got one. */
async function nextLine(member: Member, what: string): Promise<Buffer> {
  const begun = member.unjudged;
  member.unjudged = undefined;
  return (begun && (await begun)) ?? member.client.readUntil('\n', { what });
}

/** Fails unless `received` is `line` (with its `\n`); a line about the member itself says so. */
function judgeHeard(member: Member, line: string, received: Buffer, hint?: Hint): void {
  const text = received.toString('utf8');
  if (text !== `${line}\n` && (text === `* ${member.name} joined\n` || text.startsWith(`${member.name}: `))) {
    fail(`${member.name} received ${JSON.stringify(text)}, about itself: only the other clients in the room are told of a join or a message.`, {
      details: [`expected: ${JSON.stringify(`${line}\n`)}`],
    });
  }
  expectBytes(received, `${line}\n`, { what: `The line ${member.name} received`, ...(hint && { hint }) });
}

/**
 * Fails unless the next line `member` receives is `line`, after `skippable` and the line it may
 * first hear from joining together with another, if those come first.
 */
async function expectHeard(member: Member, line: string, { skippable, hint }: { skippable?: string; hint?: Hint } = {}): Promise<void> {
  const what = `"${line}\\n" to ${member.name}`;
  const skip = new Set([skippable, member.mayFirstHear].filter((text) => text !== undefined).map((text) => `${text}\n`));
  member.mayFirstHear = undefined;
  let received: Buffer;
  try {
    received = await nextLine(member, what);
    while (skip.delete(received.toString('utf8'))) received = await nextLine(member, what);
  } catch (error) {
    // Nothing came, or the connection ended: the hint is as true of that as of a wrong line.
    if (hint && isCheckFailure(error) && error.hint === undefined) throw new CheckFailure(error.message, { details: error.details, hint });
    throw error;
  }
  judgeHeard(member, line, received, hint);
}

/** Reads the next line `member` receives, as text without its `\n`, past the line it may first hear from joining together with another. */
async function readLine(member: Member, what: string): Promise<string> {
  const skippable = member.mayFirstHear;
  member.mayFirstHear = undefined;
  let line = (await nextLine(member, what)).toString('utf8');
  if (line === `${skippable}\n`) line = (await nextLine(member, what)).toString('utf8');
  return line.slice(0, -1);
}

/**
 * Connects a client and sends its name (as `nameLine`, e.g. with `\r\n`); every member already in
 * `room` must be told it joined (after `mayFirstHear`, a line a member may or may not get first).
 * Returns the new member, now in `room`.
 */
async function join(ctx: CheckContext, address: ListeningAddress, room: Member[], options: { nameLine?: (name: string) => string; mayFirstHear?: string; hint?: Hint } = {}): Promise<Member> {
  const name = randomName(ctx);
  const client = await ctx.connect(address, { name });
  await client.send(options.nameLine ? options.nameLine(name) : `${name}\n`);
  for (const member of room) await expectHeard(member, `* ${name} joined`, { skippable: options.mayFirstHear, hint: options.hint });
  const member = { name, client };
  room.push(member);
  return member;
}

/**
 * The first two clients of an empty room send their names at the same time. Nothing the grader
 * can see tells when a server has taken the first client's name (no one is there to be told), so
 * the two are a race the statement settles: the server takes them in either order, and the one it
 * took first is told of the other; both may be, by a server that puts each in the room before
 * telling the others. Whichever is told first is judged now; the other's next line, later.
 */
async function joinTogether(ctx: CheckContext, address: ListeningAddress, room: Member[], options: { mayFirstHear?: string } = {}): Promise<void> {
  const names = [randomName(ctx), randomName(ctx)];
  const pair: Member[] = [];
  for (const name of names) pair.push({ name, client: await ctx.connect(address, { name }) });
  await Promise.all(pair.map((member) => member.client.send(`${member.name}\n`)));
  const [a, b] = pair as [Member, Member];
  // Each one's first line (past the one it may first hear): the other's join, if it was taken first.
  const firstLine = async (member: Member, other: Member) => {
    const read = () => member.client.readUntil('\n', { what: `"* ${other.name} joined\\n" to ${member.name}` });
    const line = await read();
    return options.mayFirstHear !== undefined && line.toString('utf8') === `${options.mayFirstHear}\n` ? read() : line;
  };
  const reads = [firstLine(a, b), firstLine(b, a)];
  const first = await Promise.any(reads.map(async (read, i) => ({ i, line: await read }))).catch((error: AggregateError) => {
    fail(`Neither ${a.name} nor ${b.name} was told of the other. They sent their names at the same time: whichever your server took first is in the room when the other joins, and must receive "* <name> joined".`, {
      details: (error.errors as Error[]).map((reason) => reason.message),
      hint: {
        typescript: 'When a client sends its name, write "* <name> joined\\n" to every other client already in the room.',
        python: 'Serve every client at once, with a thread per client or selectors (a server busy with its first client never reads the second\'s name), and when a client sends its name, send "* <name> joined\\n" to every other client already in the room.',
      },
    });
  });
  const told = pair[first.i]!;
  const other = pair[1 - first.i]!;
  judgeHeard(told, `* ${other.name} joined`, first.line);
  other.unjudged = reads[1 - first.i]!.catch(() => undefined);
  other.mayFirstHear = `* ${told.name} joined`;
  room.push(a, b);
}

/** The server, listening, and a room of `size` (2 or more) named clients: two that join at once, then one at a time, each announced to those before it. */
async function startRoom(ctx: CheckContext, size: number): Promise<{ program: Program; address: ListeningAddress; room: Member[] }> {
  const program = await ctx.launch();
  const address = await program.waitForListening();
  const room: Member[] = [];
  await joinTogether(ctx, address, room);
  while (room.length < size) await join(ctx, address, room);
  return { program, address, room };
}

/** `sender` says `text` (sent as `line`, default `text\n`): every other member gets `<name>: <text>`, the sender nothing. */
async function say(room: Member[], sender: Member, text: string, line = `${text}\n`): Promise<void> {
  await sender.client.send(line);
  for (const member of room) if (member !== sender) await expectHeard(member, `${sender.name}: ${text}`);
  await sender.client.expectSilence({ what: `back to ${sender.name}, who sent "${text}"` });
}

// What crashes a server, or the thread that serves a client, when a client resets its connection.
const RESET_HINT = {
  typescript: "Give every socket an error handler, e.g. socket.on('error', () => {}): a reset is an 'error' event, and one nobody handles crashes the program.",
  python: "A reset is an exception from recv(): catch ConnectionError (ConnectionResetError is one) and treat it as the client leaving, as when recv() returns b''. Uncaught, it ends the thread serving that client, or the whole server in a selectors loop.",
};

// How a server sees a client leave.
const LEAVE_HINT = {
  typescript: "A client that leaves closes its socket: tell the room on the socket's 'close' event, which follows both a FIN ('end') and a reset ('error').",
  python: "A client that leaves makes recv() return b'' (it closed) or raise ConnectionResetError (it reset): at either, stop reading, take it out of the room and tell the others.",
};

// What crashes a server, or the thread that was sending, after a client has left.
const LEFT_HINT = {
  typescript: RESET_HINT.typescript,
  python: "Remove a client from the room (under the lock) as soon as it leaves: sendall() to its socket then raises (OSError: Bad file descriptor once closed, BrokenPipeError after a reset), and uncaught that ends the thread that was sending. A sendall() to a client that is leaving at that moment can still raise: catch OSError around each one.",
};

// What keeps the next broadcast after a leave from reaching everyone left in the room.
const AFTER_LEAVE_HINT = {
  typescript: "Take a client out of the room on its socket's 'close' event, and go on telling everyone else.",
  python: 'Take a client out of the room when it leaves, not later in a for loop over the room: removing from a list while a for loop goes through it skips the next client.',
};

// What breaks lines that arrive in pieces, or several in one segment.
const LINES_HINT = {
  typescript: "A 'data' event is not a line: add each chunk to a buffer, take every complete line out of it (up to \\n), and keep the rest for the next chunk.",
  python: "One recv() is not one line: add what recv() returns to a bytes buffer, take every complete line out of it (up to b'\\n'), as many as it holds, and keep the rest for the next recv().",
};

// What a line with nothing in it is: no message, whatever else arrived with it.
const EMPTY_LINES_HINT = {
  typescript: "A line that is empty once its \\r is dropped (\\n or \\r\\n alone) is no message: skip it, and go on with the next line in your buffer ('data' events are not lines).",
  python: "A line that is empty once its \\r is dropped (b'\\n' or b'\\r\\n' alone) is no message: skip it, and go on with the next line in your buffer (one recv() is not one line).",
};

// What breaks a character split between segments: decoding each chunk on its own.
const SPLIT_HINT = {
  typescript: "Decode whole lines: split the bytes at \\n before toString(), or call socket.setEncoding('utf8'), whose decoder keeps a character's first bytes until the rest arrive.",
  python: "Decode whole lines, not each chunk recv() returns: keep the bytes in a bytes buffer, split it at b'\\n', and decode each line (\"é\" is two bytes, and a segment may end between them).",
};

/** The hint for a crash after a client left: whether the exception came from sending to it, or from reading its reset. */
function leaveCrashHint(printed: string): Hint {
  return /BrokenPipeError|Bad file descriptor|\.send(all)?\(/.test(printed) ? LEFT_HINT : RESET_HINT;
}

/**
 * Runs `steps`, which follow `after` ("<name> reset its connection"); if they fail and the server
 * printed an uncaught exception meanwhile (a thread that serves a client ended with it), says so,
 * with `hint` (or the one it gives for what was printed).
 */
async function expectNoCrash<T>(program: Program, after: string, steps: () => Promise<T>, hint: Hint | ((printed: string) => Hint)): Promise<T> {
  const printedBefore = program.stderr.text.length;
  try {
    return await steps();
  } catch (error) {
    const printed = program.stderr.text.slice(printedBefore);
    expectNoUncaughtException(printed, `after ${after}`, { hint: typeof hint === 'function' ? hint(printed) : hint, allowStackTrace: true });
    throw error;
  }
}

/** `leaving` closes (FIN) or resets its connection: every member left in the room must be told. */
async function leave(room: Member[], leaving: Member, how: 'fin' | 'reset'): Promise<void> {
  room.splice(room.indexOf(leaving), 1);
  if (how === 'fin') leaving.client.end();
  else leaving.client.reset();
  for (const member of room) await expectHeard(member, `* ${leaving.name} left`, { hint: LEAVE_HINT });
}

const BURST_CLIENTS = 10;
const BURST_MESSAGES = 5;

export default defineExercise({
  id: 'chat-server',
  title: 'Chat server: names, messages to everyone else, joins and leaves',
  entry: 'server.ts',
  languages: ['typescript', 'python'],
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
        await joinTogether(ctx, address, room);
        const newcomer = await join(ctx, address, room);
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
        const { address, room } = await startRoom(ctx, 2);
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
        const { program, address, room } = await startRoom(ctx, 2);
        // The name and a first message in one segment: the server must see two lines.
        const name = randomName(ctx);
        const client = await ctx.connect(address, { name });
        const first = randomText(ctx);
        await client.send(`${name}\n${first}\n`);
        const sender = { name, client };
        await expectHeard(room[0]!, `* ${name} joined`, { hint: LINES_HINT });
        await expectHeard(room[0]!, `${name}: ${first}`, { hint: LINES_HINT });
        room.push(sender);
        const split = randomText(ctx, 4);
        await client.send(`${split}\n`, { segments: 3 });
        await expectHeard(room[0]!, `${name}: ${split}`, { hint: LINES_HINT });
        const accented = `${randomText(ctx, 1)} café`;
        const received = await expectNoCrash(program, `${name} sent "é" split between two segments`, async () => {
          await client.send(`${accented}\n`, { splitAt: [Buffer.byteLength(accented) - 1] });
          return nextLine(room[0]!, `"${name}: ${accented}\\n" to ${room[0]!.name}`);
        }, SPLIT_HINT);
        if (received.toString('utf8') !== `${name}: ${accented}\n` && /\uFFFD|caf\n$/.test(received.toString('utf8'))) {
          fail(`${room[0]!.name} received ${JSON.stringify(received.toString('utf8'))}: the "é" of "café" came in two segments, and your server decoded each part alone.`, { hint: SPLIT_HINT });
        }
        judgeHeard(room[0]!, `${name}: ${accented}`, received);
        const [a, b] = [randomText(ctx, 2), randomText(ctx, 2)];
        await client.send(`${a}\n${b}\n`);
        await expectHeard(room[0]!, `${name}: ${a}`, { hint: LINES_HINT });
        await expectHeard(room[0]!, `${name}: ${b}`, { hint: LINES_HINT });
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
        await expectHeard(room[1]!, `${room[0]!.name}: ${text}`, { hint: EMPTY_LINES_HINT });
      },
    },

    leaves: {
      title: 'when a client closes its connection, every other client gets "* <name> left"; an emptied room takes newcomers',
      points: 2,
      dependsOn: ['messages'],
      run: async (ctx) => {
        const { program, address, room } = await startRoom(ctx, 3);
        const leaving = room[1]!;
        const after = `${leaving.name} closed its connection`;
        await expectSurvives(program, after, () => expectNoCrash(program, after, async () => {
          await leave(room, leaving, 'fin');
          await join(ctx, address, room, { hint: AFTER_LEAVE_HINT });
          await say(room, room[0]!, randomText(ctx));
        }, leaveCrashHint), { crashHint: LEFT_HINT });
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
          await joinTogether(ctx, address, room, { mayFirstHear: `* ${last.name} left` });
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
        const after = `${leaving.name} reset its connection`;
        await expectSurvives(program, after, () => expectNoCrash(program, after, async () => {
          await leave(room, leaving, 'reset');
          await join(ctx, address, room, { hint: AFTER_LEAVE_HINT });
          await say(room, room[0]!, randomText(ctx));
        }, leaveCrashHint), { crashHint: RESET_HINT });
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
            const line = await readLine(member, `line ${i + 1} of the ${(BURST_CLIENTS - 1) * BURST_MESSAGES} messages ${member.name} should get`);
            const colon = line.indexOf(': ');
            const from = line.slice(0, colon);
            if (colon < 0 || !sent.has(from) || from === member.name) fail(`${member.name} received "${line}", which is not "<name>: <text>" from another client in the room.`, { hint: LINES_HINT });
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
