import type { Plugin } from 'esbuild';

/** An esbuild plugin: each package in `names` (one default-exported function) is loaded at its first call. */
export function loadOnFirstCall(names: readonly string[]): Plugin;
