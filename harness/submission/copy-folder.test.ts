import { execFileSync } from 'node:child_process';
import { lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { COPY_LIMITS, copyFolder } from './copy-folder.ts';

let base: string;
let from: string;
let to: string;
beforeEach(async () => {
  base = await mkdtemp(path.join(tmpdir(), 'netgrade-copy-'));
  from = path.join(base, 'student');
  to = path.join(base, 'copy');
  await mkdir(path.join(from, 'lib'), { recursive: true });
  await writeFile(path.join(from, 'server.ts'), 'console.log(1);');
  await writeFile(path.join(from, 'lib', 'util.ts'), 'export {};');
});
afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('copying a submission', () => {
  test('files and folders are copied as they are', async () => {
    expect(await copyFolder(from, to)).toEqual([]);
    expect(await readFile(path.join(to, 'lib', 'util.ts'), 'utf8')).toBe('export {};');
  });

  test('.git, node_modules and the grader\'s .netgrade-* names are never copied', async () => {
    for (const name of ['.git', 'node_modules']) await mkdir(path.join(from, name));
    await writeFile(path.join(from, '.netgrade-server.mjs'), 'forged');
    expect(await copyFolder(from, to)).toEqual([]);
    expect((await readdir(to)).sort()).toEqual(['lib', 'server.ts']);
  });

  test('a link inside the folder is kept, pointing into the copy, even when written as an absolute path', async () => {
    await symlink('lib/util.ts', path.join(from, 'relative.ts'));
    await symlink(path.join(from, 'lib'), path.join(from, 'absolute'));
    expect(await copyFolder(from, to)).toEqual([]);
    expect(await readlink(path.join(to, 'relative.ts'))).toBe('lib/util.ts');
    expect(await readlink(path.join(to, 'absolute'))).toBe('lib');
    expect(await readFile(path.join(to, 'absolute', 'util.ts'), 'utf8')).toBe('export {};');
  });

  test('a link out of the folder is refused, named with where it leads, and nothing is read through it', async () => {
    await mkdir(path.join(base, 'amy'));
    await writeFile(path.join(base, 'amy', 'server.ts'), 'amy');
    await symlink('../amy/server.ts', path.join(from, 'copied.ts'));
    await symlink('/etc/shadow', path.join(from, 'lib', 'secret.txt'));
    expect(await copyFolder(from, to)).toEqual([
      { file: 'copied.ts', problem: 'is a link to ../amy/server.ts, outside your folder' },
      { file: 'lib/secret.txt', problem: 'is a link to /etc/shadow, outside your folder' },
    ]);
    expect(await lstat(path.join(to, 'copied.ts')).catch(() => undefined)).toBeUndefined();
  });

  test('a FIFO is refused rather than read (reading one would block the grader)', async () => {
    execFileSync('mkfifo', [path.join(from, 'pipe')]);
    expect(await copyFolder(from, to)).toEqual([{ file: 'pipe', problem: 'is not a file, a folder or a link (a FIFO, socket or device)' }]);
  });

  test('a name that is not UTF-8 (a zip made on another system) is copied byte for byte', async () => {
    const name = Buffer.concat([Buffer.from('notes-'), Buffer.from([0xe9]), Buffer.from('.txt')]);
    await writeFile(Buffer.concat([Buffer.from(`${from}/`), name]), 'latin-1');
    expect(await copyFolder(from, to)).toEqual([]);
    const copied = await readdir(to, { encoding: 'buffer' });
    expect(copied.some((entry) => entry.equals(name))).toBe(true);
  });

  test('folders nested deeper than the limit are refused, not copied until a path breaks', async () => {
    let dir = from;
    for (let level = 0; level <= COPY_LIMITS.depth; level++) dir = path.join(dir, 'd');
    await mkdir(dir, { recursive: true });
    const problems = await copyFolder(from, to);
    expect(problems).toEqual([{ file: Array.from({ length: COPY_LIMITS.depth + 1 }, () => 'd').join('/'), problem: `is nested more than ${COPY_LIMITS.depth} folders deep` }]);
  });

  test('a folder over the size limit is refused as a whole, with the numbers', async () => {
    await writeFile(path.join(from, 'big.bin'), Buffer.alloc(COPY_LIMITS.bytes + 1));
    const problems = await copyFolder(from, to);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.problem).toMatch(/the grader copies at most 5000 files and 64 MiB/);
  });
});
