import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HttpMock, HttpRequestRecord } from './types.ts';
import { handOver, type ProgramUser } from '../../sandbox/program-user.ts';

const PRELOAD = fileURLToPath(new URL('./preload.js', import.meta.url));

/** The HTTP mocks of one launch: how to preload them into the program, and what it requested. */
export interface HttpMockSession {
  nodeArgs: string[];
  env: Record<string, string>;
  /** Every request the program made so far, in order, matched or blocked. */
  requests(): Promise<HttpRequestRecord[]>;
  dispose(): Promise<void>;
}

/** Writes the mocks where the preloaded module reads them, in a folder of the grader's own. */
export async function openHttpMockSession(mocks: readonly HttpMock[], user?: ProgramUser): Promise<HttpMockSession> {
  const dir = await mkdtemp(path.join(tmpdir(), 'netgrade-http-'));
  const mocksFile = path.join(dir, 'mocks.json');
  const logFile = path.join(dir, 'requests.jsonl');
  await writeFile(mocksFile, JSON.stringify(mocks));
  await writeFile(logFile, '');
  // The program (maybe running as another user) reads the mocks and appends to the log.
  if (user) await handOver(dir, user);
  return {
    nodeArgs: ['--import', PRELOAD],
    env: { NETGRADE_HTTP_MOCKS: mocksFile, NETGRADE_HTTP_LOG: logFile },
    async requests() {
      const text = await readFile(logFile, 'utf8').catch(() => '');
      return text.split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as HttpRequestRecord);
    },
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}

/** The requests as transcript lines: what was asked, and whether a mock answered or it was blocked. */
export function describeHttpRequests(records: readonly HttpRequestRecord[], launchIndex: number): string[] {
  const title = `HTTP requests of your program${launchIndex > 0 ? ` (launch ${launchIndex + 1})` : ''}:`;
  if (records.length === 0) return [title, '  (none)'];
  return [
    title,
    ...records.map((r) => `  ${r.method} ${r.url} → ${r.matched ? "answered by the grader's mock" : 'blocked: not an endpoint of this exercise (no real network is used)'}`),
  ];
}
