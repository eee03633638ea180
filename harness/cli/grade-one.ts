import path from 'node:path';
import { makeBatchResult } from '../run/batch.ts';
import { gradeIsolated } from '../run/grade-in-namespace.ts';
import { ReportWriter } from '../report/outputs.ts';
import { redactHidden } from '../report/redact.ts';
import { makeCheckPrinter, renderHeader, renderSummary } from '../report/terminal.ts';
import type { CheckResult, StudentResult, SubmissionResult } from '../report/types.ts';
import type { GradeCommand } from './options.ts';

type Output = { write(text: string): unknown };

/** What may differ between runs of one command (--watch): the seed, and a way to cancel. */
export interface GradeRun {
  seed: number;
  signal?: AbortSignal;
  /** Told of every check that ends, also after the run was cancelled. */
  onCheckResult?: (check: CheckResult) => void;
}

/**
 * Grades one student's folder as `grade <exercise> [dir]` shows it: the header, each check as it
 * finishes, the summary, then every report file. A run cancelled by `signal` prints nothing more
 * once cancelled, writes no report, and rejects.
 */
export async function gradeAndReport(command: GradeCommand, out: Output, stdout: Output, run: GradeRun = command): Promise<SubmissionResult> {
  const style = { color: command.color, instructor: command.instructor };
  const live = (text: string) => void (run.signal?.aborted || out.write(text));
  live(renderHeader(command.exercise, command.dir, run.seed, style));
  const printer = makeCheckPrinter(style);
  const result = await gradeIsolated(command.isolation, {
    exercise: command.exercise,
    dir: command.dir,
    seed: run.seed,
    timeoutFactor: command.timeoutFactor,
    submissionTimeoutMs: command.submissionTimeoutMs,
    ...(command.language && { language: command.language }),
    onCheckResult: (check) => {
      run.onCheckResult?.(check);
      live(printer.add(check));
    },
    ...(run.signal && { signal: run.signal }),
  });
  live(printer.flush());
  out.write(renderSummary(result, style));
  const shown = command.instructor ? result : redactHidden(result);
  const student: StudentResult = { student: path.basename(command.dir), ...shown };
  const batch = makeBatchResult({ exercise: result.exercise, seed: run.seed, durationMs: result.durationMs }, [student]);
  await (await ReportWriter.open(command.targets, stdout)).finish({ batch, single: shown, audience: command.instructor ? 'instructor' : 'student' });
  return result;
}
