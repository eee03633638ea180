import { isDeepStrictEqual } from 'node:util';
import {
  defineExercise,
  eachCase,
  expectNoUncaughtException,
  fail,
  mockHttp,
  type CheckContext,
  type Hint,
  type HttpReply,
  type HttpRequestRecord,
  type Program,
} from 'netgrade';

const POSTS_URL = 'https://jsonplaceholder.typicode.com/posts';
const FAILURE = 'Failed to create post';
const ATTEMPTS = 3;
const MIN_WAIT_MS = 200;
// Timers and the preload's clock tick apart: a wait this much shorter than asked for is one that was asked for.
const CLOCK_SLACK_MS = 10;
// How long a program may take from its start to its exit, waits included (the longest a check asks for is 2 × 1 s).
const RUN_MS = 10_000;
const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };
const RETRY_HINT: Hint = {
  typescript: `Retry after a 503, a 429 or a network error, ${ATTEMPTS} attempts in all; between attempts wait Retry-After seconds when the reply has that header, and ${MIN_WAIT_MS} ms otherwise (await new Promise((resolve) => setTimeout(resolve, ms))).`,
  python: `Retry after a 503, a 429 or a network error (requests.RequestException), ${ATTEMPTS} attempts in all; between attempts time.sleep() the seconds of the reply's Retry-After header when it has one (response.headers.get('Retry-After')), and ${MIN_WAIT_MS / 1000} s otherwise.`,
};
const FAILURE_HINT: Hint = {
  typescript: `When the last attempt fails, or the status is another one, print "${FAILURE}: <status>" with console.error and set process.exitCode = 1.`,
  python: `When the last attempt fails, or the status is another one, print "${FAILURE}: <status>" with print(..., file=sys.stderr) and end with sys.exit(1).`,
};
const CATCH_HINT: Hint = {
  typescript: 'Catch every failure (try/catch around await fetch(...), or request.on("error", ...)) and treat a network error like a 503.',
  python: 'Catch every failure: requests.post raises requests.ConnectionError (a requests.RequestException) when the connection fails; put it in a try: with except requests.RequestException:, and treat it like a 503.',
};

interface Post {
  title: string;
  body: string;
  userId: number;
}

// Valid text a program must pass on untouched: quotes, backslashes, non-ASCII, spaces at the ends, a newline.
const TITLES = ['He said "hello"', "it's done", 'café ☕ crème', '  spaces around  ', 'emoji 🚀 and 日本語', 'back\\slash and {braces}'];
const BODIES = ['first line\nsecond line', 'tab\there', 'quote " and apostrophe \'', 'ünïcödé ✓', '{"looks": "like json"}', '100% <b>done</b> & more'];

function randomPost(ctx: CheckContext): Post {
  const word = ctx.random.string(6);
  return { title: `${ctx.random.pick(TITLES)} ${word}`, body: ctx.random.pick(BODIES), userId: ctx.random.int(1, 10) };
}

/** The 201 the API answers, with an id the program cannot have hard-coded. */
function created(ctx: CheckContext, post: Post): { reply: HttpReply; id: number } {
  const id = ctx.random.int(101, 9999);
  return { reply: { status: 201, headers: JSON_HEADERS, body: { ...post, id } }, id };
}

const failed = (status: number, headers: Record<string, string> = {}): HttpReply => ({ status, headers: { ...JSON_HEADERS, ...headers }, body: {} });
const NETWORK_ERROR: HttpReply = { error: { code: 'ECONNRESET', message: 'socket hang up' } };

interface Run {
  ctx: CheckContext;
  program: Program;
  requests: HttpRequestRecord[];
}

/** Runs the program with a post in its environment against the replies, in order (the last repeats), until it exits. */
async function runAgainst(ctx: CheckContext, post: Post, replies: HttpReply[], match: { body?: object } = {}): Promise<Run> {
  const program = await ctx.launch({
    env: { TITLE: post.title, BODY: post.body, USER_ID: String(post.userId) },
    http: [mockHttp('POST', POSTS_URL, replies, match)],
  });
  const exit = await program.exitWithin(RUN_MS);
  const requests = await program.httpRequests();
  if (!exit) {
    fail(`Your program was still running ${RUN_MS / 1000} s after it started; it should exit by itself once it has its answer or has given up.`, {
      details: describeAttempts(requests),
      hint: {
        typescript: 'Make at most 3 attempts, and let the program end: no timer or connection left open.',
        python: 'Make at most 3 attempts, give each a timeout (requests.post(..., timeout=5)), and let the program end: no loop or thread left running.',
      },
    });
  }
  return { ctx, program, requests };
}

