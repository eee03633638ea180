import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CheckFailure } from '../errors.ts';
import { PROGRAM_PATH } from '../process/child-env.ts';
import { spawnProcess } from '../process/spawn.ts';
import { formatBytes } from '../report/format.ts';
import type { BuildJob, BuiltFile, Language } from './language.ts';

const BUILD_LIMIT_MS = 30_000;
const MAX_BINARY_BYTES = 32 * 1024 * 1024;
// gcc's diagnostics: `server.c:12:5: error: ...` (and `warning:`, `note:`).
const ERROR_LINE = /^[^\s:]+:\d+:\d+: (?:fatal )?error: /m;

// Every .c file at the top of the entry's folder (as ./name, so none is read as an option),
// compiled with warnings into a temporary folder of its own, then written on stdout for the
// grader; gcc's messages go to stderr.
const BUILD_SCRIPT = 't=$(mktemp -d) && trap \'rm -rf "$t"\' EXIT && gcc -std=gnu17 -Wall -O1 -o "$t/program" ./*.c -lm -lpthread && cat "$t/program"';

/**
 * C (`server.c`), compiled by the machine's gcc in the sandbox, once per submission, and run with
 * a line-buffered stdout (`stdbuf -oL`): to a pipe, C's stdout is otherwise fully buffered, and a
 * line printed is not seen until the buffer fills or the program exits.
 */
export const c: Language = {
  id: 'c',
  name: 'C',
  extensions: ['.c'],
  buildTools: [],
  mounts: async () => [],
  build: async (job) => {
    const { binary, warnings } = await compile(job);
    return { file: { name: builtName(job.entry), bytes: binary, mode: 0o755 }, warnings };
  },
  command: ({ built }) => ({ file: 'stdbuf', args: ['-oL', '-eL', built!], env: {} }),
  httpMocks: 'network',
  shownCommand: (entry) => `./${path.basename(entry, '.c')}`,
  // A C program that crashes dies of a signal (SIGSEGV, SIGABRT), which the exit already names.
  uncaught: [],
  uncaughtError: () => undefined,
  stackFrame: /(?!)/,
  outOfMemory: [],
};

/** `server.c` → `.netgrade-server`, beside it: a name the copy never holds (see `isSkipped`). */
function builtName(entry: string): BuiltFile['name'] {
  return path.join(path.dirname(entry), `.netgrade-${path.basename(entry, '.c')}`);
}

async function compile(job: BuildJob): Promise<{ binary: Buffer; warnings: string[] }> {
  const build = spawnProcess({
    file: 'sh',
    args: ['-c', BUILD_SCRIPT],
    cwd: job.confinement.pathOf(path.join(job.dir, path.dirname(job.entry))),
    env: { PATH: PROGRAM_PATH, LANG: 'C.UTF-8', TMPDIR: '/tmp' },
    confinement: job.confinement,
    outputCapBytes: MAX_BINARY_BYTES,
  });
  const limitMs = job.ms(BUILD_LIMIT_MS);
  const finished = await Promise.race([build.exited, sleep(limitMs, undefined, { ref: false })]);
  const exit = await build.stop(1000);
  const messages = build.stderr.text.trimEnd().split('\n').filter(Boolean);
  if (!finished) throw new CheckFailure(`${job.entry} did not finish compiling within ${limitMs / 1000} s.`);
  // gcc's messages of a build that succeeded: its warnings, each with its notes and the source line shown.
  if (exit.code === 0 && build.stdout.droppedBytes === 0) return { binary: build.stdout.bytes, warnings: messages.slice(0, 40) };
  if (exit.code === 0) throw new CheckFailure(`${job.entry} compiles to more than ${formatBytes(MAX_BINARY_BYTES)}, more than the grader runs.`);
  if (ERROR_LINE.test(build.stderr.text) || /undefined reference to/.test(build.stderr.text)) {
    const count = messages.filter((line) => ERROR_LINE.test(line) || /undefined reference to/.test(line)).length;
    throw new CheckFailure(`${job.entry} does not compile (${count} ${count === 1 ? 'error' : 'errors'}).`, {
      details: messages.slice(0, 40),
      hint: 'Fix the first error shown (file:line:column) and run the grader again.',
    });
  }
  if (exit.code === 126 || exit.code === 127) throw new Error(`gcc could not be started (${exit.description}): ${messages.slice(-3).join(' ') || 'no message'}`);
  throw new CheckFailure(`The compiler (gcc) stopped without compiling ${job.entry}: it ${exit.description}.`, { details: messages.slice(-10) });
}
