import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadExercise } from '../../harness/exercise/registry.ts';
import { gradeSubmission } from '../../harness/run/grade.ts';
import { ROOT } from '../helpers/run-grade.ts';

// Without /proc (macOS, Windows) readiness connects; that first connection must serve the check.
describe('readiness by connecting, as on machines without /proc', () => {
  const cases = [
    { dir: 'solutions/tcp-hello-server', failing: [] },
    { dir: 'fixtures/tcp-hello-server/serve-once-exits', failing: [] },
    { dir: 'fixtures/tcp-hello-server/ipv6-only', failing: [] },
    { dir: 'fixtures/tcp-hello-server/extra-newline', failing: ['greeting'] },
    { dir: 'fixtures/tcp-hello-server/never-closes', failing: ['closes'] },
  ];

  test.concurrent.each(cases)('$dir gets the same verdicts as with /proc', async ({ dir, failing }) => {
    const exercise = await loadExercise('tcp-hello-server');
    const result = await gradeSubmission({
      exercise,
      dir: path.join(ROOT, dir),
      seed: 1,
      timeoutFactor: 1,
      submissionTimeoutMs: 60_000,
      readiness: 'connect',
      sandbox: true,
    });
    expect(result.checks.filter((c) => c.status !== 'pass').map((c) => c.id)).toEqual(failing);
    expect(result.checks.find((c) => c.id === 'greeting')?.log.join('\n')).toContain('this connection is the next client');
  });
});
