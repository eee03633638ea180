import { build } from 'esbuild';
import { chmod, chown, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { makeOnce, privateCacheIn } from './cache.js';
import { fingerprintFiles } from './fingerprint.js';
import { keepSourceUrls } from './source-urls.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'netgrade-build-test-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('keepSourceUrls', () => {
  test('each bundled file sees its own import.meta.url, and a string that names it is left alone', async () => {
    await mkdir(path.join(dir, 'lib'));
    await writeFile(path.join(dir, 'lib', 'where.ts'), "export const where: string = new URL('.', import.meta.url).href;\n");
    await writeFile(path.join(dir, 'main.ts'), [
      "import { where } from './lib/where.ts';",
      'export const own = import.meta.url;',
      'export const dirname = import.meta.dirname;',
      'export { where };',
      "export const text = 'import.meta.url';",
    ].join('\n'));
    await build({ entryPoints: [path.join(dir, 'main.ts')], outfile: path.join(dir, 'out', 'bundle.mjs'), bundle: true, format: 'esm', platform: 'node', logLevel: 'silent', plugins: [keepSourceUrls()] });
    const bundled = (await import(pathToFileURL(path.join(dir, 'out', 'bundle.mjs')).href)) as Record<string, string>;
    expect(bundled.own).toBe(pathToFileURL(path.join(dir, 'main.ts')).href);
    expect(bundled.dirname).toBe(dir);
    expect(bundled.where).toBe(pathToFileURL(path.join(dir, 'lib')).href + '/');
    expect(bundled.text).toBe('import.meta.url');
  });
});

describe('makeOnce', () => {
  test('graders starting at once end with one complete folder, and nothing of theirs beside it', async () => {
    const target = path.join(dir, 'harness-abc');
    const make = (name: string) => async (aside: string) => {
      await mkdir(aside);
      await writeFile(path.join(aside, 'a.js'), name);
      await new Promise((resolve) => setTimeout(resolve, 20));
      await writeFile(path.join(aside, 'b.js'), name);
    };
    await Promise.all(['one', 'two', 'three'].map((name) => makeOnce(target, make(name))));
    expect(await readdir(dir)).toEqual(['harness-abc']);
    const [a, b] = await Promise.all(['a.js', 'b.js'].map((file) => readFile(path.join(target, file), 'utf8')));
    expect(a).toBe(b);
  });
});

describe('fingerprintFiles', () => {
  test('changes with a rewrite of the same size, a file added to a watched folder, or one appearing; is settled only 2 s after the last change', async () => {
    const file = path.join(dir, 'a.ts');
    const later = path.join(dir, 'b.ts');
    await writeFile(file, 'one');
    const watched = [dir, file, later];
    const first = await fingerprintFiles(watched);
    expect(first.settled).toBe(false);
    expect((await fingerprintFiles(watched)).key).toBe(first.key);
    await writeFile(file, 'two');
    const rewritten = await fingerprintFiles(watched);
    expect(rewritten.key).not.toBe(first.key);
    await writeFile(path.join(dir, 'c.ts'), '');
    const added = await fingerprintFiles(watched);
    expect(added.key).not.toBe(rewritten.key);
    await writeFile(later, '');
    expect((await fingerprintFiles(watched)).key).not.toBe(added.key);
    await new Promise((resolve) => setTimeout(resolve, 2100));
    expect((await fingerprintFiles(watched)).settled).toBe(true);
  });
});

describe('privateCacheIn', () => {
  test('makes a folder only this user can enter', async () => {
    const cache = await privateCacheIn(dir);
    expect(path.dirname(cache)).toBe(dir);
    expect((await stat(cache)).mode & 0o777).toBe(0o700);
  });

  test('refuses a folder planted there by someone else, whose code would run as the grader', async () => {
    const planted = path.join(dir, `netgrade-cache-${process.getuid!()}`);
    await mkdir(planted);
    await chmod(planted, 0o777);
    await expect(privateCacheIn(dir)).rejects.toThrow(/not a folder that only this user can write/);
  });

  test.runIf(process.getuid?.() === 0)('refuses one owned by another user', async () => {
    const planted = path.join(dir, `netgrade-cache-${process.getuid!()}`);
    await mkdir(planted, { mode: 0o700 });
    await chown(planted, 65534, 65534);
    await expect(privateCacheIn(dir)).rejects.toThrow(/not a folder that only this user can write/);
  });
});
