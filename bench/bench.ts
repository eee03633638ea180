// `npm run bench`: what grading costs, set against what it must cost — starting the student's
// program once per launch (the floor) and the pauses the checks make on purpose. Not a test: the
// numbers depend on the machine. Writes bench/results.json and prints a table.
//
// BENCH_ROUNDS (3) gradings of each reference solution per mode; BENCH_EXERCISES (every built-in)
// the exercises measured; BENCH_BATCH (50,100,200) class sizes, of BENCH_BATCH_EXERCISES (the same
// exercises). All of it takes hours on two cores; BENCH_BATCH_EXERCISES=tcp-hello-server takes
// about half an hour, and BENCH_BATCH=50 BENCH_EXERCISES=tcp-hello-server is a quick look.
import { execa } from 'execa';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { listExerciseIds, loadExercise } from '../harness/exercise/registry.ts';
import { solutionFolder } from '../harness/exercise/define.ts';
import { openHttpMockSession } from '../harness/probes/http-mock/session.ts';
import type { BatchResult, SubmissionResult } from '../harness/report/types.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const BIN = path.join(ROOT, 'bin/grade.js');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const BATCH_SIZES = (process.env.BENCH_BATCH ?? '50,100,200').split(',').map(Number);
const CORES = availableParallelism();
const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));
const MODES = [
  { name: 'sandbox', flags: [] as string[] },
  { name: 'no sandbox', flags: ['--no-sandbox'] },
];

// A CA bundle named in NODE_EXTRA_CA_CERTS is parsed at every Node start (40 ms here for the
// system's); a student's program never gets it, so neither the floor nor the grader's runs do:
// like is compared with like, and the floor is what a launch of a program costs.
const BENCH_ENV = { NO_COLOR: '1', NODE_EXTRA_CA_CERTS: undefined };

interface Sample {
  wallMs: number;
  cpuMs: number;
}

// CPU time the whole machine spent busy (user, system, interrupts), in /proc/stat: a grading's
// processes, the ones its sandboxes end without waiting for them, and the kernel's work for them
// (namespaces, mounts). Run the bench on a quiet machine: anything else running counts too.
function machineBusyMs(): number {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const [user, nice, system, , , irq, softirq, steal] = fields as [number, number, number, number, number, number, number, number];
  return ((user + nice + system + irq + softirq + steal) * 1000) / CLOCK_TICKS;
}

async function timed(command: string[], env: Record<string, string> = {}): Promise<Sample & { stdout: string; peakRssMb: number }> {
  const cpuBefore = machineBusyMs();
  const started = performance.now();
  const child = execa(command[0]!, command.slice(1), { cwd: ROOT, env: { ...BENCH_ENV, ...env }, reject: false });
  let peakRssMb = 0;
  const watch = setInterval(() => {
    const rss = /VmRSS:\s+(\d+) kB/.exec(readStatus(child.pid!))?.[1];
    if (rss) peakRssMb = Math.max(peakRssMb, Number(rss) / 1024);
  }, 250);
  const result = await child;
  clearInterval(watch);
  const wallMs = performance.now() - started;
  if (result.exitCode !== 0 && result.exitCode !== 1) throw new Error(`${command.join(' ')} failed (${result.exitCode}): ${result.stderr}`);
  return { wallMs, cpuMs: machineBusyMs() - cpuBefore, stdout: result.stdout, peakRssMb };
}

function readStatus(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return ''; // exited
  }
}

function median(values: readonly number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
}

function medianSample(samples: readonly Sample[]): Sample {
  return { wallMs: median(samples.map((s) => s.wallMs)), cpuMs: median(samples.map((s) => s.cpuMs)) };
}

