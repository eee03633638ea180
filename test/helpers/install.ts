import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT } from './run-grade.ts';

/** What a run of netgrade loads from its package, beside its production dependencies. */
const PROJECT = ['bin', 'harness', 'exercises', 'solutions', 'package.json'];

/** A copy of netgrade in a folder of its own (see installNetgrade). */
export interface Install {
  /** The folder made for it, which holds `netgrade/`. */
  folder: string;
  /** The package: `<folder>/netgrade`. */
  project: string;
  /** Its `bin/grade.js`. */
  bin: string;
  /** Deletes the folder and everything in it. */
  remove(): Promise<void>;
}

export interface InstallOptions {
  /** Whose install it is: the folder and every file in it (default root, the suite's user). */
  owner?: number;
  /** The folder's mode: 0o700 (the default, as `mktemp -d`, /root or a home folder) or 0o755. */
  mode?: number;
}

/**
 * Installs a copy of this checkout's netgrade, as `npm install` lays a package out (its own files
 * and its production dependencies, no devDependencies, no cache), in a new folder in the
 * temporary folder.
 *
 * A test that grades as an ordinary user needs one: the checkout may be somewhere that user
 * cannot enter (cloned into /root or a `mktemp -d` folder, mode 0700), and a grader started in it
 * fails in confusing ways, not the way the test means. A copy, not hard links: the copy's files
 * are made readable and given to `owner`, which for hard links would change the checkout's own
 * files, and linking would touch the change time of every file the checkout's bundle was made
 * from (see harness/build/fingerprint.js), so graders running from the checkout meanwhile would
 * rebuild it. The production dependencies are about 25 MB (esbuild's binary most of it), a
 * fraction of a second to copy; `--reflink=auto` shares their blocks where the file system can.
 * The copy's node_modules/.cache starts empty, so its grader builds its own bundle: in it, or, for
 * a user who may not write there, in the run's TMPDIR (harness/build/cache.js), which runGrade
 * deletes after each run.
 */
export async function installNetgrade(options: InstallOptions = {}): Promise<Install> {
  const folder = await mkdtemp(path.join(tmpdir(), 'netgrade-install-'));
  const remove = () => rm(folder, { recursive: true, force: true });
  try {
    const project = path.join(folder, 'netgrade');
    await mkdir(project);
    // One cp for all of it; --parents makes node_modules/@scope/name under the project.
    const parts = [...PROJECT, ...(await productionDependencies())];
    await execa('cp', ['-a', '--reflink=auto', '--parents', '--target-directory', project, ...parts], { cwd: ROOT });
    // Readable by anyone and writable by its owner only, as npm installs with the usual umask 022,
    // however the checkout was made (a clone under umask 077 has files only root may read).
    await execa('chmod', ['-R', 'u+rwX,go+rX,go-w', project]);
    if (options.owner !== undefined) await execa('chown', ['-R', `${options.owner}:${options.owner}`, folder]);
    await chmod(folder, options.mode ?? 0o700);
    return { folder, project, bin: path.join(project, 'bin/grade.js'), remove };
  } catch (error) {
    await remove();
    throw error;
  }
}

// The installed packages that are not only for development, from package-lock.json: each folder
// under node_modules whose parent package is not copied already (a nested node_modules comes with
// its package). Optional ones not installed here (another platform's esbuild) are left out.
async function productionDependencies(): Promise<string[]> {
  const lock = JSON.parse(await readFile(path.join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
  const wanted = Object.entries(lock.packages)
    .filter(([location, entry]) => location.startsWith('node_modules/') && entry.dev !== true && existsSync(path.join(ROOT, location)))
    .map(([location]) => location)
    .sort();
  return wanted.filter((location) => !wanted.some((other) => location.startsWith(`${other}/`)));
}
