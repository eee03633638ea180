import { execa, type ResultPromise } from 'execa';
import { chmodSync, chownSync, mkdtempSync } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
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
  /** Processes still alive after the grader exited (counted in a PID namespace around it). */
  leftovers: string[];
}

// Runs the command as the child of a shell that is the first process of a new PID namespace: when
// the command has exited, every other live process in the namespace is one it left behind, however
// it hid (new session, new pid, empty environment). Processes that are only dying (the esbuild
// helper of the grader's TypeScript loader exits a moment after the grader) are waited out for up
// to 3 s; a real leftover stays, and the shell lists it. Then the namespace ends; it also ends
// when the test kills unshare (--kill-child), with all in it.
const LIST_LEFTOVERS = [
  'for tool in $NETGRADE_TEST_HIDE; do mount --bind /dev/null "$tool" || exit 99; done',
  '"$@"; status=$?',
  'for attempt in $(seq 30); do',
  '  left=""',
  '  for p in /proc/[0-9]*; do',
  '    pid=${p#/proc/}; [ "$pid" = 1 ] && continue',
  '    read -r stat < "$p/stat" 2>/dev/null || continue',
  '    case "$stat" in *") Z "*) continue ;; esac',
  '    left="$left $pid"',
  '  done',
  '  [ -z "$left" ] && break',
  '  sleep 0.1',
  'done',
  'for pid in $left; do printf "%s: " "$pid"; cat "/proc/$pid/cmdline" 2>/dev/null; echo; done > "$NETGRADE_TEST_LEFTOVERS"',
  'exit $status',
].join('\n');

/** How to run the grader for a test. */
export interface RunOptions {
  /** Read the JSON report from stdout (default true). */
  json?: boolean;
  env?: Record<string, string>;
  /** Tools to make unusable for this run (a /dev/null mounted over them), e.g. /usr/bin/bwrap. */
  hide?: string[];
  /**
   * Run the grader as this uid, an ordinary user, rather than root. It needs a `bin` that user can
   * read, from installNetgrade (test/helpers/install.ts): this checkout may be in a folder only
   * root may enter.
   */
  uid?: number;
  /** A command that runs the grader, e.g. to start it with a descriptor open (`sh -c 'exec 7<file; exec "$@"'`). */
  prefix?: string[];
  /** The grader to run (default this checkout's bin/grade.js). */
  bin?: string;
  /** The folder to run it in (default the package `bin` is in: this checkout, or a copy's). */
  cwd?: string;
  /** Run the grader on a terminal of its own (a pseudo-terminal from util-linux `script`), as a student does. */
  terminal?: boolean;
}

/**
 * Runs `grade` as a student would, with its own TMPDIR (which must be empty afterwards), in a PID
 * namespace of its own so that anything the grader left running is found (needs root, as CI is).
 */
export async function runGrade(args: readonly string[], options: RunOptions = {}): Promise<GradeRun> {
  return startGrade(args, options).finished;
}

/** A grader started by startGrade: its live process (to type into and read from), and its end. */
export interface StartedGrade {
  child: ResultPromise;
  finished: Promise<GradeRun>;
}

/** Starts `grade` as runGrade does, without waiting for it: for a grader that keeps running (--watch). */
export function startGrade(args: readonly string[], options: RunOptions = {}): StartedGrade {
  const bin = options.bin ?? BIN;
  if (options.uid !== undefined && bin === BIN) {
    throw new Error('runGrade as an ordinary user needs a copy of netgrade that user can read (installNetgrade in test/helpers/install.ts), not this checkout, which may be in a folder only root may enter.');
  }
  const tmp = mkdtempSync(path.join(tmpdir(), 'netgrade-test-'));
  const leftoversFile = path.join(tmpdir(), `${path.basename(tmp)}.leftovers`);
  // As /tmp is: students' programs (run as nobody when the grader is root) must reach their copy.
  chmodSync(tmp, 0o755);
  if (options.uid !== undefined) chownSync(tmp, options.uid, options.uid);
  const asUser = options.uid === undefined ? [] : ['setpriv', `--reuid=${options.uid}`, `--regid=${options.uid}`, '--clear-groups'];
  const grader = [...(options.prefix ?? []), ...asUser, process.execPath, bin, ...args, ...(options.json === false ? [] : ['--json', '-'])];
  const command = options.terminal ? ['script', '--quiet', '--flush', '--return', '--command', grader.map(shellQuote).join(' '), '/dev/null'] : grader;
  const child = execa('unshare', ['--pid', '--fork', '--kill-child', '--mount-proc', 'sh', '-c', LIST_LEFTOVERS, 'sh', ...command], {
    cwd: options.cwd ?? path.dirname(path.dirname(bin)),
    env: { TMPDIR: tmp, NO_COLOR: '1', NETGRADE_TEST_LEFTOVERS: leftoversFile, NETGRADE_TEST_HIDE: (options.hide ?? []).join(' '), ...options.env },
    reject: false,
    timeout: 120_000,
  });
  const finished = (async () => {
    try {
      const result = await child;
      const report = options.json === false || result.stdout === '' ? undefined : (JSON.parse(result.stdout) as SubmissionResult);
      const leftovers = (await readFile(leftoversFile, 'utf8').catch(() => '')).split('\n').filter(Boolean).map((line) => line.replaceAll('\0', ' ').trim());
      // A grader that may not write into its package's node_modules keeps its compiled code there
      // (netgrade-cache-<uid>): the grader's, not the submission's.
      const files = (await readdir(tmp)).filter((name) => !name.startsWith('netgrade-cache-'));
      if (files.length > 0) leftovers.push(`files left in TMPDIR: ${files.join(', ')}`);
      return { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr, report, leftovers };
    } finally {
      await rm(tmp, { recursive: true, force: true });
      await rm(leftoversFile, { force: true });
    }
  })();
  return { child, finished };
}

function shellQuote(arg: string): string {
  return `'${arg.replaceAll("'", "'\\''")}'`;
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
