import {
  CheckFailure,
  countBytes,
  defineExercise,
  describeBytes,
  diffBytes,
  expectBytes,
  expectSurvives,
  fail,
  isCheckFailure,
  type CheckContext,
  type Hint,
  type HttpRequestOptions,
  type HttpResponse,
  type ListeningAddress,
  type Program,
  type TcpConnection,
} from 'netgrade';

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
// Characters of 2, 3 and 4 bytes in UTF-8: a body measured or sent as a string comes out wrong.
const WIDE = ['é', 'ü', '✓', '€', '😀'];

/** A file the grader puts under public/: where it is, how it is asked for, its bytes, the types it may be served as. */
interface SiteFile {
  name: string;
  url: string;
  bytes: Buffer;
  types: string[];
}

function word(ctx: CheckContext, min = 4, max = 9): string {
  return ctx.random.string(ctx.random.int(min, max), LETTERS);
}

/**
 * Random lines with multi-byte characters and \r\n endings among \n ones (both, always: a file
 * read in Python's text mode, which turns \r\n into \n, never comes out right), around a file's
 * own markup.
 */
function text(ctx: CheckContext, wrap: (line: string) => string): Buffer {
  const lines = Array.from({ length: ctx.random.int(5, 40) }, () => wrap(`${word(ctx)} ${ctx.random.pick(WIDE)} ${word(ctx)} ${word(ctx, 1, 3)}`));
  const endings = ctx.random.shuffle(['\n', '\r\n', ...lines.slice(2).map(() => ctx.random.pick(['\n', '\r\n']))]);
  return Buffer.from(lines.map((line, i) => `${line}${endings[i]}`).join(''));
}

/** Random bytes behind a PNG signature: every byte value, most of them not UTF-8. */
function png(ctx: CheckContext, size: number): Buffer {
  const bytes = Buffer.alloc(size);
  Buffer.from('89504e470d0a1a0a', 'hex').copy(bytes);
  for (let i = 8; i < size; i++) bytes[i] = ctx.random.int(0, 255);
  return bytes;
}

/** A file served at its name, percent-encoded as a browser would. */
function file(name: string, bytes: Buffer, types: string[]): SiteFile {
  return { name, url: `/${name.split('/').map(encodeURIComponent).join('/')}`, bytes, types };
}

/** Plain ASCII pages: bytes even a server that sends files as text gets right. */
function pages(ctx: CheckContext, count: number): SiteFile[] {
  return Array.from({ length: count }, (_, i) => file(`page-${i + 1}-${word(ctx)}.txt`, Buffer.from(`${Array.from({ length: ctx.random.int(20, 400) }, () => word(ctx)).join(' ')}\n`), ['text/plain']));
}

/**
 * The random site every check serves, and a secret next to server.ts that must never be served.
 * The png is up to 1 MiB only where its bytes are the point (`largePng`): elsewhere a few KiB do.
 */
