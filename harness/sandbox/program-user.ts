import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';

/** A user to run student programs as. */
export interface ProgramUser {
  uid: number;
  gid: number;
}

let user: Promise<ProgramUser | undefined> | undefined;

/**
 * When the grader runs as root (as in CI), student programs run as `nobody`: they can write their
 * private copy and nothing else, so not the submission, the exercises, or the reports. Otherwise
 * they run as the grader's own user.
 */
export function programUser(): Promise<ProgramUser | undefined> {
  user ??= findNobody();
  return user;
}

/**
 * Whether the program's user can reach `dir`: every folder above it must let others through. If
 * not (say, a TMPDIR of mode 0700), the program runs as the grader's user instead.
 */
export async function canReach(dir: string): Promise<boolean> {
  for (let parent = path.dirname(dir); ; parent = path.dirname(parent)) {
    const { mode } = await stat(parent);
    if ((mode & 0o001) === 0) return false;
    if (parent === path.dirname(parent)) return true;
  }
}

async function findNobody(): Promise<ProgramUser | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const passwd = await readFile('/etc/passwd', 'utf8').catch(() => '');
  const line = passwd.split('\n').find((entry) => entry.startsWith('nobody:'));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (uid === undefined || gid === undefined) return undefined;
  return { uid: Number(uid), gid: Number(gid) };
}
