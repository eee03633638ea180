import { describe, expect, test } from 'vitest';
import { defineExercise, eachCase } from './define.ts';

// As a JavaScript exercise, or one compiled without type checking, gives them: no compiler said no.
const untyped = (spec: unknown) => () => defineExercise(spec as Parameters<typeof defineExercise>[0]);

describe('dependsOn', () => {
  const run = async () => {};

  test('a dependency on a check that does not exist is refused when the exercise is defined, with the checks it has', () => {
    const spec = { id: 'typo', title: 't', entry: 'server.ts', checks: { listens: { title: 'l', points: 1, run }, greets: { title: 'g', points: 1, dependsOn: ['listen'], run } } };
    expect(untyped(spec)).toThrow('Exercise "typo": check "greets" depends on "listen", which is not a check of it; its checks are listens, greets.');
  });

  test('one case of a table cannot be named: the table is, and every case of it must pass', () => {
    const temperature = eachCase({ cases: [{ id: 'whole' }, { id: 'decimal' }], caseId: (c) => c.id, title: (c) => c.id, points: 1, run: async () => {} });
    const spec = { id: 'cases', title: 't', entry: 'server.ts', checks: { temperature, summary: { title: 's', points: 1, dependsOn: ['temperature/decimal'], run } } };
    expect(untyped(spec)).toThrow('to depend on a table, name the table, "temperature" (every one of its cases must pass)');
    const exercise = defineExercise({ id: 'cases', title: 't', entry: 'server.ts', checks: { temperature, summary: { title: 's', points: 1, dependsOn: ['temperature'], run } } });
    expect(exercise.checks.find((check) => check.id === 'summary')!.dependsOn).toEqual(['compiles', 'temperature/whole', 'temperature/decimal']);
  });
});
