import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { ROOT, runGrade } from '../helpers/run-grade.ts';

const FIXTURES = path.join(ROOT, 'fixtures/tcp-hello-client');
const SOLUTION = path.join(ROOT, 'solutions/tcp-hello-client');

function sentInCheck(report: NonNullable<Awaited<ReturnType<typeof runGrade>>['report']>, id: string): string {
  // What was sent, without the time it was sent at: a busy machine moves that by a millisecond or two.
  return report.checks.find((c) => c.id === id)!.transcript.filter((line) => line.includes('→ sent')).map((line) => line.replace(/^\s*\+\d+\.\d+ s\s+/, '')).join('\n');
}

describe('grading tcp-hello-client through the CLI', () => {
  test('the message is random per seed, and the same seed replays it', async () => {
    const [first, again, other] = await Promise.all([
      runGrade(['tcp-hello-client', path.join(FIXTURES, 'prints-extra-text'), '--seed', '5']),
      runGrade(['tcp-hello-client', path.join(FIXTURES, 'prints-extra-text'), '--seed', '5']),
      runGrade(['tcp-hello-client', path.join(FIXTURES, 'prints-extra-text'), '--seed', '6']),
    ]);
    const sent = sentInCheck(first.report!, 'one-piece');
    expect(sent).toMatch(/→ sent "[^"]+#\d{3} \w{12}"/);
    expect(sentInCheck(again.report!, 'one-piece')).toBe(sent);
    expect(sentInCheck(other.report!, 'one-piece')).not.toBe(sent);
  });

  test('the verdict on the reference solution does not change over repeated runs with different seeds', async () => {
    const runs = await Promise.all(Array.from({ length: 4 }, () => runGrade(['tcp-hello-client', SOLUTION])));
    for (const run of runs) expect(run.report?.passed, JSON.stringify(run.report?.checks.map((c) => c.message))).toBe(true);
  });

  test('a client that decodes each chunk on its own is told why a character came out wrong', async () => {
    const run = await runGrade(['tcp-hello-client', path.join(FIXTURES, 'decodes-each-chunk')]);
    const check = run.report!.checks.find((c) => c.id === 'utf8-split')!;
    expect(check.hint).toContain('split between two chunks');
    expect(check.details.join('\n')).toContain('�');
  });

  test('a client with no error handler is shown the first lines of its uncaught exception', async () => {
    const run = await runGrade(['tcp-hello-client', path.join(FIXTURES, 'no-error-handler')]);
    const check = run.report!.checks.find((c) => c.id === 'refused')!;
    expect(check.message).toContain('crashed with an uncaught exception when its connection was refused');
    expect(check.details.join('\n')).toContain("Unhandled 'error' event");
  });

  test('a client that reads only the first chunk is told to collect every chunk', async () => {
    const run = await runGrade(['tcp-hello-client', path.join(FIXTURES, 'reads-first-chunk')]);
    const check = run.report!.checks.find((c) => c.id === 'segments')!;
    expect(check.hint).toContain("collect them all and print when the server closes the connection ('end')");
  });
});
