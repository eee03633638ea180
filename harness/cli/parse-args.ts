import yargs from 'yargs';
import { UsageError } from '../errors.ts';

/** The command line as yargs read it, before any validation of values. */
export interface RawArguments {
  command: 'grade' | 'list';
  exercise?: string;
  dir?: string;
  seed?: number;
  json?: string;
  timeout?: number;
  timeoutFactor?: number;
  color?: boolean;
  /** True when yargs already printed help or the version, and there is nothing to run. */
  handled: boolean;
}

/**
 * Maps the command line to raw options; yargs prints `--help`. Bad syntax throws the message
 * yargs gives, which the caller reports as a usage error.
 */
export async function parseArguments(argv: readonly string[], print: (text: string) => void): Promise<RawArguments> {
  let command: RawArguments['command'] = 'grade';
  let output = '';
  const parser = yargs([...argv])
    .scriptName('grade')
    .usage('$0 <exercise> [dir]\n\nGrade the program in [dir] (default: the current folder) for <exercise>.')
    .command('$0 <exercise> [dir]', false, (y) =>
      y
        .positional('exercise', { type: 'string', describe: 'The exercise to grade, e.g. tcp-hello-server' })
        .positional('dir', { type: 'string', describe: 'The folder with your program', default: '.' }),
    )
    .command('list', 'List the exercises', () => {}, () => {
      command = 'list';
    })
    .option('seed', { type: 'number', describe: 'Replay a run: the seed printed at the end of a report' })
    .option('json', { type: 'string', requiresArg: true, describe: 'Also write the report as JSON to this file (- for stdout)' })
    .option('timeout', { type: 'number', describe: 'Time limit for the whole submission, in seconds', default: 300 })
    .option('timeout-factor', { type: 'number', describe: 'Multiply every time limit, for slow machines', default: 1 })
    .option('color', { type: 'boolean', describe: 'Colour the report (--no-color to turn it off)' })
    .example('$0 tcp-hello-server', 'Grade server.ts in the current folder')
    .example('$0 tcp-hello-server ~/work/lab1 --seed 4242', 'Grade another folder, replaying seed 4242')
    .example('$0 tcp-hello-server . --json report.json', 'Also write a machine-readable report')
    .example('$0 list', 'Show the exercises')
    .strict()
    .exitProcess(false)
    .wrap(Math.min(100, process.stdout.columns || 100))
    .fail((message, error) => {
      throw new UsageError(message || error?.message || "Invalid arguments.");
    });
  const parsed = await parser.parseAsync([...argv], {}, (_error, _argv, text) => {
    output = text;
  });
  if (output) print(output);
  const handled = Boolean(parsed.help || parsed.version);
  return {
    command,
    exercise: parsed.exercise as string | undefined,
    dir: parsed.dir as string | undefined,
    seed: parsed.seed,
    json: parsed.json,
    timeout: parsed.timeout,
    timeoutFactor: parsed.timeoutFactor,
    color: parsed.color,
    handled,
  };
}