/** The requests as a student reads them: each with the time since the one before and what it was answered. */
function describeAttempts(requests: readonly HttpRequestRecord[]): string[] {
  if (requests.length === 0) return ['Requests your program made: none'];
  return [
    'Requests your program made:',
    ...requests.map((r, i) => {
      const when = i === 0 ? 'first' : `${Math.round(r.time - requests[i - 1]!.time)} ms after the one before`;
      const answer = r.matched ? `answered ${r.answer}` : "blocked: not what the grader's API expected";
      return `  ${i + 1}. ${r.method} ${r.url} (${when}) → ${answer}`;
    }),
  ];
}

/**
 * Fails unless the program made exactly `waits.length + 1` requests, each POST to the URL, each
 * at least waits[i] ms after the one before (late is fine: the run's time limit is the bound).
 */
function expectAttempts({ ctx, program, requests }: Run, waits: readonly number[], why: string): void {
  const details = describeAttempts(requests);
  const other = requests.find((r) => r.method !== 'POST' || !sameUrl(r.url, POSTS_URL));
  if (other) {
    fail(`Your program sent ${other.method} ${other.url}; it should send only POST ${POSTS_URL}.`, { details, hint: 'Send POST to exactly that URL (https, no trailing slash), and no other request.' });
  }
  const wanted = waits.length + 1;
  const last = requests.at(-1);
  if (requests.length < wanted && last) {
    // A crash is why a program stopped trying; say that, not only that it tried too few times.
    expectNoUncaughtException(program.stderr.text, `after attempt ${requests.length} was ${last.matched ? `answered ${last.answer}` : 'blocked'}`, {
      hint: CATCH_HINT,
    });
  }
  if (requests.length !== wanted) {
    const made = requests.length === 0 ? 'made no request' : `made ${requests.length} attempt${requests.length === 1 ? '' : 's'}`;
    fail(`Your program ${made}; ${why}, it should make ${wanted === 1 ? 'exactly one' : `${wanted} in all`}.`, {
      details,
      hint: wanted === 1 && requests.length > 1 ? `Retry only after a 503, a 429 or a network error; any other status is final.` : RETRY_HINT,
    });
  }
  waits.forEach((waitMs, i) => {
    const waited = requests[i + 1]!.time - requests[i]!.time;
    ctx.programWaited(Math.min(waited, waitMs));
    if (waited < waitMs - CLOCK_SLACK_MS) {
      fail(`Your program sent attempt ${i + 2} only ${Math.round(waited)} ms after attempt ${i + 1}; it should wait at least ${waitMs} ms${waitMs === MIN_WAIT_MS ? '' : ` (the reply said Retry-After: ${waitMs / 1000})`}.`, {
        details,
        hint: RETRY_HINT,
      });
    }
  });
}

/** After a 201 (at the last attempt): the id alone on stdout, exit code 0. */
function expectPrintedId(run: Run, id: number, situation: string): void {
  const { program } = run;
  const printed = program.stdout.text.trim();
  const details = [`printed:  ${printed === '' ? '(nothing)' : printed.split('\n').join(' ')}`, `expected: ${id}`, ...describeAttempts(run.requests)];
  if (printed !== String(id)) {
    expectNoUncaughtException(program.stderr.text, situation, { hint: CATCH_HINT });
    const parsed = parseJson(printed);
    if (typeof parsed === 'object' && parsed !== null && (parsed as { id?: unknown }).id === id) {
      fail(`Your program printed the whole response ${situation}; it should print only the id of the new post.`, { details, hint: { typescript: 'Print the id alone: console.log(data.id).', python: "Print the id alone: print(response.json()['id'])." } });
    }
    fail(`Your program did not print the id of the new post ${situation}.`, {
      details,
      hint: printed.includes(FAILURE) || program.stderr.text.includes(FAILURE) ? RETRY_HINT : {
        typescript: 'Parse the response body as JSON and print its id alone: console.log(data.id). The id is different on every run.',
        python: "Parse the response body as JSON and print its id alone: print(response.json()['id']). The id is different on every run.",
      },
    });
  }
  const exit = program.exit!;
  if (exit.signal !== null || exit.code !== 0) fail(`Your program printed the id but ${exit.description} ${situation}; it should exit with code 0.`, { details });
}

