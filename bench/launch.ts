// `npm run bench`: what one launch of a student program costs, and what grading a submission costs.
// Speed targets live here, not in tests: numbers depend on the machine.
import { execa } from 'execa';
import { createRequire } from 'node:module';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadExercise } from '../harness/exercise/registry.ts';
import { gradeSubmission } from '../harness/run/grade.ts';
import { findListener } from '../harness/process/listening.ts';
import { allocatePort } from '../harness/process/ports.ts';
import { prepareSubmission } from '../harness/submission/prepare.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
const SOLUTION = path.resolve('solutions/tcp-hello-server');
const TSX_CLI = createRequire(import.meta.url).resolve('tsx/cli');

/** Milliseconds from spawning `node args...` until it listens on PORT. */
async function timeToListen(args: string[], cwd: string): Promise<number> {
  const port = await allocatePort();
  const started = performance.now();
  const child = execa(process.execPath, args, { cwd, env: { PORT: String(port), PATH: process.env.PATH }, reject: false, detached: true });
  while (findListener(child.pid!, port, { lookForOtherPorts: false }).kind !== 'listening') await sleep(2);
  const elapsed = performance.now() - started;
  process.kill(-child.pid!, 'SIGKILL');
  await child;
  return elapsed;
}

function summarize(label: string, samples: number[]): void {
  const sorted = [...samples].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  console.log(`${label.padEnd(44)} median ${median.toFixed(0).padStart(5)} ms   min ${sorted[0]!.toFixed(0).padStart(5)} ms   max ${sorted.at(-1)!.toFixed(0).padStart(5)} ms`);
}

const submission = await prepareSubmission(SOLUTION, 'server.ts');
try {
  const buildStarted = performance.now();
  const script = await submission.build();
  console.log(`one-time esbuild build of server.ts: ${(performance.now() - buildStarted).toFixed(0)} ms`);
  const built: number[] = [];
  const tsx: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    built.push(await timeToListen(['--enable-source-maps', script], submission.dir));
    tsx.push(await timeToListen([TSX_CLI, 'server.ts'], submission.dir));
  }
  summarize('launch to listening, built once (netgrade)', built);
  summarize('launch to listening, tsx loader each time', tsx);
} finally {
  await submission.dispose();
}

const exercise = await loadExercise('tcp-hello-server');
const grades: number[] = [];
for (let i = 0; i < Math.max(3, ROUNDS / 2); i++) {
  const result = await gradeSubmission({ exercise, dir: SOLUTION, seed: 1, timeoutFactor: 1, submissionTimeoutMs: 60_000 });
  if (!result.passed) throw new Error('the reference solution did not pass during the benchmark');
  grades.push(result.durationMs);
}
summarize(`grade tcp-hello-server reference (${exercise.checks.length} checks)`, grades);
