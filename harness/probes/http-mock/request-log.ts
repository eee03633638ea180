import { createHmac, timingSafeEqual } from 'node:crypto';
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import type { HttpRequestRecord } from './types.ts';

/** More than any honest program logs; a bigger log is read up to here. */
const MAX_LOG_BYTES = 4 * 1024 * 1024;

/**
 * Reads the request log the program wrote, keeping the records the preload signed with `key`, in
 * the preload's order. The program can write anything into the log, so it is opened without
 * following a link and without blocking on a FIFO, read only if it is a plain file, up to a cap;
 * a line that is not signed, or signed out of turn (a copy of an earlier one), is not a request
 * the program made: it can spoil its own log, never forge a request or crash, stall or steer the
 * grader with it.
 */
export async function readRequestLog(file: string, key: string): Promise<HttpRequestRecord[]> {
  const handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK).catch(() => undefined);
  if (!handle) return [];
  let text: string;
  try {
    const info = await handle.stat();
    if (!info.isFile()) return [];
    const buffer = Buffer.alloc(Math.min(info.size, MAX_LOG_BYTES));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    text = buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
  const records: HttpRequestRecord[] = [];
  for (const line of text.split('\n')) {
    const record = parseSigned(line, records.length + 1, key);
    if (record) records.push(record);
  }
  return records;
}

// `<n> <hmac> <json>`, where the hmac is of `<n> <json>` and n is the record's place in the log.
function parseSigned(line: string, expected: number, key: string): HttpRequestRecord | undefined {
  const match = /^(\d+) ([0-9a-f]{64}) (.*)$/.exec(line);
  if (!match || Number(match[1]) !== expected) return undefined;
  const mac = createHmac('sha256', key).update(`${match[1]} ${match[3]}`).digest();
  if (!timingSafeEqual(mac, Buffer.from(match[2]!, 'hex'))) return undefined;
  return parseRecord(match[3]!);
}

function parseRecord(json: string): HttpRequestRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return undefined;
  }
  const record = value as Partial<HttpRequestRecord> | null;
  const valid =
    typeof record?.method === 'string' &&
    typeof record.url === 'string' &&
    typeof record.body === 'string' &&
    typeof record.matched === 'boolean' &&
    typeof record.time === 'number' &&
    (record.answer === undefined || typeof record.answer === 'string') &&
    typeof record.headers === 'object' &&
    record.headers !== null &&
    Object.values(record.headers).every((header) => typeof header === 'string');
  return valid ? (record as HttpRequestRecord) : undefined;
}
