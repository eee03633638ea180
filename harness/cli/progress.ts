import cliProgress from 'cli-progress';
import { safeLine } from '../report/safe-text.ts';
import { renderProgressLine } from '../report/terminal-batch.ts';
import type { TerminalStyle } from '../report/terminal.ts';
import type { StudentResult } from '../report/types.ts';

/** Shows a batch's progress: a bar on an interactive terminal, one plain line per submission elsewhere. */
export interface Progress {
  advance(result: StudentResult, done: number): void;
  stop(): void;
}

/**
 * A line per finished submission, always; where a person watches a terminal, those lines scroll
 * above a bar with the time left. CI logs get the lines alone, which they can keep.
 */
export function createProgress(total: number, stream: NodeJS.WritableStream & { isTTY?: boolean }, style: TerminalStyle): Progress {
  if (!stream.isTTY || process.env.CI) {
    return { advance: (result, done) => void stream.write(renderProgressLine(result, done, total, style)), stop: () => {} };
  }
  const bars = new cliProgress.MultiBar(
    {
      stream,
      format: 'grading |{bar}| {value}/{total} · {duration_formatted} elapsed · ETA {eta_formatted} · {last}',
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  const bar = bars.create(total, 0, { last: '' });
  return {
    advance(result, done) {
      bars.log(renderProgressLine(result, done, total, style));
      bar.update(done, { last: `${safeLine(result.student)} ${result.score}/${result.maxScore}` });
    },
    stop() {
      // The lines logged since the last redraw are written by a redraw, which stop() does not do.
      bars.update();
      bars.stop();
    },
  };
}
