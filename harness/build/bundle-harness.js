// netgrade's own TypeScript runs as JavaScript: bundled once with esbuild into the cache, keyed by
// a hash of its sources, so the grader and every grading worker start as plain `node` rather than
// through a TypeScript loader (which cost about a second of CPU a start). esbuild itself is loaded
// only to build: it takes a tenth of a second, and every grading worker starts here.
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { cacheDir, makeOnce, writeOnce } from './cache.js';
import { fingerprintFiles } from './fingerprint.js';
import { keepSourceUrls } from './source-urls.js';

const ESBUILD_VERSION = createRequire(import.meta.url)('esbuild/package.json').version;

const HARNESS = fileURLToPath(new URL('..', import.meta.url));
/** The modules the bundle offers: the CLI, the worker, and the API exercises import. */
const ENTRIES = {
  main: 'cli/main.ts',
  worker: 'run/worker.ts',
  index: 'index.ts',
  'inherited-descriptors': 'process/inherited-descriptors.ts',
};

let bundled;

/** The URL of one of the bundle's modules, building the bundle first if the cache has none for these sources. */
export async function harnessModule(entry) {
  bundled ??= ensureBundle();
  return pathToFileURL(path.join(await bundled, `${entry}.js`)).href;
}

async function ensureBundle() {
  const cache = await cacheDir();
  const name = `harness-${await sourcesHash(cache)}`;
  const dir = path.join(cache, name);
  let built = false;
  await makeOnce(dir, async (outdir) => {
    await bundle(outdir, pathToFileURL(path.join(dir, 'index.js')).href);
    built = true;
  });
  if (built) await removeStaleBundles(cache, name);
  return dir;
}

// Bundles of earlier sources (and what the index knew of them), once no grader started from them can still be running.
async function removeStaleBundles(cache, current) {
  const index = path.join(cache, INDEX);
  const stale = [
    ...(await readdir(cache)).filter((name) => name.startsWith('harness-') && name !== current).map((name) => path.join(cache, name)),
    ...(await readdir(index).catch(() => [])).map((name) => path.join(index, name)),
  ];
  for (const entry of stale) {
    const { mtimeMs } = await stat(entry).catch(() => ({ mtimeMs: Date.now() }));
    if (Date.now() - mtimeMs > STALE_MS) await rm(entry, { recursive: true, force: true });
  }
}

// Longer than a batch of a big class takes.
const STALE_MS = 24 * 60 * 60 * 1000;

async function bundle(outdir, indexUrl) {
  const { build } = await import('esbuild');
  await build({
    entryPoints: Object.fromEntries(Object.entries(ENTRIES).map(([name, file]) => [name, path.join(HARNESS, file)])),
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    logLevel: 'error',
    // Exercises loaded by the bundle import `netgrade` from it, not from the TypeScript sources.
    define: { NETGRADE_INDEX_URL: JSON.stringify(indexUrl) },
    plugins: [keepSourceUrls()],
  });
}

// Where the hash of sources already read is kept, by their files' fingerprint.
const INDEX = 'source-hashes';

// Every file of the harness but its tests, by path and content, and the esbuild that bundles them.
// Reading them all at every start costs more than starting node, so the hash is kept by the
// files' fingerprint, and read from there while no file has changed.
async function sourcesHash(cache) {
  const files = (await readdir(HARNESS, { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile() && !entry.name.endsWith('.test.ts'))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
  const { key, settled } = await fingerprintFiles([HARNESS, ...files]);
  const known = path.join(cache, INDEX, `${ESBUILD_VERSION}-${key}`);
  const recorded = await readFile(known, 'utf8').catch(() => undefined);
  if (recorded) return recorded;
  const hash = createHash('sha256').update(ESBUILD_VERSION);
  for (const file of files) hash.update(`${path.relative(HARNESS, file)}\0`).update(await readFile(file)).update('\0');
  const digest = hash.digest('hex').slice(0, 16);
  if (settled) await writeOnce(known, digest);
  return digest;
}