/** After a final failure: no crash, the failure line on stderr, a non-zero exit code. */
function expectReportedFailure(run: Run, status: number, situation: string): void {
  const { program } = run;
  const line = `${FAILURE}: ${status}`;
  const details = [`stdout: ${program.stdout.text.trim() || '(nothing)'}`, `stderr: ${program.stderr.text.trim() || '(nothing)'}`, ...describeAttempts(run.requests)];
  expectNoUncaughtException(program.stderr.text, situation, { hint: FAILURE_HINT });
  if (!lines(program.stderr.text).includes(line)) {
    if (lines(program.stdout.text).includes(line)) {
      fail(`Your program printed "${line}" on stdout ${situation}; it goes on stderr.`, { details, hint: { typescript: 'Print it with console.error, not console.log.', python: 'Print it with print(..., file=sys.stderr), not print(...).' } });
    }
    fail(`Your program did not print "${line}" on stderr ${situation}.`, { details, hint: FAILURE_HINT });
  }
  const exit = program.exit!;
  if (exit.signal === null && exit.code === 0) fail(`Your program exited with code 0 ${situation}; it should exit with code 1.`, { details, hint: { typescript: 'Set process.exitCode = 1 (or call process.exit(1)) when the post was not created.', python: 'End with sys.exit(1) when the post was not created.' } });
}

const lines = (text: string) => text.split('\n').map((line) => line.trim());

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function sameUrl(a: string, b: string): boolean {
  try {
    return new URL(a).href === new URL(b).href;
  } catch {
    return false;
  }
}

/** What is wrong with the body the program sent, or undefined when it is the post. */
function bodyProblem(sent: string, post: Post): string | undefined {
  const parsed = parseJson(sent);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return 'a body that is not a JSON object';
  const value = parsed as Record<string, unknown>;
  if (typeof value.userId === 'string') return `userId as a string (${JSON.stringify(value.userId)}); it must be a number (${post.userId}): Number(process.env.USER_ID)`;
  const missing = Object.keys(post).filter((key) => !(key in value));
  if (missing.length > 0) return `a body without ${missing.join(', ')}`;
  const extra = Object.keys(value).filter((key) => !(key in post));
  if (extra.length > 0) return `a body with fields the API was not to get: ${extra.join(', ')}`;
  const wrong = (Object.keys(post) as (keyof Post)[]).filter((key) => !isDeepStrictEqual(value[key], post[key]));
  if (wrong.length > 0) return wrong.map((key) => `${key} ${JSON.stringify(value[key])}, not ${JSON.stringify(post[key])} (the ${key === 'userId' ? 'USER_ID' : key.toUpperCase()} variable, exactly)`).join('; ');
  return undefined;
}

const NO_RETRY_CASES = [
  { id: 'status-400', status: 400 },
  { id: 'status-404', status: 404 },
  { id: 'status-500', status: 500 },
];

