import { entriesOf } from '../exercise/define.ts';
import { joinWords } from '../report/format.ts';
import { safeLine } from '../report/safe-text.ts';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../errors.ts';
import { listCatalog, loadExerciseFile, type Catalog } from '../exercise/registry.ts';
import { failsThreshold } from './fail-under.ts';
import { normalizeOptions, type GradeCommand, type VerifyCommand } from './options.ts';
import { parseArguments } from './parse-args.ts';

/** Where the CLI writes; tests pass their own. */
export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /** The keyboard, for --watch: a terminal (put in raw mode) or a pipe of lines. */
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?(raw: boolean): unknown };
}

/** Runs the `grade` command line and returns its exit code: 0 done/passed, 1 not passed, 2 usage error. */
export async function main(argv: readonly string[], io: CliIo = process): Promise<number> {
  try {
    const raw = await parseArguments(argv, (text) => io.stdout.write(`${text}\n`));
    if (raw.handled) return 0;
    const command = await normalizeOptions(raw);
    // A warning quotes folder names, which students chose: escaped like everything they chose.
    if ('notices' in command) for (const notice of command.notices) io.stderr.write(`${safeLine(notice)}\n`);
    // Each command loads what it runs when it runs: `grade list` and `--help` start without the
    // grading engine, execa and the probes, which cost 70 ms of a start to load.
    switch (command.kind) {
      case 'list':
        return await printExercises(command.catalog, io);
      case 'grade':
        return await gradeOne(command, io);
      case 'batch':
        return await (await import('./grade-class.ts')).gradeClass(command, io);
      case 'merge':
        return await (await import('./merge-reports.ts')).mergeReports(command, io);
      case 'verify':
        return await verify(command, io);
      case 'pack': {
        const { packForStudents } = await import('../scaffold/student-pack.ts');
        const packed = await packForStudents(command.course, command.out, command.exercises);
        io.stdout.write(`wrote ${command.out}: ${packed.join(', ')}, without solutions or fixtures\nNext: publish it (a template repository, or an npm package) for your students.\n`);
        return 0;
      }
      case 'new': {
        const { scaffoldExercise } = await import('../scaffold/new-exercise.ts');
        const made = await scaffoldExercise(command.course, command.id, command.exerciseKind, command.language);
        io.stdout.write(`${made.map((dir) => `wrote ${dir}`).join('\n')}\nNext: edit ${path.join(made[0]!, 'exercise.ts')}, and run \`grade verify ${command.id}\`.\n`);
        return 0;
      }
    }
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`grade: ${error.message}\nRun \`grade --help\` for usage.\n`);
    return 2;
  }
}

async function printExercises(catalog: Catalog, io: CliIo): Promise<number> {
  if (catalog.course) io.stdout.write(`course ${catalog.course}\n`);
  for (const entry of await listCatalog(catalog)) {
    const exercise = await loadExerciseFile(entry.file);
    io.stdout.write(`${entry.id.padEnd(24)} ${exercise.title} (write ${joinWords(entriesOf(exercise.entry, exercise.languages), 'or')}) · ${entry.origin}\n`);
  }
  return 0;
}

async function gradeOne(command: GradeCommand, io: CliIo): Promise<number> {
  if (command.watch) {
    const { watchAndGrade } = await import('./watch.ts');
    return watchAndGrade(command, io);
  }
  const { gradeAndReport } = await import('./grade-one.ts');
  // With the JSON on stdout, the human report moves to stderr so the JSON stays parseable.
  const result = await gradeAndReport(command, command.targets.json === '-' ? io.stderr : io.stdout, io.stdout);
  // With --fail-under, the threshold decides, as it does for a class; without, every check must pass.
  if (command.failUnder !== undefined) return failsThreshold([result], command.failUnder) ? 1 : 0;
  return result.passed ? 0 : 1;
}

async function verify(command: VerifyCommand, io: CliIo): Promise<number> {
  const [{ verifyExercises }, { renderVerifyJunit, renderVerifyOutcome, renderVerifySummary }] = await Promise.all([import('../verify/verify.ts'), import('../report/verify.ts')]);
  const style = { color: command.color };
  const outcomes = await verifyExercises({ ...command, onOutcome: (outcome) => io.stdout.write(renderVerifyOutcome(outcome, style)) });
  io.stdout.write(renderVerifySummary(outcomes, command.runs, style));
  if (command.targets.junit) await writeFile(command.targets.junit, renderVerifyJunit(outcomes));
  return outcomes.every((outcome) => outcome.status === 'ok') ? 0 : 1;
}

