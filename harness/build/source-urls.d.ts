import type { Plugin } from 'esbuild';

/** An esbuild plugin: each bundled source sees its own `import.meta.url`. */
export function keepSourceUrls(): Plugin;
