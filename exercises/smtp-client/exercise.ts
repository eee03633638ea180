import {
  defineExercise,
  eachCase,
  end,
  pause,
  expectHandledFailure,
  expectLine,
  expectNoUncaughtException,
  expectUntil,
  fail,
  isCheckFailure,
  reply,
  CheckFailure,
  type CheckContext,
  type Hint,
  type ServerConnection,
  type SendOptions,
  type ServerStep,
} from 'netgrade';

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/** The mail a check asks the program to send: what goes into its environment. */
interface Mail {
  from: string;
  to: string[];
  /** MAIL_TO as given: the addresses separated by commas, with spaces a program must trim. */
  toVariable: string;
  subject: string;
  /** Lines of the body; BODY is them joined by `\n`. */
  body: string[];
}

function randomAddress(ctx: CheckContext): string {
  return `${ctx.random.string(ctx.random.int(3, 8), LETTERS)}@${ctx.random.string(ctx.random.int(3, 7), LETTERS)}.test`;
}

function randomWords(ctx: CheckContext, count: number): string {
  return Array.from({ length: count }, () => ctx.random.string(ctx.random.int(2, 8), LETTERS)).join(' ');
}

/** A mail with random addresses and text; `body` lines given replace the random one. */
function randomMail(ctx: CheckContext, options: { recipients?: number; body?: string[] } = {}): Mail {
  const to = Array.from({ length: options.recipients ?? 1 }, () => randomAddress(ctx));
  return {
    from: randomAddress(ctx),
    to,
    toVariable: to.join(', '),
    subject: `${randomWords(ctx, 3)} #${ctx.random.int(100, 999)}`,
    body: options.body ?? [randomWords(ctx, 6)],
  };
}

function mailEnv(mail: Mail): Record<string, string> {
  return { MAIL_FROM: mail.from, MAIL_TO: mail.toVariable, SUBJECT: mail.subject, BODY: mail.body.join('\n') };
}

