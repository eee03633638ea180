import { copyFile, lstat, mkdir, readdir, readlink, symlink } from 'node:fs/promises';
import path from 'node:path';
import { formatBytes } from '../report/format.ts';

/** Never copied: version control is dead weight, dependencies are mounted or linked, and `.netgrade-*` names are the grader's. */
export function isSkipped(name: string): boolean {
  return name === '.git' || name === 'node_modules' || name.startsWith('.netgrade-');
}

/** How much of a submission is copied, at most; more is refused rather than cut. */
export const COPY_LIMITS = { files: 5000, bytes: 64 * 1024 * 1024 } as const;

/** What a copy refused, in the student's terms (paths relative to their folder). */
export interface CopyProblem {
  file: string;
  problem: string;
}

/**
 * Copies a student's folder entry by entry, refusing what a program must not get through it: a
 * link that leads outside the folder (`/etc/shadow`, a classmate's file), a FIFO or device, or
 * more than the limits. Links inside the folder are kept, made relative so that they point into
 * the copy. Returns the problems found; the copy is complete only when there are none.
 */
export async function copyFolder(from: string, to: string): Promise<CopyProblem[]> {
  const problems: CopyProblem[] = [];
  const totals = { files: 0, bytes: 0 };
  await copyEntries(from, to, from, problems, totals);
  if (totals.files > COPY_LIMITS.files || totals.bytes > COPY_LIMITS.bytes) {
    problems.push({
      file: '.',
      problem: `holds ${totals.files} files and ${formatBytes(totals.bytes)}; the grader copies at most ${COPY_LIMITS.files} files and ${formatBytes(COPY_LIMITS.bytes)} (node_modules and .git are not counted)`,
    });
  }
  return problems;
}

async function copyEntries(dir: string, to: string, root: string, problems: CopyProblem[], totals: { files: number; bytes: number }): Promise<void> {
  await mkdir(to, { recursive: true });
  for (const name of (await readdir(dir)).sort()) {
    if (isSkipped(name)) continue;
    if (totals.files > COPY_LIMITS.files || totals.bytes > COPY_LIMITS.bytes) return;
    const source = path.join(dir, name);
    const target = path.join(to, name);
    const relative = path.relative(root, source);
    const info = await lstat(source);
    totals.files++;
    if (info.isDirectory()) {
      await copyEntries(source, target, root, problems, totals);
    } else if (info.isFile()) {
      totals.bytes += info.size;
      if (totals.bytes <= COPY_LIMITS.bytes) await copyFile(source, target);
    } else if (info.isSymbolicLink()) {
      const link = await readlink(source);
      const destination = path.resolve(dir, link);
      const inside = path.relative(root, destination);
      if (inside.startsWith('..') || path.isAbsolute(inside)) {
        problems.push({ file: relative, problem: `is a link to ${link}, outside your folder` });
      } else {
        await symlink(path.relative(dir, destination) || '.', target);
      }
    } else {
      problems.push({ file: relative, problem: 'is not a file, a folder or a link (a FIFO, socket or device)' });
    }
  }
}
