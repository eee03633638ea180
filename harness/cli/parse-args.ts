import yargs from 'yargs';
import { UsageError } from '../errors.ts';
import { EXERCISE_KINDS } from '../scaffold/new-exercise.ts';

/** Where to write each report format; `json` also takes `-` for stdout. */
export interface ReportTargets {
  json?: string;
  junit?: string;
  gradescope?: string;
  prairielearn?: string;
  'github-classroom'?: string;
  csv?: string;
  markdown?: string;
  html?: string;
}

/** The command line as yargs read it, before any validation of values. */
export interface RawArguments {
  command: 'grade' | 'list' | 'merge' | 'verify' | 'new' | 'pack';
  /** `grade pack --student <dir>`: where the student pack goes. */
  student?: string;
  exercise?: string;
  /** `grade verify`'s exercises, or `grade all --exercises a,b` (none: every exercise of the course, or every built-in one). */
  exercises?: string[];
  runs?: number;
  /** `grade new`'s id and kind. */
  id?: string;
  kind?: string;
  dir?: string;
  /** `grade merge`'s input files. */
  reports?: string[];
  submissions?: string;
  jobs?: number;
  shard?: string;
  failUnder?: number;
  instructor?: boolean;
  studentView?: boolean;
  watch?: boolean;
  sandbox?: boolean;
  course?: string;
  language?: string;
  seed?: number;
  targets: ReportTargets;
  timeout?: number;
  timeoutFactor?: number;
  color?: boolean;
  /** True when yargs already printed help or the version, and there is nothing to run. */
  handled: boolean;
}

const REPORT_OPTIONS = {
  json: 'Write the report as JSON (- for stdout); for a batch, every student with the class summary',
  junit: 'Write JUnit XML, one test suite per submission (GitHub and GitLab test reports)',
  gradescope: "Write Gradescope's results.json for one submission",
  prairielearn: "Write PrairieLearn's external-grader results.json for one submission",
  'github-classroom': "Write the result GitHub Classroom's autograding reporter reads, for one submission (and, when $GITHUB_OUTPUT is set, its base64 as the step output `result`)",
  csv: 'Write a gradebook: one row per student, a column per exercise, and the total',
  markdown: 'Write a Markdown summary (also appended to $GITHUB_STEP_SUMMARY when set)',
  html: 'Write a self-contained HTML report: the class at a glance, and every student\'s full report',
} as const;

// Before running a subcommand (list, verify, new, merge), yargs lays out its whole help text and
// keeps it for a later showHelp(), which nothing here calls: `.fail` throws instead. That layout
// (cliui measuring every line's Unicode width) was a sixth of `grade list`'s start. It is skipped
// unless help was asked for; yargs has no option for it, so its internal hook is replaced, as the
// Angular CLI does (angular/angular-cli#34087), and left alone should a release rename it.
function skipHelpCache(parser: object, argv: readonly string[]): void {
  if (argv.includes('--help')) return;
  const internal = (parser as { getInternalMethods?: () => { getUsageInstance?: () => { cacheHelpMessage?: () => void } } })
    .getInternalMethods?.()
    .getUsageInstance?.();
  if (typeof internal?.cacheHelpMessage === 'function') internal.cacheHelpMessage = () => {};
}

// `verify a b` gives an array, `--exercises a,b` (maybe given twice) a string or an array of them.
function exerciseList(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  return [value].flat().flatMap((item) => String(item).split(',')).map((id) => id.trim()).filter((id) => id !== '');
}

/**
 * Maps the command line to raw options; yargs prints `--help`. Bad syntax throws the message
 * yargs gives, which the caller reports as a usage error.
 */
