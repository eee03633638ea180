import type { HttpMock, HttpReply } from './types.ts';

/**
 * Declares a mocked endpoint from a full URL: `mockHttp('GET', 'https://host/todos/1', { status: 200, body })`,
 * or with a sequence of replies, one per matching request (the last repeats): `[{ status: 503 }, { status: 201, body }]`.
 */
export function mockHttp(method: string, url: string, reply: HttpReply | readonly HttpReply[], match: Pick<HttpMock, 'headers' | 'body'> = {}): HttpMock {
  if (Array.isArray(reply) && reply.length === 0) throw new Error(`mockHttp(${method}, ${url}): the sequence of replies is empty; give at least one.`);
  const { origin, pathname, search } = new URL(url);
  return { origin, method: method.toUpperCase(), path: `${pathname}${search}`, reply, ...match };
}
