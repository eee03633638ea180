import { UsageError } from '../errors.ts';
import { c } from './c.ts';
import type { Language, LanguageId } from './language.ts';
import { python } from './python.ts';
import { typescript } from './typescript.ts';

/** Every language netgrade grades, by id. A new language is a module and a line here. */
export const LANGUAGES: Readonly<Record<LanguageId, Language>> = { typescript, python, c };

/** The language `--language` names, or a usage error that lists them. */
export function languageNamed(id: string): Language {
  const language = (LANGUAGES as Record<string, Language | undefined>)[id];
  if (!language) throw new UsageError(`--language got "${id}"; it needs one of ${Object.keys(LANGUAGES).join(', ')}.`);
  return language;
}
