import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { bindReadOnly } from './names.ts';

/** The system's bundle of trusted certificates (Debian's ca-certificates), where programs look by default. */
const SYSTEM_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';

/**
 * Makes programs trust the grader's certificate authority the ordinary way: the system's bundle,
 * as this process's mount namespace (a grading worker's) shows it, gets `caPem` added. Returns the
 * variables that name the bundle, for programs that read their own (requests, curl, Node): none
 * when the system has no bundle to add to.
 */
export async function installTrust(caPem: string, dir: string): Promise<Record<string, string>> {
  if (!existsSync(SYSTEM_BUNDLE)) return {};
  const bundle = path.join(dir, 'ca-certificates.crt');
  await writeFile(bundle, `${await readFile(SYSTEM_BUNDLE, 'utf8')}\n${caPem}`, { mode: 0o644 });
  await bindReadOnly([[bundle, SYSTEM_BUNDLE]]);
  return { SSL_CERT_FILE: SYSTEM_BUNDLE, REQUESTS_CA_BUNDLE: SYSTEM_BUNDLE, CURL_CA_BUNDLE: SYSTEM_BUNDLE, NODE_EXTRA_CA_CERTS: SYSTEM_BUNDLE };
}
