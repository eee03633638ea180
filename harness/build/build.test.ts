import { build } from 'esbuild';
import { chmod, chown, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { makeOnce, privateCacheIn } from './cache.js';
import { fingerprintFiles } from './fingerprint.js';
import { loadOnFirstCall } from './load-on-first-call.js';
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

describe('loadOnFirstCall', () => {
  // A package whose loading is seen (globalThis.loads), in the version a given folder resolves.
  async function writePackage(root: string, version: number): Promise<void> {
    const dir = path.join(root, 'node_modules', 'costly');
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'package.json'), JSON.stringify({ name: 'costly', type: 'module', main: 'index.js' }));
    await writeFile(path.join(dir, 'index.js'), `(globalThis.loads ??= []).push(${version});\nexport default (x) => x * ${version};\n`);
  }

  test('the package loads at its first call, not with the bundle, and each importer gets the version it would resolve', async () => {
    await writePackage(dir, 2);
    const user = path.join(dir, 'node_modules', 'user');
    await writePackage(user, 3);
    await writeFile(path.join(user, 'index.js'), "import costly from 'costly';\nexport const triple = (x) => costly(x);\n");
    await writeFile(path.join(dir, 'main.js'), "import costly from 'costly';\nimport { triple } from './node_modules/user/index.js';\nexport const double = (x) => costly(x);\nexport { triple };\n");
    await build({ entryPoints: [path.join(dir, 'main.js')], outfile: path.join(dir, 'out', 'bundle.mjs'), bundle: true, format: 'esm', platform: 'node', logLevel: 'silent', plugins: [loadOnFirstCall(['costly'])] });
    const loads = (): number[] | undefined => (globalThis as { loads?: number[] }).loads;
    try {
      const bundled = (await import(pathToFileURL(path.join(dir, 'out', 'bundle.mjs')).href)) as Record<string, (x: number) => number>;
      expect(loads()).toBeUndefined();
      expect(bundled.double!(5)).toBe(10);
      expect(loads()).toEqual([2]);
      expect(bundled.triple!(5)).toBe(15);
      expect(bundled.double!(1)).toBe(2);
      expect(loads()).toEqual([2, 3]);
    } finally {
      delete (globalThis as { loads?: number[] }).loads;
    }
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
