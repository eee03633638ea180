import { describe, expect, test } from 'vitest';
import type { HttpRequestRecord } from '../probes/http-mock/types.ts';
import { expectRequests } from './http.ts';

const request = (method: string, url: string) => ({ method, url, headers: {}, body: '', matched: true }) as unknown as HttpRequestRecord;
const URL = 'https://api.example.com/posts';

describe('expectRequests', () => {
  test('passes for exactly that many of that request', () => {
    expect(() => expectRequests([request('POST', URL), request('POST', URL)], 2, 'POST', URL)).not.toThrow();
  });

  test('fails naming the count, or the first request that differs', () => {
    expect(() => expectRequests([request('POST', URL)], 3, 'POST', URL)).toThrow('Your program made 1 request (POST https://api.example.com/posts); it should make exactly 3.');
    expect(() => expectRequests([request('POST', URL), request('GET', URL)], 2, 'POST', URL)).toThrow('Your program sent GET, not POST; every request should be POST');
  });
});
