import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadExercise } from '../../harness/exercise/registry.ts';
import { gradeBatch } from '../../harness/run/batch.ts';
import { inShard, parseShard } from '../../harness/run/discover.ts';
import { ROOT } from '../helpers/run-grade.ts';

describe('grading a batch', () => {
  test('a submission that breaks the grader gets a row of errors, and the batch goes on', async () => {
    const exercise = await loadExercise('tcp-hello-server');
    const results = await gradeBatch({
      jobs: [
        { student: 'zed', exercise: exercise.id, dir: path.join(ROOT, 'no/such/folder') },
        { student: 'amy', exercise: exercise.id, dir: path.join(ROOT, 'solutions/tcp-hello-server') },
      ],
      exercises: new Map([[exercise.id, exercise]]),
      seed: 1,
      timeoutFactor: 1,
      submissionTimeoutMs: 60_000,
      concurrency: 2,
      isolation: { sandbox: true, network: false },
    });
    expect(results.map((r) => r.student)).toEqual(['amy', 'zed']);
    expect(results[0]!.passed).toBe(true);
    expect(new Set(results[1]!.checks.map((c) => c.status))).toEqual(new Set(['error']));
    expect(results[1]!.checks[0]!.message).toContain("not the student's fault");
  });
});

describe('sharding', () => {
  test('every student is in exactly one shard, whatever the class', () => {
    const students = Array.from({ length: 200 }, (_, i) => `student-${i}`);
    const shards = [1, 2, 3].map((index) => students.filter((s) => inShard(s, { index, count: 3 })));
    expect(shards.flat().sort()).toEqual([...students].sort());
    for (const shard of shards) expect(shard.length).toBeGreaterThan(40);
  });

  test('--shard values outside 1..n are usage errors that show the form', () => {
    expect(parseShard('2/3')).toEqual({ index: 2, count: 3 });
    for (const bad of ['0/3', '4/3', '1/0', 'a/b', '2']) expect(() => parseShard(bad)).toThrow('e.g. --shard 2/3');
  });
});
