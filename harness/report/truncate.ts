import { formatCount, plural } from './format.ts';

/** The marker that ends a cut value; its brackets and wording cannot be mistaken for program output. */
export function truncationMarker(omitted: number, unit: 'bytes' | 'lines' | 'characters'): string {
  return `… [truncated: ${formatCount(omitted)} more ${unit}]`;
}

/** Cuts text to at most `max` characters, ending it with a visible marker when cut. */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}${truncationMarker(text.length - max, 'characters')}`;
}

/** Keeps the last `max` lines of a text, saying how many came before. */
export function tailLines(text: string, max: number): string[] {
  if (text === '') return [];
  const lines = text.replace(/\r?\n$/, '').split(/\r?\n/);
  if (lines.length <= max) return lines;
  const hidden = lines.length - max;
  return [`… [${plural(hidden, 'earlier line')} not shown]`, ...lines.slice(lines.length - max)];
}
