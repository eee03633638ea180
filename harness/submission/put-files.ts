import { chmod, lchown, lstat, mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ProgramUser } from '../sandbox/program-user.ts';

/**
 * Puts an exercise's files into a check's fresh copy, owned by the program's user. A folder or file
 * of the student's at one of those paths is replaced, and a link is never followed: the copy is the
 * student's, and the grader may be root.
 */
export async function putFiles(copy: string, files: Readonly<Record<string, string | Uint8Array>>, owner: ProgramUser | undefined): Promise<void> {
  for (const [name, content] of Object.entries(files)) {
    const parts = name.split('/');
    if (path.isAbsolute(name) || parts.some((part) => part === '' || part === '.' || part === '..')) {
      throw new Error(`launch({ files }): "${name}" is not a plain relative path inside the submission (write "public/index.html")`);
    }
    let dir = copy;
    for (const part of parts.slice(0, -1)) {
      dir = path.join(dir, part);
      const info = await lstat(dir).catch(() => undefined);
      if (info?.isDirectory()) continue;
      if (info) await rm(dir, { force: true });
      await mkdir(dir);
      await own(dir, 0o755, owner);
    }
    const file = path.join(copy, name);
    await rm(file, { recursive: true, force: true });
    await writeFile(file, content, { flag: 'wx' });
    await own(file, 0o644, owner);
  }
}

async function own(file: string, mode: number, owner: ProgramUser | undefined): Promise<void> {
  await chmod(file, mode);
  if (owner) await lchown(file, owner.uid, owner.gid);
}
