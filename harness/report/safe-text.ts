// Bidirectional overrides and isolates reorder what a terminal or an editor shows (the "Trojan
// Source" trick): a line could read as something else than the bytes it holds.
const BIDI_CONTROLS = /[\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/**
 * How a character that must never reach a terminal raw is written instead (`\x1b`, `\r`, `\x00`,
 * `\u202e`): control characters, DEL, C1 controls and bidirectional controls. Undefined for any
 * other character (tab and newline included: callers decide about those).
 */
export function escapeControl(char: string): string | undefined {
  const code = char.codePointAt(0) ?? 0;
  if (char === '\t' || char === '\n') return undefined;
  if (char === '\r') return '\\r';
  if (code < 0x20 || code === 0x7f || (code >= 0x80 && code < 0xa0)) return `\\x${code.toString(16).padStart(2, '0')}`;
  if (BIDI_CONTROLS.test(char)) return `\\u${code.toString(16).padStart(4, '0')}`;
  return undefined;
}

/**
 * One line of text a program or a student chose (its output, a message quoting it, a file or
 * folder name), made safe to print on a terminal or in a CI log: controls escaped (so no colour,
 * cursor move, `\r` overwrite or screen clear can forge a report), and nothing a CI runner reads
 * as a command: GitHub's `::command::` at the start of a line and `##[command]` anywhere in it.
 */
export function safeLine(line: string): string {
  let out = '';
  for (const char of line) out += escapeControl(char) ?? (char === '\n' ? '\\n' : char);
  out = out.replaceAll('##[', '#\\x23[');
  return /^\s*::/.test(out) ? out.replace('::', '\\x3a:') : out;
}
