import { build, formatMessages, type Message } from 'esbuild';
import path from 'node:path';
import { CheckFailure } from '../errors.ts';

// CommonJS-style code (`require`, `__dirname`) keeps working in the ES module we produce.
const COMMONJS_SHIM =
  "import { createRequire as __netgradeCreateRequire } from 'node:module';" +
  'globalThis.require ??= __netgradeCreateRequire(import.meta.url);';

/**
 * Compiles a submission's TypeScript entry (and the local files it imports) into one ES module
 * beside it, once, so each launch is a plain `node` start rather than a TypeScript loader's.
 * Packages stay external and load from the submission's own node_modules.
 */
export async function buildEntry(dir: string, entry: string): Promise<string> {
  const outfile = path.join(dir, path.dirname(entry), `.netgrade-${path.basename(entry, path.extname(entry))}.mjs`);
  try {
    await build({
      absWorkingDir: dir,
      entryPoints: [entry],
      outfile,
      bundle: true,
      packages: 'external',
      platform: 'node',
      format: 'esm',
      target: 'node20',
      sourcemap: 'inline',
      banner: { js: COMMONJS_SHIM },
      define: { __dirname: 'import.meta.dirname', __filename: 'import.meta.filename' },
      logLevel: 'silent',
    });
  } catch (error) {
    const errors = (error as { errors?: Message[] }).errors;
    if (!errors?.length) throw error;
    const formatted = await formatMessages(errors, { kind: 'error', color: false, terminalWidth: 100 });
    throw new CheckFailure(`${entry} does not compile (${errors.length} ${errors.length === 1 ? 'error' : 'errors'}).`, {
      details: formatted.join('').trimEnd().split('\n'),
      hint: 'Fix the first error shown (file:line:column) and run the grader again.',
    });
  }
  return outfile;
}
