import {
  CheckFailure,
  countBytes,
  defineExercise,
  diffBytes,
  eachCase,
  expectBytes,
  expectSurvives,
  fail,
  isCheckFailure,
  type CheckContext,
  type Hint,
  type HttpRequestOptions,
  type HttpResponse,
  type ListeningAddress,
  type OriginReply,
  type OriginServer,
  type Program,
} from 'netgrade';

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/** A path nothing can have hard-coded: `/<word>/<word>.txt`, from the run's seed. */
function randomPath(ctx: CheckContext, extension = 'txt'): string {
  return `/${ctx.random.string(ctx.random.int(4, 8), LETTERS)}/${ctx.random.string(ctx.random.int(4, 8), LETTERS)}.${extension}`;
}

function randomText(ctx: CheckContext): string {
  return `${Array.from({ length: ctx.random.int(3, 6) }, () => ctx.random.string(ctx.random.int(3, 9), LETTERS)).join(' ')}\n`;
}

/** The proxy, started and listening. */
async function startProxy(ctx: CheckContext): Promise<{ program: Program; proxy: ListeningAddress }> {
  const program = await ctx.launch();
  return { program, proxy: await program.waitForListening() };
}

/**
 * Asks the proxy for `url` (absolute form, with the origin's Host), as a browser set to use a proxy
 * does. When no response comes, the failure says what the origin received, so a student sees
 * whether the request got there and the answer got lost, or it never left.
 */
async function viaProxy(ctx: CheckContext, proxy: ListeningAddress, url: string, options: Omit<HttpRequestOptions, 'path'> & { origin?: OriginServer; hint?: Hint } = {}): Promise<HttpResponse> {
  const { origin, hint, ...request } = options;
  try {
    return await ctx.request(proxy, { ...request, path: url, headers: { host: new URL(url).host, ...request.headers } });
  } catch (error) {
    if (!(error instanceof CheckFailure) || !origin) throw error;
    const shownHint = hint ?? error.hint;
    throw new CheckFailure(error.message, { details: [...error.details, ...origin.describeRequests()], ...(shownHint === undefined ? {} : { hint: shownHint }) });
  }
}

/**
 * The moment between a response and the same GET again. A proxy may relay the origin's response
 * as it comes and keep it once the origin has closed, a moment after the client has it all: the
 * statement gives it that moment, so that whether it cached never depends on how busy the machine is.
 */
const CACHE_SETTLE_MS = 500;

async function letTheProxyKeepIt(ctx: CheckContext): Promise<void> {
  const done = ctx.programWaits(ctx.ms(CACHE_SETTLE_MS));
  await new Promise((resolve) => setTimeout(resolve, ctx.ms(CACHE_SETTLE_MS)));
  done();
}

/** Fails unless the origin received exactly `count` requests for `path`, saying what it did receive. */
function expectOriginRequests(origin: OriginServer, path: string, count: number, why: string, hint: Hint): void {
  const got = origin.requestsFor(path).length;
  if (got === count) return;
  fail(`The grader's origin server received ${got === 1 ? '1 request' : `${got} requests`} for ${path}; ${why}`, { details: origin.describeRequests(), hint });
}

/** Fails unless the response has `status`, naming what came instead. */
function expectStatus(response: HttpResponse, status: number, what: string, hint: Hint): void {
  if (response.status !== status) fail(`${what}: your proxy answered ${response.status} ${response.statusText}; it should answer ${status}.`, { details: response.head.split('\n'), hint });
}

// A status passed through as it is, with the headers that go with it.
const STATUSES = [
  { status: 404, title: "a 404 from the origin reaches the client as 404, with the origin's body" },
  { status: 500, title: "a 500 from the origin reaches the client as 500, with the origin's body" },
  { status: 301, title: 'a 301 from the origin reaches the client as 301 with its Location, not followed' },
] as const;

