import { plural } from '../report/format.ts';
import { truncationMarker } from '../report/truncate.ts';
import { escapeControl } from '../report/safe-text.ts';

const DEFAULT_SHOWN_BYTES = 512;
const CONTEXT_BYTES = 32;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Shows bytes as a quoted string a student can read, with every invisible byte visible:
 * `"Hello\r\n"`; bytes that are not UTF-8 appear as `\xNN`. Long values end with a marker.
 */
export function describeBytes(data: Uint8Array | string, maxBytes = DEFAULT_SHOWN_BYTES): string {
  const bytes = typeof data === 'string' ? Buffer.from(data) : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  let end = Math.min(maxBytes, bytes.length);
  // Never cut inside a UTF-8 character (at most 3 continuation bytes, 10xxxxxx, to back up over).
  for (let i = 0; i < 3 && end > 0 && end < bytes.length && ((bytes[end] ?? 0) & 0xc0) === 0x80; i++) end--;
  const shown = bytes.subarray(0, end);
  const marker = bytes.length > shown.length ? ` ${truncationMarker(bytes.length - shown.length, 'bytes')}` : '';
  return `"${escapeBytes(shown)}"${marker}`;
}

/** `17 bytes`, `1 byte`. */
export function countBytes(count: number): string {
  return plural(count, 'byte');
}

/** Lines that show where two byte strings first differ; empty when they are equal. */
export function diffBytes(expected: Uint8Array, actual: Uint8Array): string[] {
  const length = Math.min(expected.length, actual.length);
  let at = 0;
  while (at < length && expected[at] === actual[at]) at++;
  if (at === expected.length && at === actual.length) return [];
  // A difference deep in a long value is shown in a window around it, not from the start.
  const from = at > CONTEXT_BYTES * 2 ? at - CONTEXT_BYTES : 0;
  const window = (bytes: Uint8Array) => (from > 0 ? `… [${countBytes(from)} before] ` : '') + describeBytes(bytes.subarray(from), from > 0 ? CONTEXT_BYTES * 2 : DEFAULT_SHOWN_BYTES);
  const lines = [
    `expected: ${window(expected)} (${countBytes(expected.length)})`,
    `actual:   ${window(actual)} (${countBytes(actual.length)})`,
  ];
  const expectedByte = describeByte(expected[at]);
  const actualByte = describeByte(actual[at]);
  let difference = `first difference at byte ${at}: expected ${expectedByte}, got ${actualByte}`;
  if (at === expected.length) difference += ` (${countBytes(actual.length - at)} too many)`;
  if (at === actual.length) difference += ` (${countBytes(expected.length - at)} missing)`;
  lines.push(difference);
  return lines;
}

function describeByte(byte: number | undefined): string {
  if (byte === undefined) return 'end of data';
  return `0x${byte.toString(16).padStart(2, '0')} ("${escapeBytes(Buffer.of(byte))}")`;
}

function escapeBytes(bytes: Buffer): string {
  try {
    return escapeText(strictUtf8.decode(bytes));
  } catch {
    // Not valid UTF-8: show each byte on its own so the bad ones are visible.
    return [...bytes].map((b) => (b < 0x80 ? escapeText(String.fromCharCode(b)) : hex(b))).join('');
  }
}

const NAMED_ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\0': '\\0', '"': '\\"', '\\': '\\\\' };

function escapeText(text: string): string {
  let out = '';
  for (const char of text) out += NAMED_ESCAPES[char] ?? escapeControl(char) ?? char;
  return out;
}

function hex(code: number): string {
  return `\\x${code.toString(16).padStart(2, '0')}`;
}
