import {
  defineExercise,
  expectHandledFailure,
  expectNoUncaughtException,
  fail,
  CheckFailure,
  isCheckFailure,
  type CheckContext,
  type Hint,
  type Program,
  type ProgramExit,
  type UdpAnswer,
  type UdpReferenceServer,
} from 'netgrade';

const PINGS = 10;
// How long the statement has the pinger wait for each echo.
const PATIENCE_MS = 1000;
const PING = /^Ping (\d+) (\d+)$/;
// A ping whatever the form of its time (seconds, decimals, a date), to say what is wrong with it.
const PING_OTHER_TIME = /^Ping (\d+) (.+)$/s;
// A round trip as any language prints a number: Python writes a tiny float with an exponent
// (9.37e-05, a round trip in seconds printed as ms), which must read as the number it is, so the
// verdict is about its value, whatever the timing made it look like.
const NUMBER = String.raw`\d+(?:\.\d+)?(?:e[+-]?\d+)?`;
const REPLY_LINE = new RegExp(String.raw`^Reply (\d+): rtt=(${NUMBER}) ms$`);
const TIMEOUT_LINE = /^Request (\d+) timed out$/;
const SUMMARY_LINE = new RegExp(String.raw`^(\d+)\/10 received, (\d+)% loss(?:, rtt min\/avg\/max = (${NUMBER})\/(${NUMBER})\/(${NUMBER}) ms)?$`);
// How much longer than the grader's own delay a printed round trip may be: the trip through the
// loopback and two event loops, on a busy machine.
const RTT_SLACK_MS = 150;

/** What the program printed: one result per ping (a round trip in ms, or null for a time-out), and its summary. */
interface PingReport {
  results: (number | null)[];
  summary: { received: number; loss: number; rtt?: { min: number; avg: number; max: number; decimals: { min: number; avg: number; max: number } } };
}

/** What the grader's server does with ping `n` (1 to 10); an echo at once unless `faults` says otherwise. */
type Faults = Record<number, UdpAnswer>;

/** How a pinger's run ended: how it exited, or `undefined` when it printed its summary and was stopped still running. */
type RunEnd = ProgramExit | undefined;

/**
 * Starts the grader's server with `faults`, then the pinger aimed at it; waits for its summary
 * and its exit. A pinger that printed its summary and does not end is stopped and judged on what
 * it printed: only the `exits` check is about ending.
 */
async function runPinger(ctx: CheckContext, faults: Faults = {}): Promise<{ server: UdpReferenceServer; program: Program; report: PingReport; end: RunEnd }> {
  const server = await ctx.serveUdp((datagram) => faults[pingNumber(datagram) ?? 0] ?? {}, { patienceMs: PATIENCE_MS });
  const program = await ctx.launch({ port: server.port, env: { HOST: '127.0.0.1' } });
  const someLost = Object.values(faults).some((fault) => fault.drop || (fault.delayMs ?? 0) >= PATIENCE_MS);
  const end = await summaryOrExit(ctx, program, 'it started (ten pings take at most about 10 s)', someLost ? WAITS_FOR_EVER : NEVER_ENDS);
  expectNoUncaughtException(program.stderr.text, 'while pinging', uncaughtHint(program.stderr.text));
  if (end && end.code !== 0 && !hasSummary(program.stdout.text)) {
    fail(`Your program ${end.description} before its summary; it should print a line for each of the ten pings and the summary, then exit with code 0.`);
  }
  const report = parseReport(program.stdout.lines);
  expectPings(server);
  return { server, program, report, end };
}

// How long a pinger has to end once it printed its summary: a timer of 1 s left running ends by then.
const EXIT_AFTER_SUMMARY_MS = 2000;
// Ten pings take at most about 10 s: room to spare, so a slow program's verdict is about what it printed.
const RUN_MS = 25_000;

/**
 * Waits for the program to exit, or to print its summary and then not exit within
 * `EXIT_AFTER_SUMMARY_MS` (`undefined`: it is stopped, and judged on what it printed).
 * Ten pings take at most about 10 s: a program neither done nor ended after 25 s fails with `hint`.
 */
