import { chmod, copyFile, link, lstat, mkdir, mkdtemp, realpath, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CheckFailure } from '../errors.ts';
import type { Confinement } from '../process/confinement.ts';
import { undoOnExit } from '../process/undo-on-exit.ts';
import { SANDBOX_GRADER_DIR, SANDBOX_WORKDIR, type SandboxMount } from '../sandbox/bwrap-args.ts';
import { openJail, type Jail } from '../sandbox/jail.ts';
import type { ProgramUser } from '../sandbox/program-user.ts';
import { buildEntry, ESBUILD_BINARY } from './build-entry.ts';
import { copyFolder } from './copy-folder.ts';
import { locateEntry } from './locate-entry.ts';
import { removeTree, removeTreeSync } from './remove-tree.ts';

// Workspaces not yet deleted, so that an interrupted grader still leaves no student's copy behind.
const liveWorkspaces = undoOnExit(removeTreeSync);

/** A submission being graded: a pristine copy of the student's folder, its build, and a fresh copy per check. */
export interface PreparedSubmission {
  /** The folder the student handed in. */
  sourceDir: string;
  entry: string;
  /** Copies and builds the submission once; fails with a student-facing message when it cannot. */
  build(): Promise<void>;
  /** A private copy for one check, with the built entry in it: nothing a program did in an earlier check is in it. */
  openCheck(): Promise<CheckWorkspace>;
  /** Deletes every copy and gives back what the submission's jail claimed. */
  dispose(): Promise<void>;
}

/** One check's copy of the submission, and how its programs are started. */
export interface CheckWorkspace {
  /** The copy (a host path); programs see it as their working folder. */
  dir: string;
  /** A folder of the grader's for files it hands the check's programs (the HTTP mocks); they may read it, not change it. */
  graderDir: string;
  /** The built entry in the copy. */
  script: string;
  confinement: Confinement;
  /** The user the check's programs run as, who owns the copy, if not the grader. */
  owner: ProgramUser | undefined;
  /** Deletes the copy and the grader's files, once the check's programs have stopped. */
  dispose(): Promise<void>;
}

/** Prepares a submission's workspace; with `sandbox`, its build and programs each run in a bubblewrap sandbox. */
export async function prepareSubmission(sourceDir: string, entry: string, options: { sandbox: boolean; ms(duration: number): number }): Promise<PreparedSubmission> {
  // A folder that is not there (it vanished mid-batch) is the grader's problem, not a student's failure.
  if (!(await stat(sourceDir).then((info) => info.isDirectory(), () => false))) throw new Error(`the submission folder ${sourceDir} does not exist`);
  const root = await mkdtemp(path.join(tmpdir(), 'netgrade-'));
  liveWorkspaces.add(root);
  const jail = await openJail(options.sandbox);
  // Without a sandbox, the program's user must pass through to its copies.
  if (!jail.sandboxed && jail.owner) await chmod(root, 0o711);
  const pristine = path.join(root, 'source');
  const modules = path.join(sourceDir, 'node_modules');
  const hasModules = await lstat(modules).then((info) => info.isDirectory(), () => false);
  const script = builtName(entry);
  let bundle: Promise<Buffer> | undefined;
  let checks = 0;

  const build = () => {
    bundle ??= (async () => {
      await locateEntry(sourceDir, entry);
      // As bytes: the folder's real name need not be UTF-8 (see student-folders.ts).
      const problems = await copyFolder(await realpath(sourceDir, { encoding: 'buffer' }), pristine, jail.owner);
      if (problems.length > 0) {
        throw new CheckFailure(`Your folder cannot be graded as it is: ${problems[0]!.file} ${problems[0]!.problem}.`, {
          details: problems.slice(0, 10).map((p) => `${p.file} ${p.problem}`),
          hint: 'The grader copies your folder and nothing outside it: replace each link with the file itself.',
        });
      }
      return buildEntry({ dir: pristine, entry, ms: options.ms, ...(await esbuildIn(jail, root, pristine)) });
    })();
    return bundle;
  };

  return {
    sourceDir,
    entry,
    build: async () => void (await build()),
    async openCheck() {
      const code = await build();
      const base = path.join(root, `check-${++checks}`);
      const dir = path.join(base, 'copy');
      const graderDir = path.join(base, 'grader');
      await copyFolder(pristine, dir, jail.owner);
      // Modes set, not left to the grader's umask: the program's user must read both.
      await mkdir(graderDir);
      await chmod(graderDir, 0o755);
      // Written by the grader into a fresh copy, where nothing of the student's has this name.
      await writeFile(path.join(dir, script), code, { flag: 'wx' });
      await chmod(path.join(dir, script), 0o644);
      if (!jail.sandboxed && hasModules) await symlink(modules, path.join(dir, 'node_modules'), 'dir');
      // The copy is the program's; the grader's folder stays the grader's (see openHttpMockSession).
      if (!jail.sandboxed && jail.owner) await chmod(base, 0o711);
      const mounts: SandboxMount[] = [{ source: graderDir, target: SANDBOX_GRADER_DIR, writable: true }];
      if (hasModules) mounts.push({ source: modules, target: `${SANDBOX_WORKDIR}/node_modules`, writable: false });
      return {
        dir,
        graderDir,
        script: path.join(dir, script),
        confinement: jail.confine({ workdir: dir, writable: true, mounts }),
        owner: jail.owner,
        dispose: () => removeTree(base),
      };
    },
    async dispose() {
      await removeTree(root);
      liveWorkspaces.delete(root);
      await jail.release();
    },
  };
}

/** `server.ts` → `.netgrade-server.mjs`, beside it: a name the copy never holds (see `isSkipped`). */
function builtName(entry: string): string {
  return path.join(path.dirname(entry), `.netgrade-${path.basename(entry, path.extname(entry))}.mjs`);
}

// esbuild where the build runs: mounted into the sandbox, or a copy the program's user can reach.
async function esbuildIn(jail: Jail, root: string, pristine: string): Promise<{ confinement: Confinement; esbuild: string }> {
  if (jail.sandboxed) {
    const esbuild = `${SANDBOX_GRADER_DIR}/esbuild`;
    return { esbuild, confinement: jail.confine({ workdir: pristine, writable: false, mounts: [{ source: ESBUILD_BINARY, target: esbuild, writable: false }] }) };
  }
  if (!jail.owner) return { esbuild: ESBUILD_BINARY, confinement: jail.confine({ workdir: pristine, writable: false }) };
  const esbuild = path.join(root, 'esbuild');
  await link(ESBUILD_BINARY, esbuild).catch(() => copyFile(ESBUILD_BINARY, esbuild));
  return { esbuild, confinement: jail.confine({ workdir: pristine, writable: false }) };
}
