import http from 'node:http';
import type net from 'node:net';
import { countBytes, describeBytes } from '../assert/bytes.ts';
import { CheckFailure } from '../errors.ts';
import type { Hint } from '../language/language.ts';
import { formatSeconds } from '../report/format.ts';
import { send as sendStep, writeSegments } from './server-script.ts';
import { dial, formatAddress, type TcpTarget } from './tcp-client.ts';
import { Transcript } from './transcript.ts';
import type { InboxSettings } from './inbox.ts';

/** One request the grader sends to a student's HTTP server (or proxy). */
export interface HttpRequestOptions {
  /** `GET` when unset. */
  method?: string;
  /** The request target: `/notes.txt`, or `http://127.0.0.1:8080/x` (absolute form) for a proxy. */
  path: string;
  /** Headers to send; `Host` is the target's address unless given here. */
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /**
   * The request's bytes exactly, for what a client library refuses to send (a malformed request
   * line, a `..` path). It is still sent and answered as an HTTP exchange of `method`, so make it
   * valid HTTP/1.1 in all but what it tests (with a `Host` header: servers answer 400 without one).
   */
  raw?: string | Uint8Array;
  /** Cuts the request into this many segments sent apart (one byte each at most: a slow client). */
  segments?: number;
  /** The pause between segments (ms, before `--timeout-factor`). */
  pauseMs?: number;
  /** How long to wait for the whole response once the request is sent (ms, before `--timeout-factor`); 5 s when unset. */
  timeoutMs?: number;
  /** What the report calls this exchange; the request line when unset. */
  name?: string;
}

/** What a request gets from its check: the time scale, the log, the end, and where its connection is recorded. */
export type HttpClientSettings = InboxSettings & { record(transcript: Transcript): void };

/** A response as the grader's HTTP client (Node's, with its strict parser) read it. */
export interface HttpResponse {
  status: number;
  statusText: string;
  /** `1.1` or `1.0`. */
  httpVersion: string;
  /** Header names in lower case; repeated headers joined with `, ` (`set-cookie` too). */
  headers: Record<string, string>;
  /** The headers as the server wrote them, names and values in turn. */
  rawHeaders: string[];
  body: Buffer;
  /** The status line and headers as text, for a student's report. */
  head: string;
}

// A response the grader reads whole; a server serving a 1 MiB file sends a little more.
const MAX_BODY_BYTES = 4 * 1024 * 1024;

/**
 * Sends one request on a connection of its own and reads the response with Node's HTTP client, so
 * what passes is what real clients accept. The connection is recorded like any other; a failure
 * says what was sent, what came back, and why it is not a response.
 */
