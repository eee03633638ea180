import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { renderHtml } from '../../harness/report/html.ts';
import type { StudentResult } from '../../harness/report/types.ts';
import { closeChromium, launchChromium } from '../helpers/chromium.ts';
import { makeBatch, makeCheck, makeStudent } from '../helpers/results.ts';

// The score histograms of a `grade all` class, laid out by Chromium and measured: exercises of
// 2.5, 10, 15 and 20 points side by side, whose bin ranges ("13.5–15") are wider than a bin.
// The class is made by hand, not graded, so this takes a second.
const EXERCISES: [string, number][] = [
  ['chat-server', 15],
  ['tcp-hello-server', 10],
  ['udp-pinger', 2.5],
  ['web-server', 20],
];

function classResults(): StudentResult[] {
  const results: StudentResult[] = [];
  for (let student = 0; student < 24; student++) {
    for (const [exercise, max] of EXERCISES) {
      // Scores spread over every bin, more of them near the top, full marks included.
      const points = Math.min(max, Number(((max * ((student * 7) % 25)) / 24).toFixed(2)));
      results.push(makeStudent(`s${student + 1}`, exercise, [makeCheck({ id: 'works', points, maxPoints: max, status: points === max ? 'pass' : 'fail' })]));
    }
  }
  return results;
}

type Box = { left: number; right: number; top: number; bottom: number; width: number; height: number };
type Measured = { exercise: string; card: Box; bins: Box; bars: Box[]; labels: Box[] };

let dir: string;
let url: string;
let browser: Browser | undefined;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'netgrade-html-histograms-'));
  const file = path.join(dir, 'class.html');
  await writeFile(file, renderHtml(makeBatch('all', classResults()), 'instructor'));
  url = pathToFileURL(file).href;
  browser = await launchChromium();
});

afterAll(async () => {
  if (browser) expect(await closeChromium(browser)).toBe(true);
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Every histogram card on the page at this width, with the boxes of its bars and of the text under and over them. */
async function measure(width: number): Promise<Measured[]> {
  const page = await browser!.newPage();
  await page.setViewport({ width, height: 900 });
  await page.goto(url, { waitUntil: 'load' });
  // The page's elements, as far as this uses them (the project's types have no DOM library).
  type Shown = { getBoundingClientRect(): Box };
  const measured = await page.$$eval('.histogram', (cards) => {
    const box = (element: unknown) => {
      const { left, right, top, bottom, width, height } = (element as Shown).getBoundingClientRect();
      return { left, right, top, bottom, width, height };
    };
    return cards.map((card) => ({
      exercise: card.querySelector('figcaption strong')!.textContent!,
      card: box(card),
      bins: box(card.querySelector('.bins')!),
      bars: Array.from(card.querySelectorAll('.bar'), box),
      labels: Array.from(card.querySelectorAll('.n, .axis span'), box),
    }));
  });
  await page.close();
  return measured;
}

const inside = (inner: Box, outer: Box) => inner.left >= outer.left - 0.5 && inner.right <= outer.right + 0.5 && inner.top >= outer.top - 0.5 && inner.bottom <= outer.bottom + 0.5;

describe('the HTML report’s histograms in Chromium', () => {
  for (const width of [1200, 800, 400]) {
    test(`at ${width} px, every bar lies inside its own card, and the bars of a histogram are equally wide`, async () => {
      const cards = await measure(width);
      expect(cards.map((card) => card.exercise)).toEqual(EXERCISES.map(([id]) => id));
      for (const { exercise, card, bins, bars, labels } of cards) {
        expect(bars, exercise).toHaveLength(10);
        for (const [i, bar] of bars.entries()) {
          expect(inside(bar, card), `${exercise} bar ${i} ${JSON.stringify(bar)} in card ${JSON.stringify(card)}`).toBe(true);
          expect(inside(bar, bins), `${exercise} bar ${i} in its plot`).toBe(true);
          expect(bar.width, `${exercise} bar ${i} width`).toBeCloseTo(bars[0]!.width, 1);
          expect(bar.width, `${exercise} bar ${i} width`).toBeGreaterThan(5);
          // Left to right, none over the next.
          if (i > 0) expect(bar.left, `${exercise} bar ${i}`).toBeGreaterThanOrEqual(bars[i - 1]!.right);
        }
        // The tallest bar reaches the top of the plot, less the line for its count.
        expect(Math.max(...bars.map((bar) => bar.height)), exercise).toBeGreaterThan(bins.height * 0.7);
        for (const label of labels) expect(inside(label, card), `${exercise} label ${JSON.stringify(label)}`).toBe(true);
        // No card reaches into another's.
        for (const other of cards) {
          if (other.exercise === exercise) continue;
          const overlaps = card.left < other.card.right && other.card.left < card.right && card.top < other.card.bottom && other.card.top < card.bottom;
          expect(overlaps, `${exercise} and ${other.exercise}`).toBe(false);
        }
      }
    });
  }
});
