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

/** A bar only where a person watches a terminal; CI logs get plain lines they can keep. */
export function createProgress(total: number, stream: NodeJS.WritableStream & { isTTY?: boolean }, style: TerminalStyle): Progress {
  if (!stream.isTTY || process.env.CI) {
    return { advance: (result, done) => void stream.write(renderProgressLine(result, done, total, style)), stop: () => {} };
  }
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: 'grading |{bar}| {value}/{total} · {duration_formatted} elapsed · ETA {eta_formatted} · {last}',
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { last: '' });
  return {
    advance: (result, done) => bar.update(done, { last: `${safeLine(result.student)} ${result.score}/${result.maxScore}` }),
    stop: () => bar.stop(),
  };
}
