import { execFile } from 'node:child_process';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { CheckFailure } from '../errors.ts';
import { PROGRAM_PATH } from '../process/child-env.ts';
import { spawnProcess } from '../process/spawn.ts';
import type { BuildJob, Language } from './language.ts';

/** The oldest Python the statements are written for (match statements, `int | None`). */
const MINIMUM = [3, 10] as const;
const CHECK_LIMIT_MS = 20_000;

// Compiles every .py file of the copy, as the interpreter would when importing it, and prints
// each syntax error as `file:line:column: SyntaxError: message`, the line, and a caret. Nothing is
// written: the copy is read-only to the build.
const SYNTAX_CHECK = `
import os, sys
failed = 0
for folder, subfolders, files in os.walk('.'):
    subfolders[:] = sorted(d for d in subfolders if not d.startswith('.') and d not in ('node_modules', '__pycache__', 'venv'))
    for name in sorted(files):
        if not name.endswith('.py'):
            continue
        file = os.path.relpath(os.path.join(folder, name))
        try:
            with open(file, 'rb') as source:
                compile(source.read(), file, 'exec', dont_inherit=True)
        except (SyntaxError, ValueError) as error:
            failed += 1
            where = f"{getattr(error, 'filename', None) or file}:{getattr(error, 'lineno', None) or 1}"
            if getattr(error, 'offset', None):
                where += f":{error.offset}"
            print(f"{where}: {type(error).__name__}: {getattr(error, 'msg', None) or error}")
            text = (getattr(error, 'text', None) or '').rstrip('\\n')
            if text:
                print(f"    {text}")
                if error.offset:
                    print('    ' + ' ' * (error.offset - 1) + '^')
sys.exit(1 if failed else 0)
`;

/**
 * Python 3 (`server.py`), run by the machine's `python3` with its standard library, unbuffered so
 * that what a program prints is seen when it prints it, as on a terminal. Whatever Python the
 * grader's PATH finds (Debian's, pyenv's, conda's) is shown to the sandbox, read-only.
 */
export const python: Language = {
  id: 'python',
  name: 'Python',
  extensions: ['.py'],
  buildTools: [],
  mounts: async () => {
    const found = await findPython();
    return found.prefixes;
  },
  async build(job: BuildJob) {
    const { executable } = await findPython();
    const check = spawnProcess({
      file: executable,
      args: ['-I', '-c', SYNTAX_CHECK],
      cwd: job.confinement.pathOf(job.dir),
      env: runtimeEnv(executable),
      confinement: job.confinement,
    });
    const limitMs = job.ms(CHECK_LIMIT_MS);
    const finished = await Promise.race([check.exited, sleep(limitMs, undefined, { ref: false })]);
    const exit = await check.stop(1000);
    if (!finished) throw new CheckFailure(`${job.entry} could not be checked within ${limitMs / 1000} s.`);
    if (exit.code === 0) return { warnings: [] };
    const errors = check.stdout.text.trimEnd().split('\n').filter(Boolean);
    const count = errors.filter((line) => /^\S.*: \w+Error: /.test(line)).length;
    if (count === 0) throw new Error(`python3 could not check ${job.entry} (${exit.description}): ${check.stderr.text.trim().split('\n').slice(-3).join(' ') || 'no message'}`);
    throw new CheckFailure(`${count === 1 ? 'A Python file does' : `${count} places in your Python files do`} not compile.`, {
      details: errors.slice(0, 30),
      hint: 'Fix the first error shown (file:line:column) and run the grader again.',
    });
  },
  command: ({ entry }) => {
    if (!resolved) throw new Error('python3 was not looked for before a launch: await the language\'s mounts() first');
    return { file: resolved.executable, args: ['-u', entry], env: runtimeEnv(resolved.executable) };
  },
  httpMocks: 'network',
  shownCommand: (entry) => `python3 ${entry}`,
  uncaught: [/^Traceback \(most recent call last\):$/m, /^Exception in thread .*:$/m],
  uncaughtError(stderr) {
    const traceback = stderr.lastIndexOf('Traceback (most recent call last):');
    if (traceback < 0) return undefined;
    const lines = stderr.slice(traceback).split('\n').slice(1);
    // The exception is the first line after the frames that is not indented.
    const error = lines.find((line) => line !== '' && !/^\s/.test(line));
    if (!error) return undefined;
    // The innermost frame in the student's own files (not the standard library's).
    const frame = lines.map((line) => /^\s+File "\/submission\/([^"]+)", line (\d+)/.exec(line)).filter((match) => match !== null).at(-1);
    // A thread's exception ends the thread, not the program: Python announces it on the line before.
    const inThread = /^Exception in thread .*:\s*$/.test(stderr.slice(0, traceback).trimEnd().split('\n').at(-1) ?? '');
    return { error: error.trim(), ...(frame && { where: `${frame[1]}, line ${frame[2]}` }), ...(inThread && { inThread }) };
  },
  stackFrame: /^\s+File "[^"]+", line \d+/m,
  outOfMemory: [{ pattern: /^MemoryError\b/m, description: 'ran out of memory (MemoryError)' }],
};

// Output as a terminal shows it (print is seen when made), no bytecode written into the copy, no
// user site folder, text in UTF-8 whatever the locale; the interpreter's own folder first on PATH,
// so a program that starts `python3` itself starts the same one.
function runtimeEnv(executable: string): Record<string, string> {
  return {
    PATH: `${path.dirname(executable)}:${PROGRAM_PATH}`,
    PYTHONUNBUFFERED: '1',
    PYTHONDONTWRITEBYTECODE: '1',
    PYTHONNOUSERSITE: '1',
    PYTHONUTF8: '1',
  };
}

interface PythonRuntime {
  /** The interpreter's real path (not a pyenv shim). */
  executable: string;
  /** Its prefixes outside the system folders, which the sandbox shows read-only. */
  prefixes: string[];
}

let resolved: PythonRuntime | undefined;
let finding: Promise<PythonRuntime> | undefined;

/**
 * The machine's python3, as the grader's PATH finds it, asked once per grader where it really is:
 * a pyenv or conda `python3` is a shim or a link into a prefix of its own.
 */
export function findPython(): Promise<PythonRuntime> {
  finding ??= (async () => {
    const script = 'import os, sys; print(os.path.realpath(sys.executable)); print(sys.base_prefix); print(sys.prefix); print(*sys.version_info[:3])';
    const { stdout } = await promisify(execFile)('python3', ['-I', '-c', script], { timeout: 20_000 }).catch((error: Error) => {
      throw new Error(`python3 is needed to grade a Python program, and it could not be run here: ${error.message.split('\n')[0]}`);
    });
    const [executable = '', basePrefix = '', prefix = '', version = ''] = stdout.trim().split('\n');
    const [major = 0, minor = 0] = version.split(' ').map(Number);
    if (major < MINIMUM[0] || (major === MINIMUM[0] && minor < MINIMUM[1])) {
      throw new Error(`Python ${MINIMUM.join('.')} or later is needed to grade a Python program; this machine's python3 is ${version.replaceAll(' ', '.')}`);
    }
    const system = ['/usr/', '/bin/', '/lib/', '/lib64/'];
    const outside = (folder: string) => !system.some((root) => `${folder}/`.startsWith(root));
    const prefixes = [...new Set([basePrefix, prefix, path.dirname(path.dirname(executable))])].filter((folder) => folder !== '' && outside(folder));
    resolved = { executable, prefixes };
    return resolved;
  })();
  return finding;
}
