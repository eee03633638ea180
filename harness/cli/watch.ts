import { watch } from 'chokidar';
import path from 'node:path';
import { createColors } from 'picocolors';
import { makeSeed } from '../run/random.ts';
import { gradeAndReport } from './grade-one.ts';
import type { CliIo } from './main.ts';
import type { GradeCommand } from './options.ts';

// Saves come in bursts (an editor's backup, the file, a formatter's rewrite): one run for all of them.
const DEBOUNCE_MS = 250;
const TREND_RUNS = 6;
const CLEAR_SCREEN = '\x1b[2J\x1b[3J\x1b[H';
// Why a run in progress is cancelled: a change (or a new seed) starts another, or the student quits.
const STARTING_OVER = 'starting over';
const QUITTING = 'quitting';
// Folders no change of the student's program is in, and editors' swap, backup and lock files,
// which some editors rewrite every few seconds while the student types.
const NOT_THE_PROGRAM = /(^|[/\\])(node_modules|\.git)([/\\]|$)|\.sw[a-p]$|~$|(^|[/\\])(\.#[^/\\]*|#[^/\\]*#|4913)$/;

interface Run {
  controller: AbortController;
  done: Promise<void>;
}

/**
 * `grade <exercise> --watch`: grades the folder, then again whenever a file in it changes, until
 * the student presses q (or Ctrl+C). A change cancels the run in progress, stopping its programs;
 * every run uses the same seed, so a change is judged on the same data, until s picks a new one.
 */
export async function watchAndGrade(command: GradeCommand, io: CliIo): Promise<number> {
  const out = io.stdout;
  const c = createColors(command.color);
  const keys = io.stdin ?? process.stdin;
  let seed = command.seed;
  const scores: { score: string; seed: number }[] = [];
  let current: Run | undefined;
  let changed = new Set<string>();
  let debounce: NodeJS.Timeout | undefined;
  let quit!: () => void;
  const quitting = new Promise<void>((resolve) => (quit = resolve));

  const prompt = () => `\n${c.dim(`Watching ${command.dir} for changes · seed ${seed} · press s for a new seed, q to quit`)}\n`;
  const trend = () => {
    const shown = scores.slice(-TREND_RUNS).map((run, i, all) => (i > 0 && run.seed !== all[i - 1]!.seed ? `(new seed) ${run.score}` : run.score));
    return `${c.bold('Score:')} ${shown.map((score, i) => (i === shown.length - 1 ? c.bold(score) : score)).join(' → ')}\n`;
  };

  // Starts a run, once the one in progress (cancelled now) has stopped its programs.
  const grade = (reason: string | undefined) => {
    const previous = current;
    previous?.controller.abort(STARTING_OVER);
    const controller = new AbortController();
    const done = (async () => {
      await previous?.done;
      if (controller.signal.aborted) return;
      if (out.isTTY) out.write(CLEAR_SCREEN);
      else if (previous) out.write(`\n${c.dim('─'.repeat(60))}\n`);
      if (reason) out.write(`${c.dim(reason)}\n`);
      let checks = 0;
      try {
        const result = await gradeAndReport(command, out, out, { seed, signal: controller.signal, onCheckResult: () => void checks++ });
        scores.push({ score: `${result.score}/${result.maxScore}`, seed });
        out.write(trend());
      } catch (error) {
        if (!controller.signal.aborted) io.stderr.write(`grade: this run failed: ${error instanceof Error ? error.message : String(error)}\n`);
        else {
          const next = controller.signal.reason === STARTING_OVER ? ': grading again' : '';
          return void out.write(`\n${c.yellow(`Stopped this run after ${checks} of ${command.exercise.checks.length} checks`)}${next}.\n`);
        }
      }
      out.write(prompt());
    })();
    current = { controller, done };
  };

  const watcher = watch(command.dir, { ignoreInitial: true, ignored: ignoredIn(command) });
  watcher.on('all', (_event, file) => {
    changed.add(path.relative(command.dir, file) || '.');
    clearTimeout(debounce);
    debounce = setTimeout(() => {
      const files = [...changed];
      changed = new Set();
      grade(`Changed: ${files.slice(0, 3).join(', ')}${files.length > 3 ? ` and ${files.length - 3} more` : ''}`);
    }, DEBOUNCE_MS);
  });
  watcher.on('error', (error) => io.stderr.write(`grade: watching ${command.dir} failed: ${error instanceof Error ? error.message : String(error)}\n`));
  await new Promise<void>((resolve) => watcher.once('ready', resolve));

  const onKeys = (text: string | Buffer) => {
    for (const key of String(text)) {
      // Ctrl+C and Ctrl+D arrive as characters when the terminal is in raw mode.
      if (key === 'q' || key === 'Q' || key === '\x03' || key === '\x04') quit();
      else if (key === 's' || key === 'S') {
        seed = makeSeed();
        grade(`New seed: ${seed}`);
      }
    }
  };
  keys.setRawMode?.(true);
  keys.setEncoding('utf8');
  keys.on('data', onKeys);
  keys.resume();

  grade(undefined);
  await quitting;

  clearTimeout(debounce);
  keys.off('data', onKeys);
  keys.setRawMode?.(false);
  keys.pause();
  await watcher.close();
  current?.controller.abort(QUITTING);
  await current?.done;
  out.write('Stopped watching.\n');
  return 0;
}

// Changes that are not the student's: the reports this command writes (when they are in the
// folder), and files no program is made of.
function ignoredIn(command: GradeCommand): (file: string) => boolean {
  const reports = new Set(
    Object.values(command.targets)
      .filter((target) => target !== '-')
      .flatMap((target) => [path.resolve(target), `${path.resolve(target)}.partial`]),
  );
  return (file) => reports.has(file) || NOT_THE_PROGRAM.test(path.relative(command.dir, file));
}
