import { execa } from 'execa';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { preloadEnv, writeMockFiles, type HttpMockSession } from '../probes/http-mock/session.ts';
import { readRequestLog } from '../probes/http-mock/request-log.ts';
import type { HttpMock } from '../probes/http-mock/types.ts';
import type { HostCertificate } from './authority.ts';

const SERVER = fileURLToPath(new URL('./gateway-server.js', import.meta.url));
// A Node start and nock loaded, on a machine that may be busy.
const START_MS = 10_000;

/** Where the grader's servers run for a launch: a folder of the grader's alone, the hosts' certificates, and what a program needs to trust them. */
export interface GatewayPlace {
  dir: string;
  certificates: Record<string, HostCertificate>;
  trustEnv: Record<string, string>;
  /** Where it listens: the loopback's ports 80 and 443 on a submission's network. */
  ports?: { http: number; https: number };
}

/**
 * Serves a launch's HTTP mocks on the submission's private loopback, ports 80 and 443 (TLS with
 * the grader's certificate for each declared host), for a program in any language: the grader's
 * servers (gateway-server.js) answer each request from the same mocks, matched by nock, and log
 * it where the program cannot reach.
 */
export async function openGateway(mocks: readonly HttpMock[], place: GatewayPlace): Promise<HttpMockSession> {
  const files = await writeMockFiles(mocks, place.dir, undefined);
  const config = path.join(path.dirname(files.sessionFile), 'gateway.json');
  await writeFile(config, JSON.stringify({ address: '127.0.0.1', httpPort: place.ports?.http ?? 80, httpsPort: place.ports?.https ?? 443, hosts: place.certificates }), { mode: 0o600 });
  const server = execa(process.execPath, ['--import', files.preload, SERVER], {
    env: { ...preloadEnv(files), NETGRADE_GATEWAY: config },
    stdin: 'ignore',
    reject: false,
    forceKillAfterDelay: false,
  });
  const ready = await new Promise<boolean>((resolve) => {
    const lines = createInterface({ input: server.stdout! });
    lines.once('line', (line) => resolve(line === 'ready'));
    void server.then(() => resolve(false));
    setTimeout(() => resolve(false), START_MS).unref();
  });
  const close = async () => {
    server.kill('SIGKILL');
    await server;
  };
  if (!ready) {
    await close();
    const { stderr } = await server;
    throw new Error(`the grader's HTTP servers for this launch did not start: ${String(stderr).trim().split('\n').slice(-3).join(' ') || 'no reason given'}`);
  }
  return { env: place.trustEnv, requests: () => readRequestLog(files.logFile, files.key), close };
}
