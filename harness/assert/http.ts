import { CheckFailure } from '../errors.ts';
import { plural } from '../report/format.ts';
import type { HttpRequestRecord } from '../probes/http-mock/types.ts';

/**
 * Fails unless the program made exactly one request, `method` to `url`, naming what differs:
 * the scheme, the host, the path, the method, or the number of requests.
 */
export function expectOneRequest(requests: readonly HttpRequestRecord[], method: string, url: string): void {
  const wanted = `${method} ${url}`;
  if (requests.length === 0) {
    throw new CheckFailure(`Your program made no HTTP request; it should send ${wanted}.`);
  }
  const listing = requests.map((r) => `${r.method} ${r.url}`);
  const right = requests.filter((r) => r.method === method && sameUrl(r.url, url));
  if (right.length === 1 && requests.length === 1) return;
  if (right.length === 0) {
    const first = requests[0]!;
    throw new CheckFailure(`Your program ${describeDifference(first, method, url)}; it should send ${wanted}.`, {
      details: [`Requests it made: ${listing.join(', ')}`],
    });
  }
  throw new CheckFailure(`Your program made ${requests.length} requests; it should make exactly one, ${wanted}.`, {
    details: listing,
    hint: 'Send the request once: no retries, and no second call to fetch/get.',
  });
}

/**
 * Fails unless the program made exactly `count` requests, each `method` to `url` (a client that
 * must retry, or fetch a page and then what it links to): the number, or the first that differs.
 */
export function expectRequests(requests: readonly HttpRequestRecord[], count: number, method: string, url: string): void {
  const wanted = `${method} ${url}`;
  const listing = requests.map((r) => `${r.method} ${r.url}`);
  const wrong = requests.find((r) => r.method !== method || !sameUrl(r.url, url));
  if (wrong) throw new CheckFailure(`Your program ${describeDifference(wrong, method, url)}; every request should be ${wanted}.`, { details: [`Requests it made: ${listing.join(', ')}`] });
  if (requests.length !== count) {
    throw new CheckFailure(`Your program made ${plural(requests.length, 'request')} (${wanted}); it should make exactly ${count}.`, { details: listing });
  }
}

function describeDifference(request: HttpRequestRecord, method: string, url: string): string {
  const actual = parse(request.url);
  const expected = new URL(url);
  if (!actual) return `requested "${request.url}", which is not a valid URL`;
  if (actual.protocol !== expected.protocol) return `used ${actual.protocol}//, not ${expected.protocol}// (${request.url})`;
  if (actual.host !== expected.host) return `asked the host ${actual.host}, not ${expected.host}`;
  if (actual.pathname + actual.search !== expected.pathname + expected.search) {
    return `asked for ${actual.pathname}${actual.search}, not ${expected.pathname}${expected.search}`;
  }
  return `sent ${request.method}, not ${method}`;
}

function sameUrl(a: string, b: string): boolean {
  return parse(a)?.href === parse(b)?.href;
}

function parse(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}
