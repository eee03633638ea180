import { formatBytes } from '../report/format.ts';
import { listProcessTree, readResidentBytes } from './proc.ts';

/** A program, with everything it started, may not run more processes than this at once. */
export const MAX_PROCESSES = 64;
/** Nor hold more memory than this: the V8 heap flag does not cover Buffers and native memory. */
export const MAX_RESIDENT_BYTES = 1024 * 1024 * 1024;

/** The limit a program's process tree breaks right now, in words for the student, if any (Linux). */
export function brokenLimit(rootPid: number): string | undefined {
  const tree = listProcessTree(rootPid);
  if (tree.length > MAX_PROCESSES) {
    return `started more than ${MAX_PROCESSES} processes at once (${tree.length}) and was stopped by the grader`;
  }
  const resident = readResidentBytes(tree);
  if (resident > MAX_RESIDENT_BYTES) {
    return `used more than ${formatBytes(MAX_RESIDENT_BYTES)} of memory (${formatBytes(resident)}) and was stopped by the grader`;
  }
  return undefined;
}
