import { formatBytes } from '../report/format.ts';
import { readMemoryBytes } from './proc.ts';

/** A program, with everything it started, may not run more processes than this at once. */
export const MAX_PROCESSES = 64;
/**
 * Nor hold more memory than this (resident, and in memory files): the V8 heap flag does not cover
 * Buffers and native memory. Far more than any exercise needs, and small enough that a hoarder
 * reaches it fast: on a virtual machine, faulting in 1 GiB takes seconds of CPU.
 */
export const MAX_MEMORY_BYTES = 512 * 1024 * 1024;
/**
 * The kernel's wall (a submission's memory cgroup) stands this far beyond the watchdog's. At the
 * wall the kernel first evicts the pages the programs run from, and a program crawls for many
 * seconds before it is killed; short of it, the watchdog stops the program at once.
 */
export const CGROUP_MEMORY_BYTES = MAX_MEMORY_BYTES + 256 * 1024 * 1024;

/** Kernel limits on every process in a sandbox, so a runaway hits a wall before the watchdog sees it. */
export const SANDBOX_LIMITS = {
  openFiles: 1024,
  fileBytes: 64 * 1024 * 1024,
  /** Allocated memory a single process may hold (Buffers included); V8's reservations do not count. */
  dataBytesPerProcess: MAX_MEMORY_BYTES,
  /** Threads count as tasks: a Node process runs about 11, so this is the watchdog's 64 processes and more. */
  tasks: 1024,
} as const;

/**
 * The limit a launch's processes break right now, in words for the student, if any (Linux).
 * `heldBytes` is what the kernel says they hold, where it counts memory no process shows (System V
 * shared memory, tmpfs files).
 */
export function brokenLimit(members: readonly number[], heldBytes = 0): string | undefined {
  if (members.length > MAX_PROCESSES) {
    return `started more than ${MAX_PROCESSES} processes at once (${members.length}) and was stopped by the grader`;
  }
  const memory = Math.max(readMemoryBytes(members), heldBytes);
  if (memory > MAX_MEMORY_BYTES) {
    return `used more than ${formatBytes(MAX_MEMORY_BYTES)} of memory (${formatBytes(memory)}) and was stopped by the grader`;
  }
  return undefined;
}
