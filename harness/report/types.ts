/** pass and fail are verdicts on the student; skip means a dependency did not pass; error is the grader's fault. */
export type CheckStatus = 'pass' | 'fail' | 'skip' | 'error';

/** A program a check started, as the report shows it. */
export interface ProgramReport {
  command: string;
  port: number;
  /** How it ended, in words ("exited with code 1", "was stopped by the grader (SIGTERM)"). */
  exit: string;
  stdout: string;
  stderr: string;
  /** Output past the per-process cap, counted but not kept. */
  stdoutDroppedBytes: number;
  stderrDroppedBytes: number;
}

/** The outcome of one check. */
export interface CheckResult {
  id: string;
  title: string;
  status: CheckStatus;
  points: number;
  maxPoints: number;
  /** Empty when the check passed. */
  message: string;
  /** Lines shown under the message: expected vs actual, a byte diff, a compiler error. */
  details: string[];
  hint?: string;
  durationMs: number;
  /** What the check did, step by step. */
  log: string[];
  /** The conversations on the wire, rendered. */
  transcript: string[];
  programs: ProgramReport[];
}

/** The outcome of grading one submission for one exercise; this is also the JSON report. */
export interface SubmissionResult {
  exercise: string;
  submission: string;
  passed: boolean;
  score: number;
  maxScore: number;
  seed: number;
  durationMs: number;
  /** How many times the student's program was started. */
  launches: number;
  checks: CheckResult[];
}
