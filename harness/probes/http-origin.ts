import http from 'node:http';
import type net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { joinHeaders } from './http-client.ts';
import { formatAddress } from './tcp-client.ts';
import { waitUntil } from './wait-until.ts';
import { Transcript } from './transcript.ts';
import type { InboxSettings } from './inbox.ts';

/** How the grader's origin server answers one request. */
export interface OriginReply {
  /** 200 when unset. */
  status?: number;
  headers?: Record<string, string | string[]>;
  body?: string | Uint8Array;
  /** Waits this long before answering (ms, before `--timeout-factor`): a slow origin. */
  delayMs?: number;
  /** Sends the body in chunks (`Transfer-Encoding: chunked`) instead of with a `Content-Length`. */
  chunked?: boolean;
  /** Closes the connection without answering. */
  hangUp?: boolean;
}

/** A request that reached the origin, as it arrived. */
export interface OriginRequest {
  method: string;
  /** The request target exactly as sent: `/x` (origin form), or `http://host/x` if a proxy forwarded it as is. */
  target: string;
  /** The target's path and query, whichever form it came in. */
  path: string;
  httpVersion: string;
  /** Header names in lower case; repeated ones joined with `, `. */
  headers: Record<string, string>;
  /** The body so far: the request is recorded when its head arrives, so one whose body never comes is seen too. */
  body: Buffer;
  /** Whether the whole body (as its Content-Length or chunks announced) arrived. */
  complete: boolean;
  /** `performance.now()` when its head arrived, to compare with the grader's own requests. */
  at: number;
}

/** What the origin does for a path: one reply, or a reply chosen per request (`n` counts from 1 for that path). */
export type OriginRoute = OriginReply | ((request: OriginRequest, n: number) => OriginReply);

const MAX_KEPT_BODY_BYTES = 8 * 1024 * 1024;

export type OriginSettings = InboxSettings & { port: number; host?: string };

/** The grader's origin server for a proxy: real HTTP on loopback, answering each path as its route says. */
export class OriginServer {
  readonly host: string;
  readonly port: number;
  /** Every request that arrived, in order, routed or not. */
  readonly requests: OriginRequest[] = [];
  readonly transcripts: Transcript[] = [];
  #server: http.Server;
  #sockets = new Set<net.Socket>();
  #transcriptOf = new WeakMap<net.Socket, Transcript>();
  #arrived = new Set<() => void>();
  #settings: OriginSettings;

  private constructor(server: http.Server, settings: OriginSettings) {
    this.#server = server;
    this.#settings = settings;
    this.host = settings.host ?? '127.0.0.1';
    this.port = settings.port;
  }

  static async start(routes: Record<string, OriginRoute>, settings: OriginSettings): Promise<OriginServer> {
    const server = http.createServer({ keepAliveTimeout: 1000, requireHostHeader: false });
    const origin = new OriginServer(server, settings);
    server.on('connection', (socket) => origin.#record(socket));
    server.on('request', (request, response) => void origin.#answer(routes, request, response));
    // A malformed request from the program is answered as Node answers one (400) and shown on the wire.
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(origin.port, origin.host, () => resolve());
    });
    settings.log(`the grader's origin server listens on ${formatAddress(origin.host, origin.port)}`);
    return origin;
  }

  /** `http://127.0.0.1:<port><path>`: the URL a client asks a proxy for. */
  url(path: string): string {
    return `http://${formatAddress(this.host, this.port)}${path}`;
  }

  /** The requests that arrived for `path`. */
  requestsFor(path: string): OriginRequest[] {
    return this.requests.filter((request) => request.path === path);
  }

