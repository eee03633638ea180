import { randomBytes } from 'node:crypto';
import { chmod, lchown, mkdtemp, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { HttpMock, HttpRequestRecord } from './types.ts';
import type { ProgramUser } from '../../sandbox/program-user.ts';
import { bundlePreload } from './preload-bundle.ts';
import { readRequestLog } from './request-log.ts';

/** The HTTP mocks of one launch: how the program is started with them, and what it requested. */
export interface HttpMockSession {
  /** What loads the mocks into a Node program, when they are answered inside it. */
  preload?: { nodeArgs: string[]; env: Record<string, string> };
  /** Variables any program gets with these mocks (where to find the certificates to trust). */
  env: Record<string, string>;
  /** Every request the program made so far, in order, matched or blocked. */
  requests(): Promise<HttpRequestRecord[]>;
  /** Ends what serves the mocks, if anything outside the program does (the grader's own servers). */
  close(): Promise<void>;
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

/** The files the preload reads and writes: itself, the session (the mocks and the key that signs the log), and the log. */
export interface MockFiles {
  preload: string;
  sessionFile: string;
  logFile: string;
  key: string;
}

/**
 * Writes the preload, the session and an empty request log into a new folder in `dir`, for the
 * process the preload is loaded into; `owner` (if any) alone may read the session and write the log.
 */
export async function writeMockFiles(mocks: readonly HttpMock[], dir: string, owner: ProgramUser | undefined): Promise<MockFiles> {
  const folder = await mkdtemp(path.join(dir, 'http-'));
  await chmod(folder, 0o755);
  const files = { preload: path.join(folder, 'preload.cjs'), sessionFile: path.join(folder, 'session.json'), logFile: path.join(folder, 'requests.log'), key: randomBytes(32).toString('hex') };
  await writeFile(files.preload, await bundlePreload());
  await writeFile(files.sessionFile, JSON.stringify({ key: files.key, mocks }));
  await writeFile(files.logFile, '');
  // Modes set, not left to the grader's umask: the program's user must read the preload, and it
  // alone may read the session.
  await chmod(files.preload, 0o644);
  await Promise.all([files.sessionFile, files.logFile].map((file) => chmod(file, 0o600)));
  if (owner) await Promise.all([files.sessionFile, files.logFile].map((file) => lchown(file, owner.uid, owner.gid)));
  return files;
}

/** The variables that tell the preload where its session and log are. */
export function preloadEnv(files: MockFiles, pathOf: (hostPath: string) => string = (file) => file): Record<string, string> {
  return { NETGRADE_HTTP_SESSION: pathOf(files.sessionFile), NETGRADE_HTTP_LOG: pathOf(files.logFile) };
}

/**
 * Mocks inside a Node program: the preload is loaded into it. The folder and the preload are the
 * grader's. The session file is the program's only so that the preload can empty it before the
 * program's code runs; the log is the program's to append to, and the grader keeps only the lines
 * signed with the key.
 */
export async function openHttpMockSession(mocks: readonly HttpMock[], place: HttpMockPlace): Promise<HttpMockSession> {
  const files = await writeMockFiles(mocks, place.dir, place.owner);
  return {
    preload: { nodeArgs: ['--import', place.pathOf(files.preload)], env: preloadEnv(files, place.pathOf) },
    env: {},
    requests: () => readRequestLog(files.logFile, files.key),
    close: async () => undefined,
  };
}

const MAX_REQUESTS_SHOWN = 20;
const MAX_URL_CHARS = 300;

/** The requests as transcript lines: what was asked, and whether a mock answered or it was blocked. */
export function describeHttpRequests(records: readonly HttpRequestRecord[], launchIndex: number): string[] {
  const title = `HTTP requests of your program${launchIndex > 0 ? ` (launch ${launchIndex + 1})` : ''}:`;
  if (records.length === 0) return [title, '  (none)'];
  // A program may make thousands of requests, to URLs as long as it likes: the report shows enough to see what it did.
  const shown = records.slice(0, MAX_REQUESTS_SHOWN).map((r) => {
    const url = r.url.length > MAX_URL_CHARS ? `${r.url.slice(0, MAX_URL_CHARS)}… (${r.url.length} characters)` : r.url;
    return `  ${r.method.slice(0, 20)} ${url} → ${r.matched ? `answered by the grader's mock${r.answer ? ` (${r.answer})` : ''}` : 'blocked: not an endpoint of this exercise (no real network is used)'}`;
  });
  const more = records.length - shown.length;
  return [title, ...shown, ...(more > 0 ? [`  … and ${more} more ${more === 1 ? 'request' : 'requests'}`] : [])];
}