function makeSite(ctx: CheckContext, { largePng = false } = {}) {
  const index = file('index.html', text(ctx, (line) => `<p>${line}</p>`), ['text/html']);
  const html = file(`${word(ctx)}.html`, text(ctx, (line) => `<li>${line}</li>`), ['text/html']);
  const txt = file(`${word(ctx)}.txt`, text(ctx, (line) => line), ['text/plain']);
  const css = file(`${word(ctx)}.css`, text(ctx, (line) => `/* ${line} */ .${word(ctx)} { color: #${ctx.random.string(6, '0123456789abcdef')}; }`), ['text/css']);
  const js = file(`${word(ctx)}.js`, text(ctx, (line) => `console.log(${JSON.stringify(line)});`), ['text/javascript', 'application/javascript']);
  const json = file(`${word(ctx)}.json`, Buffer.from(`${JSON.stringify({ [word(ctx)]: word(ctx), list: [word(ctx), `${word(ctx)} ${ctx.random.pick(WIDE)}`], n: ctx.random.int(0, 9999) }, null, 2)}\n`), ['application/json']);
  const image = file(`${word(ctx)}.png`, png(ctx, largePng ? ctx.random.int(512 * 1024, 1024 * 1024) : ctx.random.int(1024, 8192)), ['image/png']);
  const nested = file(`${word(ctx)}/${word(ctx)}/${word(ctx)}.txt`, text(ctx, (line) => line), ['text/plain']);
  // An extension no table of types knows (Python's mimetypes reads /etc/mime.types, which knows
  // .xls, .xpm and hundreds more): made-up letters and two digits, `.qvbzk42`.
  const unknown = file(`${word(ctx)}.${word(ctx, 5, 7)}${ctx.random.int(10, 99)}`, png(ctx, ctx.random.int(100, 2000)).subarray(8), ['application/octet-stream']);
  const bare = file(`readme-${word(ctx)}`, text(ctx, (line) => line), ['application/octet-stream']);
  const spaced = file(`my ${word(ctx)} notes.txt`, text(ctx, (line) => line), ['text/plain']);
  const accented = file(`café-${word(ctx)}.txt`, text(ctx, (line) => line), ['text/plain']);
  // For the checks about something else than bodies: plain ASCII, which even a text bug serves right.
  const [page] = pages(ctx, 1) as [SiteFile];
  const secret = { name: `secret-${word(ctx)}.txt`, bytes: Buffer.from(`secret ${ctx.random.string(32)}\n`) };
  const all = [index, html, txt, css, js, json, image, nested, unknown, bare, spaced, accented, page];
  return { index, html, txt, css, js, json, image, nested, unknown, bare, spaced, accented, page, secret, all };
}

type Site = ReturnType<typeof makeSite>;

/** The server, started over `site` (and `extra` files under public/), and listening. */
async function serveSite(ctx: CheckContext, site: Site, extra: SiteFile[] = []): Promise<{ program: Program; address: ListeningAddress }> {
  const files: Record<string, Buffer> = { [site.secret.name]: site.secret.bytes };
  for (const f of [...site.all, ...extra]) files[`public/${f.name}`] = f.bytes;
  const program = await ctx.launch({ files });
  return { program, address: await program.waitForListening() };
}

/**
 * Fails unless `response` is 200 with `expected`'s exact bytes and a Content-Length that counts them;
 * `request` names the request in the student's words, `notServed` is the hint when it is not a 200.
 */
function expectServed(response: HttpResponse, expected: SiteFile, request: string, notServed?: Hint): void {
  if (response.status !== 200) {
    fail(`Your server answered ${request} with ${response.status} ${response.statusText}; expected 200 with the file public/${expected.name}.`, {
      details: [response.head],
      hint:
        notServed ??
        (expected.url === '/'
          ? 'Serve public/index.html for the path /.'
          : {
              typescript: `The path ${expected.url} names public/${expected.name}: strip the query string, percent-decode the path (decodeURIComponent), and read that file under public/.`,
              python: `The path ${expected.url} names public/${expected.name}: cut off the query string (target.split('?')[0]), percent-decode the path (urllib.parse.unquote), and read that file under public/.`,
            }),
    });
  }
  const length = response.headers['content-length'];
  const got = response.body;
  const want = expected.bytes;
  // More U+FFFD than the file has: a random file may hold that character's three bytes itself.
  const garbled = countReplacements(got) > countReplacements(want);
  if (length === undefined) {
    fail(`The response to ${request} has no Content-Length header.`, {
      details: [response.head],
      hint: { typescript: "Send Content-Length: the file's size in bytes (a Buffer's .length, or fs.stat's size).", python: "Send Content-Length: the file's size in bytes (len() of the bytes open(path, 'rb') read, or os.path.getsize(path))." },
    });
  }
  // Python's open() in text mode reads every \r\n as \n.
  const newlines = got.equals(Buffer.from(want.toString('utf8').replaceAll('\r\n', '\n'))) && !got.equals(want);
  if (Number(length) !== want.length) {
    fail(`The response to ${request} says Content-Length: ${length}, but public/${expected.name} has ${countBytes(want.length)}.`, {
      details: [response.head, ...diffLines(want, got)],
      hint: garbled
        ? AS_TEXT_HINT
        : newlines
          ? NEWLINES_HINT
          : {
            typescript: "Content-Length counts bytes, not characters: use the Buffer's .length (or Buffer.byteLength(text)), never a string's .length.",
            python: "Content-Length counts bytes, not characters: len() of the bytes you send (read with open(path, 'rb'), or text.encode()), never len() of a str.",
          },
    });
  }
  if (want.length <= 4096) {
    expectBytes(got, want, { what: `The body of the response to ${request}`, hint: newlines ? NEWLINES_HINT : "Send the file's bytes as they are on disk." });
  } else if (!got.equals(want)) {
    fail(`The body of the response to ${request} is not public/${expected.name}.`, { details: diffLines(want, got), hint: garbled ? AS_TEXT_HINT : "Send the file's bytes as they are on disk." });
  }
}

