import { lstat, readdir } from 'node:fs/promises';
import path from 'node:path';
import { CheckFailure } from '../errors.ts';
import { isSkipped } from './copy-folder.ts';

/** Fails with a student-facing message when the entry file is not where the exercise expects it, naming a near miss. */
export async function locateEntry(sourceDir: string, entry: string): Promise<void> {
  if (await lstat(path.join(sourceDir, entry)).then(() => true, () => false)) return;
  const names = await readdir(sourceDir).catch(() => [] as string[]);
  const sameName = names.find((name) => name.toLowerCase() === entry.toLowerCase());
  const asJs = entry.replace(/\.ts$/, '.js');
  const inside = await findOneLevelDown(sourceDir, names, entry);
  let hint = `Put your program in a file named ${entry} at the top of the folder you grade.`;
  if (sameName) hint = `Found ${sameName}: file names are case-sensitive; rename it to ${entry}.`;
  else if (names.includes(asJs)) hint = `Found ${asJs}: rename it to ${entry} (TypeScript runs plain JavaScript too).`;
  else if (inside) hint = `Found ${inside}/${entry}: the grader looks at the top of the folder it is given; grade ${inside}/ itself, or move its files up.`;
  const listing = names.filter((name) => !isSkipped(name)).slice(0, 12);
  throw new CheckFailure(`${entry} was not found in ${sourceDir}.`, {
    hint,
    details: [listing.length === 0 ? 'The folder is empty.' : `The folder contains: ${listing.join(', ')}`],
  });
}

// A folder one level down that holds the entry: the exercise's folder, when a whole course's work was handed in.
async function findOneLevelDown(sourceDir: string, names: readonly string[], entry: string): Promise<string | undefined> {
  for (const name of names.filter((candidate) => !isSkipped(candidate)).sort()) {
    if (await lstat(path.join(sourceDir, name, entry)).then((info) => info.isFile(), () => false)) return name;
  }
  return undefined;
}
