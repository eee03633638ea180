import { createRequire } from 'node:module';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CheckFailure } from '../errors.ts';
import type { Confinement } from '../process/confinement.ts';
import { PROGRAM_PATH } from '../process/child-env.ts';
import { spawnProcess } from '../process/spawn.ts';
import { formatBytes } from '../report/format.ts';
import { COMMONJS_SHIM } from '../build/commonjs-shim.js';

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

/** Where and how to build. */
export interface BuildOptions {
  /** The pristine copy of the submission (host path). */
  dir: string;
  entry: string;
  /** Where esbuild runs: the submission's sandbox, with the copy read-only, or as the program's user. */
  confinement: Confinement;
  /** esbuild as the confinement sees it. */
  esbuild: string;
  ms(duration: number): number;
}

/**
 * Compiles a submission's TypeScript entry (and the local files it imports) into one ES module,
 * once, so each launch is a plain `node` start rather than a TypeScript loader's. It runs with the
 * program's rights, never the grader's: reading `/etc/shadow` or a classmate's file fails as it
 * would at run time. The module comes back on stdout, for the grader to place where the entry is.
 * Packages stay external and load from the submission's own node_modules.
 */
export async function buildEntry(options: BuildOptions): Promise<Buffer> {
  const entryDir = path.join(options.dir, path.dirname(options.entry));
  // Run from the entry's folder, so the source map's paths hold wherever the module is placed beside it.
  const build = spawnProcess({
    file: options.esbuild,
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
