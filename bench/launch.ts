// `npm run bench`: what one launch of a student program costs, in a sandbox and without, and
// what grading a submission costs. Speed targets live here, not in tests: numbers depend on the machine.
import { execa } from 'execa';
import { createRequire } from 'node:module';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadExercise } from '../harness/exercise/registry.ts';
import type { Confinement } from '../harness/process/confinement.ts';
import { findListener } from '../harness/process/listening.ts';
import { allocatePort } from '../harness/process/ports.ts';
import { processGroupConfinement } from '../harness/process/process-group.ts';
import { spawnProcess } from '../harness/process/spawn.ts';
import { gradeSubmission } from '../harness/run/grade.ts';
import { detectSandbox } from '../harness/sandbox/support.ts';
import { prepareSubmission } from '../harness/submission/prepare.ts';
import { typescript } from '../harness/language/typescript.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
const SOLUTION = path.resolve('solutions/tcp-hello-server');
const TSX_CLI = createRequire(import.meta.url).resolve('tsx/cli');
const BIN = path.resolve('bin/grade.js');
const ms = (duration: number) => duration;

/** Milliseconds from spawning `command` confined until it listens on PORT. */
async function timeToListen(confinement: Confinement, command: { file: string; args: readonly string[] }, cwd: string): Promise<number> {
  const port = await allocatePort();
  const started = performance.now();
  const program = spawnProcess({ ...command, cwd, env: { PORT: String(port), PATH: process.env.PATH ?? '' }, confinement });
  while (findListener(program.members(), port, { lookForOtherPorts: false, protocol: 'tcp', inherited: program.inheritedSockets() }).kind !== 'listening') await sleep(2);
  const elapsed = performance.now() - started;
  await program.stop(1000);
  return elapsed;
}

function median(samples: readonly number[]): number {
  return [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)]!;
}

function report(label: string, samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  console.log(`${label.padEnd(52)} median ${median(samples).toFixed(0).padStart(5)} ms   min ${sorted[0]!.toFixed(0).padStart(5)} ms   max ${sorted.at(-1)!.toFixed(0).padStart(5)} ms`);
  return median(samples);
}

const sandbox = await detectSandbox();
if (!sandbox.available) console.log(`(no sandbox here: ${sandbox.reason}; only the unsandboxed figures are measured)`);

// One launch: the same built program, started in its sandbox, plainly, and through tsx.
const entry = { entry: 'server.ts', languages: [typescript] };
const plain = await prepareSubmission(SOLUTION, entry, { sandbox: false, ms });
const boxed = sandbox.available ? await prepareSubmission(SOLUTION, entry, { sandbox: true, ms }) : undefined;
try {
  const buildStarted = performance.now();
  await plain.build();
  console.log(`one-time esbuild build of server.ts: ${(performance.now() - buildStarted).toFixed(0)} ms`);
  const plainCheck = await plain.openCheck();
  const boxedCheck = await boxed?.openCheck();
  const samples = { plain: [] as number[], boxed: [] as number[], tsx: [] as number[] };
  for (let i = 0; i < ROUNDS; i++) {
    samples.plain.push(await timeToListen(processGroupConfinement(undefined), plainCheck.command(), plainCheck.dir));
    if (boxedCheck) {
      const { confinement } = boxedCheck;
      samples.boxed.push(await timeToListen(confinement, boxedCheck.command(), confinement.pathOf(boxedCheck.dir)));
    }
    samples.tsx.push(await timeToListen(processGroupConfinement(undefined), { file: process.execPath, args: [TSX_CLI, 'server.ts'] }, plainCheck.dir));
  }
  const bare = report('launch to listening, built once, no sandbox', samples.plain);
  if (boxedCheck) {
    const inBox = report('launch to listening, built once, in a sandbox', samples.boxed);
    console.log(`  → the sandbox costs ${(inBox - bare).toFixed(0)} ms per launch`);
  }
  report('launch to listening, tsx loader each time', samples.tsx);
} finally {
  await plain.dispose();
  await boxed?.dispose();
}

// One submission, graded in this process: with and without the sandbox.
const exercise = await loadExercise('tcp-hello-server');
async function gradeRounds(withSandbox: boolean): Promise<number[]> {
  const durations: number[] = [];
  for (let i = 0; i < Math.max(3, ROUNDS / 2); i++) {
    const result = await gradeSubmission({ exercise, dir: SOLUTION, seed: 1, timeoutFactor: 1, submissionTimeoutMs: 60_000, sandbox: withSandbox });
    if (!result.passed) throw new Error('the reference solution did not pass during the benchmark');
    durations.push(result.durationMs);
  }
  return durations;
}
const unsandboxed = report(`grade tcp-hello-server reference, no sandbox`, await gradeRounds(false));
if (sandbox.available) {
  const sandboxed = report(`grade tcp-hello-server reference, sandboxed`, await gradeRounds(true));
  const share = ((sandboxed - unsandboxed) / sandboxed) * 100;
  console.log(`  → the sandbox is ${share.toFixed(1)}% of grading time per submission (goal: under 10%)`);
}

// The whole command, as a student runs it: a private network and sandboxes, or neither.
async function cliRounds(args: string[]): Promise<number[]> {
  const durations: number[] = [];
  for (let i = 0; i < Math.max(3, ROUNDS / 2); i++) {
    const started = performance.now();
    await execa(process.execPath, [BIN, 'tcp-hello-server', SOLUTION, '--seed', '1', ...args], { env: { NO_COLOR: '1' } });
    durations.push(performance.now() - started);
  }
  return durations;
}
report('`grade tcp-hello-server` CLI, --no-sandbox', await cliRounds(['--no-sandbox']));
if (sandbox.available) report('`grade tcp-hello-server` CLI, sandbox and network', await cliRounds([]));
