import { execa } from 'execa';

/** Whether submissions can run in a private network namespace, and if not, why. */
export type IsolationSupport = { available: true } | { available: false; reason: string };

// The namespace starts with its loopback down; bring it up, then become the real command.
const ENTER = ['--net', '--', 'sh', '-c', 'ip link set lo up && exec "$0" "$@"'];

let support: Promise<IsolationSupport> | undefined;

/** Tries once (per grader process) to make a network namespace with `unshare` and `ip`. */
export function detectIsolation(): Promise<IsolationSupport> {
  support ??= probe();
  return support;
}

/** The command that runs `command` inside a fresh network namespace with only a loopback. */
export function isolatedCommand(command: readonly string[]): { file: string; args: string[] } {
  return { file: 'unshare', args: [...ENTER, ...command] };
}

async function probe(): Promise<IsolationSupport> {
  if (process.platform !== 'linux') return { available: false, reason: 'network namespaces exist only on Linux' };
  const { file, args } = isolatedCommand(['true']);
  const result = await execa(file, args, { reject: false, timeout: 5000, stdin: 'ignore' });
  if (result.exitCode === 0) return { available: true };
  const why = String(result.stderr || result.message).split('\n')[0] ?? 'unknown error';
  return { available: false, reason: `\`unshare --net\` failed: ${why}` };
}
