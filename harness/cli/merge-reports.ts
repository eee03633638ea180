import { readFile } from 'node:fs/promises';
import { UsageError } from '../errors.ts';
import { mergeShards } from '../report/merge.ts';
import { ReportWriter } from '../report/outputs.ts';
import { redactHidden } from '../report/redact.ts';
import { renderBatchSummary } from '../report/terminal-batch.ts';
import type { BatchResult } from '../report/types.ts';
import type { CliIo } from './main.ts';
import type { MergeCommand } from './options.ts';

/** `grade merge <reports...>`: the shards' --json reports checked and merged into one class's reports. */
export async function mergeReports(command: MergeCommand, io: CliIo): Promise<number> {
  const reports = await Promise.all(
    command.reports.map(async (file) => {
      const text = await readFile(file, 'utf8').catch(() => {
        throw new UsageError(`Cannot read "${file}": pass the --json reports written by the shards.`);
      });
      return { file, batch: JSON.parse(text) as BatchResult };
    }),
  );
  const outcome = mergeShards(reports);
  if (!outcome.ok) {
    io.stderr.write(`grade merge: not merged.\n${outcome.problems.map((p) => `  ${p}`).join('\n')}\n`);
    return 1;
  }
  const batch = command.studentView ? { ...outcome.batch, submissions: outcome.batch.submissions.map(redactHidden) } : outcome.batch;
  await (await ReportWriter.open(command.targets, io.stdout)).finish({ batch, audience: command.studentView ? 'student' : 'instructor' });
  const out = command.targets.json === '-' ? io.stderr : io.stdout;
  out.write(renderBatchSummary(outcome.batch, { color: command.color }));
  return 0;
}