export default defineExercise({
  id: 'http-post-client',
  title: 'HTTP client: create a post with a JSON body, and retry when the server is busy',
  entry: 'post.ts',
  hosts: ['jsonplaceholder.typicode.com'],
  languages: ['typescript', 'python'],
  checks: {
    request: {
      title: `sends POST ${POSTS_URL} with Content-Type: application/json and the post as JSON`,
      points: 3,
      run: async (ctx) => {
        const post = randomPost(ctx);
        const run = await runAgainst(ctx, post, [created(ctx, post).reply], { body: post });
        const details = [`expected body: ${JSON.stringify(post)}`, ...describeAttempts(run.requests)];
        const first = run.requests[0];
        if (!first) fail(`Your program made no HTTP request; it should send POST ${POSTS_URL}.`, { details });
        if (first.method !== 'POST' || !sameUrl(first.url, POSTS_URL)) {
          fail(`Your program sent ${first.method} ${first.url}; it should send POST ${POSTS_URL}.`, { details });
        }
        const type = first.headers['content-type'];
        if (!type || !/^application\/json\s*(;|$)/i.test(type)) {
          fail(`Your program sent ${type ? `Content-Type: ${type}` : 'no Content-Type header'}; it should send Content-Type: application/json.`, {
            details,
            hint: {
              typescript: "Add headers: { 'Content-Type': 'application/json' } to the request.",
              python: "Send the body with requests.post(url, json=post), which sets Content-Type: application/json (data= sends a form, or text without that header).",
            },
          });
        }
        const problem = bodyProblem(first.body, post);
        if (problem) fail(`Your program sent ${problem}.`, { details: [`sent body:     ${first.body}`, ...details], hint: {
            typescript: 'Send JSON.stringify({ title, body, userId }) with the values of TITLE, BODY and USER_ID (a number).',
            python: "Send {'title': os.environ['TITLE'], 'body': os.environ['BODY'], 'userId': int(os.environ['USER_ID'])} as JSON (requests.post(url, json=...)): USER_ID as a number, the texts untouched (no .strip()).",
          } });
        expectAttempts(run, [], 'the post was created at once (201)');
      },
    },

    'prints-id': {
      title: 'after a 201, prints the id of the new post alone and exits with code 0',
      points: 2,
      run: async (ctx) => {
        const post = randomPost(ctx);
        const { reply, id } = created(ctx, post);
        expectPrintedId(await runAgainst(ctx, post, [reply]), id, 'after a 201');
      },
    },

    'retries-503': {
      title: `after a 503, waits at least ${MIN_WAIT_MS} ms, tries again and prints the id of the 201`,
      points: 2,
      run: async (ctx) => {
        const post = randomPost(ctx);
        const { reply, id } = created(ctx, post);
        const run = await runAgainst(ctx, post, [failed(503), reply]);
        expectAttempts(run, [MIN_WAIT_MS], 'when the first attempt is answered 503 and the second 201');
        expectPrintedId(run, id, 'after a 503 and then a 201');
      },
    },

    'retry-after-429': {
      title: 'after a 429 with Retry-After, waits that many seconds before trying again',
      points: 2,
      run: async (ctx) => {
        const post = randomPost(ctx);
        const { reply, id } = created(ctx, post);
        const seconds = ctx.random.int(1, 2);
        const run = await runAgainst(ctx, post, [failed(429, { 'retry-after': String(seconds) }), reply]);
        expectAttempts(run, [seconds * 1000], `when the first attempt is answered 429 (Retry-After: ${seconds}) and the second 201`);
        expectPrintedId(run, id, `after a 429 with Retry-After: ${seconds} and then a 201`);
      },
    },

    'gives-up-503': {
      title: `after ${ATTEMPTS} attempts answered 503, stops and prints "${FAILURE}: 503" on stderr, exit code 1`,
      points: 2,
      run: async (ctx) => {
        const post = randomPost(ctx);
        const run = await runAgainst(ctx, post, [failed(503)]);
        expectAttempts(run, [MIN_WAIT_MS, MIN_WAIT_MS], 'when every attempt is answered 503');
        expectReportedFailure(run, 503, `after ${ATTEMPTS} attempts answered 503`);
      },
    },

    'no-retry': eachCase({
      cases: NO_RETRY_CASES,
      caseId: (c) => c.id,
      title: (c) => `after a ${c.status}, does not retry: "${FAILURE}: ${c.status}" on stderr, exit code 1`,
      points: 1,
      run: async (ctx, c) => {
        const run = await runAgainst(ctx, randomPost(ctx), [failed(c.status)]);
        expectAttempts(run, [], `since ${c.status} is not a reason to retry`);
        expectReportedFailure(run, c.status, `after a ${c.status}`);
      },
    }),

    'network-error-recovers': {
      title: `after a network error, waits at least ${MIN_WAIT_MS} ms, tries again and prints the id of the 201`,
      points: 1,
      run: async (ctx) => {
        const post = randomPost(ctx);
        const { reply, id } = created(ctx, post);
        const run = await runAgainst(ctx, post, [NETWORK_ERROR, reply]);
        expectAttempts(run, [MIN_WAIT_MS], 'when the first attempt fails with a network error and the second is answered 201');
        expectPrintedId(run, id, 'after a network error and then a 201');
      },
    },

    'network-error-gives-up': {
      title: `after ${ATTEMPTS} network errors, stops with a one-line message on stderr and exit code 1, no uncaught exception`,
      points: 2,
      run: async (ctx) => {
        const run = await runAgainst(ctx, randomPost(ctx), [NETWORK_ERROR]);
        expectAttempts(run, [MIN_WAIT_MS, MIN_WAIT_MS], 'when every attempt fails with a network error (the connection is reset)');
        const { program } = run;
        const details = [`stderr: ${program.stderr.text.trim() || '(nothing)'}`, ...describeAttempts(run.requests)];
        expectNoUncaughtException(program.stderr.text, 'when every attempt failed with a network error', { hint: FAILURE_HINT });
        // Lines about the attempts it retried may come before; the one after the last is what this asks for.
        if (program.stderr.text.trim() === '') {
          fail('Your program printed nothing on stderr after the last network error; it should print a one-line message there.', {
            details,
            hint: {
              typescript: 'Print one line when it gives up, e.g. console.error(`Failed to create post: ${error.message}`).',
              python: "Print one line when it gives up, e.g. print(f'Failed to create post: {type(error).__name__}', file=sys.stderr), not the traceback.",
            },
          });
        }
        const exit = program.exit!;
        if (exit.signal === null && exit.code === 0) {
          fail('Your program exited with code 0 after the last network error; it should exit with code 1.', { details, hint: { typescript: 'Set process.exitCode = 1 when the post was not created.', python: 'End with sys.exit(1) when the post was not created.' } });
        }
      },
    },
  },
});
