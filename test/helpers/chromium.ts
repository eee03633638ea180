import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import puppeteer, { type Browser } from 'puppeteer-core';

// Headless Chromium for the tests that open the HTML report as a teacher would (.ci/run installs it).
const CHROMIUM = '/usr/bin/chromium';

/** Starts headless Chromium, talking to it over a pipe rather than a TCP port. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install the Debian package chromium (apt-get install -y chromium), as .ci/run does.`);
  // As root, Chromium's own sandbox cannot start.
  return puppeteer.launch({ executablePath: CHROMIUM, headless: true, pipe: true, args: ['--no-sandbox'] });
}

/** Closes the browser and tells whether its main process is gone (or only a zombie) within 5 s. */
export async function closeChromium(browser: Browser): Promise<boolean> {
  const pid = browser.process()?.pid;
  await browser.close();
  if (pid === undefined) return true;
  for (let attempt = 0; attempt < 50; attempt++) {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
    if (stat === undefined || /\) Z /.test(stat)) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}