async function summaryOrExit(ctx: CheckContext, program: Program, after: string, hint: Hint): Promise<RunEnd> {
  const summarized = await program.waitForOutput(hasSummary, { timeoutMs: RUN_MS });
  if (summarized) return program.exitWithin(EXIT_AFTER_SUMMARY_MS);
  if (!program.exit) fail(`Your program was still running ${ctx.ms(RUN_MS) / 1000} s after ${after}, and had not printed its summary.`, { hint });
  return program.exit;
}

function hasSummary(stdout: string): boolean {
  return stdout.split('\n').some((line) => SUMMARY_LINE.test(line.trim()));
}

/** `step`, with `hint` given to a failure of it that has none. */
async function withHint<T>(step: Promise<T>, hint: Hint): Promise<T> {
  try {
    return await step;
  } catch (error) {
    if (!isCheckFailure(error) || error.hint !== undefined) throw error;
    throw new CheckFailure(error.message, { hint, details: error.details });
  }
}

// A program still running long after its ten pings: it waits for an echo that never comes...
const WAITS_FOR_EVER: Hint = {
  typescript: 'A lost ping never gets its echo: stop waiting for it after 1 s (a timer you clear when the echo comes), then print the time-out and go on.',
  python: 'A lost ping never gets its echo, and recvfrom waits for ever unless told otherwise: call client_socket.settimeout(1) before it, and catch the TimeoutError it raises after 1 s.',
};
// ...or, with every echo answered, it does not end after the summary.
const NEVER_ENDS: Hint = {
  typescript: 'After the summary, close the socket (socket.close()) and clear your timers, so that the program ends.',
  python: 'After the summary, close the socket and let the program end: no loop or thread left running.',
};

/** What to say about an uncaught exception while pinging, when its kind tells more than "handle it". */
function uncaughtHint(stderr: string): { hint?: Hint } {
  // The exception that ended the program: the last one named (Python shows the one it was handling first).
  const last = [...stderr.matchAll(/^([A-Za-z_][\w.]*(?:Error|Exception|timeout))\b.*$/gm)].at(-1)?.[0] ?? '';
  if (/^NameError: name 'timeout' is not defined/.test(last)) {
    return {
      hint: {
        python: "timeout alone is the name `from socket import *` gives; after import socket, catch the time-out as except TimeoutError: (or except socket.timeout:).",
      },
    };
  }
  if (/^(TimeoutError|socket\.timeout)\b/.test(last)) {
    return {
      hint: {
        typescript: 'Catch the time-out where you wait for the echo (try/catch around the await, or a timer you clear when the echo comes), and print "Request <n> timed out".',
        python: 'recvfrom raises TimeoutError (socket.timeout is the same class) when no datagram comes within the time settimeout() set: catch it, except TimeoutError:, and print "Request <n> timed out".',
      },
    };
  }
  if (/empty sequence|division by zero|Reduce of empty array/.test(last)) return { hint: NO_ROUND_TRIPS };
  return {};
}

const NO_ROUND_TRIPS: Hint = {
  typescript: 'With no echo at all there is no round trip to take the min, average or max of (Math.min() of nothing is Infinity): print "0/10 received, 100% loss" alone.',
  python: 'With no echo at all there is no round trip to take the min, average or max of (min([]) raises ValueError): print "0/10 received, 100% loss" alone.',
};

function pingNumber(datagram: Buffer): number | undefined {
  const match = PING_OTHER_TIME.exec(datagram.toString('utf8'));
  return match ? Number(match[1]) : undefined;
}

/**
 * The datagrams are `Ping 1 <time>` … `Ping 10 <time>`, in order, each with the time it was sent
 * in whole milliseconds since the epoch.
 */
