// netgrade's own TypeScript runs as JavaScript: bundled once with esbuild into the cache, with the
// packages it uses, so the grader and every grading worker start as plain `node` rather than
// through a TypeScript loader (which cost about a second of CPU a start), and load a few files
// rather than hundreds (execa alone is a hundred). The bundle is reused while none of the files it
// was made from has changed (see fingerprint.js); esbuild itself is loaded only to build.
import { createHash, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { readdir, rm, stat, utimes } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { cacheDir, makeOnce } from './cache.js';
import { COMMONJS_SHIM } from './commonjs-shim.js';
import { recordCompiled, reuseCompiled } from './fingerprint.js';
import { loadOnFirstCall } from './load-on-first-call.js';
import { keepSourceUrls } from './source-urls.js';

const require = createRequire(import.meta.url);

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
  return pathToFileURL(path.join(await bundled, `${entry}.mjs`)).href;
}

async function ensureBundle() {
  const cache = await cacheDir();
  // One record per copy of netgrade: a cache outside the package (in the temporary folder) may serve several.
  const record = path.join(cache, `bundle-${createHash('sha256').update(HARNESS).digest('hex').slice(0, 16)}.json`);
  const reused = await reuseCompiled(record);
  if (reused) {
    // Marked as used, so that no grader removes it as stale while a long batch still runs from it.
    await utimes(reused, new Date(), new Date()).catch(() => undefined);
    return reused;
  }
  const dir = path.join(cache, `harness-${Date.now().toString(36)}-${randomUUID().slice(0, 8)}`);
  let inputs = [];
  await makeOnce(dir, async (outdir) => {
    inputs = await bundle(outdir, pathToFileURL(path.join(dir, 'index.mjs')).href);
  });
  await recordCompiled(record, dir, inputs);
  await removeStaleBundles(cache, dir);
  return dir;
}

// Bundles no grader has started from for a day: none still running can need them.
async function removeStaleBundles(cache, current) {
  for (const name of await readdir(cache)) {
    const dir = path.join(cache, name);
    if (!name.startsWith('harness-') || dir === current) continue;
    const { mtimeMs } = await stat(dir).catch(() => ({ mtimeMs: Date.now() }));
    if (Date.now() - mtimeMs > STALE_MS) await rm(dir, { recursive: true, force: true });
  }
}

// Longer than a batch of a big class takes.
const STALE_MS = 24 * 60 * 60 * 1000;

// esbuild stays out of the bundle (it finds its binary from its package folder) and is imported by
// its path: a bundle in a cache outside the package (see cache.js) has no node_modules to find it in.
function esbuildWhereInstalled() {
  const url = pathToFileURL(require.resolve('esbuild')).href;
  return { name: 'netgrade-esbuild', setup: (build) => build.onResolve({ filter: /^esbuild$/ }, () => ({ path: url, external: true })) };
}

// Bundles the entries into `outdir`; returns every file that went into them.
async function bundle(outdir, indexUrl) {
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: Object.fromEntries(Object.entries(ENTRIES).map(([name, file]) => [name, path.join(HARNESS, file)])),
    outdir,
    // .mjs: Node need not look for a package.json nor scan the source to tell that a file is a module.
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // Its CommonJS packages call require().
    banner: { js: COMMONJS_SHIM },
    sourcemap: 'linked',
    // Stack traces need the mappings only; the sources are beside the bundle.
    sourcesContent: false,
    metafile: true,
    logLevel: 'error',
    // Exercises loaded by the bundle import `netgrade` from it, not from the TypeScript sources.
    define: { NETGRADE_INDEX_URL: JSON.stringify(indexUrl) },
    plugins: [esbuildWhereInstalled(), loadOnFirstCall(['string-width']), keepSourceUrls()],
  });
  // How the bundle is made is an input too. An input in a plugin's namespace (`namespace:path`) is
  // no file; the file it stands for is an input as well.
  return [fileURLToPath(import.meta.url), require.resolve('./load-on-first-call.js'), ...Object.keys(result.metafile.inputs).filter((input) => !/^[a-z][\w-]+:/.test(input)).map((input) => path.resolve(input))];
}
