import { randomInt } from 'node:crypto';
import { hashString } from './hash.ts';

/** Deterministic randomness for a check: the same seed and check id give the same values. */
export interface Random {
  /** An integer in [min, max], both included. */
  int(min: number, max: number): number;
  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T;
  /** A string of `length` characters drawn from `alphabet`. */
  string(length: number, alphabet?: string): string;
  /** The items in a random order (a new list; the given one is left as it is). */
  shuffle<T>(items: readonly T[]): T[];
}

const WORD_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** A fresh seed for a run that was not given one (printed so the run can be replayed). */
export function makeSeed(): number {
  return randomInt(1, 2 ** 31 - 1);
}

/**
 * The seed of a class graded without --seed: it depends only on the exercise and the class's
 * students, which every shard sees alike, so the shards of one class agree and merge, and a run
 * of the same class can be replayed.
 */
export function classSeed(label: string, students: readonly string[]): number {
  return (hashString(`${label}\n${[...new Set(students)].sort().join('\n')}`) % (2 ** 31 - 2)) + 1;
}

/** The random source of one check, derived from the run's seed and the check's id. */
export function makeRandom(seed: number, checkId: string): Random {
  const next = mulberry32(hashString(`${seed}:${checkId}`));
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  return {
    int,
    pick(items) {
      if (items.length === 0) throw new Error('random.pick() needs at least one item');
      return items[int(0, items.length - 1)] as (typeof items)[number];
    },
    string(length, alphabet = WORD_ALPHABET) {
      if (alphabet === '') throw new Error('random.string() needs a non-empty alphabet');
      let text = '';
      for (let i = 0; i < length; i++) text += alphabet[int(0, alphabet.length - 1)];
      return text;
    },
    shuffle(items) {
      // Fisher–Yates: every order equally likely.
      const shuffled = [...items];
      for (let i = shuffled.length - 1; i > 0; i--) {
        const j = int(0, i);
        [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
      }
      return shuffled;
    },
  };
}

// A small, well-known PRNG: fast, 32-bit state, good enough for test data (not for secrets).
function mulberry32(state: number): () => number {
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
