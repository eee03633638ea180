import { createHash, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { lstat, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BUNDLE_INDEX_URL } from '../build/bundled.ts';
import { cacheDir, writeOnce } from '../build/cache.js';
import { fingerprintFiles } from '../build/fingerprint.js';
import { keepSourceUrls } from '../build/source-urls.js';
import { COMMONJS_SHIM } from '../submission/build-entry.ts';

const ESBUILD_VERSION = (createRequire(import.meta.url)('esbuild/package.json') as { version: string }).version;

/** What the cache knows of an exercise compiled before: the module, and what it was made from. */
interface CompileRecord {
  module: string;
  /** Every file that went into it, the folders above them, and the manifests there that steer resolving. */
  watched: string[];
  key: string;
}

/**
 * Compiles an exercise file, with the local files and packages it imports, into one module in the
 * cache, whose `netgrade` imports are the running bundle's (so the exercise and the grader share
 * one copy of the API), and returns its URL. While nothing it was made from has changed, the
 * module compiled before is used without starting esbuild. Running from the sources there is
 * nothing to do: a TypeScript loader (tsx, vitest) imports the file itself, and this returns undefined.
 */
export async function compileExercise(file: string): Promise<string | undefined> {
  const api = BUNDLE_INDEX_URL;
  if (api === undefined) return undefined;
  const dir = path.join(await cacheDir(), 'exercises');
  const record = path.join(dir, `${path.basename(path.dirname(file))}-${createHash('sha256').update(`${file}\0${api}\0${ESBUILD_VERSION}`).digest('hex').slice(0, 16)}.json`);
  const known = await readRecord(record);
  if (known && (await fingerprintFiles(known.watched)).key === known.key && (await exists(fileURLToPath(known.module)))) return known.module;

  // Loaded only here: a grading worker, given the compiled module, never needs it.
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [file],
    bundle: true,
    write: false,
    metafile: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: 'inline',
    banner: { js: COMMONJS_SHIM },
    logLevel: 'silent',
    plugins: [
      { name: 'netgrade-api', setup: (b) => b.onResolve({ filter: /^netgrade$/ }, () => ({ path: api, external: true })) },
      keepSourceUrls(),
    ],
  });
  const code = result.outputFiles[0]!.contents;
  const hash = createHash('sha256').update(code).digest('hex').slice(0, 16);
  const out = path.join(dir, `${path.basename(path.dirname(file))}-${hash}.mjs`);
  await writeOnce(out, code);
  const module = pathToFileURL(out).href;
  const watched = watchedFiles(Object.keys(result.metafile.inputs).map((input) => path.resolve(input)));
  const { key, settled } = await fingerprintFiles(watched);
  if (settled) await replaceFile(record, JSON.stringify({ module, watched, key } satisfies CompileRecord));
  return module;
}

// An added file can change what an import resolves to (an index.ts, a package closer to the
// importer), and a manifest what a package is: the folders from each input up to its package's
// root are watched, with the package.json and tsconfig.json each may hold. (Folders above a
// package change all the time, a home folder or /tmp, and imports do not resolve through them.)
function watchedFiles(inputs: readonly string[]): string[] {
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

async function readRecord(file: string): Promise<CompileRecord | undefined> {
  const text = await readFile(file, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    const record = JSON.parse(text) as Partial<CompileRecord>;
    return typeof record.module === 'string' && typeof record.key === 'string' && Array.isArray(record.watched) ? (record as CompileRecord) : undefined;
  } catch {
    return undefined;
  }
}

const exists = (file: string) => lstat(file).then(() => true, () => false);

// Written aside and renamed over the old one, so a grader reading it never sees half.
async function replaceFile(file: string, contents: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const aside = `${file}.${randomUUID()}.tmp`;
  await writeFile(aside, contents);
  await rename(aside, file);
}
