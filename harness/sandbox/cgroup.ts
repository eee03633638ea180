import { randomUUID } from 'node:crypto';
import { readFileSync, rmdirSync } from 'node:fs';
import { constants } from 'node:fs';
import { access, mkdir, readFile, rmdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout } from 'node:timers/promises';
import { CGROUP_MEMORY_BYTES, SANDBOX_LIMITS } from '../process/limits.ts';
import { signalQuietly } from '../process/confinement.ts';
import { undoOnExit } from '../process/undo-on-exit.ts';

/**
 * A memory, process and CPU cgroup for one submission: everything its sandboxes run is charged to
 * it, memory the resident sets do not show included (memfd files, System V shared memory, tmpfs
 * writes), and at the limit the kernel's OOM killer ends a process in it, never elsewhere. Its
 * CPU is one fair share among the submissions graded at once, and at most one CPU's time
 * (CPU_SHARE), however many threads it runs: what a classmate's programs get does not depend on it.
 */
export interface SubmissionCgroup {
  /** The files a process writes its pid into to join (one per hierarchy). */
  procs: string[];
  /** How many processes the kernel has killed in it for memory so far. */
  oomKills(): Promise<number>;
  /** The memory its processes hold that the kernel cannot give back: anonymous and shared (page cache left out). */
  heldBytes(): number;
  /** Deletes it; its processes must be gone. */
  remove(): Promise<void>;
}

// Where cgroups can be made here: one unified hierarchy (v2), or a memory and a pids one (v1),
// each with the cpu controller where the machine has it.
type Hierarchies = { version: 2; root: string; cpu: boolean } | { version: 1; memory: string; pids: string; cpu: string | undefined };
interface Made {
  dirs: string[];
  events: string;
  /** memory.stat, and the fields in it to add up. */
  stat: string;
  held: readonly string[];
}

/**
 * A submission's CPU: the default weight (so submissions share the CPUs equally, whatever each
 * runs), and a quota of one CPU's time per period, so that on a machine with more CPUs than
 * submissions at once, one that spins its threads cannot take them all either.
 */
export const CPU_SHARE = { weightV2: 100, sharesV1: 1024, quotaUs: 100_000, periodUs: 100_000 } as const;

let hierarchies: Promise<Hierarchies | undefined> | undefined;
// A grader told to stop (Ctrl+C, --watch starting over, a CI time limit) exits with its
// submissions' processes killed a moment ago, or not yet: it ends what is left in each cgroup and
// waits for the kernel to tear them down, as remove() does, or the cgroup would stay for good.
const live = undoOnExit(removeAtExit);

/** A cgroup for one submission, or undefined where the grader may not make one (not root, a container). */
export async function createSubmissionCgroup(): Promise<SubmissionCgroup | undefined> {
  hierarchies ??= findHierarchies();
  const found = await hierarchies;
  if (!found) return undefined;
  const name = `netgrade-${randomUUID()}`;
  const made = await (found.version === 2 ? makeV2(found, name) : makeV1(found, name)).catch(() => undefined);
  if (!made) return undefined;
  for (const dir of made.dirs) live.add(dir);
  return {
    procs: made.dirs.map((dir) => path.join(dir, 'cgroup.procs')),
    async oomKills() {
      const text = await readFile(made.events, 'utf8').catch(() => '');
      return Number(/^oom_kill (\d+)/m.exec(text)?.[1] ?? 0);
    },
    heldBytes() {
      let text = '';
      try {
        text = readFileSync(made.stat, 'utf8');
      } catch {
        return 0; // removed
      }
      return made.held.reduce((total, field) => total + Number(new RegExp(`^${field} (\\d+)$`, 'm').exec(text)?.[1] ?? 0), 0);
    },
    async remove() {
      for (const dir of made.dirs) if (await removeWhenEmpty(dir)) live.delete(dir);
    },
  };
}

// Processes killed a moment ago are still members until the kernel has torn them down (a few
// milliseconds, longer on a busy machine): rmdir fails with EBUSY until then. One still busy after
// REMOVE_PATIENCE_MS is left to the exit hook.
const REMOVE_PATIENCE_MS = 2000;

async function removeWhenEmpty(dir: string): Promise<boolean> {
  const deadline = performance.now() + REMOVE_PATIENCE_MS;
  for (let wait = 5; ; wait = Math.min(wait * 2, 100)) {
    const error = await rmdir(dir).then(() => undefined, (e: NodeJS.ErrnoException) => e);
    if (!error || error.code === 'ENOENT') return true;
    if (error.code !== 'EBUSY' || performance.now() > deadline) return false;
    await setTimeout(wait);
  }
}