export async function sendHttpRequest(target: TcpTarget, options: HttpRequestOptions, settings: HttpClientSettings): Promise<HttpResponse> {
  const method = (options.method ?? 'GET').toUpperCase();
  const requestLine = `${method} ${options.path}`;
  const where = formatAddress(target.host, target.port);
  const timeoutMs = settings.ms(options.timeoutMs ?? 5000);
  settings.log(`sending ${options.name ?? requestLine} to ${where}`);
  const socket = await dial(target, settings.ms(2000)).catch((error: NodeJS.ErrnoException | 'timeout') => {
    throw new CheckFailure(
      error === 'timeout' ? `The connection to ${where} for ${requestLine} was not accepted within 2 s.` : `Could not connect to ${where} for ${requestLine}: ${error.code === 'ECONNREFUSED' ? 'the connection was refused' : error.message}.`,
      { hint: 'Is your server still running and listening on the port in PORT?' },
    );
  });
  const transcript = new Transcript(`HTTP exchange ${options.name ?? requestLine} from the grader (${formatAddress(socket.localAddress ?? '?', socket.localPort ?? 0)}) to ${where}:`);
  transcript.label = options.name ?? requestLine;
  settings.record(transcript);
  const received: Buffer[] = [];
  let receivedBytes = 0;
  socket.on('data', (chunk: Buffer) => {
    transcript.add({ kind: 'received', bytes: chunk });
    receivedBytes += chunk.length;
    if (received.length < 64) received.push(chunk);
  });
  socket.on('end', () => transcript.add({ kind: 'fin' }));
  // Heard here too, so a reset after the response (a server that closes on a body it never read) is shown, and never unheard.
  socket.on('error', (error: NodeJS.ErrnoException) => error.code === 'ECONNRESET' && transcript.add({ kind: 'reset' }));

  const sent = holdWrites(socket);
  let bytes: Buffer = Buffer.alloc(0);
  let failWith: (reason: NoResponse) => void = () => {};
  const abort = () => failWith(new NoResponse('the check ended first'));
  settings.signal.addEventListener('abort', abort);
  let timer: NodeJS.Timeout | undefined;
  try {
    const request = http.request({ createConnection: () => socket, method, path: rawSafePath(options), headers: { host: where, ...options.headers }, setHost: false });
    let head: http.IncomingMessage | undefined;
    const result = new Promise<HttpResponse>((resolve, reject) => {
      failWith = reject;
      request.on('error', (error: NodeJS.ErrnoException) => reject(new NoResponse(describeClientError(error, method))));
      request.on('response', (response) => {
        head = response;
        const body: Buffer[] = [];
        let length = 0;
        response.on('data', (chunk: Buffer) => {
          length += chunk.length;
          if (length > MAX_BODY_BYTES) {
            socket.destroy();
            reject(new NoResponse(`the body went on past ${countBytes(MAX_BODY_BYTES)}`));
          } else body.push(chunk);
        });
        response.on('error', (error: NodeJS.ErrnoException) => reject(new NoResponse(describeBodyError(error, length, response.headers['content-length']))));
        response.on('aborted', () => reject(new NoResponse(describeBodyError(undefined, length, response.headers['content-length']))));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            statusText: response.statusMessage ?? '',
            httpVersion: response.httpVersion,
            headers: joinHeaders(response.rawHeaders),
            rawHeaders: response.rawHeaders,
            body: Buffer.concat(body),
            head: formatHead(response),
          }),
        );
      });
    });
    result.catch(() => undefined);
    request.end(options.body === undefined ? undefined : Buffer.from(options.body));
    const written = await sent;
    bytes = options.raw === undefined ? written : Buffer.from(options.raw);
    const segments = Math.min(options.segments ?? 1, bytes.length || 1);
    await writeSegments(socket, transcript, sendStep(bytes, { segments, pauseMs: options.pauseMs ?? 0 }), settings.pause);
    // The wait is for the answer: a request dribbled over seconds has all of it once sent.
    timer = setTimeout(() => failWith(new NoResponse(describeStall(head, receivedBytes, timeoutMs), receivedBytes === 0 ? SILENT_SERVER : undefined)), timeoutMs);
    return await result;
  } catch (error) {
    if (!(error instanceof NoResponse)) throw error;
    const what = options.name ?? requestLine;
    const message = error.hint === SILENT_SERVER ? `Your server sent nothing in answer to ${what}: ${error.message}.` : `Your server's answer to ${what} is not an HTTP response: ${error.message}.`;
    throw new CheckFailure(message, {
      details: ['request sent:', ...indent(describeBytes(bytes, 600)), `received (${countBytes(receivedBytes)}):`, ...indent(receivedBytes === 0 ? '(nothing)' : describeBytes(Buffer.concat(received), 600))],
      hint: error.hint ?? 'A response is a status line (HTTP/1.1 200 OK), headers each ending in \\r\\n, an empty line, then exactly Content-Length bytes of body.',
    });
  } finally {
    clearTimeout(timer);
    settings.signal.removeEventListener('abort', abort);
    socket.destroy();
  }
}

/** Why a request got no HTTP response, and a hint when the reason calls for its own. */
class NoResponse extends Error {
  constructor(
    message: string,
    readonly hint?: Hint,
  ) {
    super(message);
  }
}

// Not a byte, the connection open: the response was never sent, or never ended.
const SILENT_SERVER: Hint = {
  typescript: "Every response must be ended, response.end(), with no body for HEAD: until then Node's http server may send nothing at all, not even the status line and headers writeHead() set.",
  python: 'Send the whole head: in a BaseHTTPRequestHandler, self.end_headers() after send_response() and send_header() (in do_HEAD too); on a socket, sendall() the status line, the headers and the empty line.',
};

/**
 * Keeps what Node's client writes on the socket instead of sending it: the grader sends those
 * bytes itself (cut into segments, or replaced by a raw request), and records them as it does.
 */
