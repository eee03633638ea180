import { rmSync } from 'node:fs';
import { cp, mkdtemp, readdir, rm, stat, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildEntry } from './build-entry.ts';
import { CheckFailure } from '../errors.ts';
import { canReach, handOver, programUser, type ProgramUser } from '../sandbox/program-user.ts';

// Never copied: version control is dead weight, and dependencies are linked, not copied.
const SKIPPED_NAMES = new Set(['.git', 'node_modules']);

// Copies not yet deleted, so that a grader that is interrupted (Ctrl+C, a closed pipe, a CI
// time limit) still leaves no student's copy behind.
const liveCopies = new Set<string>();
process.once('exit', () => {
  for (const dir of liveCopies) rmSync(dir, { recursive: true, force: true });
});

/** A private copy of a student's folder, and the build of its entry file (made once, on demand). */
export interface PreparedSubmission {
  /** The folder the student handed in. */
  sourceDir: string;
  /** The private copy the program runs in. */
  dir: string;
  entry: string;
  /** The user the program runs as (`nobody` when the grader is root), or undefined for the grader's own. */
  user: ProgramUser | undefined;
  /** The JavaScript file to run; fails with a student-facing message when the entry cannot be built. */
  build(): Promise<string>;
  /** Deletes the private copy. */
  dispose(): Promise<void>;
}

/** Copies a submission into a fresh temporary folder so a program cannot change the original. */
export async function prepareSubmission(sourceDir: string, entry: string): Promise<PreparedSubmission> {
  const dir = await mkdtemp(path.join(tmpdir(), 'netgrade-'));
  liveCopies.add(dir);
  await cp(sourceDir, dir, { recursive: true, filter: (from) => !SKIPPED_NAMES.has(path.basename(from)) });
  if (await exists(path.join(sourceDir, 'node_modules'))) {
    await symlink(path.join(sourceDir, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  }
  const nobody = await programUser();
  const user = nobody && (await canReach(dir)) ? nobody : undefined;
  if (user) await handOver(dir, user);
  let built: Promise<string> | undefined;
  return {
    sourceDir,
    dir,
    entry,
    user,
    build() {
      built ??= locateEntry(sourceDir, entry).then(() => buildEntry(dir, entry));
      return built;
    },
    async dispose() {
      await rm(dir, { recursive: true, force: true, maxRetries: 3 });
      liveCopies.delete(dir);
    },
  };
}

async function locateEntry(sourceDir: string, entry: string): Promise<void> {
  if (await exists(path.join(sourceDir, entry))) return;
  const names = await readdir(sourceDir).catch(() => [] as string[]);
  const sameName = names.find((name) => name.toLowerCase() === entry.toLowerCase());
  const asJs = entry.replace(/\.ts$/, '.js');
  let hint = `Put your program in a file named ${entry} at the top of the folder you grade.`;
  if (sameName) hint = `Found ${sameName}: file names are case-sensitive; rename it to ${entry}.`;
  else if (names.includes(asJs)) hint = `Found ${asJs}: rename it to ${entry} (TypeScript runs plain JavaScript too).`;
  const listing = names.filter((name) => !SKIPPED_NAMES.has(name)).slice(0, 12);
  throw new CheckFailure(`${entry} was not found in ${sourceDir}.`, {
    hint,
    details: [listing.length === 0 ? 'The folder is empty.' : `The folder contains: ${listing.join(', ')}`],
  });
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(() => true, () => false);
}
