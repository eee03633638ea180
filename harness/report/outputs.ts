import { appendFile, rename, writeFile } from 'node:fs/promises';
import type { ReportTargets } from '../cli/parse-args.ts';
import type { Audience } from './html.ts';
import type { BatchResult, SubmissionResult } from './types.ts';

/** What the reports are made from: a class, and for a single grading also its one result. */
export interface ReportSource {
  batch: BatchResult;
  /** Who the reports are for; for students, the results are already redacted. */
  audience: Audience;
  /** Set for `grade <exercise> [dir]`: its JSON is the single-run report, and Gradescope/PrairieLearn need it. */
  single?: SubmissionResult;
}

/** One report file: where it goes, and how it is made. */
interface ReportFile {
  format: keyof ReportTargets;
  target: string;
  render(source: ReportSource): string;
}

type Render = (source: ReportSource) => string;

// Each format's module is loaded only when asked for: a student's `grade` needs none of them.
const RENDERERS: Record<keyof ReportTargets, () => Promise<Render>> = {
  json: async () => ({ batch, single }) => `${JSON.stringify(single ?? batch, null, 2)}\n`,
  junit: async () => {
    const { renderJunit } = await import('./junit.ts');
    return ({ batch, audience }) => renderJunit(batch, { instructor: audience === 'instructor' });
  },
  gradescope: async () => {
    const { renderGradescope } = await import('./gradescope.ts');
    return ({ single }) => renderGradescope(single!);
  },
  prairielearn: async () => {
    const { renderPrairieLearn } = await import('./prairielearn.ts');
    return ({ single }) => renderPrairieLearn(single);
  },
  'github-classroom': async () => {
    const { renderGithubClassroom } = await import('./github-classroom.ts');
    return ({ single }) => renderGithubClassroom(single!);
  },
  csv: async () => {
    const { renderCsv } = await import('./csv.ts');
    return ({ batch }) => renderCsv(batch);
  },
  markdown: async () => {
    const { renderMarkdown } = await import('./markdown.ts');
    return ({ batch }) => renderMarkdown(batch);
  },
  html: async () => {
    const { renderHtml } = await import('./html.ts');
    return ({ batch, audience }) => renderHtml(batch, audience);
  },
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

  private constructor(files: ReportFile[], stdout: { write(text: string): unknown }) {
    this.#files = files;
    this.#stdout = stdout;
  }

  /** A writer for every report in `targets`, its formats loaded. */
  static async open(targets: ReportTargets, stdout: { write(text: string): unknown }): Promise<ReportWriter> {
    const entries = Object.entries(targets) as [keyof ReportTargets, string][];
    const files = await Promise.all(entries.map(async ([format, target]) => ({ format, target, render: await RENDERERS[format]() })));
    return new ReportWriter(files, stdout);
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
  async finish(source: ReportSource, markdownSummaryFile = process.env.GITHUB_STEP_SUMMARY, stepOutputFile = process.env.GITHUB_OUTPUT): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#pending;
    await this.#writeFiles(source);
    for (const file of this.#files.filter((f) => f.target === '-')) this.#stdout.write(file.render(source));
    const markdown = this.#files.find((f) => f.format === 'markdown');
    if (markdown && markdownSummaryFile) await appendFile(markdownSummaryFile, `${markdown.render(source)}\n`);
    // The Classroom reporter reads a runner's result as base64, from the step output `result`.
    const classroom = this.#files.find((f) => f.format === 'github-classroom');
    if (classroom && stepOutputFile) await appendFile(stepOutputFile, `result=${Buffer.from(classroom.render(source)).toString('base64')}\n`);
  }

  async #writeFiles(source: ReportSource): Promise<void> {
    for (const file of this.#files.filter((f) => f.target !== '-')) {
      const partial = `${file.target}.partial`;
      await writeFile(partial, file.render(source));
      await rename(partial, file.target);
    }
  }
}
