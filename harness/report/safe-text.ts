// Bidirectional overrides and isolates reorder what a terminal or an editor shows (the "Trojan
// Source" trick): a line could read as something else than the bytes it holds.
const BIDI_CONTROLS = /[\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

// Characters a reader does not see: format characters (zero-width spaces and joiners, the soft
// hyphen, the byte order mark, tag characters) and the other default-ignorable ones (variation
// selectors, Hangul fillers). `amy` followed by U+200B reads as `amy`.
const INVISIBLE = /[\p{Cf}\p{Default_Ignorable_Code_Point}]/u;
const INVISIBLE_ALL = /[\p{Cf}\p{Default_Ignorable_Code_Point}]/gu;

/**
 * How a character that must never reach a reader raw is written instead (`\x1b`, `\r`, `\x00`,
 * `\u202e`, `\u200b`, `\u{e0041}`): control characters, DEL, C1 controls, bidirectional
 * controls, and characters that show nothing. Undefined for any other character (tab and newline
 * included: callers decide about those).
 */
export function escapeControl(char: string): string | undefined {
  const code = char.codePointAt(0) ?? 0;
  if (char === '\t' || char === '\n') return undefined;
  if (char === '\r') return '\\r';
  if (code < 0x20 || code === 0x7f || (code >= 0x80 && code < 0xa0)) return `\\x${code.toString(16).padStart(2, '0')}`;
  if (BIDI_CONTROLS.test(char) || INVISIBLE.test(char)) return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, '0')}`;
  return undefined;
}

/**
 * A name or a line as a reader should see it, for reports that quote it whole (a CSV cell, a
 * Markdown table, a JUnit name): every character `escapeControl` escapes written as its escape,
 * but tab, newline and carriage return kept, for the format's own rules to deal with.
 */
export function escapeUnseen(text: string): string {
  let out = '';
  for (const char of text) out += char === '\r' ? char : (escapeControl(char) ?? char);
  return out;
}

/**
 * The text without the characters that show nothing (format and default-ignorable characters,
 * bidirectional controls among them): two names equal once they are removed read the same.
 */
export function withoutInvisible(text: string): string {
  return text.replace(INVISIBLE_ALL, '');
}

/**
 * One line of text a program or a student chose (its output, a message quoting it, a file or
 * folder name), made safe to print on a terminal or in a CI log: controls and invisible
 * characters escaped (so no colour, cursor move, `\r` overwrite, screen clear or look-alike name
 * can forge a report), and nothing a CI runner reads as a command: GitHub's `::command::` at the
 * start of a line and `##[command]` anywhere in it.
 */
export function safeLine(line: string): string {
  let out = '';
  for (const char of line) out += escapeControl(char) ?? (char === '\n' ? '\\n' : char);
  out = out.replaceAll('##[', '#\\x23[');
  return /^\s*::/.test(out) ? out.replace('::', '\\x3a:') : out;
}
