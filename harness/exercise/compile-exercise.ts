import { createHash } from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { BUNDLE_INDEX_URL } from '../build/bundled.ts';
import { cacheDir, writeOnce } from '../build/cache.js';
import { keepSourceUrls } from '../build/source-urls.js';
import { COMMONJS_SHIM } from '../submission/build-entry.ts';

/**
 * Compiles an exercise file, with the local files and packages it imports, into one module in the
 * cache, whose `netgrade` imports are the running bundle's (so the exercise and the grader share
 * one copy of the API), and returns its URL. Running from the sources there is nothing to do: a
 * TypeScript loader (tsx, vitest) imports the file itself, and this returns undefined.
 */
export async function compileExercise(file: string): Promise<string | undefined> {
  const api = BUNDLE_INDEX_URL;
  if (api === undefined) return undefined;
  // Loaded only here: a grading worker, given the compiled module, never needs it.
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [file],
    bundle: true,
    write: false,
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
  const out = path.join(await cacheDir(), 'exercises', `${path.basename(path.dirname(file))}-${hash}.mjs`);
  await writeOnce(out, code);
  return pathToFileURL(out).href;
}
