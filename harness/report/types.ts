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
  /** A hidden check: student-facing reports show only its title and status. */
  hidden: boolean;
  points: number;
  maxPoints: number;
  /** Empty when the check passed. */
  message: string;
  /** Lines shown under the message: expected vs actual, a byte diff, a compiler error. */
  details: string[];
  hint?: string;
  durationMs: number;
  /**
   * Of that, the time the check paused on purpose (a reference server's pauses between segments,
   * a reply held back): what even a perfect program waits through.
   */
  designedWaitMs: number;
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
  /** The checks' designed waits, added up: a grading takes at least this long. */
  designedWaitMs: number;
  /** How many times the student's program was started. */
  launches: number;
  checks: CheckResult[];
}

/** One student's result in a batch: the single-run report, with the student's id (their folder's name). */
export interface StudentResult extends SubmissionResult {
  student: string;
  /** Set when nothing was handed in for this exercise: why, e.g. `missing (no tcp-hello-server/ folder)`. */
  missing?: string;
}

/** How a class did on one check. */
export interface CheckSummary {
  exercise: string;
  id: string;
  title: string;
  passed: number;
  /** Every submission that has the check, whether it ran or not. */
  total: number;
  /** The submissions where it ran: not skipped (a check it needs did not pass), not missing. */
  ran: number;
  /** Skipped because a check it needs did not pass. */
  skipped: number;
  /** Not handed in (`missing` rows). */
  missing: number;
  /** passed / ran, 0–1: how the class did where the check ran (0 when it never ran). */
  passRate: number;
}

/** The class at a glance. */
export interface BatchSummary {
  submissions: number;
  /** Submissions where every check passed. */
  passed: number;
  /** Results with nothing handed in (`missing` set): a student and exercise each. */
  missing: number;
  meanScore: number;
  medianScore: number;
  maxScore: number;
  /** Score counts in ten equal bins of the maximum score (the last bin includes full marks). */
  histogram: { from: number; to: number; count: number }[];
  checks: CheckSummary[];
}

/** A batch run: what `--json` writes for `--submissions`, and what `grade merge` reads. */
export interface BatchResult {
  /** The exercise id, or `all` when each submission holds several exercises. */
  exercise: string;
  generatedAt: string;
  seed: number;
  /** How long the run took; for merged shards, the longest shard's time (they run side by side). */
  durationMs: number;
  /** Set when the run graded one shard of the class: `{ index: 1, count: 3 }`. */
  shard?: { index: number; count: number };
  submissions: StudentResult[];
  summary: BatchSummary;
}
