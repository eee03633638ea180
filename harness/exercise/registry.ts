import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { UsageError } from '../errors.ts';
import { compileExercise } from './compile-exercise.ts';
import type { Exercise } from './types.ts';

/** The folder that holds netgrade's own exercises, one subfolder each. */
export const BUILT_IN_EXERCISES = fileURLToPath(new URL('../../exercises/', import.meta.url));

/** Where exercises come from: a course's own folder first, then netgrade's built-in ones. */
export interface Catalog {
  /** The course's root (the folder of its package.json), if grading within one. */
  course: string | undefined;
}

/** An exercise the catalog offers: its id, its file, and where it comes from. */
export interface CatalogEntry {
  id: string;
  file: string;
  origin: 'course' | 'built-in';
}

/** Netgrade's own exercises only. */
export const BUILT_IN_CATALOG: Catalog = { course: undefined };

/**
 * The course around `from`: the nearest folder upward whose package.json depends on netgrade
 * (netgrade's own repository is not a course: its exercises are the built-in ones).
 */
export async function findCourse(from: string): Promise<string | undefined> {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    const manifest = await readFile(path.join(dir, 'package.json'), 'utf8').then((text) => JSON.parse(text) as Record<string, unknown>, () => undefined);
    if (manifest && manifest.name !== 'netgrade') {
      const depends = ['dependencies', 'devDependencies', 'peerDependencies'].some((field) => Object.hasOwn((manifest[field] as object | undefined) ?? {}, 'netgrade'));
      if (depends) return dir;
    }
    if (dir === path.dirname(dir)) return undefined;
  }
}

/** Every exercise on offer, by id; a course's exercise replaces a built-in one with its id. */
export async function listCatalog(catalog: Catalog): Promise<CatalogEntry[]> {
  const entries = new Map<string, CatalogEntry>();
  for (const entry of await exercisesIn(BUILT_IN_EXERCISES, 'built-in')) entries.set(entry.id, entry);
  if (catalog.course) for (const entry of await exercisesIn(path.join(catalog.course, 'exercises'), 'course')) entries.set(entry.id, entry);
  return [...entries.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
}

/** The ids on offer, sorted. */
export async function listExerciseIds(catalog: Catalog = BUILT_IN_CATALOG): Promise<string[]> {
  return (await listCatalog(catalog)).map((entry) => entry.id);
}

/** Loads an exercise by id; an unknown id is a usage error that lists the known ones. */
export async function loadExercise(id: string, catalog: Catalog = BUILT_IN_CATALOG): Promise<Exercise> {
  const entries = await listCatalog(catalog);
  const entry = entries.find((candidate) => candidate.id === id);
  if (!entry) {
    const where = catalog.course ? ` (built in, or in ${path.join(catalog.course, 'exercises')})` : '';
    throw new UsageError(`Unknown exercise "${id}". Known exercises${where}: ${entries.map((e) => e.id).join(', ') || '(none)'}. Run \`grade list\` to see them with their titles.`);
  }
  return loadExerciseFile(entry.file);
}

/** Loads the exercise an `exercise.ts` declares; its folder's name must be its id. An author's mistake is a usage error naming the file and the fix. */
export async function loadExerciseFile(file: string, compiled?: string): Promise<Exercise> {
  const load = async () => {
    const module = compiled ?? (await compileExercise(file));
    return { module, imported: (await import(module ?? pathToFileURL(file).href)) as { default?: Exercise } };
  };
  const { module, imported } = await load().catch((error: Error) => {
    throw new UsageError(`${file} could not be loaded: ${error.message.split('\n')[0]}`);
  });
  const exercise = imported.default;
  if (exercise?.kind !== 'netgrade-exercise') {
    throw new UsageError(`${file} must \`export default defineExercise({...})\` (import defineExercise from 'netgrade').`);
  }
  const folder = path.basename(path.dirname(file));
  if (exercise.id !== folder) throw new UsageError(`${file} declares id "${exercise.id}", but its folder is "${folder}"; rename one so they match.`);
  return { ...exercise, file, ...(module !== undefined && { module }) };
}

async function exercisesIn(dir: string, origin: CatalogEntry['origin']): Promise<CatalogEntry[]> {
  const names = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const entries: CatalogEntry[] = [];
  for (const name of names) {
    const file = path.join(dir, name.name, 'exercise.ts');
    if (name.isDirectory() && (await stat(file).then((s) => s.isFile(), () => false))) entries.push({ id: name.name, file, origin });
  }
  return entries;
}
