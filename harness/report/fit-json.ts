import { byteLength } from './cap.ts';

/** Gradescope and PrairieLearn both refuse a results.json over 1 MB. */
export const RESULTS_MAX_BYTES = 1_000_000;

/** Each test's texts start with this budget: enough for a failure and its output, small enough for many tests. */
export const TEST_TEXT_BYTES = 20_000;

/** Builds a results object whose long texts are each capped to `textBytes`; `shrunk` says the caps were lowered to fit the file. */
export type ResultsBuilder = (textBytes: number, shrunk: boolean) => unknown;

/**
 * Serializes a results file (pretty JSON), lowering the per-text budget until the whole file
 * fits in `maxBytes`. JSON escaping can make a text several times its size (a NUL becomes six
 * bytes), so the file is measured after serializing rather than estimated before. Only the
 * texts given the budget shrink: names and points are kept whole, so thousands of checks with
 * long titles could still exceed the limit.
 */
export function stringifyWithin(build: ResultsBuilder, maxBytes = RESULTS_MAX_BYTES, textBytes = TEST_TEXT_BYTES): string {
  let budget = textBytes;
  let json = serialize(build(budget, false));
  while (byteLength(json) > maxBytes && budget > 0) {
    // Scale the budget by how far over the file is, with a margin for the parts that do not shrink.
    const scaled = Math.floor(((budget * maxBytes) / byteLength(json)) * 0.9);
    budget = Math.max(0, Math.min(budget - 1, scaled));
    json = serialize(build(budget, true));
  }
  return json;
}

function serialize(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