const work = await mkdtemp(path.join(tmpdir(), 'netgrade-bench-'));
try {
  // The floor: a bare node start of an empty module, and one with the HTTP mocks' preload.
  const empty = path.join(work, 'empty.mjs');
  await writeFile(empty, '');
  const session = await openHttpMockSession([], { dir: work, owner: undefined, pathOf: (p: string) => p });
  const floor = { bare: [] as Sample[], preload: [] as Sample[] };
  for (let i = 0; i < 10; i++) {
    floor.bare.push(await timed([process.execPath, empty]));
    floor.preload.push(await timed([process.execPath, ...session.preload!.nodeArgs, empty], session.preload!.env));
  }
  const floorMs = medianSample(floor.bare).wallMs;
  const floorCpuMs = medianSample(floor.bare).cpuMs;
  const preloadFloorMs = medianSample(floor.preload).wallMs;

  const list: Sample[] = [];
  for (let i = 0; i < 5; i++) list.push(await timed([process.execPath, BIN, 'list']));

  const wanted = process.env.BENCH_EXERCISES?.split(',');
  const exercises = (await listExerciseIds()).filter((id) => !wanted || wanted.includes(id));

  // One grading of each reference solution in each of its languages, as a student runs it.
  const gradings = [];
  for (const id of exercises) {
    const { languages } = await loadExercise(id);
    for (const language of languages) {
      // Without a sandbox a root grader's programs run as nobody, who may not reach the machine's
      // python3 (a pyenv one under /root): languages other than TypeScript are measured sandboxed.
      for (const mode of language === 'typescript' ? MODES : MODES.filter((candidate) => candidate.flags.length === 0)) {
        const samples: Sample[] = [];
        let report: SubmissionResult | undefined;
        for (let i = 0; i < ROUNDS; i++) {
          const run = await timed([process.execPath, BIN, id, solutionFolder(path.join(ROOT, 'solutions', id), languages, language), '--language', language, '--seed', String(i + 1), '--json', '-', ...mode.flags]);
          report = JSON.parse(run.stdout) as SubmissionResult;
          if (!report.passed) throw new Error(`the reference solution of ${id} in ${language} did not pass (${mode.name})`);
          samples.push(run);
        }
        const { wallMs, cpuMs } = medianSample(samples);
        const boundMs = (report!.launches + 1) * floorMs + report!.designedWaitMs;
        gradings.push({ exercise: id, language, mode: mode.name, launches: report!.launches, designedWaitMs: report!.designedWaitMs, wallMs, cpuMs, boundMs, ratio: wallMs / boundMs });
      }
    }
  }

  // A class of copies of each reference solution, two at a time.
  const batches = [];
  const batched = process.env.BENCH_BATCH_EXERCISES?.split(',') ?? exercises;
  for (const id of batched) {
    for (const size of BATCH_SIZES) {
      for (const mode of MODES) {
        const classDir = path.join(work, `${id}-${size}`);
        await rm(classDir, { recursive: true, force: true });
        for (let i = 0; i < size; i++) await cp(path.join(ROOT, 'solutions', id), path.join(classDir, `s${String(i + 1).padStart(3, '0')}`), { recursive: true });
        const json = path.join(work, 'batch.json');
        const run = await timed([process.execPath, BIN, id, '--submissions', classDir, '--language', 'typescript', '--jobs', '2', '--json', json, ...mode.flags]);
        const batch = JSON.parse(await readFile(json, 'utf8')) as BatchResult;
        const full = batch.submissions.filter((s) => s.passed).length;
        const launches = batch.submissions.reduce((total, s) => total + s.launches, 0);
        const waits = batch.submissions.reduce((total, s) => total + s.designedWaitMs, 0);
        const boundMs = ((launches + size) * floorMs + waits) / CORES;
        batches.push({ exercise: id, size, mode: mode.name, fullMarks: full, wallMs: run.wallMs, cpuMs: run.cpuMs, secondsPerSubmission: run.wallMs / 1000 / size, peakRssMb: run.peakRssMb, boundMs, ratio: run.wallMs / boundMs });
        await rm(classDir, { recursive: true, force: true });
      }
    }
  }

  const results = {
    date: new Date().toISOString(),
    machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: CORES, node: process.version },
    floor: { bareMs: floorMs, bareCpuMs: floorCpuMs, preloadMs: preloadFloorMs },
    gradeList: medianSample(list),
    gradings,
    batches,
  };
  await writeFile(path.join(ROOT, 'bench/results.json'), `${JSON.stringify(results, null, 2)}\n`);
  printTable(results);
} finally {
  await rm(work, { recursive: true, force: true });
}

function printTable(results: { floor: { bareMs: number; bareCpuMs: number; preloadMs: number }; gradeList: Sample; gradings: { exercise: string; language: string; mode: string; launches: number; designedWaitMs: number; wallMs: number; cpuMs: number; boundMs: number; ratio: number }[]; batches: { exercise: string; size: number; mode: string; fullMarks: number; wallMs: number; cpuMs: number; secondsPerSubmission: number; peakRssMb: number; ratio: number }[] }): void {
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const verdict = (ok: boolean, gap: string) => (ok ? 'met' : `gap: ${gap}`);
  console.log(`floor: node start ${s(results.floor.bareMs)} (${s(results.floor.bareCpuMs)} CPU), with the HTTP preload ${s(results.floor.preloadMs)}`);
  const listRatio = results.gradeList.wallMs / results.floor.bareMs;
  console.log(`grade list: ${s(results.gradeList.wallMs)} wall, ${s(results.gradeList.cpuMs)} CPU = ${listRatio.toFixed(1)}× floor (target ≤ 3×: ${verdict(listRatio <= 3, `${listRatio.toFixed(1)}×`)})`);
  console.log('\none grading (median): launches, designed waits, wall, CPU, ratio to (launches + 1) × floor + waits (target ≤ 1.5× with the sandbox)');
  for (const g of results.gradings) {
    const target = g.mode === 'sandbox' ? ` ${verdict(g.ratio <= 1.5, `${g.ratio.toFixed(1)}×`)}` : '';
    console.log(`  ${g.exercise.padEnd(18)} ${g.language.padEnd(10)} ${g.mode.padEnd(10)} ${String(g.launches).padStart(3)} launches  waits ${s(g.designedWaitMs).padStart(8)}  wall ${s(g.wallMs).padStart(8)}  CPU ${s(g.cpuMs).padStart(8)}  ${g.ratio.toFixed(1).padStart(5)}×${target}`);
  }
  console.log('\nbatches, --jobs 2: seconds and CPU per submission, how busy the machine was, grader peak RSS, ratio to the launch floor over the cores (target ≤ 1.5×, RSS ≤ 250 MB, linear within 10%)');
  for (const b of results.batches) {
    const first = results.batches.find((other) => other.exercise === b.exercise && other.mode === b.mode);
    const growth = first ? b.secondsPerSubmission / first.secondsPerSubmission : 1;
    console.log(`  ${b.exercise.padEnd(18)} N=${String(b.size).padEnd(4)} ${b.mode.padEnd(10)} ${b.fullMarks}/${b.size} full  ${b.secondsPerSubmission.toFixed(2)} s/sub (${growth.toFixed(2)}× N=${first?.size})  CPU ${(b.cpuMs / 1000 / b.size).toFixed(2)} s/sub, ${((b.cpuMs / (b.wallMs * CORES)) * 100).toFixed(0)}% busy  RSS ${b.peakRssMb.toFixed(0)} MB  ${b.ratio.toFixed(1)}× floor`);
  }
}
