import { truncationMarker } from './truncate.ts';

/** The UTF-8 size of a text, as files and upload limits count it. */
export function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/**
 * Cuts text so that the result, marker included, is at most `maxBytes` UTF-8 bytes. Limits of
 * results files are in bytes, not characters, and a character cut in half would make the rest
 * of the file invalid UTF-8, so the cut always falls between characters.
 */
export function capUtf8(text: string, maxBytes: number, marker: (omittedBytes: number) => string = (n) => truncationMarker(n, 'bytes')): string {
  const total = byteLength(text);
  if (total <= maxBytes) return text;
  const bytes = Buffer.from(text, 'utf8');
  let budget = maxBytes - byteLength(marker(total));
  // A marker that counts fewer bytes can be shorter, so the first cut may leave room; another
  // marker function may grow instead, so keep cutting until the whole result fits.
  while (budget >= 0) {
    const kept = prefixAtBoundary(bytes, budget);
    const result = `${kept.toString('utf8')}${marker(total - kept.length)}`;
    const excess = byteLength(result) - maxBytes;
    if (excess <= 0) return result;
    budget -= excess;
  }
  // Not even the marker fits: a cut marker still tells more than nothing.
  return prefixAtBoundary(Buffer.from(marker(total), 'utf8'), maxBytes).toString('utf8');
}

/** The longest prefix of UTF-8 bytes, at most `max` long, that does not end inside a character. */
function prefixAtBoundary(bytes: Buffer, max: number): Buffer {
  if (max <= 0) return bytes.subarray(0, 0);
  if (max >= bytes.length) return bytes;
  let end = max;
  // Continuation bytes look like 10xxxxxx: back up to the start of the character they belong to.
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end);
}
