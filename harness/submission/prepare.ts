import { chmod, copyFile, link, lstat, mkdir, mkdtemp, realpath, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CheckFailure } from '../errors.ts';
import type { Confinement } from '../process/confinement.ts';
import { undoOnExit } from '../process/undo-on-exit.ts';
import { SANDBOX_GRADER_DIR, SANDBOX_WORKDIR, type SandboxMount } from '../sandbox/bwrap-args.ts';
import { openJail, type Jail } from '../sandbox/jail.ts';
import type { ProgramUser } from '../sandbox/program-user.ts';
import { findEntry } from '../language/find-entry.ts';
import type { BuiltFile, Language, LaunchPaths } from '../language/language.ts';
import { copyFolder } from './copy-folder.ts';
import { removeTree, removeTreeSync } from './remove-tree.ts';

// Workspaces not yet deleted, so that an interrupted grader still leaves no student's copy behind.
const liveWorkspaces = undoOnExit(removeTreeSync);

/** A submission being graded: a pristine copy of the student's folder, its build, and a fresh copy per check. */
export interface PreparedSubmission {
  /** The folder the student handed in. */
  sourceDir: string;
  /** The entry file once the build found it (`server.py`); until then, the exercise's own. */
  readonly entry: string;
  /** The language of the entry found, once the build found it. */
  readonly language: Language | undefined;
  /** Finds the entry, copies and builds the submission once; fails with a student-facing message when it cannot. Gives the compiler's warnings. */
  build(): Promise<{ warnings: readonly string[] }>;
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
  /** The command of a launch, with paths as the program sees them; `preload` loads HTTP mocks into a Node program. */
  command(preload?: LaunchPaths['preload']): { file: string; args: string[]; env: Record<string, string> };
  /** How a student would start the program: `python3 server.py`. */
  shownCommand: string;
  confinement: Confinement;
  /** The user the check's programs run as, who owns the copy, if not the grader. */
  owner: ProgramUser | undefined;
  /** Deletes the copy and the grader's files, once the check's programs have stopped. */
  dispose(): Promise<void>;
}

/** What a submission is graded as: the exercise's entry (`server.ts`) and the languages it is offered in. */
export interface EntrySpec {
  entry: string;
  languages: readonly Language[];
  /** The language to grade when the folder holds programs in several (`--language`). */
  chosen?: Language;
}

/** Prepares a submission's workspace; with `sandbox`, its build and programs each run in a bubblewrap sandbox. */
export async function prepareSubmission(sourceDir: string, spec: EntrySpec, options: { sandbox: boolean; ms(duration: number): number }): Promise<PreparedSubmission> {
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
  const stem = spec.entry.slice(0, spec.entry.length - path.extname(spec.entry).length);
  let found: { language: Language; entry: string; built: BuiltFile | undefined; warnings: readonly string[]; mounts: SandboxMount[] } | undefined;
  let building: Promise<NonNullable<typeof found>> | undefined;
  let checks = 0;

  const build = () => {
    building ??= (async () => {
      const { language, entry } = await findEntry(sourceDir, spec.languages, stem, spec.chosen);
      // The interpreter's folders outside the system's, read-only at the same paths.
      const mounts = (await language.mounts()).map((folder) => ({ source: folder, target: folder, writable: false }));
      // As bytes: the folder's real name need not be UTF-8 (see student-folders.ts).
      const problems = await copyFolder(await realpath(sourceDir, { encoding: 'buffer' }), pristine, jail.owner);
      if (problems.length > 0) {
        throw new CheckFailure(`Your folder cannot be graded as it is: ${problems[0]!.file} ${problems[0]!.problem}.`, {
          details: problems.slice(0, 10).map((p) => `${p.file} ${p.problem}`),
          hint: 'The grader copies your folder and nothing outside it: replace each link with the file itself.',
        });
      }
      const { file: built, warnings } = await language.build({ dir: pristine, entry, ms: options.ms, ...(await toolsIn(jail, root, pristine, language.buildTools, mounts)) });
      found = { language, entry, built, warnings, mounts };
      return found;
    })();
    return building;
  };

  return {
    sourceDir,
    get entry() {
      return found?.entry ?? spec.entry;
    },
    get language() {
      return found?.language;
    },
    build: async () => ({ warnings: (await build()).warnings }),
    async openCheck() {
      const { language, entry, built, mounts: runtime } = await build();
      const base = path.join(root, `check-${++checks}`);
      const dir = path.join(base, 'copy');
      const graderDir = path.join(base, 'grader');
      await copyFolder(pristine, dir, jail.owner);
      // Modes set, not left to the grader's umask: the program's user must read both.
      await mkdir(graderDir);
      await chmod(graderDir, 0o755);
      // Written by the grader into a fresh copy, where nothing of the student's has this name.
      if (built) {
        await writeFile(path.join(dir, built.name), built.bytes, { flag: 'wx' });
        await chmod(path.join(dir, built.name), built.mode);
      }
      if (!jail.sandboxed && hasModules) await symlink(modules, path.join(dir, 'node_modules'), 'dir');
      // The copy is the program's; the grader's folder stays the grader's (see openHttpMockSession).
      if (!jail.sandboxed && jail.owner) await chmod(base, 0o711);
      const mounts: SandboxMount[] = [...runtime, { source: graderDir, target: SANDBOX_GRADER_DIR, writable: true }];
      if (hasModules) mounts.push({ source: modules, target: `${SANDBOX_WORKDIR}/node_modules`, writable: false });
      const confinement = jail.confine({ workdir: dir, writable: true, mounts });
      return {
        dir,
        graderDir,
        command: (preload) => language.command({ entry: confinement.pathOf(path.join(dir, entry)), built: built && confinement.pathOf(path.join(dir, built.name)), ...(preload && { preload }) }),
        shownCommand: language.shownCommand(entry),
        confinement,
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

// The build's tools (esbuild's binary) where the build runs: mounted into the sandbox, or a copy
// the program's user can reach.
async function toolsIn(jail: Jail, root: string, pristine: string, tools: readonly string[], mounts: readonly SandboxMount[]): Promise<{ confinement: Confinement; tools: string[] }> {
  if (jail.sandboxed) {
    const placed = tools.map((tool) => ({ source: tool, target: `${SANDBOX_GRADER_DIR}/${path.basename(tool)}`, writable: false }));
    return { tools: placed.map((tool) => tool.target), confinement: jail.confine({ workdir: pristine, writable: false, mounts: [...mounts, ...placed] }) };
  }
  if (!jail.owner) return { tools: [...tools], confinement: jail.confine({ workdir: pristine, writable: false }) };
  const reachable = await Promise.all(tools.map(async (tool) => {
    const copy = path.join(root, path.basename(tool));
    await link(tool, copy).catch(() => copyFile(tool, copy));
    return copy;
  }));
  return { tools: reachable, confinement: jail.confine({ workdir: pristine, writable: false }) };
}