function holdWrites(socket: net.Socket): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const write = socket.write.bind(socket);
  return new Promise<Buffer>((resolve) => {
    socket.write = ((chunk: string | Uint8Array, encoding?: BufferEncoding | ((error?: Error) => void), callback?: (error?: Error) => void) => {
      const cb = typeof encoding === 'function' ? encoding : callback;
      chunks.push(typeof chunk === 'string' ? Buffer.from(chunk, typeof encoding === 'string' ? encoding : 'utf8') : Buffer.from(chunk));
      queueMicrotask(() => cb?.());
      // Node's client writes the whole request in the tick end() is called in.
      if (chunks.length === 1) {
        setImmediate(() => {
          socket.write = write;
          resolve(Buffer.concat(chunks));
        });
      }
      return true;
    }) as typeof socket.write;
  });
}

// Node's client refuses a path with spaces or control characters; a raw request carries its own.
function rawSafePath(options: HttpRequestOptions): string {
  return options.raw === undefined ? options.path : '/';
}

/** Raw header pairs as one lower-case name each, repeats joined with `, `. */
export function joinHeaders(raw: string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    headers[name] = name in headers ? `${headers[name]}, ${raw[i + 1]}` : raw[i + 1]!;
  }
  return headers;
}

function formatHead(response: http.IncomingMessage): string {
  const lines = [`HTTP/${response.httpVersion} ${response.statusCode} ${response.statusMessage ?? ''}`.trimEnd()];
  for (let i = 0; i + 1 < response.rawHeaders.length; i += 2) lines.push(`${response.rawHeaders[i]}: ${response.rawHeaders[i + 1]}`);
  return lines.join('\n');
}

function indent(text: string): string[] {
  return text.split('\n').map((line) => `  ${line}`);
}

// What Node's parser says, in a student's words (llhttp's codes: HPE_*).
function describeClientError(error: NodeJS.ErrnoException, method?: string): string {
  const code = error.code ?? '';
  if (code === 'ECONNRESET') return error.message === 'socket hang up' ? 'the connection was closed before a response came' : 'the connection was reset';
  if (code === 'HPE_INVALID_CONSTANT' || code === 'HPE_INVALID_VERSION') return 'it does not start with a status line such as "HTTP/1.1 200 OK"';
  if (code === 'HPE_INVALID_STATUS') return 'its status line has no valid three-digit status code';
  if (code === 'HPE_INVALID_HEADER_TOKEN' || code === 'HPE_INVALID_HEADER_VALUE') return 'a header line is not "Name: value"';
  if (code === 'HPE_CR_EXPECTED' || code === 'HPE_LF_EXPECTED' || code === 'HPE_STRICT') return 'a line of its head does not end with \\r\\n';
  if (code === 'HPE_UNEXPECTED_CONTENT_LENGTH' || code === 'HPE_INVALID_CONTENT_LENGTH') return 'its Content-Length header is not a single number (or comes with Transfer-Encoding)';
  // Node's client says "Data after `Connection: close`": the body ran past its Content-Length.
  if (code === 'HPE_CLOSED_CONNECTION') {
    return method === 'HEAD'
      ? 'bytes came after its head, but a response to HEAD has no body (its Content-Length is the one GET would send)'
      : 'more bytes came after the body its Content-Length announced (Content-Length must count the bytes of the body, not its characters)';
  }
  if (code === 'HPE_INVALID_CHUNK_SIZE') return 'it says Transfer-Encoding: chunked, but the body is not in chunks';
  if (code === 'HPE_INVALID_TRANSFER_ENCODING') return 'its Transfer-Encoding header is not valid';
  if (code.startsWith('HPE_')) return `Node's HTTP parser rejected it (${code}: ${error.message})`;
  return error.message;
}

function describeStall(head: http.IncomingMessage | undefined, receivedBytes: number, timeoutMs: number): string {
  const waited = formatSeconds(timeoutMs);
  if (!head) return receivedBytes === 0 ? `nothing came within ${waited}, and the connection stayed open` : `its head (the status line and headers) did not end with an empty line within ${waited}`;
  if (head.headers['content-length'] !== undefined) return `the body did not reach its Content-Length (${head.headers['content-length']}) within ${waited}`;
  if (head.headers['transfer-encoding'] === undefined) return `it has no Content-Length, so its body ends only when the connection closes, and the connection was still open after ${waited}`;
  return `the body's last chunk did not come within ${waited}`;
}

function describeBodyError(error: NodeJS.ErrnoException | undefined, got: number, contentLength: string | undefined): string {
  if (contentLength !== undefined) return `the connection closed after ${countBytes(got)} of the body, but Content-Length said ${contentLength}`;
  return error ? describeClientError(error) : `the connection closed in the middle of the body, after ${countBytes(got)}`;
}
