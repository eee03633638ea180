// Compiled by `npm run typecheck`, never run: each @ts-expect-error proves a wrong spec does not compile.
import { defineExercise, eachCase } from '../../harness/index.ts';

defineExercise({
  id: 'typed',
  title: 'typed',
  entry: 'main.ts',
  checks: {
    first: { title: 'first', points: 1, run: async (ctx) => void (await ctx.launch()) },
    // A dependency on a check that does not exist is a compile error.
    // @ts-expect-error 'frist' is not a check of this exercise
    second: { title: 'second', points: 1, dependsOn: ['frist'], run: async () => {} },
    table: eachCase({
      cases: [1, 2],
      caseId: (n) => String(n),
      title: (n) => `case ${n}`,
      points: 1,
      // Table cases are typed: `n` is a number here.
      run: async (_ctx, n) => void n.toFixed(),
    }),
    builtIn: { title: 'built-in dependency', points: 1, dependsOn: ['compiles', 'table'], run: async () => {} },
  },
});

defineExercise({
  id: 'missing-fields',
  title: 'missing fields',
  entry: 'main.ts',
  checks: {
    // @ts-expect-error a check needs points
    noPoints: { title: 'no points', run: async () => {} },
  },
});

defineExercise({
  id: 'bad-table',
  title: 'bad table',
  entry: 'main.ts',
  checks: {
    ok: { title: 'ok', points: 1, run: async () => {} },
    // @ts-expect-error a table's dependencies are checked too
    table: eachCase({ cases: ['a'], caseId: (c) => c, title: (c) => c, points: 1, dependsOn: ['nope'], run: async () => {} }),
  },
});
