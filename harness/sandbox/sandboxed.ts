import { execa } from 'execa';
import { constants } from 'node:os';
import path from 'node:path';
import { signalQuietly, type Confinement, type LaunchCommand } from '../process/confinement.ts';
import { MAX_MEMORY_BYTES } from '../process/limits.ts';
import { listDescendants, parentOf } from '../process/proc.ts';
import { formatBytes } from '../report/format.ts';
import { joinCommand, type SubmissionCgroup } from './cgroup.ts';
import { seccompFilter } from './seccomp.ts';
import {
  bwrapOptions,
  identityFiles,
  SANDBOX_FDS,
  SANDBOX_WORKDIR,
  sandboxCommand,
  type SandboxIdentity,
  type SandboxLayout,
} from './bwrap-args.ts';

// What bubblewrap says once the sandbox's first process exists.
interface SandboxInfo {
  'child-pid': number;
  'pid-namespace': number;
}

// How long to wait for that before stopping a launch whose sandbox never said it started.
const INFO_WAIT_MS = 2000;

/**
 * A program in a bubblewrap sandbox: its own PID, mount, IPC and UTS namespaces, no keyrings and
 * no user namespaces (seccomp.ts), the system read-only, its copy at /submission, private /tmp and /dev/shm, kernel limits, and (for a root
 * grader) a uid and a memory cgroup of its submission's own. Its processes are every process in
 * its PID namespace, whatever session, parent or environment they give themselves; killing the
 * namespace's first process ends them all at once.
 */
export function sandboxConfinement(layout: SandboxLayout, identity: SandboxIdentity, cgroup?: SubmissionCgroup): Confinement {
  const files = identityFiles(identity);
  const seccomp = seccompFilter();
  return {
    pathOf: (hostPath) => sandboxPath(layout, hostPath),
    start(command: LaunchCommand) {
      const options = bwrapOptions(layout, identity, seccomp !== undefined);
      const sandboxed = sandboxCommand(identity, command.file, command.args);
      const [file, ...args] = cgroup ? joinCommand(cgroup.procs, sandboxed) : sandboxed;
      const oomKillsBefore = cgroup?.oomKills();
      const subprocess = execa(file!, args, {
        cwd: '/',
        env: command.env,
        extendEnv: false,
        stdio: [
          'ignore',
          'pipe',
          'pipe',
          new TextEncoder().encode(options.map((option) => `${option}\0`).join('')),
          'pipe',
          new TextEncoder().encode(files.passwd),
          new TextEncoder().encode(files.group),
          seccomp ?? 'ignore',
        ],
        buffer: false,
        reject: false,
        // Its own group, so a Ctrl+C on the grader's terminal reaches the grader, which stops it.
        detached: true,
        cleanup: false,
      });
      const pid = subprocess.pid;
      if (pid === undefined) throw new Error(`Could not start ${file}: the operating system gave it no process id.`);
      const info = readInfo(subprocess.stdio[SANDBOX_FDS.info]);
      let known: SandboxInfo | undefined;
      void info.then((value) => (known = value));
      const exited = () => subprocess.exitCode !== null || subprocess.signalCode !== null;
      // bubblewrap's init, while it is still the child of the bubblewrap we started: once that has
      // exited, so has the sandbox, and its init's pid may already be another process's (pids wrap
      // at 32,768), even another submission's worker.
      const init = () => (known && !exited() && parentOf(known['child-pid']) === pid ? known['child-pid'] : undefined);
      const members = () => {
        const first = init();
        // Everything in the sandbox's PID namespace is its init's descendant: orphans become its children.
        return first === undefined ? [] : listDescendants(first);
      };
      const kill = () => {
        // The namespace's first process is bubblewrap's init: when it dies, the kernel kills the rest.
        // (bubblewrap reaped and its pid free, there is nothing left to kill.)
        if (exited()) return;
        const first = init();
        signalQuietly(first ?? pid, 'SIGKILL');
      };
      return {
        subprocess,
        members,
        async terminate() {
          await Promise.race([info, new Promise((resolve) => setTimeout(resolve, INFO_WAIT_MS).unref())]);
          if (!known) return kill();
          for (const member of members()) signalQuietly(member, 'SIGTERM');
        },
        kill,
        programEnd: decodeExit,
        heldBytes: () => cgroup?.heldBytes() ?? 0,
        async limitBroken() {
          if (!cgroup || (await cgroup.oomKills()) <= (await oomKillsBefore!)) return undefined;
          return `used more than ${formatBytes(MAX_MEMORY_BYTES)} of memory and was stopped by the system`;
        },
      };
    },
  };
}

/** Where the program sees a host path: inside its copy, or among the grader's files. */
function sandboxPath(layout: SandboxLayout, hostPath: string): string {
  // The later mount wins, as it does inside the sandbox (node_modules inside /submission).
  const mounts = [{ source: layout.workdir, target: SANDBOX_WORKDIR }, ...(layout.mounts ?? [])].reverse();
  for (const { source, target } of mounts) {
    const relative = path.relative(source, hostPath);
    if (!relative.startsWith('..') && !path.isAbsolute(relative)) return path.posix.join(target, relative);
  }
  throw new Error(`${hostPath} is not visible inside the sandbox; only ${mounts.map((m) => m.source).join(', ')} are.`);
}

async function readInfo(stream: NodeJS.ReadableStream | null | undefined): Promise<SandboxInfo | undefined> {
  if (!stream) return undefined;
  let text = '';
  for await (const chunk of stream) text += String(chunk);
  try {
    return JSON.parse(text) as SandboxInfo;
  } catch {
    return undefined; // bubblewrap failed before it started the sandbox; its stderr says why
  }
}

// bubblewrap reports a program killed by signal N as exit code 128 + N, as shells do. (A program
// that itself exits with such a code is reported as killed by that signal: a rare, harmless mix-up.)
function decodeExit(code: number | null, signal: NodeJS.Signals | null): { code: number | null; signal: NodeJS.Signals | null } {
  if (signal || code === null || code <= 128) return { code, signal };
  const name = (Object.keys(constants.signals) as NodeJS.Signals[]).find((key) => constants.signals[key] === code - 128);
  return name ? { code: null, signal: name } : { code, signal };
}
