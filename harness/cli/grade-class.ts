import { gradeBatch, makeBatchResult } from '../run/batch.ts';
import { removeFolderAliases } from '../run/student-folders.ts';
import { ReportWriter } from '../report/outputs.ts';
import { redactHidden } from '../report/redact.ts';
import { renderBatchSummary } from '../report/terminal-batch.ts';
import { renderTerminal } from '../report/terminal.ts';
import type { StudentResult } from '../report/types.ts';
import { failsThreshold } from './fail-under.ts';
import type { CliIo } from './main.ts';
import type { BatchCommand } from './options.ts';

/**
 * `grade <exercise|all> --submissions <dir>` and `grade all <dir>`: progress (or each report, for
 * one student's folder), the report files rewritten as results come in, then the class summary.
 */
export async function gradeClass(command: BatchCommand, io: CliIo): Promise<number> {
  const out = command.targets.json === '-' ? io.stderr : io.stdout;
  const style = { color: command.color, instructor: true };
  const started = performance.now();
  const writer = await ReportWriter.open(command.targets, io.stdout);
  const finished: StudentResult[] = [];
  const audience = command.studentView ? 'student' : 'instructor';
  const batchOf = (results: readonly StudentResult[]) =>
    makeBatchResult({ exercise: command.label, seed: command.seed, shard: command.shard, durationMs: performance.now() - started }, command.studentView ? results.map(redactHidden) : results);
  const progress = command.detailed ? undefined : (await import('./progress.ts')).createProgress(command.jobs.length, out, style);
  await gradeBatch({
    jobs: command.jobs,
    exercises: command.exercises,
    seed: command.seed,
    timeoutFactor: command.timeoutFactor,
    ...(command.language && { language: command.language }),
    submissionTimeoutMs: command.submissionTimeoutMs,
    isolation: command.isolation,
    concurrency: command.detailed ? 1 : command.concurrency,
    onResult: async (result, done) => {
      finished.push(result);
      if (progress) progress.advance(result, done);
      else out.write(renderTerminal(result, command.exercises.get(result.exercise)!, { color: command.color, instructor: command.instructor }));
      writer.update({ batch: batchOf(finished), audience });
    },
  });
  progress?.stop();
  removeFolderAliases();
  const batch = batchOf(finished);
  await writer.finish({ batch, audience });
  out.write(renderBatchSummary(batch, style));
  return failsThreshold(batch.submissions, command.failUnder) ? 1 : 0;
}

