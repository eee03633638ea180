import { existsSync } from 'node:fs';
import { copyFile, cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseHTML } from 'linkedom';
import puppeteer, { type Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { BatchResult } from '../../harness/report/types.ts';
import { ROOT, runGrade } from '../helpers/run-grade.ts';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = path.join(ROOT, 'test/artifacts');

// A correct server whose log line is markup: the report must show it as text.
const LOGS_MARKUP = `import net from 'node:net';
const server = net.createServer((socket) => {
  console.log('<script>document.title = "pwned"</script><img src=x onerror=alert(1)>');
  socket.end('Hello from server');
  server.close();
});
server.listen(Number(process.env.PORT), 'localhost');
`;

let dir: string;
let classDir: string;
const out = (name: string) => path.join(dir, name);

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'netgrade-html-'));
  classDir = out('class');
  await cp(path.join(ROOT, 'solutions/tcp-hello-server'), path.join(classDir, 'amy'), { recursive: true });
  await cp(path.join(ROOT, 'fixtures/tcp-hello-server/wrong-text'), path.join(classDir, 'ben'), { recursive: true });
  await mkdir(path.join(classDir, 'cal'), { recursive: true });
  await writeFile(path.join(classDir, 'cal/server.ts'), LOGS_MARKUP);
  await mkdir(path.join(classDir, 'dan'), { recursive: true });
  const run = await runGrade(['tcp-hello-server', '--submissions', classDir, '--jobs', '2', '--seed', '7', '--html', out('class.html'), '--json', out('class.json')], { json: false });
  expect(run.exitCode, run.stderr).toBe(0);
  expect(run.leftovers).toEqual([]);
}, 120_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function readReport(file: string) {
  const markup = await readFile(file, 'utf8');
  return { markup, document: parseHTML(markup).document };
}

// The page's elements, as far as these tests use them (the project's types have no DOM library).
type Shown = { hidden: boolean; innerText: string; dataset: Record<string, string | undefined> };
type Select = { options: ArrayLike<{ value: string; textContent: string | null }> };
const text = (element: { textContent: string | null } | null | undefined) => (element?.textContent ?? '').replace(/\s+/g, ' ').trim();
const rows = (document: ReturnType<typeof parseHTML>['document']) => [...document.querySelectorAll('tbody.student')].map((group) => [group.getAttribute('data-name'), group.getAttribute('data-score')]);

