import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PROGRAM_PATH } from '../process/child-env.ts';
import { isInstalled } from './tools.ts';
import { SANDBOX_WORKDIR } from './bwrap-args.ts';
import { sandboxConfinement } from './sandboxed.ts';

/** Whether programs can run in a bubblewrap sandbox here, and if not, why and what fixes it. */
export type SandboxSupport = { available: true } | { available: false; reason: string; fix: string };

const INSTALL = 'install bubblewrap (Debian and Ubuntu: `sudo apt-get install bubblewrap`; Fedora: `sudo dnf install bubblewrap`)';
const USER_NAMESPACES =
  'run the grader as root (`sudo`), or let unprivileged users make user namespaces: on Ubuntu 23.10 and later (GitHub\'s ubuntu-24.04 runners) ' +
  '`sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0`; on older Debian `sudo sysctl -w kernel.unprivileged_userns_clone=1`';
const CONTAINER = 'in a container, give it the rights to make namespaces (`docker run --privileged`, or GitLab\'s `privileged = true`)';

let support: Promise<SandboxSupport> | undefined;

/**
 * Starts one real sandbox, once per grader process, and says whether it worked. node runs in it
 * (its binary and libraries are found there) with `--version`, which exits before starting
 * JavaScript: the probe costs a sandbox's start, not a program's.
 */
export function detectSandbox(): Promise<SandboxSupport> {
  support ??= probe();
  return support;
}

async function probe(): Promise<SandboxSupport> {
  if (process.platform !== 'linux') return { available: false, reason: 'bubblewrap sandboxes exist only on Linux', fix: 'grade on Linux' };
  const missing = ['bwrap', 'prlimit', 'setpriv'].find((tool) => !isInstalled(tool));
  if (missing) return { available: false, reason: `${missing} is not installed`, fix: missing === 'prlimit' || missing === 'setpriv' ? 'install util-linux' : INSTALL };
  const root = process.getuid?.() === 0;
  const identity = root ? { uid: 65534, gid: 65534, privileged: true } : { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0, privileged: false };
  const dir = await mkdtemp(path.join(tmpdir(), 'netgrade-probe-'));
  try {
    const launch = sandboxConfinement({ workdir: dir, writable: false }, identity).start({
      file: process.execPath,
      args: ['--version'],
      cwd: SANDBOX_WORKDIR,
      env: { PATH: PROGRAM_PATH },
    });
    let stderr = '';
    launch.subprocess.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => launch.kill(), 10_000);
    const code = await new Promise<number | null>((resolve) => launch.subprocess.once('exit', (exitCode) => resolve(exitCode)));
    clearTimeout(timer);
    if (code === 0) return { available: true };
    const reason = `bubblewrap could not start a sandbox: ${stderr.trim().split('\n')[0] || `exit code ${code}`}`;
    return { available: false, reason, fix: root ? CONTAINER : USER_NAMESPACES };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
