import { readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A user to run student programs as. */
export interface ProgramUser {
  uid: number;
  gid: number;
}

let choice: Promise<{ user: ProgramUser | undefined; notice: string | undefined }> | undefined;

/**
 * Without a sandbox, who programs run as. A root grader (as in CI) runs them as `nobody`, who can
 * write their private copy and nothing else: not the submission, the exercises or the reports.
 * If `nobody` cannot reach the copies (a TMPDIR of mode 0700) or run node (installed in a private
 * folder), they run as root instead, and `programUserNotice` says so. Otherwise they run as the
 * grader's own user.
 */
export async function programUser(): Promise<ProgramUser | undefined> {
  choice ??= choose();
  return (await choice).user;
}

/** Said once before grading, when a root grader's programs cannot run as nobody. */
export async function programUserNotice(): Promise<string | undefined> {
  choice ??= choose();
  return (await choice).notice;
}

async function choose(): Promise<{ user: ProgramUser | undefined; notice: string | undefined }> {
  const nobody = await findNobody();
  if (!nobody) return { user: undefined, notice: undefined };
  const blocked = !(await canReach(path.join(tmpdir(), 'copy')))
    ? `nobody cannot reach the temporary folder ${tmpdir()}; use a TMPDIR that others may enter (mode 755, or /tmp)`
    : !(await canReach(process.execPath)) || ((await stat(process.execPath)).mode & 0o001) === 0
      ? `nobody cannot run ${process.execPath}; install Node.js where others may run it (or install bubblewrap, which needs no such thing)`
      : undefined;
  return blocked ? { user: undefined, notice: `Note: programs will run as root, not nobody: ${blocked}.` } : { user: nobody, notice: undefined };
}

// Whether others may reach `file`: every folder above it must let them through.
async function canReach(file: string): Promise<boolean> {
  for (let parent = path.dirname(file); ; parent = path.dirname(parent)) {
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