describe('grade --submissions --html', () => {
  test('writes one self-contained page with a row per student, as in the JSON, each opening onto the full report', async () => {
    const { markup, document } = await readReport(out('class.html'));
    const batch = JSON.parse(await readFile(out('class.json'), 'utf8')) as BatchResult;
    expect(rows(document)).toEqual(batch.submissions.map((s) => [s.student, String(s.score)]));
    expect(rows(document).map(([name]) => name)).toEqual(['amy', 'ben', 'cal', 'dan']);
    expect(document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content')).toContain("default-src 'none'");
    expect(document.querySelectorAll('link, img, iframe, object, embed, script[src]')).toHaveLength(0);
    expect(markup).not.toMatch(/https?:\/\//);

    const group = (name: string) => document.querySelector(`tbody.student[data-name="${name}"]`)!;
    expect(group('amy').getAttribute('data-keys')).toBe('');
    // An empty folder is graded, and fails from its first check: server.ts was not found.
    expect(text(group('dan').querySelector('.failed'))).toMatch(/^compiles /);
    expect(text(group('dan').querySelector('tr.detail'))).toContain('server.ts');
    const ben = batch.submissions.find((s) => s.student === 'ben')!.checks.find((c) => c.id === 'greeting')!;
    expect(ben.status).toBe('fail');
    expect(text(group('ben').querySelector('tr.detail'))).toContain(text({ textContent: ben.message }));
    expect(text(group('ben').querySelector('tr.detail'))).toContain('On the wire');
  });

  test("a program's output is text in the page, never markup", async () => {
    const { document } = await readReport(out('class.html'));
    const cal = document.querySelector('tbody.student[data-name="cal"] tr.detail')!;
    expect(text(cal)).toContain('<script>document.title = "pwned"</script><img src=x onerror=alert(1)>');
    // The page's own script is its only one.
    expect(document.querySelectorAll('script')).toHaveLength(1);
    expect((cal.querySelector('template')?.content ?? cal).querySelectorAll('img')).toHaveLength(0);
  });

  test('grade merge --html of the shards shows the same students and scores', async () => {
    for (const shard of ['1/2', '2/2']) {
      const run = await runGrade(['tcp-hello-server', '--submissions', classDir, '--jobs', '2', '--seed', '7', '--shard', shard, '--json', out(`shard-${shard[0]}.json`)], { json: false });
      expect(run.exitCode, run.stderr).toBe(0);
    }
    const merged = await runGrade(['merge', out('shard-1.json'), out('shard-2.json'), '--html', out('merged.html')], { json: false });
    expect(merged.exitCode, merged.stderr).toBe(0);
    expect(rows((await readReport(out('merged.html'))).document)).toEqual(rows((await readReport(out('class.html'))).document));
  });
});

describe('the HTML report in a real browser', () => {
  let browser: Browser | undefined;
  afterAll(async () => {
    await browser?.close();
  });

  test('opens from disk with no request and no error, opens a student, filters by a check, and is screenshot', async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install the Debian package chromium (apt-get install -y chromium), as .ci/run does.`);
    // As root, Chromium's own sandbox cannot start; the page is our own file, opened offline.
    browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, pipe: true, args: ['--no-sandbox'] });
    const page = await browser.newPage();
    await page.setViewport({ width: 1200, height: 900 });
    const problems: string[] = [];
    page.on('console', (message) => void (message.type() === 'error' && problems.push(`console: ${message.text()}`)));
    page.on('pageerror', (error) => void problems.push(`page error: ${error instanceof Error ? error.message : String(error)}`));
    const requests: string[] = [];
    await page.setRequestInterception(true);
    page.on('request', (request) => {
      requests.push(request.url());
      void request.continue();
    });
    const url = pathToFileURL(out('class.html')).href;
    await page.goto(url, { waitUntil: 'load' });
    expect(await page.title()).not.toBe('pwned');
    expect(await page.$eval('#shown', (element) => element.textContent)).toBe('4 students');

    // Open cal's report, whose program printed markup: it stays text.
    await page.click('tbody.student[data-name="cal"] button.expand');
    expect(await page.$eval('tbody.student[data-name="cal"] tr.detail', (element) => (element as unknown as Shown).innerText)).toContain('<img src=x onerror=alert(1)>');
    expect(await page.$$eval('img, tbody script', (found) => found.length)).toBe(0);
    expect(await page.title()).not.toBe('pwned');

    // Open ben's report.
    const ben = 'tbody.student[data-name="ben"]';
    expect(await page.$eval(`${ben} tr.detail`, (element) => (element as unknown as Shown).hidden)).toBe(true);
    await page.click(`${ben} button.expand`);
    expect(await page.$eval(`${ben} tr.detail`, (element) => (element as unknown as Shown).hidden)).toBe(false);
    expect(await page.$eval(`${ben} tr.detail`, (element) => (element as unknown as Shown).innerText)).toContain('The data your server sent is not what was expected.');

    // Those who did not pass the greeting: ben (wrong text) and dan (nothing handed in).
    const greeting = await page.$eval('#filter', (select) => Array.from((select as unknown as Select).options).find((option) => option.textContent!.includes('greeting'))!.value);
    await page.select('#filter', greeting);
    const visible = await page.$$eval('tbody.student', (groups) => groups.filter((group) => !(group as unknown as Shown).hidden).map((group) => (group as unknown as Shown).dataset.name));
    const batch = JSON.parse(await readFile(out('class.json'), 'utf8')) as BatchResult;
    const failedGreeting = batch.submissions.filter((s) => s.checks.find((c) => c.id === 'greeting')!.status !== 'pass').map((s) => s.student);
    expect(failedGreeting).toEqual(['ben', 'dan']);
    expect(visible).toEqual(failedGreeting);
    expect(await page.$eval('#shown', (element) => element.textContent)).toBe(`${failedGreeting.length} of 4 students`);

    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'html-report.png'), fullPage: true });
    expect(problems).toEqual([]);
    expect(requests).toEqual([url]);
  });
});

// Keeps the README's screenshot the one this test makes: `NETGRADE_UPDATE_SCREENSHOT=1 npx vitest run test/e2e/html-report.test.ts`.
afterAll(async () => {
  if (process.env.NETGRADE_UPDATE_SCREENSHOT) await copyFile(path.join(ARTIFACTS, 'html-report.png'), path.join(ROOT, 'docs/html-report.png'));
});
