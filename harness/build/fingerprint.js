// Telling that what esbuild made is still what it would make, without reading its inputs, as
// git's index does: a file written, moved or replaced in any way gets a new change time (ctime),
// which no program can set back.
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { lstat, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

// A file changed again within the file system's timestamp granularity could keep its ctime; a
// fingerprint taken that soon after a change is not trusted (git calls these entries "racy").
const SETTLE_NS = 2_000_000_000n;
// What made every output: another esbuild may make another one.
const ESBUILD = createRequire(import.meta.url).resolve('esbuild/package.json');

/**
 * A fingerprint of `paths` (files or folders, missing ones included) from what the kernel knows
 * of them; `settled` is false when any changed too recently for it to be kept.
 */
export async function fingerprintFiles(paths) {
  const hash = createHash('sha256');
  const now = BigInt(Date.now()) * 1_000_000n;
  let settled = true;
  // Synchronous: a thousand stat calls through the thread pool take ten times as long.
  for (const file of paths) {
    const info = statSync(file, { bigint: true, throwIfNoEntry: false });
    if (info && now - info.ctimeNs < SETTLE_NS) settled = false;
    hash.update(`${file}\0${info ? `${info.dev}:${info.ino}:${info.mode}:${info.size}:${info.mtimeNs}:${info.ctimeNs}` : '-'}\0`);
  }
  return { key: hash.digest('hex').slice(0, 32), settled };
}

/** The output a record names, if it is there and nothing it was made from has changed since. */
export async function reuseCompiled(record) {
  const known = await readFile(record, 'utf8').then(JSON.parse, () => undefined);
  if (typeof known?.output !== 'string' || typeof known.key !== 'string' || !Array.isArray(known.watched)) return undefined;
  if ((await fingerprintFiles(known.watched)).key !== known.key) return undefined;
  return (await lstat(known.output).then(() => true, () => false)) ? known.output : undefined;
}

/**
 * Records that `output` was made from `inputs` (absolute paths, as esbuild's metafile lists them),
 * unless one changed too recently to tell a later change from it.
 */
export async function recordCompiled(record, output, inputs) {
  const watched = watchedFiles([ESBUILD, ...inputs]);
  const { key, settled } = await fingerprintFiles(watched);
  if (!settled) return;
  await mkdir(path.dirname(record), { recursive: true });
  // Written aside and renamed over the old one, so a grader reading it never sees half.
  const aside = `${record}.${randomUUID()}.tmp`;
  await writeFile(aside, JSON.stringify({ output, watched, key }));
  await rename(aside, record);
}

// An added file can change what an import resolves to (an index.ts, a package closer to the
// importer), and a manifest what a package is: the folders from each input up to its package's
// root are watched, with the package.json and tsconfig.json each may hold. (Folders above a
// package change all the time, a home folder or /tmp, and imports do not resolve through them.)
function watchedFiles(inputs) {
  const watched = new Set(inputs);
  for (const input of inputs) {
    for (let dir = path.dirname(input); !watched.has(dir); dir = path.dirname(dir)) {
      const manifest = path.join(dir, 'package.json');
      watched.add(dir).add(manifest).add(path.join(dir, 'tsconfig.json'));
      if (existsSync(manifest) || dir === path.dirname(dir)) break;
    }
  }
  return [...watched].sort();
}
