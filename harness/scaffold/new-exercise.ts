import { cp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../errors.ts';

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

/**
 * Writes a new exercise of `kind` into a course: its spec with one or two checks, its statement
 * and starter, a reference solution and one fixture with its expect.json, so `grade verify <id>`
 * passes at once and the author edits from there. Returns the folders it made.
 */
export async function scaffoldExercise(course: string, id: string, kind: ExerciseKind): Promise<string[]> {
  if (!/^[a-z][a-z0-9-]*$/.test(id)) throw new UsageError(`"${id}" cannot be an exercise id: use lowercase letters, digits and dashes, starting with a letter (e.g. echo-server).`);
  const made = PARTS.map(([, into]) => path.join(course, into, id));
  for (const dir of made) {
    if (await stat(dir).then(() => true, () => false)) throw new UsageError(`${dir} already exists: choose another id, or remove it first.`);
  }
  for (const [index, [part]] of PARTS.entries()) {
    await cp(path.join(TEMPLATES, kind, part), made[index]!, { recursive: true, errorOnExist: true, force: false });
    await fillIn(made[index]!, id);
  }
  return made;
}

// Every {{id}} in the copied files becomes the exercise's id.
async function fillIn(dir: string, id: string): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    await writeFile(file, (await readFile(file, 'utf8')).replaceAll('{{id}}', id));
  }
}
