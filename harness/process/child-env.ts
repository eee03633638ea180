import path from 'node:path';

/**
 * The search path of every process the grader starts for a student: node's folder and the
 * system's, the same on every machine, and nothing of the grader's own (its PATH names its home).
 */
export const PROGRAM_PATH = [...new Set([path.dirname(process.execPath), '/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'])].join(':');

/**
 * The environment a student's program sees: enough to run, nothing of the grader's own
 * (no NODE_OPTIONS, no test-runner variables, no colours, no secrets).
 */
export function makeChildEnv(home: string, extra: Record<string, string>): Record<string, string> {
  return {
    PATH: PROGRAM_PATH,
    HOME: home,
    LANG: 'C.UTF-8',
    NO_COLOR: '1',
    ...extra,
  };
}
