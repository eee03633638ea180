import type { HttpMock, HttpReply } from './types.ts';

/** Declares a mocked endpoint from a full URL: `mockHttp('GET', 'https://host/todos/1', { status: 200, body })`. */
export function mockHttp(method: string, url: string, reply: HttpReply, match: Pick<HttpMock, 'headers' | 'body'> = {}): HttpMock {
  const { origin, pathname, search } = new URL(url);
  return { origin, method: method.toUpperCase(), path: `${pathname}${search}`, reply, ...match };
}
