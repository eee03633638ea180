import { writeFile } from 'node:fs/promises';
import { UsageError } from '../errors.ts';
import { listExerciseIds, loadExercise } from '../exercise/registry.ts';
import { gradeSubmission } from '../run/grade.ts';
import { renderCheck, renderHeader, renderSummary } from '../report/terminal.ts';
import { normalizeOptions, type GradeCommand } from './options.ts';
import { parseArguments } from './parse-args.ts';

/** Where the CLI writes; tests pass their own. */
export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

/** Runs the `grade` command line and returns its exit code: 0 passed, 1 not passed, 2 usage error. */
export async function main(argv: readonly string[], io: CliIo = process): Promise<number> {
  try {
    const raw = await parseArguments(argv, (text) => io.stdout.write(`${text}\n`));
    if (raw.handled) return 0;
    const command = await normalizeOptions(raw);
    if (command.kind === 'list') return await listExercises(io);
    return await grade(command, io);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`grade: ${error.message}\nRun \`grade --help\` for usage.\n`);
    return 2;
  }
}

async function listExercises(io: CliIo): Promise<number> {
  for (const id of await listExerciseIds()) {
    const exercise = await loadExercise(id);
    io.stdout.write(`${id.padEnd(24)} ${exercise.title} (write ${exercise.entry})\n`);
  }
  return 0;
}

async function grade(command: GradeCommand, io: CliIo): Promise<number> {
  // With the JSON on stdout, the human report moves to stderr so the JSON stays parseable.
  const out = command.json === '-' ? io.stderr : io.stdout;
  const style = { color: command.color };
  out.write(renderHeader(command.exercise, command.dir, command.seed, style));
  const result = await gradeSubmission({
    exercise: command.exercise,
    dir: command.dir,
    seed: command.seed,
    timeoutFactor: command.timeoutFactor,
    submissionTimeoutMs: command.submissionTimeoutMs,
    onCheckResult: (check) => out.write(renderCheck(check, style)),
  });
  out.write(renderSummary(result, style));
  const json = `${JSON.stringify(result, null, 2)}\n`;
  if (command.json === '-') io.stdout.write(json);
  else if (command.json) await writeFile(command.json, json);
  return result.passed ? 0 : 1;
}
