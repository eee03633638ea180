import { appendFile, rename, writeFile } from 'node:fs/promises';
import type { ReportTargets } from '../cli/parse-args.ts';
import { renderCsv } from './csv.ts';
import { renderGradescope } from './gradescope.ts';
import { renderJunit } from './junit.ts';
import { renderMarkdown } from './markdown.ts';
import { renderPrairieLearn } from './prairielearn.ts';
import type { BatchResult, SubmissionResult } from './types.ts';

/** What the reports are made from: a class, and for a single grading also its one result. */
export interface ReportSource {
  batch: BatchResult;
  /** Set for `grade <exercise> [dir]`: its JSON is the single-run report, and Gradescope/PrairieLearn need it. */
  single?: SubmissionResult;
}

/** One report file: where it goes, and how it is made. */
interface ReportFile {
  format: keyof ReportTargets;
  target: string;
  render(source: ReportSource): string;
}

const RENDERERS: Record<keyof ReportTargets, (source: ReportSource) => string> = {
  json: ({ batch, single }) => `${JSON.stringify(single ?? batch, null, 2)}\n`,
  junit: ({ batch }) => renderJunit(batch, { instructor: true }),
  gradescope: ({ single }) => renderGradescope(single!),
  prairielearn: ({ single }) => renderPrairieLearn(single),
  csv: ({ batch }) => renderCsv(batch),
  markdown: ({ batch }) => renderMarkdown(batch),
};

const WRITE_INTERVAL_MS = 1000;

/**
 * Writes every requested report, again as results come in (at most once a second, each file
 * replaced atomically), so a batch stopped by a CI time limit leaves every finished result behind.
 */
export class ReportWriter {
  #files: ReportFile[];
  #stdout: { write(text: string): unknown };
  #lastWrite = Number.NEGATIVE_INFINITY;
  #latest: ReportSource | undefined;
  #timer: NodeJS.Timeout | undefined;
  #pending: Promise<void> = Promise.resolve();

  constructor(targets: ReportTargets, stdout: { write(text: string): unknown }) {
    this.#files = (Object.entries(targets) as [keyof ReportTargets, string][]).map(([format, target]) => ({ format, target, render: RENDERERS[format] }));
    this.#stdout = stdout;
  }

  /** Rewrites the files with `source` now, or (at most a second later) with the latest source by then. */
  update(source: ReportSource): void {
    this.#latest = source;
    if (this.#timer) return;
    const wait = Math.max(0, this.#lastWrite + WRITE_INTERVAL_MS - performance.now());
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#lastWrite = performance.now();
      const latest = this.#latest!;
      // A failed write is reported by finish(); a later write may still succeed.
      this.#pending = this.#pending.then(() => this.#writeFiles(latest)).catch(() => {});
    }, wait).unref();
  }

  /** The final write: every file, stdout for `--json -`, and the GitHub step summary. */
  async finish(source: ReportSource, markdownSummaryFile = process.env.GITHUB_STEP_SUMMARY): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#pending;
    await this.#writeFiles(source);
    for (const file of this.#files.filter((f) => f.target === '-')) this.#stdout.write(file.render(source));
    if (this.#files.some((f) => f.format === 'markdown') && markdownSummaryFile) {
      await appendFile(markdownSummaryFile, `${renderMarkdown(source.batch)}\n`);
    }
  }

  async #writeFiles(source: ReportSource): Promise<void> {
    for (const file of this.#files.filter((f) => f.target !== '-')) {
      const partial = `${file.target}.partial`;
      await writeFile(partial, file.render(source));
      await rename(partial, file.target);
    }
  }
}