/** A file read as text: in Node its bytes that are not UTF-8 become U+FFFD; in Python, open() in text mode raises UnicodeDecodeError. */
const AS_TEXT_HINT: Hint = {
  typescript: 'Read the file as bytes (fs.readFile(path) with no encoding gives a Buffer) and send that Buffer: as a string, bytes that are not UTF-8 become U+FFFD and the body changes.',
  python: "Open the file in binary mode, open(path, 'rb'), and send the bytes read as they are: in text mode, read() decodes them as UTF-8, which a .png is not (UnicodeDecodeError, or U+FFFD with errors='replace').",
};

/** A file read in Python's text mode, whose universal newlines turn \r\n into \n. */
const NEWLINES_HINT: Hint = {
  typescript: "Send the file's bytes as they are on disk: its \\r\\n line ends included.",
  python: "Open the file in binary mode, open(path, 'rb'), and send the bytes read as they are: text mode turns every \\r\\n into \\n (and cannot read a .png at all).",
};

/**
 * Sends `options` to the server as ctx.request does; when no response comes and the program's
 * error output shows it read a binary file as text (Python's UnicodeDecodeError), says so.
 */
async function requestFile(ctx: CheckContext, program: Program, address: ListeningAddress, options: HttpRequestOptions): Promise<HttpResponse> {
  try {
    return await ctx.request(address, options);
  } catch (error) {
    // The thread's traceback is printed after its finally: has closed the connection.
    if (!isCheckFailure(error) || !(await program.waitForOutput((text) => text.includes('UnicodeDecodeError'), { stream: 'stderr', timeoutMs: 500 }))) throw error;
    throw new CheckFailure(`${error.message} Your program's error output shows a UnicodeDecodeError: it read the file as text.`, { details: error.details, hint: AS_TEXT_HINT });
  }
}

const REPLACEMENT = Buffer.from('\uFFFD');

function countReplacements(bytes: Buffer): number {
  let count = 0;
  for (let at = bytes.indexOf(REPLACEMENT); at >= 0; at = bytes.indexOf(REPLACEMENT, at + REPLACEMENT.length)) count++;
  return count;
}

/** Where two long bodies differ, without showing a megabyte: the lengths and the first differing byte, in context. */
function diffLines(expected: Buffer, actual: Buffer): string[] {
  return expected.length <= 4096 && actual.length <= 4096 ? diffBytes(expected, actual) : [`expected ${countBytes(expected.length)}, received ${countBytes(actual.length)}`, ...diffBytes(expected, actual).slice(-1)];
}

/** The Host header for `address`: an IPv6 address in brackets, or node:http servers answer 400. */
function hostOf(address: ListeningAddress): string {
  return `${address.host.includes(':') ? `[${address.host}]` : address.host}:${address.port}`;
}

/** A request the grader's client would not send as it is (a `..` path), written out as valid HTTP/1.1. */
function rawRequest(address: ListeningAddress, method: string, target: string): string {
  return `${method} ${target} HTTP/1.1\r\nHost: ${hostOf(address)}\r\n\r\n`;
}

const ABSOLUTE_TARGET = '/%2Fetc%2Fpasswd';

const SLOW_HINT: Hint = {
  typescript: "A request may arrive in many pieces, down to one byte each ('data' events): collect its bytes until the empty line that ends its head (\\r\\n\\r\\n), then answer.",
  python: "A request may arrive in many pieces, down to one byte each, and one recv() returns only what has arrived: call recv() until the bytes received hold the empty line that ends the head (b'\\r\\n\\r\\n'), then answer.",
};

