// `npm run soak`: grades every reference solution and fixture (hostile and attacks too) many times, as a class, with every core busy,
// and reports each verdict that ever changed. The target is zero: a flip is a bug, not a retry.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { listExerciseIds, loadExercise } from '../harness/exercise/registry.ts';
import type { Exercise } from '../harness/exercise/types.ts';
import { gradeBatch } from '../harness/run/batch.ts';
import type { GradingJob } from '../harness/run/discover.ts';
import { decideIsolation } from '../harness/sandbox/isolation.ts';

const ROUNDS = Number(process.env.SOAK_ROUNDS ?? 20);
const ROOT = path.resolve('.');

function fixtureJobs(folder: string, exercise?: string): GradingJob[] {
  const dir = path.join(ROOT, 'fixtures', folder);
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.map((name) => ({
    student: `${folder}/${name}`,
    exercise: exercise ?? (JSON.parse(readFileSync(path.join(dir, name, 'expect.json'), 'utf8')) as { exercise: string }).exercise,
    dir: path.join(dir, name),
  }));
}

// Graded as the CLI grades a class: each submission in its own network, each program in its own sandbox.
const { isolation } = await decideIsolation(undefined, true);
const ids = await listExerciseIds();
const exercises = new Map<string, Exercise>();
for (const id of ids) exercises.set(id, await loadExercise(id));
const jobs: GradingJob[] = [
  ...ids.map((id) => ({ student: `solutions/${id}`, exercise: id, dir: path.join(ROOT, 'solutions', id) })),
  ...ids.flatMap((id) => fixtureJobs(id, id)),
  ...fixtureJobs('hostile'),
  ...fixtureJobs('attacks'),
];

// A CPU hog per core, so the graded programs compete for time as on a loaded CI machine.
const hogs: ChildProcess[] = Array.from({ length: os.availableParallelism() }, () =>
  spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }),
);
const stopHogs = () => hogs.forEach((hog) => hog.kill('SIGKILL'));
process.once('exit', stopHogs);

const seen = new Map<string, Map<string, number>>();
try {
  for (let round = 1; round <= ROUNDS; round++) {
    const started = performance.now();
    const results = await gradeBatch({ jobs, exercises, seed: round, timeoutFactor: 1, submissionTimeoutMs: 300_000, isolation });
    for (const result of results) {
      const verdict = result.checks.map((c) => `${c.id}:${c.status}`).join(' ');
      const counts = seen.get(result.student) ?? new Map<string, number>();
      counts.set(verdict, (counts.get(verdict) ?? 0) + 1);
      seen.set(result.student, counts);
    }
    const flips = [...seen.values()].filter((counts) => counts.size > 1).length;
    console.log(`round ${round}/${ROUNDS}: ${results.length} gradings in ${((performance.now() - started) / 1000).toFixed(1)} s; ${flips} submissions with a changed verdict so far`);
  }
} finally {
  stopHogs();
}

const flipped = [...seen.entries()].filter(([, counts]) => counts.size > 1);
for (const [student, counts] of flipped) {
  console.log(`\nFLIP ${student}`);
  for (const [verdict, count] of counts) console.log(`  ${count}× ${verdict}`);
}
console.log(`\n${flipped.length} of ${seen.size} submissions changed verdict over ${ROUNDS} rounds.`);
process.exitCode = flipped.length === 0 ? 0 : 1;
