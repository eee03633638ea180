import { createHash } from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { BUNDLE_INDEX_URL } from '../build/bundled.ts';
import { cacheDir, writeOnce } from '../build/cache.js';
import { recordCompiled, reuseCompiled } from '../build/fingerprint.js';
import { keepSourceUrls } from '../build/source-urls.js';
import { COMMONJS_SHIM } from '../build/commonjs-shim.js';

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
  const name = path.basename(path.dirname(file));
  // One record per exercise file and bundle: each bundle has its own API module to import.
  const record = path.join(dir, `${name}-${createHash('sha256').update(`${file}\0${api}`).digest('hex').slice(0, 16)}.json`);
  const reused = await reuseCompiled(record);
  if (reused) return pathToFileURL(reused).href;

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
    // Stack traces need the mappings only; the exercise's sources are where its author keeps them.
    sourcesContent: false,
    banner: { js: COMMONJS_SHIM },
    logLevel: 'silent',
    plugins: [
      { name: 'netgrade-api', setup: (b) => b.onResolve({ filter: /^netgrade$/ }, () => ({ path: api, external: true })) },
      keepSourceUrls(),
    ],
  });
  const code = result.outputFiles[0]!.contents;
  const out = path.join(dir, `${name}-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.mjs`);
  await writeOnce(out, code);
  await recordCompiled(record, out, [...Object.keys(result.metafile.inputs).map((input) => path.resolve(input))]);
  return pathToFileURL(out).href;
}
