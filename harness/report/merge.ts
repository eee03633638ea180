import { makeBatchResult } from '../run/batch.ts';
import type { BatchResult } from './types.ts';

/** The outcome of merging shard reports: the class, or why it would be incomplete. */
export type MergeOutcome = { ok: true; batch: BatchResult } | { ok: false; problems: string[] };

/**
 * Merges the reports of `--shard i/n` runs into what one unsharded run writes. Every shard
 * 1..n must be there exactly once, for the same exercise: a missing shard is named, never
 * silently dropped from the class.
 */
export function mergeShards(reports: readonly { file: string; batch: BatchResult }[]): MergeOutcome {
  const problems: string[] = [];
  for (const { file, batch } of reports) {
    if (!batch.shard) problems.push(`${file} is not a shard report (it was not written with --shard i/n).`);
  }
  if (problems.length > 0 || reports.length === 0) return { ok: false, problems: reports.length === 0 ? ['No reports to merge.'] : problems };
  const count = reports[0]!.batch.shard!.count;
  const exercise = reports[0]!.batch.exercise;
  for (const { file, batch } of reports) {
    if (batch.shard!.count !== count) problems.push(`${file} is shard ${batch.shard!.index}/${batch.shard!.count}, but the first report is one of ${count}.`);
    if (batch.exercise !== exercise) problems.push(`${file} grades "${batch.exercise}", but the first report grades "${exercise}".`);
  }
  const seen = new Map<number, string>();
  for (const { file, batch } of reports) {
    const earlier = seen.get(batch.shard!.index);
    if (earlier) problems.push(`Shard ${batch.shard!.index}/${count} appears twice: ${earlier} and ${file}.`);
    seen.set(batch.shard!.index, file);
  }
  const seeds = new Set(reports.map(({ batch }) => batch.seed));
  if (seeds.size > 1) {
    const each = reports.map(({ file, batch }) => `${file}: ${batch.seed}`).join(', ');
    problems.push(`The shards were graded with different seeds (${each}): one class, one seed. Grade every shard again with the same --seed (or none: a class's default seed is the same in every shard).`);
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((index) => !seen.has(index));
  if (missing.length > 0) problems.push(`Missing shard${missing.length === 1 ? '' : 's'} ${missing.map((i) => `${i}/${count}`).join(', ')}: the class would be incomplete.`);
  if (problems.length > 0) return { ok: false, problems };
  const submissions = reports.flatMap(({ batch }) => batch.submissions);
  // Shards run side by side: the class took as long as its slowest shard.
  const durationMs = Math.max(...reports.map(({ batch }) => batch.durationMs ?? 0));
  return { ok: true, batch: makeBatchResult({ exercise, seed: reports[0]!.batch.seed, durationMs }, submissions) };
}
