/** A reply a mocked endpoint gives: a response, or a network fault. */
export type HttpReply =
  | { status: number; headers?: Record<string, string>; body?: string | object; delayMs?: number }
  | { error: { code: string; message: string }; delayMs?: number };

/** One mocked HTTP endpoint, installed with nock inside the student's program. */
export interface HttpMock {
  /** Scheme, host and port: `https://jsonplaceholder.typicode.com`. */
  origin: string;
  method: string;
  path: string;
  /** Only requests with these header values match. */
  headers?: Record<string, string>;
  /** Only requests with this body match (a string, or an object compared as JSON). */
  body?: string | object;
  reply: HttpReply;
}

/** A request the student's program made, as the preloaded recorder saw it. */
export interface HttpRequestRecord {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  /** Whether a mock answered it; an unmatched request was blocked (no real network is used). */
  matched: boolean;
}