export async function parseArguments(argv: readonly string[], print: (text: string) => void): Promise<RawArguments> {
  let command: RawArguments['command'] = 'grade';
  let output = '';
  let parser = yargs([...argv])
    .scriptName('grade')
    .usage('$0 <exercise> [dir]\n\nGrade the program in [dir] (default: the current folder) for <exercise>.')
    .command('$0 [exercise] [dir]', false, (y) =>
      y
        .positional('exercise', { type: 'string', describe: 'The exercise to grade, e.g. tcp-hello-server, or all' })
        .positional('dir', { type: 'string', describe: 'The folder with your program' }),
    )
    .command('list', 'List the exercises', () => {}, () => {
      command = 'list';
    })
    .command('verify [exercises..]', "Check exercises: each reference solution scores full marks and each fixture gets its expect.json's verdicts, over several seeds", (y) =>
      y
        .positional('exercises', { type: 'string', array: true, describe: "The exercises (default: the course's, or the built-in ones)" })
        .option('runs', { type: 'number', requiresArg: true, describe: 'Grade each submission this many times, with a new seed each time (default 3)' }), () => {
      command = 'verify';
    })
    .command('new <id>', 'Write a new exercise into the course: spec, statement, starter, solution and a fixture', (y) =>
      y
        .positional('id', { type: 'string', describe: 'The new exercise id, e.g. echo-server' })
        .option('kind', { type: 'string', requiresArg: true, choices: [...EXERCISE_KINDS], describe: 'What the student writes (default tcp-server)' }), () => {
      command = 'new';
    })
    .command('pack', "Write what the course's students get (statements, starters and checks; never solutions or fixtures) into --student <dir>", (y) =>
      y.option('student', { type: 'string', requiresArg: true, demandOption: true, describe: 'The folder to write the student pack into (new or empty)' }), () => {
      command = 'pack';
    })
    .command('merge <reports..>', 'Merge the JSON reports of --shard runs into one', (y) =>
      y.positional('reports', { type: 'string', array: true, describe: 'The shards\' --json reports' }), () => {
      command = 'merge';
    })
    .option('submissions', { type: 'string', requiresArg: true, describe: 'Grade a class: one subfolder per student, named by id' })
    .option('language', { type: 'string', requiresArg: true, describe: 'The language to grade when a folder holds programs in several (typescript, python)' })
    .option('exercises', { type: 'string', requiresArg: true, describe: "With all: the exercises to grade, e.g. tcp-hello-server,upper-server (default: the course's, or every built-in one)" })
    .option('jobs', { type: 'number', requiresArg: true, describe: 'Submissions graded at once (default: the number of cores)' })
    .option('shard', { type: 'string', requiresArg: true, describe: 'Grade slice i of n of the class, e.g. 2/3 (stable by student id)' })
    .option('fail-under', { type: 'number', requiresArg: true, describe: 'Exit with 1 when a submission scores under this percentage' })
    .option('instructor', { type: 'boolean', describe: "Show hidden checks' messages in the terminal report" })
    .option('student-view', { type: 'boolean', describe: "Redact hidden checks in a class's reports too, to hand them to students" })
    .option('watch', { type: 'boolean', describe: 'Grade again whenever a file in [dir] changes (q or Ctrl+C quits, s picks a new seed)' })
    .option('sandbox', { type: 'boolean', describe: 'Insist on a sandbox per program and a network per submission (default: used when available, required for --submissions); --no-sandbox turns it off' })
    .option('seed', { type: 'number', describe: 'Replay a run: the seed printed at the end of a report' })
    .option('course', { type: 'string', requiresArg: true, describe: "A course's folder, whose exercises/ come before the built-in ones (default: the nearest folder up whose package.json depends on netgrade)" });
  for (const [name, describe] of Object.entries(REPORT_OPTIONS)) {
    parser = parser.option(name, { type: 'string', requiresArg: true, describe, group: 'Reports:' });
  }
  parser = parser
    .option('timeout', { type: 'number', describe: 'Time limit for each submission, in seconds', default: 300 })
    .option('timeout-factor', { type: 'number', describe: 'Multiply every time limit, for slow machines', default: 1 })
    .option('color', { type: 'boolean', describe: 'Colour the report (--no-color to turn it off)' })
    .example('$0 tcp-hello-server', 'Grade server.ts in the current folder')
    .example('$0 tcp-hello-server ~/work/lab1 --seed 4242', 'Grade another folder, replaying seed 4242')
    .example('$0 tcp-hello-server --watch', 'Grade again at every save')
    .example('$0 all ~/work', 'Grade every exercise found in ~/work (one subfolder per exercise)')
    .example('$0 tcp-hello-server --submissions class/ --junit junit.xml --csv grades.csv', 'Grade a class')
    .example('$0 tcp-hello-server --submissions class/ --shard 1/3 --json shard-1.json', 'Grade a third of a class')
    .example('$0 merge shard-*.json --json class.json --html class.html', 'Merge the shards')
    .example('$0 list', 'Show the exercises')
    .strict()
    .exitProcess(false)
    .wrap(Math.min(100, process.stdout.columns || 100))
    .fail((message, error) => {
      throw new UsageError(message || error?.message || 'Invalid arguments.');
    });
  skipHelpCache(parser, argv);
  const parsed = await parser.parseAsync([...argv], {}, (_error, _argv, text) => {
    output = text;
  });
  if (output) print(output);
  const targets: ReportTargets = {};
  for (const name of Object.keys(REPORT_OPTIONS) as (keyof ReportTargets)[]) {
    const value = parsed[name];
    if (typeof value === 'string') targets[name] = value;
  }
  return {
    command,
    exercise: parsed.exercise as string | undefined,
    dir: parsed.dir as string | undefined,
    reports: parsed.reports as string[] | undefined,
    exercises: exerciseList(parsed.exercises),
    runs: parsed.runs as number | undefined,
    id: parsed.id as string | undefined,
    kind: parsed.kind as string | undefined,
    student: parsed.student as string | undefined,
    submissions: parsed.submissions,
    jobs: parsed.jobs,
    shard: parsed.shard,
    failUnder: parsed.failUnder,
    instructor: parsed.instructor,
    studentView: parsed.studentView,
    watch: parsed.watch,
    sandbox: parsed.sandbox as boolean | undefined,
    course: parsed.course,
    language: parsed.language,
    seed: parsed.seed,
    targets,
    timeout: parsed.timeout as number | undefined,
    timeoutFactor: parsed.timeoutFactor as number | undefined,
    color: parsed.color as boolean | undefined,
    handled: Boolean(parsed.help || parsed.version),
  };
}
