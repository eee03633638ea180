import { mkdtemp } from 'node:fs/promises';
import path from 'node:path';
import type { HttpMockSession } from '../probes/http-mock/session.ts';
import type { HttpMock } from '../probes/http-mock/types.ts';
import { makeAuthority, type Authority } from './authority.ts';
import { startDnsRecorder, type DnsRecorder } from './dns-recorder.ts';
import { openGateway } from './gateway.ts';
import { installNameFiles } from './names.ts';
import { installTrust } from './trust.ts';

/** A submission's private network, as the grader runs it: its names, its name server, and the grader's HTTP(S) servers. */
export interface SubmissionNetwork {
  /** Tells of the names programs look up that the exercise does not serve. */
  names: DnsRecorder;
  /**
   * Serves one launch's HTTP mocks at the network level, for a program nock cannot be loaded
   * into; `untrusted`: with certificates from an authority no program trusts (an impostor's).
   */
  serveMocks(mocks: readonly HttpMock[], options?: { untrusted?: boolean }): Promise<HttpMockSession>;
  close(): Promise<void>;
}

/**
 * Sets up the network of the submission a grading worker grades, in the worker's own mount and
 * network namespaces: `hosts` resolve to the loopback, where the grader answers HTTP and HTTPS
 * with a certificate from an authority of its own that programs trust; any other name fails.
 * `dir` is the worker's private file system.
 */
export async function openSubmissionNetwork(hosts: readonly string[], dir: string): Promise<SubmissionNetwork> {
  await installNameFiles(hosts, dir);
  const authority = hosts.length > 0 ? await makeAuthority(hosts) : undefined;
  const trustEnv = authority ? await installTrust(authority.caPem, dir) : {};
  const names = await startDnsRecorder({ served: hosts });
  // The mocks and the servers' keys: the grader's alone (0700), never in a sandbox.
  const gatewayDir = await mkdtemp(path.join(dir, 'gateway-'));
  // An impostor: the same names, signed by an authority of its own that nothing trusts.
  let impostor: Promise<Authority> | undefined;
  return {
    names,
    serveMocks: async (mocks, options = {}) => {
      const undeclared = mocks.map((mock) => new URL(mock.origin).hostname).find((host) => !hosts.includes(host));
      if (undeclared !== undefined) throw new Error(`the exercise mocks ${undeclared}, which its hosts do not declare: add it to hosts in its exercise.ts`);
      const certificates = options.untrusted ? (await (impostor ??= makeAuthority(hosts))).hosts : (authority?.hosts ?? {});
      return openGateway(mocks, { dir: gatewayDir, certificates, trustEnv });
    },
    close: () => names.close(),
  };
}
