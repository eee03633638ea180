import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { UsageError } from '../errors.ts';
import type { Exercise } from './types.ts';

/** The folder that holds the bundled exercises, one subfolder each. */
export const EXERCISES_DIR = fileURLToPath(new URL('../../exercises/', import.meta.url));

/** The ids of the exercises in `dir`: every subfolder with an `exercise.ts`. */
export async function listExerciseIds(dir = EXERCISES_DIR): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const ids: string[] = [];
  for (const entry of entries) {
    if (entry.isDirectory() && (await isFile(path.join(dir, entry.name, 'exercise.ts')))) ids.push(entry.name);
  }
  return ids.sort();
}

/** Loads an exercise by id; an unknown id is a usage error that lists the known ones. */
export async function loadExercise(id: string, dir = EXERCISES_DIR): Promise<Exercise> {
  const ids = await listExerciseIds(dir);
  if (!ids.includes(id)) {
    throw new UsageError(`Unknown exercise "${id}". Known exercises: ${ids.join(', ') || '(none)'}. Run \`grade list\` to see them with their titles.`);
  }
  const file = path.join(dir, id, 'exercise.ts');
  const module = (await import(pathToFileURL(file).href)) as { default?: Exercise };
  const exercise = module.default;
  if (exercise?.kind !== 'netgrade-exercise') {
    throw new Error(`${file} must \`export default defineExercise({...})\`.`);
  }
  if (exercise.id !== id) throw new Error(`${file} declares id "${exercise.id}", but its folder is "${id}"; they must match.`);
  return exercise;
}

async function isFile(file: string): Promise<boolean> {
  return stat(file).then((s) => s.isFile(), () => false);
}
