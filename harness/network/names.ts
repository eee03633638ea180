import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';

/** The host name a sandbox gives itself (`bwrap --hostname`): it resolves, as a machine's own name does. */
export const SANDBOX_HOSTNAME = 'netgrade';

/**
 * The name files a submission's programs see: `localhost` and the exercise's declared hosts on
 * the loopback, the machine's own name, and for every other name the grader's recorder as the
 * only name server (and no other way to resolve: no mDNS, no systemd-resolved).
 */
export function nameFiles(hosts: readonly string[]): Record<'hosts' | 'resolv.conf' | 'nsswitch.conf', string> {
  return {
    hosts: [`127.0.0.1\tlocalhost${hosts.map((host) => ` ${host}`).join('')}`, '::1\tlocalhost ip6-localhost ip6-loopback', `127.0.1.1\t${SANDBOX_HOSTNAME}`, ''].join('\n'),
    // One try, one second: the recorder answers at once, and nothing else is there to wait for.
    'resolv.conf': 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n',
    'nsswitch.conf': 'passwd: files\ngroup: files\nhosts: files dns\nnetworks: files\nprotocols: files\nservices: files\n',
  };
}

/**
 * Puts the name files over /etc's in this process's mount namespace (a grading worker's own,
 * which every sandbox inside it inherits), written into `dir` (the worker's private file system).
 */
export async function installNameFiles(hosts: readonly string[], dir: string): Promise<void> {
  const mounts: [string, string][] = [];
  for (const [name, text] of Object.entries(nameFiles(hosts))) {
    // A system without the file (no nsswitch.conf: glibc's default is files, then dns) has nothing to cover.
    if (!existsSync(`/etc/${name}`)) continue;
    const file = path.join(dir, `etc-${name}`);
    await writeFile(file, text, { mode: 0o644 });
    mounts.push([file, `/etc/${name}`]);
  }
  await bindReadOnly(mounts);
}

/**
 * Shows each file at its target in this process's mount namespace, read-only, so nothing the
 * grader runs later could change what a program reads: one shell for them all, as a worker's
 * start is part of every submission's time.
 */
export async function bindReadOnly(mounts: readonly (readonly [string, string])[]): Promise<void> {
  if (mounts.length === 0) return;
  const script = mounts.map((_, i) => `mount --bind "$${2 * i + 1}" "$${2 * i + 2}" && mount -o remount,bind,ro "$${2 * i + 2}"`).join(' && ');
  await execa('sh', ['-c', script, 'sh', ...mounts.flat()], { stdin: 'ignore' });
}
