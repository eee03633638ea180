import { copyFile, cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { BatchResult } from '../../harness/report/types.ts';
import { closeChromium, launchChromium } from '../helpers/chromium.ts';
import { LOGS_MARKUP } from '../helpers/submission.ts';
import { ROOT, runGrade } from '../helpers/run-grade.ts';

// The HTML report of a real class, opened from disk in headless Chromium: what a teacher sees.
// The screenshot it takes lands in test/artifacts/ (git-ignored); to make it the README's:
// `NETGRADE_UPDATE_SCREENSHOT=1 npx vitest run test/e2e/html-browser.test.ts`.
const ARTIFACTS = path.join(ROOT, 'test/artifacts');
const SCREENSHOT = path.join(ARTIFACTS, 'html-report.png');


let dir: string;
let file: string;
let url: string;
let batch: BatchResult;
let browser: Browser | undefined;

// One class, one grading: amy correct, ben greeting with the wrong text, cal logging markup, and
// dan an empty folder (0 points from the first check).
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'netgrade-html-browser-'));
  const classDir = path.join(dir, 'class');
  await cp(path.join(ROOT, 'solutions/tcp-hello-server'), path.join(classDir, 'amy'), { recursive: true });
  await cp(path.join(ROOT, 'fixtures/tcp-hello-server/wrong-text'), path.join(classDir, 'ben'), { recursive: true });
  await mkdir(path.join(classDir, 'cal'), { recursive: true });
  await writeFile(path.join(classDir, 'cal/server.ts'), LOGS_MARKUP);
  await mkdir(path.join(classDir, 'dan'), { recursive: true });
  file = path.join(dir, 'class.html');
  url = pathToFileURL(file).href;
  const json = path.join(dir, 'class.json');
  const run = await runGrade(['tcp-hello-server', '--submissions', classDir, '--jobs', '2', '--seed', '7', '--html', file, '--json', json], { json: false });
  expect(run.exitCode, run.stderr).toBe(0);
  expect(run.leftovers).toEqual([]);
  batch = JSON.parse(await readFile(json, 'utf8')) as BatchResult;
}, 120_000);

afterAll(async () => {
  // However a test ended, Chromium ends with it, all of its processes.
  if (browser) expect(await closeChromium(browser)).toBe(true);
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function launch(): Promise<Browser> {
  browser ??= await launchChromium();
  return browser;
}

/** Opens the report, recording every request the page makes and every error it reports. */
async function open(options: { bypassPolicy?: boolean } = {}): Promise<{ page: Page; requests: string[]; problems: string[] }> {
  const page = await (await launch()).newPage();
  await page.setViewport({ width: 1200, height: 900 });
  if (options.bypassPolicy) await page.setBypassCSP(true);
  const problems: string[] = [];
  page.on('console', (message) => void (message.type() === 'error' && problems.push(`console: ${message.text()}`)));
  page.on('pageerror', (error) => void problems.push(`page error: ${error instanceof Error ? error.message : String(error)}`));
  page.on('requestfailed', (request) => void problems.push(`request failed: ${request.url()}`));
  const requests: string[] = [];
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    requests.push(request.url());
    void request.continue();
  });
  await page.goto(url, { waitUntil: 'load' });
  return { page, requests, problems };
}

// The page's elements, as far as these tests use them (the project's types have no DOM library).
type Shown = { hidden: boolean; innerText: string; dataset: Record<string, string | undefined> };
type Select = { options: ArrayLike<{ value: string; textContent: string | null }> };
const group = (name: string) => `tbody.student[data-name="${name}"]`;
const visibleStudents = (page: Page) =>
  page.$$eval('tbody.student', (groups) => groups.filter((g) => !(g as unknown as Shown).hidden).map((g) => (g as unknown as Shown).dataset.name));
const shownText = (page: Page) => page.$eval('#shown', (element) => element.textContent);
const isHidden = (page: Page, selector: string) => page.$eval(selector, (element) => (element as unknown as Shown).hidden);
const innerText = (page: Page, selector: string) => page.$eval(selector, (element) => (element as unknown as Shown).innerText);

