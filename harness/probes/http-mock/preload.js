// @ts-check
// Preloaded into the student's program (`node --import`): installs the check's HTTP mocks with nock,
// blocks every other connection, and appends each request the program makes to a log file, one
// line at a time and synchronously, so the log survives process.exit() and crashes.
// Plain JavaScript: it runs before any TypeScript loader could.
import { createHmac } from 'node:crypto';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import nock from 'nock';

const sessionFile = process.env.NETGRADE_HTTP_SESSION;
const logFile = process.env.NETGRADE_HTTP_LOG;
// The variables are the grader's, not the student's.
delete process.env.NETGRADE_HTTP_SESSION;
delete process.env.NETGRADE_HTTP_LOG;

// The clock requests are timed with, taken now: the program may replace performance.now or Date.now.
const timeOrigin = performance.timeOrigin;
const monotonic = performance.now.bind(performance);
const now = () => timeOrigin + monotonic();

// Read, then emptied before the program's own code runs: it must not read the replies it is to
// ask for, nor the key that signs the log. The key lives on only in this module's scope.
const session = sessionFile ? readFileSync(sessionFile, 'utf8') : '';
if (sessionFile) writeFileSync(sessionFile, '');

if (session && logFile) {
  /** @type {{ key: string, mocks: import('./types.ts').HttpMock[] }} */
  const { key, mocks } = JSON.parse(session);
  let sequence = 0;

  // `<n> <hmac> <json>`: a line the program writes itself, or one of ours copied, fails the grader's check.
  /** @param {import('./types.ts').HttpRequestRecord} record */
  const log = (record) => {
    const n = ++sequence;
    const json = JSON.stringify({ ...record, url: normalizeUrl(record.url) });
    appendFileSync(logFile, `${n} ${createHmac('sha256', key).update(`${n} ${json}`).digest('hex')} ${json}\n`);
  };

  nock.disableNetConnect();
  for (const mock of mocks) {
    const replies = Array.isArray(mock.reply) ? mock.reply : [mock.reply];
    // nock answers with the first interceptor that matches and drops one that has answered its
    // once: each reply but the last answers once, in order, and the last one every request after.
    replies.forEach((reply, i) => {
      /** @type {import('nock').Options} */
      const options = mock.headers ? { reqheaders: mock.headers } : {};
      const scope = nock(mock.origin, options);
      if (i === replies.length - 1) scope.persist();
      answer(scope.intercept(mock.path, mock.method, mock.body), reply);
      scope.on('request', (req, matched, body) => {
        log({ method: req.method, url: `${matched.basePath}${req.path}`, headers: headersOf(req), body: String(body ?? ''), matched: true, time: now(), answer: describe(reply) });
      });
    });
  }
  nock.emitter.on('no match', (req, options, body) => {
    const request = options ?? req;
    log({ method: request.method ?? 'GET', url: urlOf(request), headers: headersOf(request), body: String(body ?? ''), matched: false, time: now() });
  });
}

/** @param {import('nock').Interceptor} interceptor @param {import('./types.ts').HttpReply} reply */
function answer(interceptor, reply) {
  const delayed = reply.delayMs ? interceptor.delay(reply.delayMs) : interceptor;
  if ('error' in reply) {
    // An Error with a code: nock 14 drops a plain object's fields for node:https requests.
    const error = Object.assign(new Error(reply.error.message), { code: reply.error.code });
    // As a real socket error reads; a stack pointing into this file would only confuse a student.
    error.stack = `Error: ${reply.error.message}`;
    delayed.replyWithError(error);
  } else {
    delayed.reply(reply.status, typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body ?? ''), reply.headers);
  }
}

/** @param {import('./types.ts').HttpReply} reply */
function describe(reply) {
  return 'error' in reply ? `network error ${reply.error.code}` : String(reply.status);
}

/** `https://host:443/x` → `https://host/x`, as a student would write it. @param {string} url */
function normalizeUrl(url) {
  try {
    return new URL(url).href;
  } catch {
    return url;
  }
}

/** @param {any} request */
function urlOf(request) {
  if (typeof request.href === 'string') return request.href;
  const proto = request.proto ?? String(request.protocol ?? 'http:').replace(/:$/, '');
  const host = request.host ?? request.hostname ?? 'localhost';
  const port = request.port && !String(host).includes(':') ? `:${request.port}` : '';
  return `${proto}://${host}${port}${request.path ?? '/'}`;
}

/** @param {any} request */
function headersOf(request) {
  const raw = typeof request.getHeaders === 'function' ? request.getHeaders() : (request.headers ?? {});
  /** @type {Record<string, string>} */
  const headers = {};
  for (const [name, value] of Object.entries(raw)) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
  return headers;
}
