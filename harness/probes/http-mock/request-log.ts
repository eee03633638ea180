import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import type { HttpRequestRecord } from './types.ts';

/** More than any honest program logs; a bigger log is read up to here. */
const MAX_LOG_BYTES = 4 * 1024 * 1024;

/**
 * Reads the request log the program wrote. The program can write anything into it, so it is
 * opened without following a link and without blocking on a FIFO, read only if it is a plain
 * file, up to a cap, and every line that is not a request record is skipped: a program can spoil
 * its own log, never crash, stall or steer the grader with it.
 */
export async function readRequestLog(file: string): Promise<HttpRequestRecord[]> {
  const handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK).catch(() => undefined);
  if (!handle) return [];
  try {
    const info = await handle.stat();
    if (!info.isFile()) return [];
    const buffer = Buffer.alloc(Math.min(info.size, MAX_LOG_BYTES));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return buffer.subarray(0, bytesRead).toString('utf8').split('\n').flatMap(parseRecord);
  } finally {
    await handle.close();
  }
}

function parseRecord(line: string): HttpRequestRecord[] {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return [];
  }
  const record = value as Partial<HttpRequestRecord> | null;
  const valid =
    typeof record?.method === 'string' &&
    typeof record.url === 'string' &&
    typeof record.body === 'string' &&
    typeof record.matched === 'boolean' &&
    typeof record.headers === 'object' &&
    record.headers !== null &&
    Object.values(record.headers).every((header) => typeof header === 'string');
  return valid ? [record as HttpRequestRecord] : [];
}
