import { copyFile, lchown, lstat, mkdir, readdir, readlink, symlink } from 'node:fs/promises';
import path from 'node:path';
import { formatBytes } from '../report/format.ts';
import type { ProgramUser } from '../sandbox/program-user.ts';

/** Never copied: version control is dead weight, dependencies are mounted or linked, and `.netgrade-*` names are the grader's. */
export function isSkipped(name: string): boolean {
  return name === '.git' || name === 'node_modules' || name.startsWith('.netgrade-');
}

/** How much of a submission is copied, at most; more is refused rather than cut. */
export const COPY_LIMITS = { files: 5000, bytes: 64 * 1024 * 1024, depth: 32, pathBytes: 2048 } as const;

/** What a copy refused, in the student's terms (paths relative to their folder). */
export interface CopyProblem {
  file: string;
  problem: string;
}

// Paths are handled as latin1 strings, one character per byte, and given to the file system as
// those bytes: a name that is not UTF-8 (a zip made on another system) is copied as it is.
const bytes = (file: string) => Buffer.from(file, 'latin1');
const readable = (file: string) => bytes(file).toString('utf8');

/**
 * Copies a student's folder entry by entry, refusing what a program must not get through it: a
 * link that leads outside the folder (`/etc/shadow`, a classmate's file), a FIFO or device, or
 * more than the limits. Links inside the folder are kept, made relative so that they point into
 * the copy. Everything copied belongs to `owner`, if given (the user the programs run as).
 * Returns the problems found; the copy is complete only when there are none.
 */
export async function copyFolder(from: string | Buffer, to: string, owner?: ProgramUser): Promise<CopyProblem[]> {
  const problems: CopyProblem[] = [];
  const walk: Walk = { root: (typeof from === 'string' ? Buffer.from(from) : from).toString('latin1'), owner, problems, files: 0, bytes: 0 };
  await copyEntries(walk.root, Buffer.from(to).toString('latin1'), 0, walk);
  if (overLimits(walk)) {
    problems.push({
      file: '.',
      problem: `holds ${walk.files} files and ${formatBytes(walk.bytes)}; the grader copies at most ${COPY_LIMITS.files} files and ${formatBytes(COPY_LIMITS.bytes)} (node_modules and .git are not counted)`,
    });
  }
  return problems;
}

// One copy's state: where it started, whose the copy is, and what it has found and counted so far.
interface Walk {
  root: string;
  owner: ProgramUser | undefined;
  problems: CopyProblem[];
  files: number;
  bytes: number;
}

const overLimits = (walk: Walk) => walk.files > COPY_LIMITS.files || walk.bytes > COPY_LIMITS.bytes;

async function copyEntries(dir: string, to: string, depth: number, walk: Walk): Promise<void> {
  const { root, problems } = walk;
  await mkdir(bytes(to), { recursive: true });
  await own(to, walk);
  const names = (await readdir(bytes(dir), { encoding: 'buffer' })).map((name) => name.toString('latin1')).sort();
  for (const name of names) {
    if (isSkipped(name)) continue;
    if (overLimits(walk)) return;
    const source = path.join(dir, name);
    const target = path.join(to, name);
    const relative = path.relative(root, source);
    const info = await lstat(bytes(source));
    walk.files++;
    if (relative.length > COPY_LIMITS.pathBytes) {
      problems.push({ file: `${readable(relative).slice(0, 60)}…`, problem: `has a path longer than ${COPY_LIMITS.pathBytes} bytes` });
    } else if (info.isDirectory()) {
      if (depth + 1 > COPY_LIMITS.depth) problems.push({ file: readable(relative), problem: `is nested more than ${COPY_LIMITS.depth} folders deep` });
      else await copyEntries(source, target, depth + 1, walk);
    } else if (info.isFile()) {
      walk.bytes += info.size;
      if (walk.bytes > COPY_LIMITS.bytes) continue;
      await copyFile(bytes(source), bytes(target));
      await own(target, walk);
    } else if (info.isSymbolicLink()) {
      const link = (await readlink(bytes(source), { encoding: 'buffer' })).toString('latin1');
      const destination = path.resolve(dir, link);
      const inside = path.relative(root, destination);
      if (inside.startsWith('..') || path.isAbsolute(inside)) {
        problems.push({ file: readable(relative), problem: `is a link to ${readable(link)}, outside your folder` });
      } else {
        await symlink(bytes(path.relative(dir, destination) || '.'), bytes(target));
        await own(target, walk);
      }
    } else {
      problems.push({ file: readable(relative), problem: 'is not a file, a folder or a link (a FIFO, socket or device)' });
    }
  }
}

async function own(file: string, walk: Walk): Promise<void> {
  if (walk.owner) await lchown(bytes(file), walk.owner.uid, walk.owner.gid);
}