/**
 * Reads a response to GET on a reference connection: its head, up to the empty line, then the
 * Content-Length bytes of its body (a file's response must have one). Only the first of the
 * connection's responses: a server may keep it open, or close it.
 */
async function readResponse(connection: TcpConnection, request: string): Promise<HttpResponse> {
  const bytes = await connection.readUntil('\r\n\r\n', { what: `the head of the response to ${request}, ended by an empty line`, timeoutMs: 10_000 });
  const [statusLine = '', ...lines] = bytes.toString('latin1').slice(0, -4).split('\r\n');
  const status = /^HTTP\/(1\.[01]) (\d{3})(?: (.*))?$/.exec(statusLine);
  if (!status) fail(`Your server's answer to ${request} does not start with a status line such as "HTTP/1.1 200 OK": it starts ${describeBytes(bytes, 80)}.`);
  const rawHeaders = lines.flatMap((line) => [line.slice(0, line.indexOf(':')).trim(), line.slice(line.indexOf(':') + 1).trim()]);
  const headers: Record<string, string> = {};
  for (let i = 0; i < rawHeaders.length; i += 2) headers[rawHeaders[i]!.toLowerCase()] = rawHeaders[i + 1]!;
  const response = { status: Number(status[2]), statusText: status[3] ?? '', httpVersion: status[1]!, headers, rawHeaders, head: [statusLine, ...lines].join('\n'), body: Buffer.alloc(0) };
  const length = Number(headers['content-length']);
  if (response.status !== 200 || !Number.isSafeInteger(length)) return response;
  return { ...response, body: await connection.readBytes(length, { what: `the ${countBytes(length)} of the body of the response to ${request}`, timeoutMs: 10_000 }) };
}

/** The media type of a Content-Type header, without its parameters. */
function mediaType(value: string | undefined): string | undefined {
  return value?.split(';')[0]!.trim().toLowerCase();
}

