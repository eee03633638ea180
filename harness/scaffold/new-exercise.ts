import { cp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../errors.ts';
import type { LanguageId } from '../language/language.ts';
import { LANGUAGES } from '../language/languages.ts';

/** The kinds of exercise `grade new` can start from. */
export const EXERCISE_KINDS = ['tcp-server', 'tcp-client', 'http-client'] as const;
export type ExerciseKind = (typeof EXERCISE_KINDS)[number];

const TEMPLATES = fileURLToPath(new URL('../../templates/', import.meta.url));
// Where each part of a template goes in the course: the exercise, its reference solution, its fixtures.
const PARTS = [
  ['exercise', 'exercises'],
  ['solution', 'solutions'],
  ['fixtures', 'fixtures'],
] as const;

// The entry each kind's student writes, in TypeScript; the kinds a language other than TypeScript has templates for.
const ENTRIES: Record<ExerciseKind, string> = { 'tcp-server': 'server.ts', 'tcp-client': 'client.ts', 'http-client': 'client.ts' };
const OTHER_LANGUAGES: Record<ExerciseKind, readonly LanguageId[]> = { 'tcp-server': ['python'], 'tcp-client': ['python'], 'http-client': ['python'] };

/**
 * Writes a new exercise of `kind` into a course, for students of `language`: its spec with one or
 * two checks, its statement and starter, a reference solution and one fixture with its
 * expect.json, so `grade verify <id>` passes at once and the author edits from there. Returns the
 * folders it made.
 */
export async function scaffoldExercise(course: string, id: string, kind: ExerciseKind, language: LanguageId = 'typescript'): Promise<string[]> {
  if (!/^[a-z][a-z0-9-]*$/.test(id)) throw new UsageError(`"${id}" cannot be an exercise id: use lowercase letters, digits and dashes, starting with a letter (e.g. echo-server).`);
  if (language !== 'typescript' && !OTHER_LANGUAGES[kind].includes(language)) {
    throw new UsageError(`There is no ${kind} template in ${LANGUAGES[language].name} yet: start it with --language typescript or python.`);
  }
  const made = PARTS.map(([, into]) => path.join(course, into, id));
  for (const dir of made) {
    if (await stat(dir).then(() => true, () => false)) throw new UsageError(`${dir} already exists: choose another id, or remove it first.`);
  }
  // A template holds each language's programs side by side; the course gets its language's.
  const others = Object.values(LANGUAGES).filter((other) => other.id !== language).flatMap((other) => other.extensions);
  // (The exercise's own exercise.ts is the author's TypeScript, whatever the students write.)
  const ofLanguage = (file: string) => path.basename(file) === 'exercise.ts' || !others.includes(path.extname(file)) || LANGUAGES[language].extensions.includes(path.extname(file));
  const entry = `${path.parse(ENTRIES[kind]).name}${LANGUAGES[language].extensions[0]}`;
  for (const [index, [part]] of PARTS.entries()) {
    await cp(path.join(TEMPLATES, kind, part), made[index]!, { recursive: true, errorOnExist: true, force: false, filter: ofLanguage });
    await fillIn(made[index]!, { id, entry, language });
  }
  return made;
}

// Every {{id}}, {{entry}} and {{language}} in the copied files becomes the exercise's.
async function fillIn(dir: string, values: Record<'id' | 'entry' | 'language', string>): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    let text = await readFile(file, 'utf8');
    for (const [key, value] of Object.entries(values)) text = text.replaceAll(`{{${key}}}`, value);
    await writeFile(file, text);
  }
}
