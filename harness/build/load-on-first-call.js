// A package that does costly work as it loads, for a feature most runs never use, is loaded when
// its function is first called: string-width, which yargs and cliui import to lay out `--help`,
// makes an Intl.Segmenter and Unicode property regexes as it loads (30 ms of every grader start).
// esbuild runs the body of a module that is require()d at its first require, not at start.

import path from 'node:path';

const NAMESPACE = 'netgrade-load-on-first-call';

/** An esbuild plugin: each package in `names` (one default-exported function) is loaded at its first call. */
export function loadOnFirstCall(names) {
  const filter = new RegExp(`^(${names.map((name) => name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|')})$`);
  return {
    name: NAMESPACE,
    setup(build) {
      build.onResolve({ filter }, async (args) => {
        // A require() of it expects module.exports, not the stand-in's default export.
        if (args.pluginData === NAMESPACE || args.kind !== 'import-statement') return undefined;
        // The version this importer would get: two packages may depend on two versions.
        const real = await build.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: NAMESPACE });
        if (real.errors.length > 0) return { errors: real.errors };
        return { path: real.path, namespace: NAMESPACE };
      });
      build.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) => ({
        contents: `let loaded;\nexport default function (...args) {\n  loaded ??= require(${JSON.stringify(args.path)}).default;\n  return loaded(...args);\n}\n`,
        loader: 'js',
        resolveDir: path.dirname(args.path),
      }));
    },
  };
}
