import { summarize } from '../../harness/report/summary.ts';
import type { BatchResult, CheckResult, ProgramReport, StudentResult } from '../../harness/report/types.ts';

// Builders for the renderers' tests: results shaped like what the runner records, so each test
// can say only what matters to it. Not used outside tests.

/** Every hidden check's text in `sampleChecks` contains this, so a test can assert that none of it leaked. */
export const SECRET = 'SECRET';

/** A program report; its output holds control characters as real programs' output does. */
export function makeProgram(overrides: Partial<ProgramReport> = {}): ProgramReport {
  return {
    command: 'node server.js',
    port: 40123,
    exit: 'was stopped by the grader (SIGTERM)',
    stdout: 'listening on 40123\n\x1b[31mconnection from 127.0.0.1\x1b[0m\n',
    stderr: 'warning: odd byte \x00 here\n',
    stdoutDroppedBytes: 0,
    stderrDroppedBytes: 0,
    ...overrides,
  };
}

/** A check that passed unless told otherwise. */
export function makeCheck(overrides: Partial<CheckResult> & { id: string }): CheckResult {
  return {
    title: `Check ${overrides.id}`,
    status: 'pass',
    hidden: false,
    points: overrides.status && overrides.status !== 'pass' ? 0 : (overrides.maxPoints ?? 1),
    maxPoints: 1,
    message: '',
    details: [],
    durationMs: 120,
    designedWaitMs: 0,
    log: [],
    transcript: [],
    programs: [],
    ...overrides,
  };
}

/** One of each kind: a pass, a failure with everything a failure can carry, a skip, a grader error, and hidden checks. */
export function sampleChecks(): CheckResult[] {
  return [
    makeCheck({ id: 'listens', title: 'Your server accepts a connection on PORT', maxPoints: 2, log: ['connecting to 127.0.0.1:40123', 'connected'] }),
    makeCheck({
      id: 'echoes-line',
      title: 'Your server sends back each line it receives',
      status: 'fail',
      maxPoints: 3,
      durationMs: 1534,
      message: 'Sent "hello", expected "hello" back, got "HELLO".',
      details: ['expected: hello\\n', 'actual:   HELLO\\n'],
      hint: 'Send back exactly the bytes you read; do not change their case.',
      log: ['connecting to 127.0.0.1:40123', 'sent 6 bytes', 'received 6 bytes'],
      transcript: ['→ hello\\n', '← HELLO\\n'],
      programs: [makeProgram()],
    }),
    makeCheck({ id: 'echoes-many', title: 'Your server echoes many lines in order', status: 'skip', maxPoints: 2, message: 'Skipped: it needs "echoes-line" to pass first.' }),
    makeCheck({
      id: 'closes-cleanly',
      title: 'Your server closes the connection when the client does',
      status: 'error',
      message: 'The grader failed: TypeError: Cannot read properties of undefined',
      details: ['at probe (harness/probes/tcp-client.ts:41:7)'],
      log: ['connecting to 127.0.0.1:40123'],
    }),
    makeCheck({
      id: 'many-clients',
      title: 'Your server serves 100 clients at once',
      status: 'fail',
      hidden: true,
      maxPoints: 2,
      message: `${SECRET}: only 12 of 100 clients got a reply`,
      details: [`${SECRET} detail`],
      hint: `${SECRET} hint`,
      log: [`${SECRET} log`],
      transcript: [`${SECRET} wire`],
      programs: [makeProgram({ stdout: `${SECRET} stdout`, stderr: `${SECRET} stderr` })],
    }),
    makeCheck({ id: 'binary-safe', title: 'Your server echoes any byte', hidden: true, log: [`${SECRET} passing log`] }),
  ];
}

/** A student's result, scored from its checks. */
export function makeStudent(student: string, exercise: string, checks: CheckResult[], overrides: Partial<StudentResult> = {}): StudentResult {
  return {
    student,
    exercise,
    submission: `class/${student}`,
    passed: checks.every((check) => check.status === 'pass'),
    score: checks.reduce((sum, check) => sum + check.points, 0),
    maxScore: checks.reduce((sum, check) => sum + check.maxPoints, 0),
    seed: 1234,
    durationMs: checks.reduce((sum, check) => sum + check.durationMs, 0) + 250,
    designedWaitMs: checks.reduce((sum, check) => sum + check.designedWaitMs, 0),
    launches: checks.length,
    checks,
    ...overrides,
  };
}

/** A batch with its summary computed as the runner computes it. */
export function makeBatch(exercise: string, submissions: StudentResult[]): BatchResult {
  return { exercise, generatedAt: '2025-03-14T09:26:53.589Z', seed: 1234, durationMs: 0, submissions, summary: summarize(submissions) };
}
