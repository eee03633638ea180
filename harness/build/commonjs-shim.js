// CommonJS-style code (`require`) keeps working in an ES module esbuild produces: a student's
// program, an exercise, netgrade's own bundle with its CommonJS packages. A global, not a
// `const require`, which would clash with a program that declares its own.
export const COMMONJS_SHIM =
  "import { createRequire as __netgradeCreateRequire } from 'node:module';" +
  'globalThis.require ??= __netgradeCreateRequire(import.meta.url);';