  /** Resolves once `count` requests for `path` have arrived (true), or after `timeoutMs` or at the check's end (false). */
  async waitForRequests(path: string, count: number, timeoutMs: number): Promise<boolean> {
    const limitMs = this.#settings.ms(timeoutMs);
    await waitUntil(this.#arrived, () => this.requestsFor(path).length >= count, this.#settings.patience?.(limitMs) ?? limitMs, this.#settings.signal);
    return this.requestsFor(path).length >= count;
  }

  /** What the origin received, a line per request: the details of a failure, telling a student what their program sent. */
  describeRequests(): string[] {
    if (this.requests.length === 0) return ["the grader's origin server received no request"];
    return [
      `the grader's origin server received ${this.requests.length === 1 ? '1 request' : `${this.requests.length} requests`}:`,
      ...this.requests.map((request) => {
        const body = request.complete ? (request.body.length > 0 ? `, a ${request.body.length}-byte body` : '') : `, announcing a ${request.headers['content-length'] ? `${request.headers['content-length']}-byte ` : ''}body that never came`;
        return `  ${request.method} ${request.target} HTTP/${request.httpVersion}, Host: ${request.headers.host ?? '(none)'}${body}`;
      }),
    ];
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #record(socket: net.Socket): void {
    this.#sockets.add(socket);
    socket.on('close', () => this.#sockets.delete(socket));
    const client = formatAddress(socket.remoteAddress ?? '?', socket.remotePort ?? 0);
    const transcript = new Transcript(`Connection from your program (${client}) to the grader's origin server (${formatAddress(this.host, this.port)}):`);
    transcript.label = `origin ${this.transcripts.length + 1}`;
    transcript.add({ kind: 'accepted', local: formatAddress(this.host, this.port), remote: client });
    this.transcripts.push(transcript);
    socket.on('data', (chunk: Buffer) => transcript.add({ kind: 'received', bytes: chunk }));
    socket.on('end', () => transcript.add({ kind: 'fin' }));
    socket.on('error', (error: NodeJS.ErrnoException) => error.code === 'ECONNRESET' && transcript.add({ kind: 'reset' }));
    // The origin's own close (after Connection: close, or the program's FIN) is part of the story.
    socket.on('finish', () => transcript.add({ kind: 'ended-by-grader' }));
    this.#transcriptOf.set(socket, transcript);
    // Node's server writes through write(); seen here, every byte it sends is in the conversation
    // (but the empty write that ends a response, which is no event on the wire).
    const write = socket.write.bind(socket);
    socket.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      const encoding = typeof rest[0] === 'string' ? (rest[0] as BufferEncoding) : 'utf8';
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, encoding) : Buffer.from(chunk);
      if (bytes.length > 0) transcript.add({ kind: 'sent', bytes });
      return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof socket.write;
  }

  async #answer(routes: Record<string, OriginRoute>, request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const settings = this.#settings;
    const at = performance.now();
    const target = request.url ?? '';
    const record: OriginRequest = { method: request.method ?? '', target, path: pathOf(target), httpVersion: request.httpVersion, headers: joinHeaders(request.rawHeaders), body: Buffer.alloc(0), complete: false, at };
    this.requests.push(record);
    for (const listener of this.#arrived) listener();
    const chunks: Buffer[] = [];
    let kept = 0;
    request.on('data', (chunk: Buffer) => {
      // A program that sends without end must not fill the grader's memory.
      if (kept < MAX_KEPT_BODY_BYTES) chunks.push(chunk);
      kept += chunk.length;
    });
    // The connection may close before the body it announced came: then there is no one to answer.
    record.complete = await new Promise<boolean>((resolve) => {
      request.on('end', () => resolve(true));
      request.on('error', () => resolve(false));
      request.on('close', () => resolve(request.complete));
    });
    record.body = Buffer.concat(chunks);
    if (!record.complete) return;
    const route = routes[record.path];
    const reply: OriginReply = route === undefined ? { status: 404, body: 'no such page on the origin\n' } : typeof route === 'function' ? route(record, this.requestsFor(record.path).length) : route;
    if (reply.delayMs) await settings.pause(settings.ms(reply.delayMs));
    if (reply.hangUp || settings.signal.aborted) {
      if (!request.socket.destroyed) this.#transcriptOf.get(request.socket)?.add({ kind: 'closed-by-grader' });
      request.socket.destroy();
      return;
    }
    const body = reply.body === undefined ? Buffer.alloc(0) : Buffer.from(reply.body);
    response.statusCode = reply.status ?? 200;
    for (const [name, value] of Object.entries(reply.headers ?? {})) response.setHeader(name, value);
    if (!reply.chunked) {
      response.setHeader('content-length', body.length);
      response.end(body);
      return;
    }
    // Three chunks, so a proxy that takes the first for the whole body is seen.
    const third = Math.ceil(body.length / 3);
    for (let i = 0; i < body.length; i += third) {
      response.write(body.subarray(i, i + third));
      await sleep(5);
    }
    response.end();
  }
}

function pathOf(target: string): string {
  if (target.startsWith('/')) return target;
  try {
    const url = new URL(target);
    return `${url.pathname}${url.search}`;
  } catch {
    return target;
  }
}