function expectPings(server: UdpReferenceServer): void {
  const arrivals = server.arrivals;
  arrivals.forEach((arrival, i) => {
    const text = arrival.data.toString('utf8');
    const match = PING.exec(text) ?? PING_OTHER_TIME.exec(text);
    if (!match) fail(`Datagram ${i + 1} your program sent was ${JSON.stringify(text)}; a ping is "Ping <n> <time>", e.g. "Ping ${i + 1} ${arrival.wallClock}".`);
    if (Number(match[1]) !== i + 1) fail(`Datagram ${i + 1} your program sent was ping ${match[1]}; pings go out in order, 1 to ${PINGS}, once each.`);
    expectPingTime(i + 1, match[2]!, arrival.wallClock);
  });
  if (arrivals.length !== PINGS) fail(`Your program sent ${arrivals.length} pings; it should send ${PINGS}.`);
}

const SEND_DATE_NOW = 'Date.now() is the time since the epoch in whole milliseconds: send it as it is.';
const IN_MS: Hint = {
  typescript: SEND_DATE_NOW,
  python: 'Python counts the time since the epoch in seconds: send int(time.time() * 1000), whole milliseconds.',
};

/**
 * Fails unless `time`, what ping `n` carries, is whole milliseconds since the epoch when it was
 * sent (within 2 s of its arrival at `arrivedAt`), saying what it looks like instead: seconds
 * (Python's time.time()), milliseconds with decimals, micro- or nanoseconds, or another clock.
 */
function expectPingTime(n: number, time: string, arrivedAt: number): void {
  const value = Number(time);
  const near = (ms: number) => Number.isFinite(ms) && Math.abs(ms - arrivedAt) <= 2000;
  if (/^\d+$/.test(time) && near(value)) return;
  const wanted = `a ping carries the time it is sent, in whole milliseconds since the epoch (an integer): ${arrivedAt} when this one arrived`;
  const carries = `Ping ${n} carries the time ${JSON.stringify(time)}`;
  if (near(value * 1000)) fail(`${carries}, which is seconds; ${wanted}.`, { hint: IN_MS });
  if (near(value)) {
    fail(`${carries}, milliseconds with decimals; ${wanted}.`, {
      hint: { typescript: 'Send Date.now(), which is a whole number of milliseconds.', python: 'Send a whole number: int(time.time() * 1000).' },
    });
  }
  if (near(value / 1000)) fail(`${carries}, which is microseconds; ${wanted}.`, { hint: IN_MS });
  if (near(value / 1_000_000)) {
    fail(`${carries}, which is nanoseconds; ${wanted}.`, {
      hint: { typescript: SEND_DATE_NOW, python: 'time.time_ns() counts nanoseconds: send time.time_ns() // 1_000_000, or int(time.time() * 1000).' },
    });
  }
  fail(`${carries}; ${wanted}.`, {
    hint: {
      typescript: 'Send Date.now(); performance.now() counts from the program\'s start, not from the epoch.',
      python: 'Send int(time.time() * 1000); time.perf_counter() and time.monotonic() do not count from the epoch, and time.ctime() is text.',
    },
  });
}

