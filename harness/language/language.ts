import type { Confinement } from '../process/confinement.ts';

/** The languages a student may write a program in. */
export const LANGUAGE_IDS = ['typescript', 'python', 'c'] as const;
export type LanguageId = (typeof LANGUAGE_IDS)[number];

/**
 * Words for the student in each language they may write in (`socket.end(...)` for TypeScript,
 * `client_socket.sendall(...)` for Python), or one text for all. A language missing from the
 * record gets no hint rather than another language's words.
 */
export type Hint = string | { readonly [L in LanguageId]?: string };

/** The text of a hint for a program in `language`. */
export function hintFor(hint: Hint | undefined, language: LanguageId): string | undefined {
  return typeof hint === 'object' ? hint[language] : hint;
}

/**
 * One language: how its entry file is named, built and started, and what its crashes look like.
 * The engine that copies, confines, launches and probes never asks which language it runs.
 */
export interface Language {
  id: LanguageId;
  /** As a student names it: `TypeScript`, `Python`. */
  name: string;
  /** The entry file's extensions, the preferred one first: `server.ts` before `server.js`. */
  extensions: readonly string[];
  /** Host files the build needs that the sandbox does not show by itself (esbuild's binary). */
  buildTools: readonly string[];
  /** Host folders every build and launch sees read-only at the same path (an interpreter outside /usr). */
  mounts(): Promise<readonly string[]>;
  /**
   * Checks and builds the entry once per submission, confined as the program is, with the copy
   * read-only; fails with a CheckFailure in the student's terms (`server.py:3: SyntaxError: ...`).
   * Returns a file to put beside the entry in each check's copy, when launches run one, and the
   * compiler's warnings, which the student is shown though the build passed.
   */
  build(job: BuildJob): Promise<Build>;
  /** The command of one launch, with paths as the program sees them. */
  command(launch: LaunchPaths): { file: string; args: string[]; env: Record<string, string> };
  /**
   * How a program's HTTP is mocked: by nock inside it (a Node program), or by the grader's own
   * servers on the submission's network (any other language).
   */
  httpMocks: 'in-process' | 'network';
  /** How a student would start it: `node server.ts`, `python3 server.py`. */
  shownCommand(entry: string): string;
  /** What this language's runtime prints when a program dies of an exception nobody caught. */
  uncaught: readonly RegExp[];
  /**
   * The exception an uncaught-exception report on stderr names, and where in the student's files
   * it was raised: `TypeError: a bytes-like object is required, not 'str'` at `server.py, line 13`.
   */
  uncaughtError(stderr: string): { error: string; where?: string; inThread?: boolean } | undefined;
  /** A stack trace a program printed itself (one frame of it). */
  stackFrame: RegExp;
  /** Out-of-memory messages on stderr, and how to say it. */
  outOfMemory: readonly { pattern: RegExp; description: string }[];
}

/** What a build gets: the pristine copy and the entry found in it. */
export interface BuildJob {
  /** The copy (a host path); the build sees it through `confinement`. */
  dir: string;
  /** The entry file found, relative to the copy: `server.py`. */
  entry: string;
  confinement: Confinement;
  /** `buildTools`, as the build sees them. */
  tools: readonly string[];
  ms(duration: number): number;
}

/** What a build that succeeded made, and what its compiler warned about (`server.c:9:5: warning: unused variable 'n'`). */
export interface Build {
  file?: BuiltFile;
  warnings: readonly string[];
}

/** A file a build made, written into each check's copy beside the entry. */
export interface BuiltFile {
  /** Its name beside the entry; one the copy never holds (see `isSkipped`). */
  name: string;
  bytes: Buffer;
  mode: number;
}

/** Paths of one launch as the program sees them. */
export interface LaunchPaths {
  entry: string;
  /** The built file, when the build made one. */
  built: string | undefined;
  /** Node options and environment that load the HTTP mocks into the program, for a language whose `httpMocks` is `in-process`. */
  preload?: { nodeArgs: readonly string[]; env: Record<string, string> };
}
