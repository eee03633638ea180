import { execa } from 'execa';
import { randomUUID } from 'node:crypto';
import type { ProgramUser } from '../sandbox/program-user.ts';
import { signalQuietly, type Confinement, type LaunchCommand } from './confinement.ts';
import { listProcessesWithEnv, listProcessTree } from './proc.ts';

/** The variable that marks every process a launch starts, so that none can slip away. */
const LAUNCH_MARKER = 'NETGRADE_LAUNCH';

/**
 * No sandbox: the program runs in its own process group, as `user` if given (the grader must be
 * root). Its processes are found by group, by descent, and by a marker in their environment,
 * which finds a detached, orphaned grandchild too, but not one that clears its environment.
 */
export function processGroupConfinement(user: ProgramUser | undefined): Confinement {
  return {
    pathOf: (hostPath) => hostPath,
    start(command: LaunchCommand) {
      const marker = randomUUID();
      const subprocess = execa(command.file, command.args, {
        cwd: command.cwd,
        env: { ...command.env, [LAUNCH_MARKER]: marker },
        extendEnv: false,
        stdin: 'ignore',
        buffer: false,
        reject: false,
        detached: true,
        cleanup: false,
        windowsHide: true,
        ...(user && { uid: user.uid, gid: user.gid }),
      });
      const pid = subprocess.pid;
      if (pid === undefined) {
        throw new Error(`Could not start ${command.file}${user ? ` as uid ${user.uid}` : ''}: the operating system gave it no process id (is it there, and can that user reach it? An interpreter under /root is not reachable by nobody).`);
      }
      const members = () => [...new Set([...listProcessTree(pid), ...listProcessesWithEnv(LAUNCH_MARKER, marker)])];
      const signalAll = (signal: NodeJS.Signals) => {
        const escaped = members();
        signalQuietly(-pid, signal);
        for (const member of escaped) signalQuietly(member, signal);
      };
      return {
        subprocess,
        members,
        terminate: async () => signalAll('SIGTERM'),
        kill: () => signalAll('SIGKILL'),
        programEnd: (code, signal) => ({ code, signal }),
      };
    },
  };
}
