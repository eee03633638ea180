// bin/index.js offers harness/index.ts's values, held to it by test/package/entry.test.ts.
export * from '../harness/index.ts';
