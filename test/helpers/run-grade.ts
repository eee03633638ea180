import { execa } from 'execa';
import { chmod, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SubmissionResult } from '../../harness/report/types.ts';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = path.join(ROOT, 'bin/grade.js');

/** What one run of the real `grade` CLI produced. */
export interface GradeRun {
  exitCode: number | undefined;
  stdout: string;
  stderr: string;
  /** The JSON report, when the run wrote one. */
  report: SubmissionResult | undefined;
  /** Processes still alive afterwards that were started from this run's temporary folder. */
  leftovers: string[];
}

/**
 * Runs `grade` as a student would, with its own TMPDIR so that anything the graded program left
 * running can be found afterwards by its command line.
 */
export async function runGrade(args: readonly string[], options: { json?: boolean; env?: Record<string, string> } = {}): Promise<GradeRun> {
  const tmp = await mkdtemp(path.join(tmpdir(), 'netgrade-test-'));
  // As /tmp is: students' programs (run as nobody when the grader is root) must reach their copy.
  await chmod(tmp, 0o755);
  try {
    const result = await execa(process.execPath, [BIN, ...args, ...(options.json === false ? [] : ['--json', '-'])], {
      cwd: ROOT,
      env: { TMPDIR: tmp, NO_COLOR: '1', ...options.env },
      reject: false,
      timeout: 120_000,
    });
    const report = options.json === false || result.stdout === '' ? undefined : (JSON.parse(result.stdout) as SubmissionResult);
    return { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr, report, leftovers: await findProcesses(tmp) };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/** Processes whose command line mentions `needle`. */
export async function findProcesses(needle: string): Promise<string[]> {
  const found: string[] = [];
  for (const pid of await readdir('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes(needle)) found.push(`${pid}: ${cmdline.replaceAll('\0', ' ')}`);
  }
  return found;
}

/** The check ids of a report with the given status. */
export function idsWithStatus(report: SubmissionResult, status: string): string[] {
  return report.checks.filter((check) => check.status === status).map((check) => check.id);
}
