import path from 'node:path';
import type { LanguageId } from '../language/language.ts';
import { LANGUAGES } from '../language/languages.ts';
import { joinWords } from '../report/format.ts';
import type {
  AnyCheckSpec,
  CheckContext,
  CheckTable,
  CheckTableSpec,
  Exercise,
  ExerciseSpec,
  ResolvedCheck,
} from './types.ts';

const DEFAULT_CHECK_TIMEOUT_MS = 30_000;

/** The id of the built-in first check of every exercise. */
export const COMPILES_CHECK_ID = 'compiles';
// A DNS name: dot-separated labels of letters, digits and inner hyphens.
const HOST_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

/**
 * Declares an exercise. `dependsOn` may only name keys of `checks` (or `compiles`), so a typo in
 * a dependency is a compile error in the exercise file, not a silent skip at grading time.
 */
export function defineExercise<const Id extends string>(
  spec: ExerciseSpec<Record<Id, AnyCheckSpec<NoInfer<Id> | typeof COMPILES_CHECK_ID>>>,
): Exercise {
  const languages = spec.languages ?? ['typescript'];
  const compiles: ResolvedCheck = {
    id: COMPILES_CHECK_ID,
    title: `${joinWords(entriesOf(spec.entry, languages), 'or')} exists and compiles`,
    points: spec.compilePoints ?? 1,
    hidden: false,
    dependsOn: [],
    timeoutMs: DEFAULT_CHECK_TIMEOUT_MS,
    run: async (ctx) => {
      const { warnings } = await ctx.submission.build();
      const count = warnings.filter((line) => /: warning: /.test(line)).length;
      if (count > 0) ctx.note(`${ctx.submission.entry} compiled, with ${count} ${count === 1 ? 'warning' : 'warnings'}: worth reading, they often point at a bug.`, warnings);
    },
  };
  const expanded = new Map<string, ResolvedCheck[]>();
  for (const [key, check] of Object.entries(spec.checks) as [string, AnyCheckSpec<string>][]) {
    expanded.set(key, expandCheck(key, check));
  }
  // A check depends on checks by their keys; on a table, on every one of its cases. A name that is
  // not a key (a typo, or one case of a table) is refused here, when the exercise loads, for a
  // JavaScript exercise or one compiled without type checking.
  const resolveDependencies = (key: string, dependsOn: readonly string[] = []) => [
    COMPILES_CHECK_ID,
    ...dependsOn.flatMap((dependency) => {
      if (dependency === COMPILES_CHECK_ID) return [];
      const checks = expanded.get(dependency);
      if (!checks) {
        const table = [...expanded.keys()].find((other) => dependency.startsWith(`${other}/`));
        throw new Error(
          `Exercise "${spec.id}": check "${key}" depends on "${dependency}", which is not a check of it` +
            (table ? `; to depend on a table, name the table, "${table}" (every one of its cases must pass)` : `; its checks are ${[...expanded.keys()].join(', ')}`) +
            '.',
        );
      }
      return checks.map((c) => c.id);
    }),
  ];
  const checks = [compiles];
  for (const [key, resolved] of expanded) {
    const dependsOn = resolveDependencies(key, spec.checks[key as Id].dependsOn);
    checks.push(...resolved.map((check) => ({ ...check, dependsOn })));
  }
  assertUniqueIds(spec.id, checks);
  const hosts = (spec.hosts ?? []).map((host) => host.toLowerCase());
  const badHost = hosts.find((host) => !HOST_NAME.test(host) || host === 'localhost');
  if (badHost !== undefined) throw new Error(`Exercise "${spec.id}": hosts lists "${badHost}", which is not a host name the grader can serve; give names such as "api.example.org" (localhost is always there).`);
  return { kind: 'netgrade-exercise', id: spec.id, title: spec.title, entry: spec.entry, languages, ...(spec.port !== undefined && { port: spec.port }), hosts, env: spec.env ?? {}, checks };
}

/**
 * Where an exercise's reference solution (or starter) in `language` is, under `folder`: there, for
 * its first language; in a folder named after any other (`solutions/<id>/python/`), so that
 * `solutions/<id>` holds one program, gradable as it is.
 */
export function solutionFolder(folder: string, languages: readonly LanguageId[], language: LanguageId): string {
  return language === languages[0] ? folder : path.join(folder, language);
}

/** The entry file in each language: `server.ts`, `server.py`. */
export function entriesOf(entry: string, languages: readonly LanguageId[]): string[] {
  const stem = entry.slice(0, entry.length - path.extname(entry).length);
  return languages.map((id) => `${stem}${LANGUAGES[id].extensions[0]}`);
}

/** Declares a check run once per case of a table, e.g. one per HTTP status; used inside `checks`. */
export function eachCase<Case, const Dep extends string = never>(table: CheckTableSpec<Dep, Case>): CheckTable<Dep> {
  const { cases, caseId, title, run, ...common } = table;
  return {
    ...common,
    kind: 'table',
    expand: (key) =>
      cases.map((testCase) => ({
        id: `${key}/${caseId(testCase)}`,
        title: title(testCase),
        run: (ctx: CheckContext) => run(ctx, testCase),
      })),
  };
}

function expandCheck(key: string, check: AnyCheckSpec<string>): ResolvedCheck[] {
  const timeoutMs = check.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS;
  const cases = 'kind' in check ? check.expand(key) : [{ id: key, title: check.title, run: check.run }];
  return cases.map((c) => ({ ...c, points: check.points, hidden: check.hidden ?? false, dependsOn: [], timeoutMs }));
}

function assertUniqueIds(exerciseId: string, checks: readonly ResolvedCheck[]): void {
  const seen = new Set<string>();
  for (const { id } of checks) {
    if (seen.has(id)) throw new Error(`Exercise "${exerciseId}" declares the check id "${id}" twice; check ids must be unique.`);
    seen.add(id);
  }
}
