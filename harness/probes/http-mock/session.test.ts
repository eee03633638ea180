import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, test } from 'vitest';
import { mockHttp } from './mock.ts';
import { describeHttpRequests, openHttpMockSession } from './session.ts';
import type { HttpMock } from './types.ts';

const POSTS = 'https://api.test/posts';
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** Runs `script` (an ES module) with the mocks preloaded, as a launch does, and returns what it printed and the log. */
async function runWith(mocks: HttpMock[], script: string) {
  const dir = await mkdtemp(path.join(tmpdir(), 'netgrade-http-'));
  dirs.push(dir);
  const session = await openHttpMockSession(mocks, { dir, owner: undefined, pathOf: (hostPath) => hostPath });
  const file = path.join(dir, 'program.mjs');
  await writeFile(file, script);
  const { stdout } = await promisify(execFile)(process.execPath, [...session.preload!.nodeArgs, file], { env: { ...session.preload!.env, PATH: process.env.PATH } });
  return { printed: stdout.trim().split('\n'), requests: await session.requests() };
}

// Posts each body in turn and prints the status, or the error, of each.
const posting = (bodies: unknown[], extra = '') => `${extra}
for (const body of ${JSON.stringify(bodies)}) {
  try {
    const response = await fetch('${POSTS}', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    console.log(response.status);
  } catch {
    console.log('error');
  }
}`;

describe('mocked HTTP with a sequence of replies', () => {
  test('the n-th matching request gets the n-th reply, and the last repeats', async () => {
    const replies = [{ status: 503 }, { error: { code: 'ECONNRESET', message: 'socket hang up' } }, { status: 201, body: { id: 7 } }];
    const { printed, requests } = await runWith([mockHttp('POST', POSTS, replies)], posting([{}, {}, {}, {}]));
    expect(printed).toEqual(['503', 'error', '201', '201']);
    expect(requests.map((r) => r.answer)).toEqual(['503', 'network error ECONNRESET', '201', '201']);
  });

  test('one reply answers every request, as before', async () => {
    const { printed, requests } = await runWith([mockHttp('POST', POSTS, { status: 200 })], posting([{}, {}]));
    expect(printed).toEqual(['200', '200']);
    expect(requests.every((r) => r.matched)).toBe(true);
  });

  test('a JSON body matches whatever its key order; one that differs is blocked and recorded with its body', async () => {
    const mock = mockHttp('POST', POSTS, [{ status: 503 }, { status: 201 }], { body: { title: 'a "b"', userId: 3 } });
    const { printed, requests } = await runWith([mock], posting([{ userId: 3, title: 'a "b"' }, { title: 'a "b"', userId: '3' }, { title: 'a "b"', userId: 3 }]));
    // The blocked request does not use up a reply of the sequence.
    expect(printed).toEqual(['503', 'error', '201']);
    expect(requests.map((r) => r.matched)).toEqual([true, false, true]);
    expect(JSON.parse(requests[1]!.body)).toEqual({ title: 'a "b"', userId: '3' });
    expect(requests[1]!.answer).toBeUndefined();
  });

  test("each request carries the time it was sent, on a clock the program's own code cannot change", async () => {
    const before = Date.now();
    const tampering = 'Date.now = () => 0; performance.now = () => 0;';
    const wait = "await new Promise((resolve) => setTimeout(resolve, 300));";
    const script = `${tampering}\n${posting([{}])}\n${wait}\n${posting([{}])}`;
    const { requests } = await runWith([mockHttp('POST', POSTS, { status: 201 })], script);
    const [first, second] = requests.map((r) => r.time);
    expect(first).toBeGreaterThanOrEqual(before);
    expect(second! - first!).toBeGreaterThanOrEqual(295);
    expect(second! - first!).toBeLessThan(5000);
  });

  test('an empty sequence is refused, naming the endpoint', () => {
    expect(() => mockHttp('POST', POSTS, [])).toThrow('mockHttp(POST, https://api.test/posts): the sequence of replies is empty');
  });
});

describe('the requests as a report shows them', () => {
  test('twenty at most, each URL cut at 300 characters, and how many more there were', () => {
    const records = Array.from({ length: 50 }, (_, i) => ({ method: 'GET', url: `https://api.example.com/${'a'.repeat(1000)}${i}`, headers: {}, body: '', matched: false, time: i }));
    const lines = describeHttpRequests(records, 0);
    expect(lines).toHaveLength(1 + 20 + 1);
    expect(lines[1]).toBe(`  GET https://api.example.com/${'a'.repeat(300 - 'https://api.example.com/'.length)}… (1025 characters) → blocked: not an endpoint of this exercise (no real network is used)`);
    expect(lines.at(-1)).toBe('  … and 30 more requests');
  });
});
