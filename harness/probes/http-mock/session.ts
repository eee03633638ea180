import { randomBytes } from 'node:crypto';
import { chmod, lchown, mkdtemp, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { HttpMock, HttpRequestRecord } from './types.ts';
import type { ProgramUser } from '../../sandbox/program-user.ts';
import { bundlePreload } from './preload-bundle.ts';
import { readRequestLog } from './request-log.ts';

/** The HTTP mocks of one launch: how to preload them into the program, and what it requested. */
export interface HttpMockSession {
  nodeArgs: string[];
  env: Record<string, string>;
  /** Every request the program made so far, in order, matched or blocked. */
  requests(): Promise<HttpRequestRecord[]>;
}

/** Where a session's files go, and how the program sees them. */
export interface HttpMockPlace {
  /** A folder of the check's that the program can read (its /netgrade in a sandbox); the session's files go in a folder of their own in it. */
  dir: string;
  /** The user the program runs as, if not the grader's own. */
  owner: ProgramUser | undefined;
  /** The path under which the program sees a host file. */
  pathOf(hostPath: string): string;
}

/**
 * Writes the preload, the session (the mocks and the key that signs the log) and an empty request
 * log where the program reads them. The folder and the preload are the grader's. The session file
 * is the program's only so that the preload can empty it before the program's code runs; the log
 * is the program's to append to, and the grader keeps only the lines signed with the key.
 */
export async function openHttpMockSession(mocks: readonly HttpMock[], place: HttpMockPlace): Promise<HttpMockSession> {
  const dir = await mkdtemp(path.join(place.dir, 'http-'));
  await chmod(dir, 0o755);
  const preload = path.join(dir, 'preload.cjs');
  const sessionFile = path.join(dir, 'session.json');
  const logFile = path.join(dir, 'requests.log');
  const key = randomBytes(32).toString('hex');
  await writeFile(preload, await bundlePreload());
  await writeFile(sessionFile, JSON.stringify({ key, mocks }));
  await writeFile(logFile, '');
  // Modes set, not left to the grader's umask: the program's user must read the preload, and it
  // alone may read the session.
  await chmod(preload, 0o644);
  await Promise.all([sessionFile, logFile].map((file) => chmod(file, 0o600)));
  if (place.owner) await Promise.all([sessionFile, logFile].map((file) => lchown(file, place.owner!.uid, place.owner!.gid)));
  return {
    nodeArgs: ['--import', place.pathOf(preload)],
    env: { NETGRADE_HTTP_SESSION: place.pathOf(sessionFile), NETGRADE_HTTP_LOG: place.pathOf(logFile) },
    requests: () => readRequestLog(logFile, key),
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