/** Reads the program's lines: one per ping, then the summary. Lines that are neither are ignored. */
function parseReport(lines: readonly string[]): PingReport {
  const results: (number | null)[] = [];
  let summary: PingReport['summary'] | undefined;
  for (const raw of lines) {
    const line = raw.trim();
    const reply = REPLY_LINE.exec(line);
    const timeout = TIMEOUT_LINE.exec(line);
    const total = SUMMARY_LINE.exec(line);
    if (reply || timeout) {
      if (summary) fail(`Your program printed ${JSON.stringify(line)} after the summary; the summary comes last, after the line of every ping.`);
      const n = Number((reply ?? timeout)![1]);
      if (n !== results.length + 1) fail(`Your program printed ${JSON.stringify(line)} where the line for ping ${results.length + 1} was due.`);
      results.push(reply ? Number(reply[2]) : null);
    } else if (total) {
      // The decimals a printed value is exact to: 9.37e-05 is to 7.
      const decimals = (text = '') => {
        const [mantissa = '', exponent = '0'] = text.split('e');
        return Math.max(0, (mantissa.split('.')[1]?.length ?? 0) - Number(exponent));
      };
      const rtt = total[3] === undefined ? undefined : { min: Number(total[3]), avg: Number(total[4]), max: Number(total[5]), decimals: { min: decimals(total[3]), avg: decimals(total[4]), max: decimals(total[5]) } };
      summary = { received: Number(total[1]), loss: Number(total[2]), ...(rtt && { rtt }) };
    } else if (/^\d+\/10 received, \d+\.\d+% loss\b/.test(line)) {
      fail(`Your program printed ${JSON.stringify(line)}: the loss is a whole percent, e.g. "30% loss", not "30.0% loss".`, {
        hint: {
          typescript: 'Print Math.round(loss), not a value with decimals.',
          python: 'In Python 3, / gives a float (30.0) even when it divides exactly: print round(loss), or compute (10 - received) * 10.',
        },
      });
    } else if (/^0\/10 received, 100% loss\b/.test(line)) {
      fail(`Your program printed ${JSON.stringify(line)}: nothing came back, so the summary is just "0/10 received, 100% loss", with no rtt part.`, { hint: NO_ROUND_TRIPS });
    } else if (/^(Reply|Request)\b/.test(line) || /received/.test(line)) {
      fail(`Your program printed ${JSON.stringify(line)}, which is not "Reply <n>: rtt=<ms> ms", "Request <n> timed out" or the summary "<received>/10 received, <loss>% loss, rtt min/avg/max = <min>/<avg>/<max> ms" ("0/10 received, 100% loss" alone when nothing came back).`);
    }
  }
  if (results.length !== PINGS) fail(`Your program printed a line for ${results.length} pings; it should print one for each of the ${PINGS}.`);
  if (!summary) fail('Your program did not print the summary line, e.g. "10/10 received, 0% loss, rtt min/avg/max = 0.412/0.530/0.781 ms".');
  return { results, summary };
}

/** Each ping the server answered in time has a Reply line with a round trip no shorter than the server's delay; each other, a time-out. */
function expectResults(ctx: CheckContext, server: UdpReferenceServer, report: PingReport, faults: Faults): void {
  report.results.forEach((rtt, i) => {
    const n = i + 1;
    const fault = faults[n] ?? {};
    const answered = !fault.drop && (fault.delayMs ?? 0) < PATIENCE_MS;
    if (!answered) {
      if (rtt !== null) {
        fail(`Your program printed a reply to ping ${n} (rtt=${rtt} ms), but the grader ${fault.drop ? 'dropped that ping' : `echoed it only after ${fault.delayMs} ms, past the 1 s wait`}: it should print "Request ${n} timed out".`, {
          hint: 'Wait at most 1 s for the echo of this ping, and take only a reply that starts with "Ping <n> " for the ping you sent last.',
        });
      }
      return;
    }
    const delay = fault.drop ? 0 : (fault.delayMs ?? 0);
    if (rtt === null) fail(`Your program printed "Request ${n} timed out", but the grader echoed ping ${n} after ${delay} ms.`);
    // The longest the round trip can have been: from the time the ping carries (when it was sent)
    // to its arrival, the grader's hold, and the way back. A busy machine can make the first of
    // these long; it is measured, not assumed.
    const arrival = server.arrivals[i]!;
    const underway = Math.max(0, arrival.wallClock - Number(PING.exec(arrival.data.toString('utf8'))![2]));
    const longest = underway + delay + ctx.ms(RTT_SLACK_MS);
    const fits = (ms: number) => ms >= delay - 2 && ms <= longest;
    if (!fits(rtt) && fits(rtt * 1000)) {
      fail(`Your program printed rtt=${rtt} ms for ping ${n}, and the grader held its echo for ${delay} ms: that looks like seconds, not milliseconds.`, {
        hint: {
          typescript: 'Date.now() and performance.now() count milliseconds: print their difference as it is.',
          python: 'time.time() and time.perf_counter() count seconds: multiply their difference by 1000 to print milliseconds.',
        },
      });
    }
    // Two ms of slack: timers and Date.now() both count in whole milliseconds.
    if (rtt < delay - 2) {
      fail(`Your program printed rtt=${rtt} ms for ping ${n}, but the grader held its echo for ${delay} ms: the reply it took was not the echo of ping ${n}.`, {
        hint: 'An echo of an earlier ping (a late one, or a second copy) can arrive while you wait: take only the reply whose text starts with "Ping <n> ".',
      });
    }
    if (rtt > longest) {
      fail(`Your program printed rtt=${rtt} ms for ping ${n}, but it reached the grader ${Math.round(underway)} ms after the time it carries and was echoed ${delay} ms later; the round trip was at most ${Math.round(longest)} ms.`, {
        hint: {
          typescript: 'Measure from just before sending the ping to the moment its echo arrives: Date.now() (or performance.now()) at both.',
          python: 'Measure from just before sendto to the moment recvfrom returns its echo: time.perf_counter() (or time.time()) at both, the difference times 1000.',
        },
      });
    }
  });
}