describe('the HTML report in headless Chromium', () => {
  test('opens from disk with no request but its own file and no error, even with its policy off', async () => {
    const { page, requests, problems } = await open();
    expect(await page.title()).toBe('netgrade · tcp-hello-server');
    expect(await shownText(page)).toBe('4 students');
    expect(await visibleStudents(page)).toEqual(['amy', 'ben', 'cal', 'dan']);
    expect(problems).toEqual([]);
    expect(requests).toEqual([url]);
    // Without the content security policy, nothing in the page asks for anything either: the
    // policy is a second fence, not the reason.
    const bare = await open({ bypassPolicy: true });
    await bare.page.click('#expand-all');
    expect(bare.problems).toEqual([]);
    expect(bare.requests).toEqual([url]);
    await Promise.all([page.close(), bare.page.close()]);
  });

  test("opens a student's report, filters by a check, searches by name, sorts by score; a screenshot is kept", async () => {
    const { page, requests, problems } = await open();

    // cal's program printed markup: opened, it is text, and no element is made of it.
    await page.click(`${group('cal')} button.expand`);
    expect(await innerText(page, `${group('cal')} tr.detail`)).toContain('<script>document.title = "pwned"</script><img src=x onerror=alert(1)>');
    expect(await page.$$eval('img', (found) => found.length)).toBe(0);
    expect(await page.$$eval('script', (found) => found.length)).toBe(1);
    expect(await page.title()).toBe('netgrade · tcp-hello-server');
    await page.click(`${group('cal')} button.expand`);
    expect(await isHidden(page, `${group('cal')} tr.detail`)).toBe(true);

    // ben's report opens from the button that controls it, with the message of the check he failed.
    const ben = batch.submissions.find((s) => s.student === 'ben')!.checks.find((c) => c.id === 'greeting')!;
    expect(ben.status).toBe('fail');
    const button = `${group('ben')} button.expand[aria-controls]`;
    const detail = `#${await page.$eval(button, (element) => element.getAttribute('aria-controls'))}`;
    expect(await page.$eval(detail, (element) => element.closest('tbody')!.getAttribute('data-name'))).toBe('ben');
    expect(await isHidden(page, detail)).toBe(true);
    await page.click(button);
    expect(await isHidden(page, detail)).toBe(false);
    expect(await page.$eval(button, (element) => element.getAttribute('aria-expanded'))).toBe('true');
    expect(await innerText(page, detail)).toContain(ben.message);
    expect(await innerText(page, detail)).toContain('On the wire');

    // The students who did not pass the greeting: ben (wrong text) and dan (nothing to run).
    const failedGreeting = batch.submissions.filter((s) => s.checks.find((c) => c.id === 'greeting')!.status !== 'pass').map((s) => s.student);
    expect(failedGreeting).toEqual(['ben', 'dan']);
    const greeting = await page.$eval('#filter', (select) => Array.from((select as unknown as Select).options).find((option) => option.textContent!.includes('(greeting)'))!.value);
    await page.select('#filter', greeting);
    expect(await visibleStudents(page)).toEqual(failedGreeting);
    expect(await shownText(page)).toBe('2 of 4 students');
    expect(await isHidden(page, '#none')).toBe(true);

    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    if (process.env.NETGRADE_UPDATE_SCREENSHOT) await copyFile(SCREENSHOT, path.join(ROOT, 'docs/html-report.png'));

    // A name narrows the filtered list; one that matches nobody says so.
    await page.type('#search', 'DA');
    expect(await visibleStudents(page)).toEqual(['dan']);
    expect(await shownText(page)).toBe('1 of 4 students');
    await page.type('#search', 'x');
    expect(await visibleStudents(page)).toEqual([]);
    expect(await isHidden(page, '#none')).toBe(false);
    await page.click('#search', { count: 3 });
    await page.keyboard.press('Backspace');
    expect(await page.$eval('#search', (input) => (input as unknown as { value: string }).value)).toBe('');
    await page.select('#filter', '');
    expect(await visibleStudents(page)).toEqual(['amy', 'ben', 'cal', 'dan']);

    // Scores lowest first, then highest first.
    const byScore = batch.submissions.map((s) => [s.student, s.score] as const).sort((a, b) => a[1] - b[1]).map(([name]) => name);
    await page.click('button[data-sort="score"]');
    expect(await visibleStudents(page)).toEqual(byScore);
    await page.click('button[data-sort="score"]');
    expect(await visibleStudents(page)).toEqual([...byScore].reverse());
    expect(await page.$eval('th:has(> button[data-sort="score"])', (th) => th.getAttribute('aria-sort'))).toBe('descending');

    expect(problems).toEqual([]);
    expect(requests).toEqual([url]);
    await page.close();
  });

  test("in a phone's width nothing makes the page scroll sideways, every report open or not", async () => {
    const { page, problems } = await open();
    await page.setViewport({ width: 400, height: 800 });
    const width = () => page.$eval('html', (root) => (root as unknown as { scrollWidth: number }).scrollWidth);
    expect(await width()).toBe(400);
    await page.click('#expand-all');
    expect(await page.$$eval('tr.detail', (details) => details.filter((d) => (d as unknown as Shown).hidden).length)).toBe(0);
    expect(await width()).toBe(400);
    expect(problems).toEqual([]);
    await page.close();
  });
});
