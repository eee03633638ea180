// In a bundle every module shares one `import.meta.url`: the bundle's. netgrade and its exercises
// find files beside their sources with it (the exercises folder, an exercise's data file), so in
// a bundle each source keeps its own: esbuild defines `import.meta.url` (and `dirname`,
// `filename`) in each file as that file's, parsing it, so a string that mentions it is left alone.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const LOADERS = { '.ts': 'ts', '.mts': 'ts', '.cts': 'ts', '.tsx': 'tsx', '.js': 'js', '.mjs': 'js', '.cjs': 'js', '.jsx': 'jsx' };

/** An esbuild plugin: each bundled source sees its own `import.meta.url`. */
export function keepSourceUrls() {
  return {
    name: 'netgrade-keep-source-urls',
    setup(build) {
      build.onLoad({ filter: /\.[cm]?[jt]sx?$/ }, async (args) => {
        const source = await readFile(args.path, 'utf8');
        if (!source.includes('import.meta')) return undefined;
        const loader = LOADERS[path.extname(args.path)];
        const { transform } = await import('esbuild');
        const { code } = await transform(source, {
          loader,
          format: 'esm',
          sourcefile: args.path,
          sourcemap: 'inline',
          define: {
            'import.meta.url': JSON.stringify(pathToFileURL(args.path).href),
            'import.meta.dirname': JSON.stringify(path.dirname(args.path)),
            'import.meta.filename': JSON.stringify(args.path),
          },
        });
        return { contents: code, loader: 'js', resolveDir: path.dirname(args.path) };
      });
    },
  };
}
