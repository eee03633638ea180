import { fileURLToPath } from 'node:url';

const PRELOAD = fileURLToPath(new URL('./preload.js', import.meta.url));

let bundled: Promise<Uint8Array> | undefined;

/**
 * The preload and nock as one CommonJS file (nock's modules are CommonJS), built once per grader
 * process: a program loads it from its own sandbox or copy, needing nothing of the grader's
 * node_modules, wherever netgrade is installed.
 */
export function bundlePreload(): Promise<Uint8Array> {
  // esbuild is loaded only here: most gradings mock no HTTP, and it costs a tenth of a second to load.
  bundled ??= import('esbuild')
    .then(({ build }) => build({ entryPoints: [PRELOAD], bundle: true, platform: 'node', format: 'cjs', target: 'node20', write: false, logLevel: 'silent' }))
    .then((result) => result.outputFiles[0]!.contents);
  return bundled;
}
