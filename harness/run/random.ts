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
 * The seed of a class graded without --seed. Its shards must agree on it, and its students must
 * not foresee it: in a CI pipeline (GitHub Actions, GitLab CI), whose jobs share a run's id, it
 * comes from the exercise, the students and that id, new at every run; elsewhere a class graded
 * in one go gets a fresh random seed, and only shards graded outside CI fall back on the exercise
 * and the students alone (`sharded`), which a class could work out: give those one --seed.
 */
export function classSeed(label: string, students: readonly string[], options: { sharded: boolean; env?: NodeJS.ProcessEnv }): number {
  const env = options.env ?? process.env;
  const run = env.GITHUB_RUN_ID ? `github ${env.GITHUB_RUN_ID} ${env.GITHUB_RUN_ATTEMPT ?? ''}` : env.CI_PIPELINE_ID ? `gitlab ${env.CI_PIPELINE_ID}` : undefined;
  if (run === undefined && !options.sharded) return makeSeed();
  return toSeed(`${label}\n${[...new Set(students)].sort().join('\n')}\n${run ?? ''}`);
}

/**
 * A student's own seed in a class graded with `classSeed`: every student gets different random
 * data (nothing to copy from a classmate's report), and the class's seed still replays them all.
 */
export function studentSeed(classSeed: number, student: string): number {
  return toSeed(`${classSeed}\n${student}`);
}

function toSeed(text: string): number {
  return (hashString(text) % (2 ** 31 - 2)) + 1;
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
