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
  /** Only requests with this body match (a string, or an object compared as parsed JSON: key order and spacing do not matter, types do). */
  body?: string | object;
  /**
   * One reply for every matching request, or a sequence: the n-th matching request gets the n-th
   * reply, and every request after the last gets the last one again (so a program that retries
   * once too often is seen making one request too many, with the answer it had before).
   */
  reply: HttpReply | readonly HttpReply[];
}

/** A request the student's program made, as the preloaded recorder saw it. */
export interface HttpRequestRecord {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  /** Whether a mock answered it; an unmatched request (another endpoint, or a body that does not match) was blocked (no real network is used). */
  matched: boolean;
  /** When the program sent it, in ms since the epoch, from a clock the preload took before the program's code ran. */
  time: number;
  /** What the mock answered a matched request: `503`, or `network error ECONNRESET`. */
  answer?: string;
}
