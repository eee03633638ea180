import { createHmac } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { readRequestLog } from './request-log.ts';

const KEY = 'k'.repeat(64);
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

const record = (url: string) => JSON.stringify({ method: 'GET', url, headers: {}, body: '', matched: true, time: 1_700_000_000_000 });
const signed = (n: number, json: string, key = KEY) => `${n} ${createHmac('sha256', key).update(`${n} ${json}`).digest('hex')} ${json}`;

async function logOf(lines: string[]): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'netgrade-log-'));
  dirs.push(dir);
  const file = path.join(dir, 'requests.log');
  await writeFile(file, `${lines.join('\n')}\n`);
  return file;
}

describe('the request log', () => {
  test("keeps the preload's signed records in order, and none the program wrote or copied", async () => {
    const first = record('https://api.test/1');
    const second = record('https://api.test/2');
    const file = await logOf([
      record('https://forged.test/plain'),
      signed(1, first),
      `2 ${'ab'.repeat(32)} ${record('https://forged.test/made-up-signature')}`,
      signed(1, first), // a copy of a real line: out of turn
      signed(2, record('https://forged.test/other-key'), 'x'.repeat(64)),
      'not a record at all',
      signed(2, second),
    ]);
    expect((await readRequestLog(file, KEY)).map((r) => r.url)).toEqual(['https://api.test/1', 'https://api.test/2']);
  });

  test('a log that is missing or not a plain file reads as no requests', async () => {
    expect(await readRequestLog(path.join(tmpdir(), 'netgrade-no-such-log'), KEY)).toEqual([]);
    const dir = await mkdtemp(path.join(tmpdir(), 'netgrade-log-'));
    dirs.push(dir);
    expect(await readRequestLog(dir, KEY)).toEqual([]);
  });
});