const RELAY_HINT: Hint = {
  typescript: "Send the client the origin's status code, headers and body as they came: don't turn errors into 200s, and don't follow redirects (with fetch: redirect: 'manual').",
  python:
    "Send the client the origin's status code, headers and body as they came: don't turn errors into 200s or 502s, and don't follow redirects. urllib.request.urlopen() raises HTTPError for a 4xx or 5xx (which is a response too: its .code, .headers and .read()) and follows a 301 by itself: use http.client, or sockets, which do neither.",
};
const ONE_MIB = 1024 * 1024;

const BYTES_HINT: Hint = {
  typescript: "Pass the body on as bytes (Buffers), never as a string: toString(), setEncoding('utf8') or += on chunks replace bytes that are not UTF-8 with 3-byte \\xef\\xbf\\xbd.",
  python: "Pass the body on as the bytes recv() (or read()) returned, never decoded: .decode() raises UnicodeDecodeError on bytes that are not UTF-8, and errors='replace' or 'ignore' changes them.",
};

/** `error`, or, when the program's error output shows it decoded a binary body (Python's UnicodeDecodeError), a failure that says so. */
async function explainDecodeError(program: Program, error: unknown): Promise<unknown> {
  // A thread's traceback is printed after its finally: has closed the client's connection.
  if (!isCheckFailure(error) || !(await program.waitForOutput((text) => text.includes('UnicodeDecodeError'), { stream: 'stderr', timeoutMs: 500 }))) return error;
  return new CheckFailure(`${error.message} Your program's error output shows a UnicodeDecodeError: it decoded the body as text.`, { details: error.details, hint: BYTES_HINT });
}