function removeAtExit(dir: string): void {
  const deadline = performance.now() + REMOVE_PATIENCE_MS;
  for (;;) {
    try {
      rmdirSync(dir);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return;
      if (code !== 'EBUSY' || performance.now() > deadline) throw error;
    }
    for (const pid of readFileSync(path.join(dir, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean)) signalQuietly(Number(pid), 'SIGKILL');
    // An exit hook cannot await: a blocking sleep between tries.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
  }
}

/** A command that joins `procs` and then becomes `command`; a cgroup it cannot join it runs without. */
export function joinCommand(procs: readonly string[], command: readonly string[]): string[] {
  return ['sh', '-c', 'while [ "$1" != -- ]; do echo $$ 2>/dev/null > "$1"; shift; done; shift; exec "$@"', 'sh', ...procs, '--', ...command];
}

async function makeV2(found: { root: string; cpu: boolean }, name: string): Promise<Made> {
  const parent = path.join(found.root, 'netgrade');
  await mkdir(parent, { recursive: true });
  // The controllers reach a child only when every cgroup above enables them for its children.
  const controllers = found.cpu ? '+memory +pids +cpu' : '+memory +pids';
  await writeFile(path.join(found.root, 'cgroup.subtree_control'), controllers).catch(() => undefined);
  await writeFile(path.join(parent, 'cgroup.subtree_control'), controllers);
  const dir = path.join(parent, name);
  await mkdir(dir);
  await writeFile(path.join(dir, 'memory.max'), String(CGROUP_MEMORY_BYTES));
  await writeFile(path.join(dir, 'memory.swap.max'), '0').catch(() => undefined);
  await writeFile(path.join(dir, 'pids.max'), String(SANDBOX_LIMITS.tasks));
  if (found.cpu) {
    await writeFile(path.join(dir, 'cpu.weight'), String(CPU_SHARE.weightV2));
    await writeFile(path.join(dir, 'cpu.max'), `${CPU_SHARE.quotaUs} ${CPU_SHARE.periodUs}`);
  }
  return { dirs: [dir], events: path.join(dir, 'memory.events'), stat: path.join(dir, 'memory.stat'), held: ['anon', 'shmem'] };
}

async function makeV1(found: { memory: string; pids: string; cpu: string | undefined }, name: string): Promise<Made> {
  const memory = path.join(found.memory, name);
  const pids = path.join(found.pids, name);
  const cpu = found.cpu && path.join(found.cpu, name);
  await mkdir(memory);
  await mkdir(pids);
  if (cpu) await mkdir(cpu);
  await writeFile(path.join(memory, 'memory.limit_in_bytes'), String(CGROUP_MEMORY_BYTES));
  // With swap accounting on, memory plus swap too (it must be set after the memory limit).
  await writeFile(path.join(memory, 'memory.memsw.limit_in_bytes'), String(CGROUP_MEMORY_BYTES)).catch(() => undefined);
  await writeFile(path.join(pids, 'pids.max'), String(SANDBOX_LIMITS.tasks));
  if (cpu) {
    await writeFile(path.join(cpu, 'cpu.shares'), String(CPU_SHARE.sharesV1));
    await writeFile(path.join(cpu, 'cpu.cfs_period_us'), String(CPU_SHARE.periodUs));
    await writeFile(path.join(cpu, 'cpu.cfs_quota_us'), String(CPU_SHARE.quotaUs));
  }
  return { dirs: cpu ? [memory, pids, cpu] : [memory, pids], events: path.join(memory, 'memory.oom_control'), stat: path.join(memory, 'memory.stat'), held: ['total_rss', 'total_shmem'] };
}

// cgroup mounts from /proc/self/mountinfo: a cgroup2 one with the memory and pids controllers,
// or cgroup (v1) ones for memory and pids, writable by this process (root).
async function findHierarchies(): Promise<Hierarchies | undefined> {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return undefined;
  const mounts = (await readFile('/proc/self/mountinfo', 'utf8').catch(() => '')).split('\n').map((line) => {
    const [before = '', after = ''] = line.split(' - ');
    const [fstype = '', , superOptions = ''] = after.split(' ');
    return { point: before.split(' ')[4] ?? '', fstype, options: superOptions.split(','), writable: before.split(' ')[5]?.split(',').includes('rw') ?? false };
  });
  for (const mount of mounts.filter((m) => m.fstype === 'cgroup2' && m.writable)) {
    const controllers = (await readFile(path.join(mount.point, 'cgroup.controllers'), 'utf8').catch(() => '')).split(/\s+/);
    if (controllers.includes('memory') && controllers.includes('pids')) return { version: 2, root: mount.point, cpu: controllers.includes('cpu') };
  }
  const v1 = (controller: string) => mounts.find((m) => m.fstype === 'cgroup' && m.writable && m.options.includes(controller))?.point;
  const memory = v1('memory');
  const pids = v1('pids');
  if (!memory || !pids) return undefined;
  const writable = (dir: string) => access(dir, constants.W_OK).then(() => true, () => false);
  if (!(await writable(memory)) || !(await writable(pids))) return undefined;
  const cpu = v1('cpu');
  return { version: 1, memory, pids, cpu: cpu && (await writable(cpu)) ? cpu : undefined };
}
