import { execa } from 'execa';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { removeTree } from '../submission/remove-tree.ts';
import { isInstalled } from './tools.ts';

/** Whether each submission can be graded by a worker in namespaces of its own, and if not, why. */
export type IsolationSupport = { available: true } | { available: false; reason: string };

/** The size of a worker's workspace file system: a submission's copies, and all its programs write into them. */
export const WORKSPACE_BYTES = 256 * 1024 * 1024;

// Inside the new namespaces: bring the loopback up; mount the worker's workspace (a file system
// of its own, size-capped, gone with its last process, so nothing a program writes can fill the
// disk or outlive the grading); then become the worker.
const SETUP = 'ip link set lo up && mount -t tmpfs -o "size=$NETGRADE_WORKSPACE_BYTES,mode=0711" netgrade "$TMPDIR" && exec "$0" "$@"';

let support: Promise<IsolationSupport> | undefined;

/** Tries once (per grader process) to start a command in namespaces of its own. */
export function detectIsolation(): Promise<IsolationSupport> {
  support ??= probe();
  return support;
}

/**
 * The command that runs `command` with only a loopback network, a private mount namespace whose
 * temporary folder (`TMPDIR`) is `workspace`, a tmpfs of its own.
 */
export function isolatedCommand(command: readonly string[], workspace: string): { file: string; args: string[]; env: Record<string, string> } {
  return {
    file: 'unshare',
    args: ['--net', '--mount', '--propagation', 'private', '--', 'sh', '-c', SETUP, ...command],
    env: { TMPDIR: workspace, NETGRADE_WORKSPACE_BYTES: String(WORKSPACE_BYTES) },
  };
}

async function probe(): Promise<IsolationSupport> {
  if (process.platform !== 'linux') return { available: false, reason: 'network namespaces exist only on Linux' };
  const missing = ['unshare', 'ip'].find((tool) => !isInstalled(tool));
  if (missing) return { available: false, reason: `${missing} is not installed (apt-get install util-linux iproute2)` };
  const workspace = await mkdtemp(path.join(tmpdir(), 'netgrade-probe-'));
  try {
    const { file, args, env } = isolatedCommand(['true'], workspace);
    const result = await execa(file, args, { reject: false, timeout: 5000, stdin: 'ignore', env });
    if (result.exitCode === 0) return { available: true };
    const why = String(result.stderr || result.message).split('\n')[0] ?? 'unknown error';
    return { available: false, reason: `\`unshare --net --mount\` failed: ${why}` };
  } finally {
    await removeTree(workspace);
  }
}