export default defineExercise({
  id: 'web-proxy',
  title: 'HTTP forward proxy with a cache',
  entry: 'proxy.ts',
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

    forwards: {
      title: "a GET for an origin's URL gets the origin's status, headers and body",
      points: 2,
      dependsOn: ['listens'],
      run: async (ctx) => {
        const { proxy } = await startProxy(ctx);
        const path = randomPath(ctx);
        const body = randomText(ctx);
        const header = `X-${ctx.random.string(6, LETTERS)}`;
        const value = ctx.random.string(12);
        const origin = await ctx.origin({ [path]: { headers: { 'Content-Type': 'text/plain', [header]: value }, body } });
        const response = await viaProxy(ctx, proxy, origin.url(path), { origin });
        expectStatus(response, 200, `For GET ${origin.url(path)} the origin answered 200 OK`, RELAY_HINT);
        const got = response.headers[header.toLowerCase()];
        if (got !== value) {
          fail(`The origin answered with the header ${header}: ${value}, but your proxy's response ${got === undefined ? 'has no such header' : `has ${header}: ${got}`}.`, {
            details: ['the response your proxy sent:', ...response.head.split('\n')],
            hint: "Copy the origin's headers into your response (all but hop-by-hop ones such as Connection and Transfer-Encoding).",
          });
        }
        expectBytes(response.body, body, { what: "The body your proxy sent (it should be the origin's)", hint: RELAY_HINT });
      },
    },

    'headers-once': {
      title: "each header of the origin's reaches the client once: one Date, not the origin's and one of the proxy's own",
      points: 1,
      dependsOn: ['forwards'],
      run: async (ctx) => {
        const { proxy } = await startProxy(ctx);
        const path = randomPath(ctx);
        // The grader's origin sends a Date (as any origin with a clock must), and these.
        const headers = { 'Content-Type': 'text/plain', 'Last-Modified': new Date(Date.UTC(2020, ctx.random.int(0, 11), ctx.random.int(1, 28))).toUTCString(), ETag: `"${ctx.random.string(12, LETTERS)}"` };
        const origin = await ctx.origin({ [path]: { headers, body: randomText(ctx) } });
        const response = await viaProxy(ctx, proxy, origin.url(path), { origin });
        const values = new Map<string, string[]>();
        for (let i = 0; i + 1 < response.rawHeaders.length; i += 2) {
          const name = response.rawHeaders[i]!.toLowerCase();
          values.set(name, [...(values.get(name) ?? []), response.rawHeaders[i + 1]!]);
        }
        const doubled = [...values].filter(([, list]) => list.length > 1);
        if (doubled.length === 0) return;
        const [name, list] = doubled[0]!;
        const shown = response.rawHeaders.find((raw) => raw.toLowerCase() === name)!;
        fail(`Your proxy's response has ${list.length} ${shown} headers (${list.map((value) => `"${value}"`).join(', ')}); the origin's had one. A proxy relays the origin's headers once each, and adds none the origin already sent.`, {
          details: ['the response your proxy sent:', ...response.head.split('\n')],
          hint:
            name === 'date' || name === 'server'
              ? {
                  typescript: `Copy the origin's headers once each: when its response has a ${shown}, add no ${shown} of your own.`,
                  python:
                    "BaseHTTPRequestHandler.send_response() writes a Server and a Date header of its own. Start the response with send_response_only(code, message), which writes the status line alone, then copy the origin's headers; or leave the origin's Date (and Server) out of what you copy.",
                }
              : `Copy each of the origin's headers once: a header you set yourself (${shown}) replaces the origin's, never goes beside it.`,
        });
      },
    },

    'origin-form': {
      title: 'the origin gets an origin-form request line, GET /<path> HTTP/1.1, not the full URL',
      points: 1,
      dependsOn: ['listens'],
      run: async (ctx) => {
        const { proxy } = await startProxy(ctx);
        const path = `${randomPath(ctx)}?${ctx.random.string(3, LETTERS)}=${ctx.random.string(5, LETTERS)}`;
        const origin = await ctx.origin({ [path]: { body: randomText(ctx) } });
        await viaProxy(ctx, proxy, origin.url(path), { origin });
        const [request] = origin.requests;
        if (!request) fail(`Your proxy answered, but the grader's origin server received no request for ${path}.`, { hint: 'Connect to the host and port of the URL in the request line and send the request there.' });
        if (!request.target.startsWith('/')) {
          fail(`The request line your proxy sent the origin was "${request.method} ${request.target} HTTP/${request.httpVersion}"; it should be "GET ${path} HTTP/1.1".`, {
            details: origin.describeRequests(),
            hint: {
              typescript: 'The absolute URL is for proxies only: to the origin, send just the path and query (url.pathname + url.search).',
              python: "The absolute URL is for proxies only: to the origin, send just the path and query (of parts = urllib.parse.urlsplit(url): parts.path, and '?' + parts.query when there is one).",
            },
          });
        }
        if (request.target !== path) fail(`Your proxy asked the origin for ${request.target}; the client asked for ${path} (the query included).`, { details: origin.describeRequests(), hint: 'Forward the path and the query as the client sent them.' });
      },
    },

    'host-header': {
      title: "the origin gets a Host header naming the origin's host and port",
      points: 1,
      dependsOn: ['listens'],
      run: async (ctx) => {
        const { proxy } = await startProxy(ctx);
        const path = randomPath(ctx);
        const origin = await ctx.origin({ [path]: { body: randomText(ctx) } });
        await viaProxy(ctx, proxy, origin.url(path), { origin });
        const [request] = origin.requests;
        if (!request) fail(`Your proxy answered, but the grader's origin server received no request for ${path}.`, { hint: 'Connect to the host and port of the URL in the request line and send the request there.' });
        const expected = new URL(origin.url(path)).host;
        if (request.headers.host !== expected) {
          fail(`The request your proxy sent the origin has ${request.headers.host === undefined ? 'no Host header' : `Host: ${request.headers.host}`}; it should have Host: ${expected}.`, {
            details: origin.describeRequests(),
            hint: "Send the origin the host and port of the URL the client asked for (the client's Host header says the same), not your proxy's own.",
          });
        }
      },
    },

    statuses: eachCase({
      cases: STATUSES,
      caseId: (c) => String(c.status),
      title: (c) => c.title,
      points: 1,
      dependsOn: ['forwards'],
      run: async (ctx, c) => {
        const { proxy } = await startProxy(ctx);
        const path = randomPath(ctx, 'html');
        const location = `/moved/${ctx.random.string(8, LETTERS)}.html`;
        const body = randomText(ctx);
        const reply: OriginReply = c.status === 301 ? { status: 301, headers: { Location: location }, body } : { status: c.status, body };
        // Where a 301 leads is a page too: a proxy that follows it gets a 200 and shows it.
        const origin = await ctx.origin({ [path]: reply, [location]: { body: 'the page a redirect leads to\n' } });
        const response = await viaProxy(ctx, proxy, origin.url(path), { origin });
        expectStatus(response, c.status, `For GET ${origin.url(path)} the origin answered ${c.status}`, RELAY_HINT);
        if (c.status === 301 && response.headers.location !== location) {
          fail(`The origin's 301 had Location: ${location}, but your proxy's has ${response.headers.location === undefined ? 'no Location header' : `Location: ${response.headers.location}`}.`, { details: response.head.split('\n'), hint: RELAY_HINT });
        }
        expectBytes(response.body, body, { what: `The body of your proxy's ${c.status} (it should be the origin's)`, hint: RELAY_HINT });
      },
    }),

    binary: {
      title: 'a 1 MiB binary body (every byte value) arrives byte for byte',
      points: 2,
      dependsOn: ['forwards'],
      run: async (ctx) => {
        const { program, proxy } = await startProxy(ctx);
        const path = randomPath(ctx, 'bin');
        const body = Buffer.alloc(ONE_MIB);
        for (let i = 0; i < body.length; i += 4) body.writeUInt32LE(ctx.random.int(0, 0xffffffff), i);
        const origin = await ctx.origin({ [path]: { headers: { 'Content-Type': 'application/octet-stream' }, body } });
        const response = await viaProxy(ctx, proxy, origin.url(path), { origin, timeoutMs: 10_000 }).catch(async (error: unknown) => {
          throw await explainDecodeError(program, error);
        });
        expectStatus(response, 200, `For GET ${origin.url(path)} the origin answered 200 OK`, RELAY_HINT);
        if (response.body.equals(body)) return;
        // A megabyte is no dump to read: the lengths and where they part say what went wrong.
        const at = diffBytes(body, response.body).at(-1);
        fail(`The body your proxy sent is ${countBytes(response.body.length)}; the origin's is ${countBytes(body.length)} of binary data, and they differ (${at}).`, {
          hint: BYTES_HINT,
        });
      },
    },

    chunked: {
      title: 'a chunked response from the origin reaches the client correctly framed, with its whole body',
      points: 1,
      dependsOn: ['forwards'],
      run: async (ctx) => {
        const { proxy } = await startProxy(ctx);
        const path = randomPath(ctx);
        const body = Array.from({ length: 3 }, () => randomText(ctx)).join('');
        const origin = await ctx.origin({ [path]: { chunked: true, body } });
        const response = await viaProxy(ctx, proxy, origin.url(path), {
          origin,
          hint: 'The origin sent Transfer-Encoding: chunked. Either pass its chunks on as they came, framing included, or send the body you decoded with a Content-Length (or chunks of your own), and then not its Transfer-Encoding header.',
        });
        expectBytes(response.body, body, { what: "The body of your proxy's response (it should be the origin's, de-chunked)", hint: 'All three chunks make the body: forward until the origin\'s last chunk (0\\r\\n\\r\\n).' });
      },
    },

    refused: {
      title: 'an origin that refuses the connection gets the client a 502 Bad Gateway, and the proxy keeps running',
      points: 1,
      dependsOn: ['forwards'],
      run: async (ctx) => {
        const { program, proxy } = await startProxy(ctx);
        const url = `http://127.0.0.1:${await ctx.freePort()}${randomPath(ctx)}`;
        await expectSurvives(
          program,
          'the origin refused its connection',
          async () => {
            const response = await viaProxy(ctx, proxy, url);
            expectStatus(response, 502, `Nothing listens at ${url}, so the connection to it was refused`, {
              typescript: 'Handle the error of the request to the origin (its error event, or a catch) by answering 502 Bad Gateway.',
              python: 'Catch the error of the connection to the origin (ConnectionRefusedError, an OSError, from connect() or create_connection()) and answer 502 Bad Gateway.',
            });
          },
          {
            crashHint: {
              typescript: "A refused connection is an 'error' event on the request (or a rejected fetch): handle it by answering 502 Bad Gateway, or it crashes the proxy.",
              python: 'A refused connection raises ConnectionRefusedError (an OSError) from connect(): catch it and answer 502 Bad Gateway, or it ends the proxy.',
            },
          },
        );
      },
    },

    'origin-hangs-up': {
      title: 'an origin that closes the connection without answering gets the client a 502 Bad Gateway, and the proxy keeps running',
      points: 1,
      dependsOn: ['forwards'],
      run: async (ctx) => {
        const { program, proxy } = await startProxy(ctx);
        const path = randomPath(ctx);
        const origin = await ctx.origin({ [path]: { hangUp: true } });
        const hint: Hint = {
          typescript: "An origin that closes the connection without a response is an error of the request to it ('socket hang up'): answer 502 Bad Gateway.",
          python: "An origin that closes the connection without a response makes recv() return b'' before any byte of it came (or raises ConnectionResetError, or http.client's RemoteDisconnected): answer 502 Bad Gateway, not an empty connection.",
        };
        await expectSurvives(
          program,
          'the origin closed its connection without answering',
          async () => {
            const response = await viaProxy(ctx, proxy, origin.url(path), { origin, hint });
            expectStatus(response, 502, `The origin closed the connection without answering GET ${path}`, hint);
          },
          {
            crashHint: {
              typescript: "An origin that hangs up is an 'error' event on the request to it (or a rejected fetch): handle it by answering 502 Bad Gateway, or it crashes the proxy.",
              python: "An origin that hangs up leaves nothing to parse (b'', an empty status line) or raises an OSError: catch it and answer 502 Bad Gateway, or it ends the proxy.",
            },
          },
        );
      },
    },

    'silent-origin': {
      title: 'an origin that does not answer for 5 s gets the client a 504 Gateway Timeout (or 502)',
      points: 1,
      dependsOn: ['forwards'],
      run: async (ctx) => {
        const { proxy } = await startProxy(ctx);
        const path = randomPath(ctx);
        const origin = await ctx.origin({ [path]: { delayMs: 60_000, body: 'too late\n' } });
        // 5 s of the proxy's own, then room for a busy machine.
        const response = await viaProxy(ctx, proxy, origin.url(path), {
          origin,
          timeoutMs: 12_000,
          hint: {
            typescript: 'Give up on an origin that has not answered after 5 s (a timer, or AbortSignal.timeout(5000) with fetch), and answer 504 Gateway Timeout.',
            python: 'Give up on an origin that has not answered after 5 s: a socket waits for ever unless told (origin.settimeout(5), or create_connection(address, timeout=5)); then recv() raises TimeoutError (socket.timeout), and you answer 504 Gateway Timeout.',
          },
        });
        if (response.status !== 504 && response.status !== 502) {
          fail(`The origin did not answer, but your proxy answered ${response.status} ${response.statusText}; it should answer 504 Gateway Timeout (or 502 Bad Gateway).`, { details: response.head.split('\n'), hint: 'A proxy that heard nothing from the origin answers 504.' });
        }
      },
    },

    methods: {
      title: 'a POST gets 501 Not Implemented, or is forwarded as a POST',
      points: 1,
      dependsOn: ['forwards'],
      run: async (ctx) => {
        const { proxy } = await startProxy(ctx);
        const path = randomPath(ctx);
        const body = randomText(ctx);
        const origin = await ctx.origin({ [path]: { status: 201, body: 'created\n' } });
        const response = await viaProxy(ctx, proxy, origin.url(path), { origin, method: 'POST', body, headers: { 'Content-Type': 'text/plain' } });
        if (response.status === 501) return;
        const forwarded = origin.requestsFor(path);
        if (forwarded.length === 0) {
          fail(`Your proxy answered a POST with ${response.status} ${response.statusText} without asking the origin; it should answer 501 Not Implemented (or forward the POST).`, { hint: 'Answer methods other than GET with 501 Not Implemented.' });
        }
        const [request] = forwarded;
        if (request!.method !== 'POST' || !request!.body.equals(Buffer.from(body))) {
          fail(`Your proxy forwarded the client's POST as ${request!.method} with a ${request!.body.length}-byte body; a forwarded POST keeps its method and its ${Buffer.byteLength(body)}-byte body.`, {
            details: origin.describeRequests(),
            hint: 'Answer methods other than GET with 501 Not Implemented, or forward them whole.',
          });
        }
        expectStatus(response, 201, 'The origin answered the forwarded POST with 201', RELAY_HINT);
      },
    },

    concurrent: {
      title: "a client waiting on a slow origin (2 s) does not hold up another client's fast request",
      points: 2,
      dependsOn: ['forwards'],
      run: async (ctx) => {
        const { proxy } = await startProxy(ctx);
        const slow = randomPath(ctx);
        const fast = randomPath(ctx);
        const origin = await ctx.origin({ [slow]: { delayMs: 2000, body: 'slow\n' }, [fast]: { body: 'fast\n' } });
        const slowResponse = viaProxy(ctx, proxy, origin.url(slow), { origin, name: `GET ${slow} (slow)` }).then(() => performance.now());
        slowResponse.catch(() => undefined);
        // The fast request goes once the slow one is at the origin: from then on, only a proxy
        // that waits for it keeps the fast one waiting.
        if (!(await origin.waitForRequests(slow, 1, 3000))) fail(`Your proxy did not forward GET ${origin.url(slow)} to the origin within 3 s.`, { details: origin.describeRequests() });
        const fastResponse = await viaProxy(ctx, proxy, origin.url(fast), { origin, name: `GET ${fast} (fast)` });
        const fastAt = performance.now();
        expectBytes(fastResponse.body, 'fast\n', { what: 'The body of the fast response' });
        const slowAt = await slowResponse;
        if (slowAt <= fastAt) {
          fail(`The fast request was answered only after the slow one: your proxy handles one client at a time.`, {
            details: origin.describeRequests(),
            hint: {
              typescript: "Don't wait for one origin's answer before taking the next client: each request's work must be asynchronous (callbacks or async functions, no await of one client inside a loop over all of them).",
              python: "Don't wait for one origin's answer before taking the next client: serve each client in a thread of its own (threading.Thread, or http.server's ThreadingHTTPServer rather than HTTPServer).",
            },
          });
        }
      },
    },

    'cache-hit': {
      title: 'the same GET again within 60 s is answered from the cache, without asking the origin',
      points: 2,
      dependsOn: ['forwards'],
      run: async (ctx) => {
        const { proxy } = await startProxy(ctx);
        const path = randomPath(ctx);
        const bodies = [randomText(ctx), randomText(ctx)];
        // Each request to the origin gets another body, so an answer that did not come from the cache shows.
        const origin = await ctx.origin({ [path]: (_request, n) => ({ headers: { 'Content-Type': 'text/plain' }, body: bodies[n - 1] ?? randomText(ctx) }) });
        const first = await viaProxy(ctx, proxy, origin.url(path), { origin, name: `GET ${path} (first)` });
        expectBytes(first.body, bodies[0]!, { what: 'The body of the first response' });
        await letTheProxyKeepIt(ctx);
        const second = await viaProxy(ctx, proxy, origin.url(path), { origin, name: `GET ${path} (again)` });
        expectOriginRequests(origin, path, 1, 'the second GET for the same URL, a moment after the first, should have been answered from your cache.', {
          typescript: 'Keep each 200 response to a GET in memory (a Map keyed by the full URL) with the time it came, and answer the same URL from it for 60 s.',
          python: 'Keep each 200 response to a GET in memory (a dict keyed by the full URL, shared by all threads) with the time it came (time.monotonic()), and answer the same URL from it for 60 s.',
        });
        expectStatus(second, 200, 'The cached response was a 200', 'Answer from the cache with the status, headers and body the origin sent.');
        expectBytes(second.body, bodies[0]!, { what: 'The body of the answer from your cache', hint: 'Answer from the cache with the body the origin sent, byte for byte.' });
      },
    },

    'cache-no-store': {
      title: 'a response with Cache-Control: no-store is not cached: the next GET goes to the origin',
      points: 1,
      dependsOn: ['cache-hit'],
      run: async (ctx) => {
        const { proxy } = await startProxy(ctx);
        const path = randomPath(ctx);
        const bodies = [randomText(ctx), randomText(ctx)];
        const origin = await ctx.origin({ [path]: (_request, n) => ({ headers: { 'Cache-Control': 'no-store' }, body: bodies[n - 1] ?? randomText(ctx) }) });
        await viaProxy(ctx, proxy, origin.url(path), { origin, name: `GET ${path} (first)` });
        await letTheProxyKeepIt(ctx);
        const second = await viaProxy(ctx, proxy, origin.url(path), { origin, name: `GET ${path} (again)` });
        expectOriginRequests(origin, path, 2, 'its answer said Cache-Control: no-store, so the second GET should have gone to the origin again.', 'Before caching a response, look at its Cache-Control header: no-store means it must not be kept.');
        expectBytes(second.body, bodies[1]!, { what: "The body of the second response (the origin's second answer)" });
      },
    },

    'cache-errors': {
      title: 'a 404 or a 500 is not cached: the next GET goes to the origin',
      points: 1,
      dependsOn: ['cache-hit'],
      run: async (ctx) => {
        const { proxy } = await startProxy(ctx);
        const missing = randomPath(ctx);
        const broken = randomPath(ctx);
        // The second try at each works: a proxy that kept the error serves the error again.
        const flaky = (status: number) => (_request: unknown, n: number): OriginReply => (n === 1 ? { status, body: `${status}\n` } : { body: `found on try ${n}\n` });
        const origin = await ctx.origin({ [missing]: flaky(404), [broken]: flaky(500) });
        for (const path of [missing, broken]) {
          await viaProxy(ctx, proxy, origin.url(path), { origin, name: `GET ${path} (first)` });
          await letTheProxyKeepIt(ctx);
          const second = await viaProxy(ctx, proxy, origin.url(path), { origin, name: `GET ${path} (again)` });
          const status = path === missing ? 404 : 500;
          expectOriginRequests(origin, path, 2, `its first answer was ${status}, which is not cached, so the second GET should have gone to the origin again.`, 'Cache only 200 responses to GET.');
          expectStatus(second, 200, "The origin's second answer was 200", 'Cache only 200 responses to GET.');
        }
      },
    },

    'cache-key': {
      title: 'the cache is keyed by the full URL: the same path on two origins is two entries',
      points: 1,
      dependsOn: ['cache-hit'],
      run: async (ctx) => {
        const { proxy } = await startProxy(ctx);
        const path = randomPath(ctx);
        const [bodyA, bodyB] = [randomText(ctx), randomText(ctx)];
        const a = await ctx.origin({ [path]: { body: bodyA } });
        const b = await ctx.origin({ [path]: { body: bodyB } });
        await viaProxy(ctx, proxy, a.url(path), { origin: a });
        await letTheProxyKeepIt(ctx);
        const response = await viaProxy(ctx, proxy, b.url(path), { origin: b });
        if (b.requestsFor(path).length === 0) {
          fail(`Your proxy answered GET ${b.url(path)} from its cache of ${a.url(path)}: the same path on another origin (another port).`, {
            details: [...diffBytes(Buffer.from(bodyB), response.body), ...b.describeRequests()],
            hint: 'Key the cache by the whole URL, host and port included, not by the path alone.',
          });
        }
        expectBytes(response.body, bodyB, { what: `The body of ${b.url(path)}` });
      },
    },
  },
});