export default defineExercise({
  id: 'web-server',
  title: 'Web server: serve the files under public/',
  entry: 'server.ts',
  languages: ['typescript', 'python'],
  checks: {
    listens: {
      title: 'listens on the port given in PORT within 10 s',
      points: 1,
      run: async (ctx) => {
        await serveSite(ctx, makeSite(ctx));
      },
    },

    index: {
      title: 'GET / is answered with public/index.html',
      points: 1,
      dependsOn: ['listens'],
      run: async (ctx) => {
        const site = makeSite(ctx);
        const { address } = await serveSite(ctx, site);
        expectServed(await ctx.request(address, { path: '/' }), { ...site.index, url: '/' }, 'GET /');
      },
    },

    'text-files': {
      title: 'GET of an .html, .txt, .css, .js and .json file, and one two folders down: 200, the exact bytes, the exact Content-Length',
      points: 2,
      dependsOn: ['listens'],
      run: async (ctx) => {
        const site = makeSite(ctx);
        const { address } = await serveSite(ctx, site);
        for (const f of [site.html, site.txt, site.css, site.js, site.json, site.nested]) expectServed(await ctx.request(address, { path: f.url }), f, `GET ${f.url}`);
      },
    },

    binary: {
      title: 'GET of a .png of random bytes (up to 1 MiB): every byte as it is on disk',
      points: 2,
      dependsOn: ['listens'],
      run: async (ctx) => {
        const site = makeSite(ctx, { largePng: true });
        const { program, address } = await serveSite(ctx, site);
        ctx.log(`public/${site.image.name} has ${countBytes(site.image.bytes.length)}`);
        expectServed(await requestFile(ctx, program, address, { path: site.image.url, timeoutMs: 10_000 }), site.image, `GET ${site.image.url}`);
      },
    },

    'content-types': {
      title: 'Content-Type by extension: text/html, text/plain, text/css, text/javascript, application/json, image/png, and application/octet-stream for anything else',
      points: 2,
      dependsOn: ['listens'],
      run: async (ctx) => {
        const site = makeSite(ctx);
        const { program, address } = await serveSite(ctx, site);
        const wrong: string[] = [];
        for (const f of [site.html, site.txt, site.css, site.js, site.json, site.image, site.unknown, site.bare]) {
          const response = await requestFile(ctx, program, address, { path: f.url, timeoutMs: 10_000 });
          if (response.status !== 200) fail(`GET ${f.url} got ${response.status} ${response.statusText}; expected 200 with public/${f.name}.`, { details: [response.head] });
          const type = response.headers['content-type'];
          if (!f.types.includes(mediaType(type) ?? '')) wrong.push(`${f.name}: expected ${f.types.join(' or ')}, got ${type === undefined ? 'no Content-Type header' : `"${type}"`}`);
        }
        if (wrong.length > 0) {
          fail(`${wrong.length} of 8 files were served with the wrong Content-Type.`, {
            details: wrong,
            hint: {
              typescript: 'Choose the type from the extension (path.extname): .html text/html, .txt text/plain, .css text/css, .js text/javascript, .json application/json, .png image/png, anything else (no extension too) application/octet-stream.',
              python: "Choose the type from the extension (os.path.splitext(path)[1]) in a dict of your own: .html text/html, .txt text/plain, .css text/css, .js text/javascript, .json application/json, .png image/png, anything else (no extension too) application/octet-stream (TYPES.get(extension, 'application/octet-stream')).",
            },
          });
        }
      },
    },

    'percent-decoding': {
      title: 'percent-encoded paths are decoded: a name with spaces (%20), one with é (%C3%A9), and a plain letter written as %XX',
      points: 1,
      dependsOn: ['listens'],
      run: async (ctx) => {
        const site = makeSite(ctx);
        const { address } = await serveSite(ctx, site);
        const letter = site.txt.name.charCodeAt(0).toString(16).toUpperCase();
        for (const [f, url] of [[site.spaced, site.spaced.url], [site.accented, site.accented.url], [site.txt, `/%${letter}${site.txt.name.slice(1)}`]] as const) {
          expectServed(await ctx.request(address, { path: url }), f, `GET ${url}`);
        }
      },
    },

    'query-string': {
      title: 'a query string is ignored: /<file>?v=... is the file, /?... is index.html',
      points: 1,
      dependsOn: ['listens'],
      run: async (ctx) => {
        const site = makeSite(ctx);
        const { address } = await serveSite(ctx, site);
        const query = () => `?${word(ctx, 1, 4)}=${ctx.random.int(1, 99999)}&${word(ctx, 1, 4)}=${word(ctx)}`;
        for (const [f, url] of [[site.css, `${site.css.url}${query()}`], [site.index, `/${query()}`]] as const) {
          expectServed(await ctx.request(address, { path: url }), { ...f, url }, `GET ${url}`);
        }
      },
    },

    'not-found': {
      title: 'a missing file gets 404 with a non-empty body, and the server goes on serving',
      points: 1,
      dependsOn: ['listens'],
      run: async (ctx) => {
        const site = makeSite(ctx);
        const { program, address } = await serveSite(ctx, site);
        await expectSurvives(
          program,
          'a request for a file that does not exist',
          async () => {
            for (const url of [`/${word(ctx)}.html`, `/${word(ctx)}/${word(ctx)}.txt`, `${site.txt.url.replace('.txt', '.html')}`]) {
              const response = await ctx.request(address, { path: url });
              if (response.status !== 404) {
                fail(`GET ${url} (public/ has no such file) got ${response.status} ${response.statusText}; expected 404.`, {
                  details: [response.head],
                  hint: {
                    typescript: 'When the file cannot be read (fs error code ENOENT), answer 404 Not Found instead of letting the error become a 500 or a crash.',
                    python: 'When the file cannot be opened (open() raises FileNotFoundError, an OSError), answer 404 Not Found instead of letting the error become a 500 or end the thread.',
                  },
                });
              }
              if (response.body.length === 0) fail(`The 404 for ${url} has an empty body.`, { details: [response.head], hint: 'Send a short page or text saying the file was not found.' });
            }
            expectServed(await ctx.request(address, { path: site.page.url }), site.page, `GET ${site.page.url} (after the 404s)`);
          },
          {
            crashHint: {
              typescript: 'Catch the error reading a missing file (ENOENT) and answer 404: an error nobody handles ends the program.',
              python: 'Catch the error opening a missing file (except FileNotFoundError, or OSError) and answer 404: an exception nobody catches ends the program.',
            },
          },
        );
      },
    },

    traversal: {
      title: 'a path that leaves public/ (/../x, /%2e%2e/x, /..%2fx, /sub/..%2f..%2fx, /%2e%2e%2fx, /%2Fetc%2Fpasswd) gets 403 or 404, never the file',
      points: 2,
      dependsOn: ['listens'],
      run: async (ctx) => {
        const site = makeSite(ctx);
        const { address } = await serveSite(ctx, site);
        const name = site.secret.name;
        const folder = site.nested.name.split('/')[0];
        // The last decodes to //etc/passwd: an absolute path, which os.path.join (and path.join's
        // cousins) take over public/ when the leading / alone is cut off.
        for (const target of [`/../${name}`, `/%2e%2e/${name}`, `/..%2f${name}`, `/${folder}/..%2f..%2f${name}`, `/%2e%2e%2f${name}`, ABSOLUTE_TARGET]) {
          const response = await ctx.request(address, { raw: rawRequest(address, 'GET', target), path: target });
          const secret = response.body.includes(site.secret.bytes);
          if (secret || response.status === 200) {
            const what = secret ? ` with ${name}, a file next to your server, outside public/` : target === ABSOLUTE_TARGET ? ' (the path decodes to //etc/passwd, a file far outside public/)' : '';
            fail(`GET ${target} got ${response.status} ${response.statusText}${what}; expected 403 or 404.`, {
              details: [response.head, `body: ${describeBytes(response.body, 200)}`],
              hint: {
                typescript: 'Decode the path first, then resolve it (path.resolve(publicDir, "." + decoded)) and refuse it with 403 unless it is still inside publicDir (starts with publicDir + path.sep).',
                python:
                  "Decode the path first, then resolve it, os.path.realpath(os.path.join(public, decoded.lstrip('/'))), and refuse it with 403 unless it is still inside public (starts with public + os.sep, public being os.path.realpath('public')). os.path.join drops everything before an absolute part: join('public', '/etc/passwd') is '/etc/passwd'.",
              },
            });
          }
          // Inside public/, //etc/passwd is a missing file like any other: what its status should be is not-found's to judge.
          if (target !== ABSOLUTE_TARGET && response.status !== 403 && response.status !== 404) fail(`GET ${target} got ${response.status} ${response.statusText}; expected 403 Forbidden or 404 Not Found.`, { details: [response.head] });
        }
      },
    },

    head: {
      title: "HEAD gets GET's status, Content-Type and Content-Length, and no body",
      points: 1,
      dependsOn: ['listens'],
      run: async (ctx) => {
        const site = makeSite(ctx);
        const { address } = await serveSite(ctx, site);
        const f = site.page;
        const get = await ctx.request(address, { path: f.url });
        const head = await ctx.request(address, { method: 'HEAD', path: f.url });
        for (const name of ['content-type', 'content-length']) {
          if (head.status !== get.status || head.headers[name] !== get.headers[name]) {
            fail(`HEAD ${f.url} got "${head.status} ${name}: ${head.headers[name] ?? '(none)'}", but GET got "${get.status} ${name}: ${get.headers[name] ?? '(none)'}": HEAD must answer what GET does, without the body.`, {
              details: ['HEAD:', head.head, 'GET:', get.head],
              hint: 'Handle HEAD as GET, with the same status and headers (Content-Length the size of the body GET sends), and then send no body.',
            });
          }
        }
        // Node's client stops reading at the head of a HEAD response: what follows it is read here.
        const client = await ctx.connect(address, { name: 'HEAD client' });
        await client.send(rawRequest(address, 'HEAD', f.url));
        const headBytes = await client.readUntil('\r\n\r\n', { what: 'the head of the response to HEAD' });
        const data = (await client.readUntilClose({ timeoutMs: 500 })).data.subarray(headBytes.length);
        if (data.length > 0) {
          fail(`After the head of its response to HEAD ${f.url}, your server sent ${countBytes(data.length)} more: a response to HEAD has no body.`, {
            details: [`after the head: ${describeBytes(data, 200)}`],
            hint: 'For HEAD, send the status and headers (Content-Length included) and end the response without writing the file.',
          });
        }
      },
    },

    methods: {
      title: 'POST, PUT and DELETE of a file get 405 or 501, and the file is still served',
      points: 1,
      dependsOn: ['listens'],
      run: async (ctx) => {
        const site = makeSite(ctx);
        const { address } = await serveSite(ctx, site);
        const f = site.page;
        for (const method of ['POST', 'PUT', 'DELETE']) {
          const body = method === 'DELETE' ? undefined : `${word(ctx)}=${word(ctx)}`;
          const response = await ctx.request(address, { method, path: f.url, ...(body && { body, headers: { 'content-type': 'application/x-www-form-urlencoded' } }) });
          if (response.status !== 405 && response.status !== 501) {
            fail(`${method} ${f.url} got ${response.status} ${response.statusText}; expected 405 Method Not Allowed or 501 Not Implemented.`, {
              details: [response.head],
              hint: 'Serve files for GET and HEAD only; answer any other method with 405 (and an Allow: GET, HEAD header).',
            });
          }
        }
        expectServed(await ctx.request(address, { path: f.url }), f, `GET ${f.url} (after POST, PUT and DELETE)`);
      },
    },

    'bad-request': {
      title: 'a request line that is not HTTP gets 400 or a closed connection, and the server goes on serving',
      points: 1,
      dependsOn: ['listens'],
      run: async (ctx) => {
        const site = makeSite(ctx);
        const { program, address } = await serveSite(ctx, site);
        // No target, then no version: each on a connection of its own, judged in turn.
        const lines = [word(ctx), `${word(ctx)} /${word(ctx)}`];
        await expectSurvives(
          program,
          'a client sent a request line that is not HTTP',
          async () => {
            for (const [i, line] of lines.entries()) {
              const client = await ctx.connect(address, { name: `bad request ${i + 1}` });
              await client.send(`${line}\r\n\r\n`);
              const { data, ended } = await client.readUntilClose({ timeoutMs: 2000 });
              const answer = data.toString('latin1');
              if (data.length > 0 && !answer.startsWith('HTTP/')) {
                // http.server takes a line without a version for HTTP/0.9, whose answers have no status line.
                fail(`Your server answered "${line}", which is not an HTTP request line, without a status line: its answer starts ${describeBytes(data, 60)}. Expected "HTTP/1.1 400 Bad Request" (or 1.0), or the connection closed.`, {
                  hint: {
                    typescript: 'A request line is METHOD SP target SP HTTP/1.x: when it is not, answer 400 Bad Request with a status line (or close the connection).',
                    python:
                      "http.server's BaseHTTPRequestHandler takes a request line without a version for HTTP/0.9, and answers it as HTTP/0.9 did: the error page alone, no status line. Set default_request_version = 'HTTP/1.0' in your handler class, so its 400 starts with HTTP/1.0 400 Bad Request.",
                  },
                });
              }
              if (data.length > 0 && !/^HTTP\/1\.[01] 400[ \r]/.test(answer)) {
                fail(`Your server answered "${line}", which is not an HTTP request line, with ${describeBytes(data.subarray(0, answer.indexOf('\r\n') > 0 ? answer.indexOf('\r\n') : 80), 80)}; expected 400 Bad Request, or the connection closed.`, {
                  hint: 'A request line is METHOD SP target SP HTTP/1.x: when it is not, answer 400 Bad Request (or close the connection).',
                });
              }
              if (data.length === 0 && ended === null) {
                fail(`Your server neither answered "${line}" (not an HTTP request line) nor closed the connection within 2 s; expected 400 Bad Request, or the connection closed.`, {
                  hint: {
                    typescript: 'Check the request line once the head has arrived (it ends with an empty line): when it is not METHOD SP target SP HTTP/1.x, answer 400.',
                    python:
                      "Check the request line once the head has arrived (it ends with b'\\r\\n\\r\\n'): when it is not METHOD SP target SP HTTP/1.x, answer 400. An exception in the thread serving a client (an IndexError from split()) leaves its connection open unless the socket is closed in a finally: block.",
                  },
                });
              }
            }
            expectServed(await ctx.request(address, { path: site.page.url }), site.page, `GET ${site.page.url} (after the bad requests)`);
          },
          {
            crashHint: {
              typescript: "Check the request line before using its parts (a missing path or version is undefined), and give every socket an 'error' handler.",
              python: 'Check the request line before using its parts (request_line.split() may give fewer than three), and catch the exceptions of serving one client so that they never end the server.',
            },
          },
        );
      },
    },

    'many-clients': {
      title: '20 clients connected at once, their requests sent together: each gets its own file',
      points: 1,
      dependsOn: ['listens'],
      run: async (ctx) => {
        const site = makeSite(ctx);
        const files = pages(ctx, 20);
        const { address } = await serveSite(ctx, site, files);
        // One by one, each connected before the next connects: a burst of connects would also test
        // the listen() backlog (the course's listen(1) has the kernel drop most of a burst, and
        // clients wait seconds to try again), which is not what this checks.
        const clients: TcpConnection[] = [];
        for (const [i, f] of files.entries()) {
          // A moment for the server to accept() the last one: its thread may need to be woken.
          if (i > 0) await new Promise((resolve) => setTimeout(resolve, ctx.ms(20)));
          try {
            clients.push(await ctx.connect(address, { name: `client ${i + 1}: GET ${f.url}` }));
          } catch (error) {
            if (!isCheckFailure(error)) throw error;
            fail(`${error.message} ${i} clients were connected and had sent nothing yet: your server does not accept a connection while it waits for another client's request.`, {
              hint: {
                typescript: "Accept every connection as it comes, and read each with events of its own ('data'), or use node:http.",
                python: 'Serve each client in a thread of its own (threading.Thread, or ThreadingHTTPServer rather than HTTPServer): a loop that reads one client\'s request before it accepts the next leaves the others waiting in the kernel, as many as listen()\'s backlog holds.',
              },
            });
          }
        }
        await Promise.all(clients.map((client, i) => client.send(rawRequest(address, 'GET', files[i]!.url))));
        const responses = await Promise.all(clients.map((client, i) => readResponse(client, `client ${i + 1}'s GET ${files[i]!.url}`)));
        responses.forEach((response, i) => expectServed(response, files[i]!, `client ${i + 1}'s GET ${files[i]!.url}`));
      },
    },

    'slow-client': {
      title: 'while a client sends its request one byte at a time over 2 s, another client is served; then the slow one is too',
      points: 2,
      dependsOn: ['listens'],
      run: async (ctx) => {
        const site = makeSite(ctx);
        const [slowFile, quickFile] = pages(ctx, 2) as [SiteFile, SiteFile];
        const { address } = await serveSite(ctx, site, [slowFile, quickFile]);
        const raw = rawRequest(address, 'GET', slowFile.url);
        let slowDone = false;
        const slow = ctx.request(address, { raw, path: slowFile.url, segments: raw.length, pauseMs: Math.round(2000 / raw.length), name: `slow client: GET ${slowFile.url}` });
        slow.then(() => (slowDone = true), () => (slowDone = true));
        await new Promise((resolve) => setTimeout(resolve, ctx.ms(300)));
        const quick = await ctx.request(address, { path: quickFile.url, name: `quick client: GET ${quickFile.url}` });
        if (slowDone) {
          // Answered before the quick client: first what was wrong with its answer, if anything.
          expectServed(await slow, slowFile, `the slow client's GET ${slowFile.url} (sent one byte at a time)`, SLOW_HINT);
          fail('The quick client was answered only after the slow client had sent its whole request and been answered: one slow client holds up everyone.', {
            hint: {
              typescript: 'Never wait for one client before serving the next: read each connection with events (or node:http), and keep no state shared between connections.',
              python: 'Never wait for one client before serving the next: serve each connection in a thread of its own (threading.Thread, or http.server.ThreadingHTTPServer rather than HTTPServer), and keep no state shared between connections.',
            },
          });
        }
        expectServed(quick, quickFile, `the quick client's GET ${quickFile.url}`);
        const response = await slow;
        expectServed(response, slowFile, `the slow client's GET ${slowFile.url} (sent one byte at a time)`, SLOW_HINT);
      },
    },
  },
});
