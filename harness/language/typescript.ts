import { createRequire } from 'node:module';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CheckFailure } from '../errors.ts';
import { PROGRAM_PATH } from '../process/child-env.ts';
import { spawnProcess } from '../process/spawn.ts';
import { formatBytes } from '../report/format.ts';
import { COMMONJS_SHIM } from '../build/commonjs-shim.js';
import type { BuildJob, BuiltFile, Language } from './language.ts';

/** The esbuild executable: a static binary, so it runs in a sandbox that shows it nothing but itself. */
export const ESBUILD_BINARY = createRequire(import.meta.url).resolve(`@esbuild/${process.platform}-${process.arch}/bin/esbuild`);

const FLAGS = [
  '--bundle',
  '--packages=external',
  '--platform=node',
  '--format=esm',
  '--target=node20',
  '--sourcemap=inline',
  `--banner:js=${COMMONJS_SHIM}`,
  '--define:__dirname=import.meta.dirname',
  '--define:__filename=import.meta.filename',
  '--log-level=error',
  '--color=false',
  '--log-limit=20',
];
const MAX_BUNDLE_BYTES = 32 * 1024 * 1024;
const BUILD_LIMIT_MS = 20_000;
const ERROR_LINE = /^✘ \[ERROR\]/m;

// A student's program needs little memory; 256 MB of heap lets a runaway one fail fast.
const NODE_FLAGS = ['--enable-source-maps', '--max-old-space-size=256'];

/**
 * TypeScript and JavaScript (`server.ts`, `server.js`), run by the grader's own node. The entry
 * and the local files it imports are compiled by esbuild into one ES module, once per submission,
 * so that each launch is a plain `node` start.
 */
export const typescript: Language = {
  id: 'typescript',
  name: 'TypeScript',
  extensions: ['.ts', '.js'],
  buildTools: [ESBUILD_BINARY],
  mounts: async () => [],
  build: async (job) => ({ file: { name: builtName(job.entry), bytes: await buildEntry(job), mode: 0o644 }, warnings: [] }),
  command: ({ built, preload }) => ({ file: process.execPath, args: [...NODE_FLAGS, ...(preload?.nodeArgs ?? []), built!], env: preload?.env ?? {} }),
  httpMocks: 'in-process',
  shownCommand: (entry) => `node ${entry}`,
  // Node's report of an exception nobody caught: its banner lines, and the `Node.js vX.Y.Z` footer.
  uncaught: [/^node:internal\//m, /triggerUncaughtException/, /Unhandled 'error' event/, /^Node\.js v\d+\.\d+\.\d+$/m, /\[UnhandledPromiseRejection/],
  uncaughtError(stderr) {
    if (!typescript.uncaught.some((pattern) => pattern.test(stderr))) return undefined;
    const error = /^(?:Uncaught )?([A-Z]\w*(?:Error|Exception)|Error)(?: \[\w+\])?: .*$/m.exec(stderr)?.[0];
    if (!error) return undefined;
    // The first frame in the student's own files, as the source map gives it.
    const frame = /\/submission\/((?!\.netgrade-)[^:()\s]+):(\d+):\d+/.exec(stderr.slice(stderr.indexOf(error)));
    return { error: error.trim(), ...(frame && { where: `${frame[1]}:${frame[2]}` }) };
  },
  stackFrame: /^\s+at \S.*(:\d+:\d+|\(native\)|\(<anonymous>\))/m,
  outOfMemory: [
    { pattern: /heap out of memory|Allocation failed|ERR_WORKER_OUT_OF_MEMORY/, description: 'ran out of memory (JavaScript heap out of memory)' },
    // A Buffer past the kernel's per-process data limit (a sandbox sets one): an uncaught RangeError.
    { pattern: /RangeError: Array buffer allocation failed/, description: 'ran out of memory (a Buffer could not be allocated: "Array buffer allocation failed")' },
  ],
};

/** `server.ts` → `.netgrade-server.mjs`, beside it: a name the copy never holds (see `isSkipped`). */
function builtName(entry: string): string {
  return path.join(path.dirname(entry), `.netgrade-${path.basename(entry, path.extname(entry))}.mjs`);
}

/**
 * Compiles a submission's TypeScript entry (and the local files it imports) into one ES module.
 * It runs with the program's rights, never the grader's: reading `/etc/shadow` or a classmate's
 * file fails as it would at run time. The module comes back on stdout. Packages stay external and
 * load from the submission's own node_modules.
 */
async function buildEntry(options: BuildJob): Promise<Buffer> {
  const entryDir = path.join(options.dir, path.dirname(options.entry));
  // Run from the entry's folder, so the source map's paths hold wherever the module is placed beside it.
  const build = spawnProcess({
    file: options.tools[0]!,
    args: [path.basename(options.entry), ...FLAGS],
    cwd: options.confinement.pathOf(entryDir),
    env: { PATH: PROGRAM_PATH },
    confinement: options.confinement,
    outputCapBytes: MAX_BUNDLE_BYTES,
  });
  const limitMs = options.ms(BUILD_LIMIT_MS);
  const finished = await Promise.race([build.exited, sleep(limitMs, undefined, { ref: false })]);
  const exit = await build.stop(1000);
  const errors = build.stderr.text;
  if (!finished) throw new CheckFailure(`${options.entry} did not finish compiling within ${limitMs / 1000} s.`);
  if (exit.code === 0 && build.stdout.droppedBytes === 0) return build.stdout.bytes;
  if (exit.code === 0) {
    throw new CheckFailure(`${options.entry} compiles to more than ${formatBytes(MAX_BUNDLE_BYTES)} of JavaScript, more than the grader runs.`, {
      hint: 'Do not import large data files into your program; read them at run time instead.',
    });
  }
  if (ERROR_LINE.test(errors)) {
    const count = errors.split('\n').filter((line) => ERROR_LINE.test(line)).length;
    throw new CheckFailure(`${options.entry} does not compile (${count} ${count === 1 ? 'error' : 'errors'}).`, {
      details: errors.trimEnd().split('\n'),
      hint: 'Fix the first error shown (file:line:column) and run the grader again.',
    });
  }
  const lastLines = errors.trim().split('\n').filter(Boolean).slice(-5);
  // 126 and 127: the sandbox could not run esbuild at all, which is the grader's doing.
  if (exit.code === 126 || exit.code === 127) throw new Error(`esbuild could not be started (${exit.description}): ${lastLines.join('\n') || 'no message'}`);
  // Any other end is esbuild crashing on this input (a Go stack overflow, out of memory).
  throw new CheckFailure(`The compiler (esbuild) stopped without compiling ${options.entry}: it ${exit.description}.`, {
    details: lastLines,
    hint: 'Something in your code is too big or too deeply nested to compile, e.g. a huge literal; simplify it.',
  });
}