/** The summary agrees with the lines: how many came back, the loss, and min/avg/max of the printed round trips. */
function expectSummary(report: PingReport): void {
  const rtts = report.results.filter((rtt): rtt is number => rtt !== null);
  const { received, loss, rtt } = report.summary;
  const expectedLoss = Math.round(((PINGS - rtts.length) / PINGS) * 100);
  if (received !== rtts.length || loss !== expectedLoss) {
    fail(`Your summary says ${received}/10 received, ${loss}% loss; your lines show ${rtts.length}/10 received, ${expectedLoss}% loss.`);
  }
  if (rtts.length === 0) {
    if (rtt) fail('Nothing came back, so the summary is just "0/10 received, 100% loss", with no rtt part.', { hint: NO_ROUND_TRIPS });
    return;
  }
  if (!rtt) fail('Your summary has no "rtt min/avg/max = <min>/<avg>/<max> ms" part, though some pings came back.');
  const expected = { min: Math.min(...rtts), avg: rtts.reduce((a, b) => a + b, 0) / rtts.length, max: Math.max(...rtts) };
  // Up to 3 decimals each way: the lines and the summary may round differently, and a value
  // printed with fewer decimals is as close as its last one.
  for (const key of ['min', 'avg', 'max'] as const) {
    if (Math.abs(rtt[key] - expected[key]) > 0.5 * 10 ** -rtt.decimals[key] + 0.0015) {
      fail(`Your summary says ${key} ${rtt[key]} ms, but the round trips your lines show give ${key} ${Number(expected[key].toFixed(3))} ms.`);
    }
  }
}

/** `count` distinct pings out of 1–10, chosen by the run's seed. */
function pickPings(ctx: CheckContext, count: number, options: { last?: number } = {}): number[] {
  const pool = Array.from({ length: options.last ?? PINGS }, (_, i) => i + 1);
  const picked: number[] = [];
  while (picked.length < count) picked.push(pool.splice(ctx.random.int(0, pool.length - 1), 1)[0]!);
  return picked.sort((a, b) => a - b);
}

