import { escapeControl } from './safe-text.ts';

/** Markup: text that is already HTML. `html` makes it (and the report's own style and script), so a plain string is never inserted raw. */
export class Html {
  readonly markup: string;
  constructor(markup: string) {
    this.markup = markup;
  }
}

/** What may go into `html`: markup as is, text and numbers escaped, lists joined, nothing for `undefined` and `false`. */
export type HtmlPart = Html | string | number | undefined | false | readonly HtmlPart[];

/**
 * Builds markup from a template: every value that is not already `Html` is escaped, so what a
 * program printed or a student named a folder shows as text and never becomes a tag.
 */
export function html(strings: TemplateStringsArray, ...values: HtmlPart[]): Html {
  let markup = strings[0]!;
  values.forEach((value, i) => {
    markup += toMarkup(value) + strings[i + 1]!;
  });
  return new Html(markup);
}

/** An attribute's value: escaped like text, but with controls written as plain escapes (an attribute holds no tags). */
export function attr(value: string | number): Html {
  return new Html(escapeText(String(value), (escaped) => escaped));
}

function toMarkup(value: HtmlPart): string {
  if (value === undefined || value === false) return '';
  if (value instanceof Html) return value.markup;
  if (Array.isArray(value)) return value.map(toMarkup).join('');
  return escapeText(String(value), (escaped) => `<span class='ctl'>${escaped}</span>`);
}

const MARKUP_CHARACTERS: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Text for an element or an attribute: markup characters escaped, and controls shown as the
 * escapes the terminal report prints (`\x1b`, `\u202e`): a browser would draw nothing for most
 * of them, and bidirectional controls would reorder the line. In text they are marked (single
 * quotes, so that even inside an attribute the mark cannot end it) to read as not typed.
 */
function escapeText(text: string, markControl: (escaped: string) => string): string {
  let out = '';
  for (const char of text) {
    const visible = escapeControl(char);
    if (visible !== undefined) out += markControl(visible);
    else out += MARKUP_CHARACTERS[char] ?? char;
  }
  return out;
}
