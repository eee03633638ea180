// Where netgrade keeps what it compiles: its own JavaScript, and the exercises it loads.
import { constants } from 'node:fs';
import { access, lstat, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_CACHE = fileURLToPath(new URL('../../node_modules/.cache/netgrade/', import.meta.url));
let found;

/**
 * The package's node_modules/.cache/netgrade; where the grader may not write there (a user grading
 * with a copy of netgrade someone else installed), a folder in the temporary folder that only it
 * can write, since whatever is there runs as the grader.
 */
export function cacheDir() {
  // (Made by another user, it may be there and still not ours to write.)
  found ??= mkdir(PACKAGE_CACHE, { recursive: true })
    .then(() => access(PACKAGE_CACHE, constants.W_OK))
    .then(() => PACKAGE_CACHE, () => privateCacheIn(tmpdir()));
  return found;
}

/** This user's cache folder in `parent` (a temporary folder anyone may write to), made if need be. */
export async function privateCacheIn(parent) {
  const dir = path.join(parent, `netgrade-cache-${process.getuid?.() ?? 'user'}`);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const info = await lstat(dir);
  if (!info.isDirectory() || (process.getuid && info.uid !== process.getuid()) || (info.mode & 0o022) !== 0) {
    throw new Error(`${dir} is not a folder that only this user can write, so netgrade cannot keep its compiled code there; remove it, or make ${PACKAGE_CACHE} writable.`);
  }
  return dir;
}

/**
 * Puts what `make(dir)` writes into a fresh folder at `target`, unless `target` is there already:
 * made aside and renamed into place, so no grader ever sees half of it, and two starting at once
 * both end up using the one that landed first.
 */
export async function makeOnce(target, make) {
  if (await lstat(target).then(() => true, () => false)) return;
  const aside = `${target}.${randomUUID()}.tmp`;
  try {
    await make(aside);
    await rename(aside, target).catch((error) => {
      if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') throw error;
    });
  } finally {
    await rm(aside, { recursive: true, force: true });
  }
}

/** Writes `contents` at `file` unless it is there, the same way. */
export async function writeOnce(file, contents) {
  await makeOnce(file, async (aside) => {
    await mkdir(path.dirname(aside), { recursive: true });
    await writeFile(aside, contents);
  });
}
