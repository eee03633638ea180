import { execa } from 'execa';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { SubmissionResult } from '../report/types.ts';
import { unrunSubmission } from './run-check.ts';
import { gradeSubmission, type GradeOptions } from './grade.ts';
import type { Isolation } from '../sandbox/isolation.ts';
import { isolatedCommand } from '../sandbox/network.ts';
import { closeSync } from 'node:fs';
import { holdNamespace, listProcessesInNamespace } from '../process/proc.ts';
import { CappedOutput } from '../process/output.ts';
import { BUNDLE_INDEX_URL } from '../build/bundled.ts';
import { signalQuietly } from '../process/confinement.ts';
import { undoOnExit } from '../process/undo-on-exit.ts';
import { removeTree, removeTreeSync } from '../submission/remove-tree.ts';
import type { WorkerJob, WorkerMessage } from './worker.ts';

const WORKER = fileURLToPath(new URL('../../bin/grade-worker.js', import.meta.url));
// A bundled grader hands its worker module to the worker, which then need not hash the sources to find it.
const WORKER_MODULE = BUNDLE_INDEX_URL && new URL('worker.mjs', BUNDLE_INDEX_URL).href;
// Past the submission's own limit, the worker itself is considered stuck.
const WORKER_MARGIN_MS = 30_000;
const STOP_GRACE_MS = 3000;

// Workers still grading: if this grader exits early, each is told to stop and clean up after itself.
const liveWorkers = undoOnExit<{ pid: number | undefined; workspace: string }>(({ pid, workspace }) => {
  if (pid) signalQuietly(pid, 'SIGTERM');
  removeTreeSync(workspace);
});

/** Grades a submission as `isolation` says: in its own network namespace, or in this process; sandboxed or not. */
export async function gradeIsolated(isolation: Isolation, options: Omit<GradeOptions, 'sandbox'>): Promise<SubmissionResult> {
  const graded = { ...options, sandbox: isolation.sandbox };
  const started = performance.now();
  try {
    return await (isolation.network ? gradeInNamespace(graded) : gradeSubmission(graded));
  } catch (error) {
    if (options.signal?.aborted) throw error;
    // The grader broke on this submission (say its folder vanished, or its worker died): every
    // check is an error, so the student still gets a report, and nobody mistakes it for a zero they earned.
    const message = `The grader failed on this submission; this is not the student's fault, please report it: ${error instanceof Error ? error.message : String(error)}`;
    return unrunSubmission(options.exercise, options.dir, options.seed, 'error', message, performance.now() - started);
  }
}

/**
 * Grades a submission in a worker process inside a new network namespace: the program and the
 * grader's probes share a private loopback, raw sockets cannot leave the machine, and two
 * submissions that hard-code a port never collide. Afterwards nothing in that namespace survives.
 */
export async function gradeInNamespace(options: GradeOptions): Promise<SubmissionResult> {
  options.signal?.throwIfAborted();
  if (!options.exercise.file) throw new Error(`exercise "${options.exercise.id}" was not loaded from a file, so a worker cannot load it`);
  const job: WorkerJob = {
    exerciseFile: options.exercise.file,
    ...(options.exercise.module !== undefined && { exerciseModule: options.exercise.module }),
    dir: options.dir,
    seed: options.seed,
    timeoutFactor: options.timeoutFactor,
    submissionTimeoutMs: options.submissionTimeoutMs,
    sandbox: options.sandbox,
    ...(options.language && { language: options.language }),
  };
  // Empty on this side: the worker mounts its own file system on it.
  const workspace = await mkdtemp(path.join(tmpdir(), 'netgrade-worker-'));
  const { file, args, env } = isolatedCommand([process.execPath, WORKER, JSON.stringify(job), ...(WORKER_MODULE ? [WORKER_MODULE] : [])], workspace);
  // The worker makes no TLS connection: a CA bundle in NODE_EXTRA_CA_CERTS, which every Node start
  // parses (about 40 ms of CPU for the system's bundle), is left out. Not execa's buffer: past its
  // maxBuffer execa kills the worker, and a worker's stderr is only ever read for why it ended.
  const worker = execa(file, args, { env: { ...env, NODE_EXTRA_CA_CERTS: undefined }, reject: false, stdin: 'ignore', buffer: false });
  const stderrTail = new CappedOutput(0);
  worker.stderr?.on('data', (chunk: Buffer) => stderrTail.push(chunk));
  const live = { pid: worker.pid, workspace };
  liveWorkers.add(live);
  // The worker's network namespace, held open from its hello: once its processes are gone, the
  // kernel would give its id to the next namespace made, a classmate's worker's.
  let netns: { id: string; fd: number } | undefined;
  let result: SubmissionResult | undefined;
  const lines = createInterface({ input: worker.stdout! });
  lines.on('line', (line) => {
    const message = parseMessage(line);
    if (!message) return stderrTail.push(Buffer.from(`${line}\n`));
    if (message.type === 'hello') {
      const fd = worker.pid === undefined || netns ? undefined : holdNamespace(worker.pid, 'net', message.netns);
      if (fd !== undefined) netns = { id: message.netns, fd };
    }
    else if (message.type === 'check') options.onCheckResult?.(message.check);
    else result = message.result;
  });
  // Told to stop, the worker stops its programs and deletes its copies as it exits; one that does not is killed.
  const stop = () => {
    worker.kill('SIGTERM');
    setTimeout(() => worker.kill('SIGKILL'), STOP_GRACE_MS).unref();
  };
  const stuck = setTimeout(stop, options.submissionTimeoutMs + WORKER_MARGIN_MS);
  options.signal?.addEventListener('abort', stop, { once: true });
  const ended = await worker;
  clearTimeout(stuck);
  options.signal?.removeEventListener('abort', stop);
  // Whatever is still running in the submission's namespace belongs to it: end it.
  if (netns) {
    for (const pid of listProcessesInNamespace('net', netns.id)) signalQuietly(pid, 'SIGKILL');
    closeSync(netns.fd);
  }
  await removeTree(workspace);
  liveWorkers.delete(live);
  options.signal?.throwIfAborted();
  if (result) return result;
  const stderr = stderrTail.tailText.trim().split('\n').slice(-5).join('\n');
  throw new Error(`the grading worker ended without a result (${ended.signal ?? `exit code ${ended.exitCode}`})${stderr ? `: ${stderr}` : ''}`);
}

// A line that is not one of the worker's messages (a library that prints on stdout) is kept
// with its stderr, to explain the worker's end if it ends without a result.
function parseMessage(line: string): WorkerMessage | undefined {
  try {
    const message = JSON.parse(line) as Partial<WorkerMessage> | null;
    return typeof message?.type === 'string' ? (message as WorkerMessage) : undefined;
  } catch {
    return undefined;
  }
}
