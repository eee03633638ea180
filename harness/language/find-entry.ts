import { lstat, readdir } from 'node:fs/promises';
import path from 'node:path';
import { CheckFailure } from '../errors.ts';
import { isSkipped } from '../submission/copy-folder.ts';
import { joinWords } from '../report/format.ts';
import type { Language } from './language.ts';

/** The entry file a submission holds, and the language that names it. */
export interface FoundEntry {
  language: Language;
  /** Relative to the student's folder: `server.py`. */
  entry: string;
}

/**
 * Which of the exercise's entries the folder holds: `server.ts` (or `.js`) for TypeScript,
 * `server.py` for Python. Fails with a student-facing message when there is none (naming a near
 * miss), or one of several languages (unless `chosen` picks it).
 */
export async function findEntry(sourceDir: string, languages: readonly Language[], stem: string, chosen?: Language): Promise<FoundEntry> {
  const found: FoundEntry[] = [];
  for (const language of chosen ? [chosen] : languages) {
    for (const extension of language.extensions) {
      if (await exists(path.join(sourceDir, `${stem}${extension}`))) {
        found.push({ language, entry: `${stem}${extension}` });
        break;
      }
    }
  }
  if (found.length === 1) return found[0]!;
  const entries = (chosen ? [chosen] : languages).map((language) => `${stem}${language.extensions[0]}`);
  if (found.length > 1) {
    throw new CheckFailure(`Your folder holds ${joinWords(found.map((f) => f.entry), 'and')}: the grader cannot tell which program to grade.`, {
      hint: `Keep one of them, or choose with --language ${found.map((f) => f.language.id).join(' or --language ')}.`,
    });
  }
  throw await explainMissing(sourceDir, entries, languages, stem);
}

async function explainMissing(sourceDir: string, entries: readonly string[], languages: readonly Language[], stem: string): Promise<CheckFailure> {
  const names = (await readdir(sourceDir).catch(() => [] as string[])).filter((name) => !isSkipped(name));
  const sameName = names.find((name) => entries.some((entry) => name.toLowerCase() === entry.toLowerCase()));
  const inside = await findOneLevelDown(sourceDir, names, entries);
  // A program in a language of netgrade's that this exercise is not offered in.
  const other = names.find((name) => path.parse(name).name === stem && !languages.some((language) => language.extensions.includes(path.extname(name))));
  const wanted = joinWords(entries, 'or');
  let hint = `Put your program in a file named ${wanted} at the top of the folder you grade.`;
  if (sameName) hint = `Found ${sameName}: file names are case-sensitive; rename it to ${entries.find((entry) => entry.toLowerCase() === sameName.toLowerCase())}.`;
  else if (inside) hint = `Found ${inside}: the grader looks at the top of the folder it is given; grade ${path.dirname(inside)}/ itself, or move its files up.`;
  else if (other) hint = `Found ${other}, but this exercise is graded in ${joinWords(languages.map((language) => language.name), 'or')} only: write ${wanted}.`;
  const listing = names.slice(0, 12);
  return new CheckFailure(`${wanted} was not found in ${sourceDir}.`, {
    hint,
    details: [listing.length === 0 ? 'The folder is empty.' : `The folder contains: ${listing.join(', ')}`],
  });
}

// An entry in a folder one level down: the exercise's folder, when a whole course's work was handed in.
async function findOneLevelDown(sourceDir: string, names: readonly string[], entries: readonly string[]): Promise<string | undefined> {
  for (const name of [...names].sort()) {
    for (const entry of entries) {
      if (await lstat(path.join(sourceDir, name, entry)).then((info) => info.isFile(), () => false)) return `${name}/${entry}`;
    }
  }
  return undefined;
}

async function exists(file: string): Promise<boolean> {
  return lstat(file).then(() => true, () => false);
}