export default defineExercise({
  id: 'udp-pinger',
  title: 'UDP pinger: ten pings, round-trip times, losses',
  entry: 'pinger.ts',
  languages: ['typescript', 'python'],
  checks: {
    pings: {
      title: 'sends "Ping <n> <time>" for n = 1 to 10, one at a time, prints a reply line for each and the summary',
      points: 2,
      run: async (ctx) => {
        // Each echo held 50 ms, so a ping sent before the last one's echo is seen to be.
        const faults: Faults = Object.fromEntries(Array.from({ length: PINGS }, (_, i) => [i + 1, { delayMs: 50 }]));
        const { server, report } = await runPinger(ctx, faults);
        // One at a time: ping n+1 goes out only once the echo of ping n has come back.
        for (let n = 1; n < PINGS; n++) {
          const gap = server.arrivals[n]!.atMs - server.sent[n - 1]!.atMs;
          if (gap < 0) fail(`Your program sent ping ${n + 1} before the echo of ping ${n} came back; send the next ping only after the reply (or after 1 s).`);
          if (gap > ctx.ms(500)) {
            fail(`Your program sent ping ${n + 1} ${Math.round(gap)} ms after the echo of ping ${n} left the grader; the next ping goes out at once when the echo arrives.`, {
              hint: {
                typescript: 'Send the next ping as soon as the reply is printed, not on a fixed timer.',
                python: 'Send the next ping as soon as the reply is printed, without a time.sleep() between pings.',
              },
            });
          }
        }
        expectResults(ctx, server, report, faults);
        expectSummary(report);
      },
    },

    rtt: {
      title: 'prints each round trip as it really was: the grader holds each echo 20 to 300 ms',
      points: 2,
      run: async (ctx) => {
        const faults: Faults = Object.fromEntries(Array.from({ length: PINGS }, (_, i) => [i + 1, { delayMs: ctx.random.int(20, 300) }]));
        const { server, report } = await runPinger(ctx, faults);
        expectResults(ctx, server, report, faults);
      },
    },

    losses: {
      title: 'three pings get no echo: "Request <n> timed out" for those, after waiting about 1 s each',
      points: 2,
      run: async (ctx) => {
        const lost = pickPings(ctx, 3, { last: PINGS - 1 });
        const faults: Faults = Object.fromEntries(lost.map((n) => [n, { drop: true }]));
        const { server, report } = await runPinger(ctx, faults);
        expectResults(ctx, server, report, faults);
        for (const n of lost) {
          const waited = server.arrivals[n]!.atMs - server.arrivals[n - 1]!.atMs;
          if (waited < 900 || waited > 1000 + ctx.ms(500)) {
            fail(`After ping ${n}, which got no echo, your program sent ping ${n + 1} ${Math.round(waited)} ms later; it should wait about 1 s (1000 ms) for an echo first.`, {
              hint: {
                typescript: 'Start a 1 s timer when you send a ping; on the echo, clear it; when it fires, print the time-out and send the next ping.',
                python: 'Call client_socket.settimeout(1) before recvfrom: it raises TimeoutError after 1 s without a datagram; then print the time-out and send the next ping.',
              },
            });
          }
        }
      },
    },

    summary: {
      title: 'the summary agrees with the lines: received, loss in %, and rtt min/avg/max',
      points: 1,
      dependsOn: ['losses'],
      run: async (ctx) => {
        const lost = pickPings(ctx, 2);
        const faults: Faults = Object.fromEntries(Array.from({ length: PINGS }, (_, i) => [i + 1, lost.includes(i + 1) ? { drop: true } : { delayMs: ctx.random.int(5, 120) }]));
        const { server, report } = await runPinger(ctx, faults);
        expectResults(ctx, server, report, faults);
        expectSummary(report);
      },
    },

    'late-echo': {
      title: 'an echo that comes after the 1 s wait is not taken for the next ping\'s reply',
      points: 1,
      dependsOn: ['losses'],
      run: async (ctx) => {
        const late = ctx.random.int(2, PINGS - 2);
        const faults: Faults = { [late]: { delayMs: 1300 }, [late + 1]: { delayMs: 500 } };
        const { server, report } = await runPinger(ctx, faults);
        expectResults(ctx, server, report, faults);
        expectSummary(report);
      },
    },

    duplicates: {
      title: 'an echo that comes twice is one reply, and its copy is not taken for the next ping\'s',
      points: 1,
      run: async (ctx) => {
        const twice = ctx.random.int(1, PINGS - 1);
        const faults: Faults = { [twice]: { copies: 2 }, [twice + 1]: { delayMs: 300 } };
        const { server, report } = await runPinger(ctx, faults);
        expectResults(ctx, server, report, faults);
        expectSummary(report);
      },
    },

    'all-lost': {
      title: 'no echo at all: ten time-outs and "0/10 received, 100% loss"',
      points: 1,
      dependsOn: ['losses'],
      timeoutMs: 40_000,
      run: async (ctx) => {
        const faults: Faults = Object.fromEntries(Array.from({ length: PINGS }, (_, i) => [i + 1, { drop: true }]));
        const { server, report } = await runPinger(ctx, faults);
        expectResults(ctx, server, report, faults);
        expectSummary(report);
      },
    },

    exits: {
      title: 'after the summary, the program ends by itself with exit code 0: its socket closed, no timer left',
      points: 1,
      run: async (ctx) => {
        const server = await ctx.serveUdp(() => ({}), { patienceMs: PATIENCE_MS });
        const program = await ctx.launch({ port: server.port, env: { HOST: '127.0.0.1' } });
        const end = await summaryOrExit(ctx, program, 'it started (ten pings take at most about 10 s)', NEVER_ENDS);
        expectNoUncaughtException(program.stderr.text, 'while pinging', uncaughtHint(program.stderr.text));
        if (!end) fail(`Your program printed its summary and was still running ${ctx.ms(EXIT_AFTER_SUMMARY_MS) / 1000} s later; after the summary it should end by itself.`, { hint: NEVER_ENDS });
        if (end.code !== 0) fail(`Your program ${end.description}${hasSummary(program.stdout.text) ? ' after its summary' : ' without printing its summary'}; after the ten pings and the summary it should exit with code 0.`);
      },
    },

    refused: {
      title: 'nothing at PORT: time-outs, or one error line on stderr and a non-zero exit code; no uncaught exception',
      points: 1,
      timeoutMs: 40_000,
      run: async (ctx) => {
        const program = await ctx.launch({ port: await ctx.freePort(), env: { HOST: '127.0.0.1' } });
        // A pinger that keeps trying waits out every ping.
        const timingOut = ctx.programWaits(PINGS * PATIENCE_MS);
        const end = await summaryOrExit(ctx, program, 'it started with nothing at PORT', WAITS_FOR_EVER);
        timingOut();
        const refused = 'nothing was at PORT (the kernel answers "port unreachable")';
        // An exception whose kind says more than "handle it" (a time-out not caught, min() of no round trips).
        const specific = uncaughtHint(program.stderr.text);
        if (specific.hint) expectNoUncaughtException(program.stderr.text, `when ${refused}`, specific);
        // Printed its summary (and is judged on it whether or not it then ended: that is the `exits` check).
        if (end === undefined || end.code === 0) {
          expectNoUncaughtException(program.stderr.text, 'when nothing was at PORT');
          let report: PingReport;
          try {
            report = parseReport(program.stdout.lines);
          } catch (error) {
            // The failure says what is wrong with a summary it printed; the choice is for a program that printed none.
            if (hasSummary(program.stdout.text) || (isCheckFailure(error) && error.hint !== undefined)) throw error;
            fail(`${error instanceof Error ? error.message : String(error)}${end ? ' (It exited with code 0.)' : ''}`, {
              hint: {
                typescript: 'With nothing at PORT, either let every ping time out and print the ten lines and the summary, or print one error line on stderr and exit with a non-zero code (process.exitCode = 1).',
                python: 'With nothing at PORT, either let every ping time out and print the ten lines and the summary, or print one error line on sys.stderr and exit with sys.exit(1).',
              },
            });
          }
          if (report.results.some((rtt) => rtt !== null)) fail('Your program printed a reply though nothing was at PORT to answer.');
          if (report.summary.received !== 0 || report.summary.loss !== 100) fail('Your summary should say "0/10 received, 100% loss": nothing was at PORT.');
          return;
        }
        await expectHandledFailure(program, refused, {
          hint: {
            typescript: "A connected socket gets the kernel's \"port unreachable\" as an 'error' event (ECONNREFUSED): handle it with socket.on('error', ...), and count that ping as timed out, or print one line with console.error and set process.exitCode = 1.",
            python: "A connected socket gets the kernel's \"port unreachable\" as ConnectionRefusedError from recv(): catch it (except ConnectionRefusedError:), and count that ping as timed out, or print one line to sys.stderr and sys.exit(1).",
          },
        });
      },
    },
  },
});
