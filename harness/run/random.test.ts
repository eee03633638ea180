import { describe, expect, test } from 'vitest';
import { classSeed, makeRandom, makeSeed, studentSeed, type Random } from './random.ts';

function draws(random: Random, count = 20): number[] {
  return Array.from({ length: count }, () => random.int(0, 1_000_000_000));
}

describe('makeRandom', () => {
  test('the same seed and check id give the same sequence of integers, picks and strings', () => {
    const a = makeRandom(42, 'echo-lines');
    const b = makeRandom(42, 'echo-lines');
    expect(draws(a)).toEqual(draws(b));
    expect(a.pick(['x', 'y', 'z', 'w'])).toBe(b.pick(['x', 'y', 'z', 'w']));
    expect(a.string(16)).toBe(b.string(16));
  });

  test('a different check id with the same seed gives a different sequence', () => {
    expect(draws(makeRandom(42, 'echo-lines'))).not.toEqual(draws(makeRandom(42, 'echo-bytes')));
  });

  test('a different seed with the same check id gives a different sequence', () => {
    expect(draws(makeRandom(42, 'echo-lines'))).not.toEqual(draws(makeRandom(43, 'echo-lines')));
  });

  test('int stays within [min, max], returns integers, and reaches both ends over many draws', () => {
    const random = makeRandom(7, 'range');
    const seen = new Set<number>();
    for (let i = 0; i < 5_000; i++) {
      const value = random.int(3, 7);
      expect(Number.isInteger(value)).toBe(true);
      expect(value).toBeGreaterThanOrEqual(3);
      expect(value).toBeLessThanOrEqual(7);
      seen.add(value);
    }
    expect([...seen].sort()).toEqual([3, 4, 5, 6, 7]);
  });

  test('int handles negative ranges and a range of a single value', () => {
    const random = makeRandom(7, 'negative');
    const seen = new Set<number>();
    for (let i = 0; i < 2_000; i++) seen.add(random.int(-2, 1));
    expect([...seen].sort((x, y) => x - y)).toEqual([-2, -1, 0, 1]);
    for (let i = 0; i < 50; i++) expect(random.int(5, 5)).toBe(5);
  });

  test('pick returns elements of the list and reaches each of them over many draws', () => {
    const random = makeRandom(3, 'pick');
    const items = ['GET', 'PUT', 'DELETE'] as const;
    const seen = new Set<string>();
    for (let i = 0; i < 500; i++) {
      const item = random.pick(items);
      expect(items).toContain(item);
      seen.add(item);
    }
    expect(seen.size).toBe(3);
  });

  test('pick throws on an empty list', () => {
    expect(() => makeRandom(1, 'pick').pick([])).toThrow('random.pick() needs at least one item');
  });

  test('string has the requested length and uses letters and digits by default', () => {
    const text = makeRandom(5, 'string').string(200);
    expect(text).toHaveLength(200);
    expect(text).toMatch(/^[A-Za-z0-9]+$/);
    // Lowercase, uppercase and digits are all part of the default alphabet.
    expect(text).toMatch(/[a-z]/);
    expect(text).toMatch(/[A-Z]/);
    expect(text).toMatch(/[0-9]/);
  });

  test('string draws only from a given alphabet and uses all of it', () => {
    const text = makeRandom(5, 'alphabet').string(300, 'xyz');
    expect(text).toHaveLength(300);
    expect(text).toMatch(/^[xyz]+$/);
    expect(new Set(text).size).toBe(3);
  });

  test('string of length zero is empty', () => {
    expect(makeRandom(5, 'empty').string(0)).toBe('');
  });
});

describe('makeSeed', () => {
  test('it returns a positive integer that fits in 31 bits', () => {
    for (let i = 0; i < 100; i++) {
      const seed = makeSeed();
      expect(Number.isInteger(seed)).toBe(true);
      expect(seed).toBeGreaterThan(0);
      expect(seed).toBeLessThan(2 ** 31);
    }
  });

  test('it returns different seeds on different calls', () => {
    const seeds = new Set(Array.from({ length: 20 }, () => makeSeed()));
    expect(seeds.size).toBeGreaterThan(1);
  });
});

describe('random.string with a bad alphabet', () => {
  test('it throws on an empty alphabet rather than returning "undefined"', () => {
    expect(() => makeRandom(1, 'x').string(3, '')).toThrow('non-empty alphabet');
  });
});

describe('shuffle', () => {
  test('gives every item once, in an order the seed decides, and leaves the list as it was', () => {
    const items = Array.from({ length: 20 }, (_, i) => i);
    const shuffled = makeRandom(7, 'check').shuffle(items);
    expect([...shuffled].sort((a, b) => a - b)).toEqual(items);
    expect(shuffled).not.toEqual(items);
    expect(makeRandom(7, 'check').shuffle(items)).toEqual(shuffled);
    expect(makeRandom(8, 'check').shuffle(items)).not.toEqual(shuffled);
    expect(items[0]).toBe(0);
  });
});

describe("a class's seeds", () => {
  const students = ['alice', 'bob', 'carol'];

  test("in a CI pipeline, every job of a run agrees (whatever order it found the students in), and the next run's seed is another", () => {
    const github = (id: string, attempt = '1') => classSeed('tcp-hello-server', students, { sharded: true, env: { GITHUB_RUN_ID: id, GITHUB_RUN_ATTEMPT: attempt } });
    expect(github('9001')).toBe(classSeed('tcp-hello-server', [...students].reverse(), { sharded: true, env: { GITHUB_RUN_ID: '9001', GITHUB_RUN_ATTEMPT: '1' } }));
    expect(new Set([github('9001'), github('9002'), github('9001', '2')]).size).toBe(3);
    const gitlab = (id: string) => classSeed('tcp-hello-server', students, { sharded: false, env: { CI_PIPELINE_ID: id } });
    expect(gitlab('77')).toBe(gitlab('77'));
    expect(gitlab('77')).not.toBe(gitlab('78'));
  });

  test('outside CI, a class graded in one go gets a fresh seed each time; shards fall back on the exercise and the students alone', () => {
    const once = () => classSeed('tcp-hello-server', students, { sharded: false, env: {} });
    expect(new Set(Array.from({ length: 10 }, once)).size).toBeGreaterThan(1);
    const sharded = () => classSeed('tcp-hello-server', students, { sharded: true, env: {} });
    expect(sharded()).toBe(sharded());
  });

  test("each student's seed is their own, and the class's seed gives it again", () => {
    const seeds = students.map((student) => studentSeed(4242, student));
    expect(new Set(seeds).size).toBe(3);
    expect(studentSeed(4242, 'alice')).toBe(seeds[0]);
    expect(studentSeed(4243, 'alice')).not.toBe(seeds[0]);
    for (const seed of seeds) expect(seed).toBeGreaterThan(0);
  });
});