/** The offsets just after each `\r\n` but the last: a reply cut there arrives line by line. */
function lineEnds(text: string): number[] {
  return [...text.matchAll(/\r\n/g)].map((match) => match.index + 2).filter((end) => end < text.length);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A command line the program must send: verbs in any case, ended by \r\n. */
function command(pattern: RegExp, what: string): ServerStep {
  return expectLine(pattern, { what, ending: '\r\n' });
}

/** Where in the dialog the grader's server answers with an error instead. */
type Stage = 'greeting' | 'ehlo' | 'mail-from' | 'rcpt-to' | 'data' | 'message';

interface DialogOptions {
  /** The greeting, multi-line or not (default one line). */
  greeting?: string;
  /** The reply to EHLO (default one line). */
  ehloReply?: string;
  /** How each reply is cut into segments. */
  cut?: (reply: string) => SendOptions;
  /** A wait before the greeting, as a slow server's. */
  greetingDelayMs?: number;
  /** The reply to RCPT TO for each recipient (default 250). */
  rcptReplies?: string[];
  /** The stage answered with `reply` (an error): the program must then send QUIT. */
  failAt?: { stage: Stage; reply: string };
  /** The stage at which the server closes the connection instead of replying. */
  closeAt?: Stage;
}

// One line each, but in multi-line-replies: a program that takes a reply's first line for all of it
// fails that check, and is judged on everything else (issue 33).
const GREETING = '220 mail.test ESMTP netgrade\r\n';
const EHLO_REPLY = '250 mail.test greets you\r\n';
const MULTI_LINE_GREETING = '220-mail.test ESMTP netgrade\r\n220-Mail is graded here.\r\n220 Ready when you are\r\n';
const MULTI_LINE_EHLO_REPLY = '250-mail.test greets you\r\n250-8BITMIME\r\n250-SIZE 10240000\r\n250 HELP\r\n';

/**
 * The grader's SMTP server for `mail`, as the statement's dialog: each command the program must
 * send, and the reply it must wait for. With `failAt`, the dialog ends there with an error reply,
 * the program's QUIT, 221 and the server's close; with `closeAt`, the server hangs up there.
 */
function smtpDialog(mail: Mail, options: DialogOptions = {}): ServerStep[] {
  const send = (text: string) => reply(text, options.cut?.(text) ?? {});
  const exchanges: { stage: Stage; expect: ServerStep[]; reply: string }[] = [
    { stage: 'greeting', expect: [], reply: options.greeting ?? GREETING },
    { stage: 'ehlo', expect: [command(/^(EHLO|HELO) \S+$/i, 'EHLO <name> (or HELO <name>)')], reply: options.ehloReply ?? EHLO_REPLY },
    { stage: 'mail-from', expect: [command(new RegExp(`^MAIL FROM: ?<${escapeRegExp(mail.from)}>$`, 'i'), `MAIL FROM:<${mail.from}>`)], reply: '250 2.1.0 Sender OK\r\n' },
    ...mail.to.map((address, i) => ({
      stage: 'rcpt-to' as const,
      expect: [command(new RegExp(`^RCPT TO: ?<${escapeRegExp(address)}>$`, 'i'), `RCPT TO:<${address}> (recipient ${i + 1} of ${mail.to.length})`)],
      reply: options.rcptReplies?.[i] ?? '250 2.1.5 Recipient OK\r\n',
    })),
    { stage: 'data', expect: [command(/^DATA$/i, 'DATA')], reply: '354 End data with <CR><LF>.<CR><LF>\r\n' },
    {
      stage: 'message',
      expect: [expectUntil('\r\n.\r\n', { what: 'the message, ended by a line with a single "." (\\r\\n.\\r\\n)', check: (data) => expectMessage(data, mail) })],
      reply: '250 2.0.0 Queued\r\n',
    },
  ];
  const steps: ServerStep[] = options.greetingDelayMs ? [pause(options.greetingDelayMs)] : [];
  for (const exchange of exchanges) {
    steps.push(...exchange.expect);
    if (exchange.stage === options.closeAt) return [...steps, end()];
    if (exchange.stage === options.failAt?.stage) {
      steps.push(send(options.failAt.reply));
      break;
    }
    steps.push(send(exchange.reply));
  }
  // As a real server does (RFC 5321, 4.1.1.10): 221, then it closes the connection.
  steps.push(command(/^QUIT$/i, 'QUIT'), send('221 2.0.0 Bye\r\n'), end());
  return steps;
}

/** Fails unless the message (up to and including its `\r\n.\r\n`) carries the headers and the dot-stuffed body of `mail`. */
function expectMessage(data: Buffer, mail: Mail): void {
  const text = data.toString('utf8');
  const bare = text.search(/(?<!\r)\n/);
  if (bare >= 0) {
    const line = text.slice(text.lastIndexOf('\n', bare - 1) + 1, bare);
    fail(`A line of your message ends with \\n alone: ${JSON.stringify(line)}. Every line of the message must end with \\r\\n.`, {
      hint: "Join the lines with '\\r\\n', the body's too: BODY separates its lines with '\\n'.",
    });
  }
  const lines = text.slice(0, -'.\r\n'.length).split('\r\n').slice(0, -1);
  const blank = lines.indexOf('');
  if (blank < 0) fail('Your message has no empty line between its header lines and its body.');
  const headers = new Map(lines.slice(0, blank).map((line) => [line.slice(0, line.indexOf(':')).trim().toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
  const expected = { from: mail.from, to: mail.to.join(', '), subject: mail.subject };
  for (const [name, value] of Object.entries(expected)) {
    const header = headers.get(name);
    // Addresses compare as lists, each bare or in <...>: "a@x.test, <b@y.test>" is fine.
    const got = name === 'subject' ? header : header?.split(',').map((address) => address.trim().replace(/^<(.*)>$/, '$1')).join(', ');
    if (got !== value) {
      const title = name[0]!.toUpperCase() + name.slice(1);
      fail(header === undefined ? `Your message has no ${title}: header line.` : `Your message's ${title}: header is "${header}"; it should be "${title}: ${value}".`, {
        details: ['the header lines you sent:', ...lines.slice(0, blank).map((line) => `  ${line}`)],
      });
    }
  }
  // A body line that starts with "." was sent with one more; the receiving server takes it off.
  const body = lines.slice(blank + 1).map((line) => (line.startsWith('.') ? line.slice(1) : line));
  while (body.at(-1) === '') body.pop();
  if (body.join('\n') !== mail.body.join('\n')) {
    const stuffing = mail.body.some((line) => line.startsWith('.'));
    fail('The body of your message is not BODY.', {
      details: [`expected lines: ${JSON.stringify(mail.body)}`, `received lines (after taking off dot-stuffing): ${JSON.stringify(body)}`],
      ...(stuffing && { hint: 'A body line that starts with "." must be sent with one more "." (dot-stuffing), or the server takes its first "." off, and a line with a single "." ends the message.' }),
    });
  }
}

// An address of the loopback that `localhost` is not: a program that ignores HOST does not find the server.
const HOST = '127.0.0.2';

/**
 * Starts the grader's SMTP server with `steps` on HOST (or, with `host: 'default'`, where
 * `localhost` finds it, and HOST unset), then the program with `mail` in its environment, and
 * waits for it to connect.
 */
async function startMail(ctx: CheckContext, mail: Mail, steps: ServerStep[], options: { host?: 'default' } = {}) {
  const server = await ctx.serve(steps, options.host === 'default' ? {} : { host: HOST });
  const env = { ...mailEnv(mail), ...(options.host !== 'default' && { HOST }) };
  const program = await ctx.launch({ port: server.port, env });
  const connection = await server.waitForConnection({ from: program });
  return { program, connection };
}

// Python's smtplib writes its verbs in lower case and their keywords in upper case, as no one does
// by hand: "ehlo host.example", then "mail FROM:<a> size=312", "rcpt TO:<b>".
const SMTPLIB = /^(mail FROM|rcpt TO):</m;
const SMTPLIB_GREETING = /^(ehlo|helo) /m;

/**
 * Waits for the dialog to run to its end, as `connection.expectScript()` does; `hint` is for a
 * failure that has none. A program that talked as Python's smtplib does fails, whether it followed
 * the dialog or not: the exercise is to speak SMTP, which smtplib does for you.
 */
async function expectDialog(connection: ServerConnection, hint?: Hint): Promise<void> {
  let failure: unknown;
  try {
    await connection.expectScript();
  } catch (error) {
    failure = error;
  }
  const sent = connection.received.toString('latin1');
  const smtplib = SMTPLIB_GREETING.test(sent) ? SMTPLIB.exec(sent) : null;
  if (smtplib) {
    const what = failure instanceof Error ? `${failure.message} ` : '';
    fail(`${what}Your program sent "${smtplib[1]}:<...", as Python's smtplib does: smtplib speaks SMTP for you (with parameters of its own, such as size=...), and this exercise is to speak it yourself.`, {
      details: isCheckFailure(failure) ? failure.details : [],
      hint: { python: "Don't use smtplib: open a socket to (HOST, PORT) with socket.create_connection(), send each command yourself, ended by '\\r\\n', and read each reply whole before the next." },
    });
  }
  if (isCheckFailure(failure) && failure.hint === undefined && hint !== undefined) throw new CheckFailure(failure.message, { details: failure.details, hint });
  if (failure !== undefined) throw failure;
}

/** Runs the whole dialog for `mail`; the program must follow it, then exit 0 by itself. */
async function expectMailSent(ctx: CheckContext, mail: Mail, options: DialogOptions = {}): Promise<void> {
  const { program, connection } = await startMail(ctx, mail, smtpDialog(mail, options));
  await expectDialog(connection);
  const exit = await program.waitForExit({ after: 'the server answered QUIT with 221', timeoutMs: 2000 });
  expectNoUncaughtException(program.stderr.text, 'after the mail was sent');
  if (exit.code !== 0) fail(`Your program ${exit.description} after the mail was sent; it should exit with code 0.`);
}

// Error replies at each stage: the program must say QUIT, report the reply, and exit non-zero.
const ERRORS = [
  { stage: 'greeting', reply: '554 5.3.2 Service not available', title: 'a 554 greeting' },
  { stage: 'ehlo', reply: '550 5.7.1 Access denied', title: 'a 550 reply to EHLO' },
  { stage: 'mail-from', reply: '553 5.1.8 Sender address rejected', title: 'a 553 reply to MAIL FROM' },
  { stage: 'rcpt-to', reply: '550 5.1.1 No such user here', title: 'a 550 reply to RCPT TO' },
  { stage: 'data', reply: '554 5.5.1 No valid recipients', title: 'a 554 reply to DATA' },
  { stage: 'message', reply: '452 4.3.1 Insufficient system storage', title: 'a 452 reply to the message' },
] as const;

export default defineExercise({
  id: 'smtp-client',
  title: 'SMTP client: send one mail through a mail server',
  entry: 'mail.ts',
  languages: ['typescript', 'python'],
  checks: {
    'sends-mail': {
      title: 'sends a mail through HOST:PORT: the whole dialog, the message, QUIT, and exits 0',
      points: 3,
      run: async (ctx) => {
        await expectMailSent(ctx, randomMail(ctx));
      },
    },

    'default-host': {
      // Judged by where the program connects, whatever it then says: the dialog is sends-mail's.
      title: 'without HOST, connects to localhost',
      points: 1,
      run: async (ctx) => {
        const mail = randomMail(ctx);
        await startMail(ctx, mail, smtpDialog(mail), { host: 'default' });
      },
    },

    'multi-line-replies': {
      title: 'waits for the last line of a multi-line reply: a three-line greeting and a four-line reply to EHLO, arriving line by line',
      points: 2,
      dependsOn: ['sends-mail'],
      run: async (ctx) => {
        // Line by line, 0.15 s apart: a program that reads until the data ends with \r\n stops at the first.
        await expectMailSent(ctx, randomMail(ctx), { greeting: MULTI_LINE_GREETING, ehloReply: MULTI_LINE_EHLO_REPLY, cut: (text) => ({ splitAt: lineEnds(text), pauseMs: 150 }) });
      },
    },

    'replies-in-pieces': {
      title: 'waits for whole replies: a greeting after 1.2 s, and every reply arriving in pieces 0.15 s apart',
      points: 2,
      dependsOn: ['sends-mail'],
      run: async (ctx) => {
        await expectMailSent(ctx, randomMail(ctx), {
          greetingDelayMs: 1200,
          // After the code's first two digits, and before the line's end. Never between a line's \r
          // and its \n: a client reading lines with readline takes the \r for the line's end, and
          // nothing is lost by answering then.
          cut: (text) => ({ splitAt: [2, text.length - 4], pauseMs: 150 }),
        });
      },
    },

    recipients: {
      title: 'MAIL_TO with several addresses: one RCPT TO for each, trimmed, in order (a 251 reply is a success too)',
      points: 2,
      dependsOn: ['sends-mail'],
      run: async (ctx) => {
        const mail = randomMail(ctx, { recipients: 3 });
        mail.toVariable = ` ${mail.to[0]},${mail.to[1]} ,  ${mail.to[2]}`;
        await expectMailSent(ctx, mail, { rcptReplies: ['250 2.1.5 OK\r\n', '251 2.1.5 User not local; will forward\r\n', '250 2.1.5 OK\r\n'] });
      },
    },

    'body-lines': {
      title: 'a body of several lines, each sent with \\r\\n',
      points: 1,
      dependsOn: ['sends-mail'],
      run: async (ctx) => {
        await expectMailSent(ctx, randomMail(ctx, { body: [randomWords(ctx, 4), '', randomWords(ctx, 3), randomWords(ctx, 5)] }));
      },
    },

    'dot-stuffing': {
      title: 'body lines that start with "." (".", "..", ".hidden") are dot-stuffed',
      points: 1,
      dependsOn: ['body-lines'],
      run: async (ctx) => {
        await expectMailSent(ctx, randomMail(ctx, { body: [`.${randomWords(ctx, 1)}`, randomWords(ctx, 3), '.', '..', randomWords(ctx, 2)] }));
      },
    },

    errors: eachCase({
      cases: ERRORS,
      caseId: (error) => error.stage,
      title: (error) => `${error.title}: sends QUIT, prints the reply on stderr, exits non-zero`,
      points: 1,
      dependsOn: ['sends-mail'],
      run: async (ctx, error) => {
        const mail = randomMail(ctx);
        const { program, connection } = await startMail(ctx, mail, smtpDialog(mail, { failAt: { stage: error.stage, reply: `${error.reply}\r\n` } }));
        await expectDialog(connection, {
          typescript: "Check each reply's code (its first three digits): when it is not the one expected (a 4xx or 5xx), send QUIT, print the reply with console.error and set process.exitCode = 1.",
          python: "Check each reply's code (int(line[:3])): when it is not the one expected (a 4xx or 5xx), send QUIT, print the reply to sys.stderr and sys.exit(1).",
        });
        await expectHandledFailure(program, `the server answered with ${error.title}`);
        const [code, ...words] = error.reply.split(' ');
        const text = words.slice(1).join(' ');
        if (!program.stderr.lines.some((line) => line.includes(code!) && line.includes(text))) {
          fail(`Your program's error message does not contain the server's reply, "${code} … ${text}".`, {
            details: ['your program printed on stderr:', ...program.stderr.lines.map((line) => `  ${line}`)],
            hint: {
              typescript: 'Print the reply as it came, e.g. console.error(`Server said: ${reply}`).',
              python: "Print the reply as it came, e.g. print(f'Server said: {reply}', file=sys.stderr).",
            },
          });
        }
      },
    }),

    refused: {
      // Judged whatever the program says once connected: it never connects.
      title: 'when nothing listens on PORT: an error on stderr and a non-zero exit code',
      points: 1,
      run: async (ctx) => {
        const program = await ctx.launch({ port: await ctx.freePort(), env: { ...mailEnv(randomMail(ctx)), HOST } });
        await expectHandledFailure(program, 'its connection was refused (nothing listens on PORT)');
      },
    },

    'server-closes': {
      title: 'when the server closes the connection mid-dialog: an error on stderr and a non-zero exit code',
      points: 1,
      dependsOn: ['sends-mail'],
      run: async (ctx) => {
        const mail = randomMail(ctx);
        const { program, connection } = await startMail(ctx, mail, smtpDialog(mail, { closeAt: 'mail-from' }));
        await expectDialog(connection);
        // A clean close is no error: the hint is about noticing it, whatever part of handling it went wrong.
        await expectHandledFailure(program, 'the server closed the connection in the middle of the dialog', {
          hint: {
            typescript: "A server that closes the connection ends the socket ('end', then 'close' events), which is not an 'error': when it closes before the dialog is over, report it on stderr and exit with a non-zero code.",
            python: "recv() returns b'' once the server has closed the connection, and again at every call: check for it, and report the error on sys.stderr and sys.exit(1) instead of waiting for a reply that never comes.",
          },
        });
      },
    },
  },
});
