import { mkdir, mkdtemp, readFile, readlink, symlink, writeFile, lstat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { putFiles } from './put-files.ts';
import { removeTree } from './remove-tree.ts';

const made: string[] = [];
afterEach(async () => {
  for (const dir of made.splice(0)) await removeTree(dir);
});

async function folder(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'put-files-'));
  made.push(dir);
  return dir;
}

test('writes files in new and existing folders, replacing the student’s file at that path', async () => {
  const copy = await folder();
  await mkdir(path.join(copy, 'public'));
  await writeFile(path.join(copy, 'public', 'index.html'), 'the student’s own');
  await putFiles(copy, { 'public/index.html': '<h1>grader</h1>', 'public/img/a b.png': Buffer.from([0, 255]) }, undefined);
  expect(await readFile(path.join(copy, 'public', 'index.html'), 'utf8')).toBe('<h1>grader</h1>');
  expect([...(await readFile(path.join(copy, 'public', 'img', 'a b.png')))]).toEqual([0, 255]);
});

test('never writes through a link the student left at a path or a folder of it', async () => {
  const copy = await folder();
  const outside = await folder();
  await writeFile(path.join(outside, 'victim.txt'), 'untouched');
  await symlink(outside, path.join(copy, 'public'));
  await mkdir(path.join(copy, 'other'));
  await symlink(path.join(outside, 'victim.txt'), path.join(copy, 'other', 'victim.txt'));
  await putFiles(copy, { 'public/victim.txt': 'overwritten', 'other/victim.txt': 'overwritten' }, undefined);
  expect(await readFile(path.join(outside, 'victim.txt'), 'utf8')).toBe('untouched');
  expect((await lstat(path.join(copy, 'public'))).isDirectory()).toBe(true);
  expect(await readFile(path.join(copy, 'other', 'victim.txt'), 'utf8')).toBe('overwritten');
  await expect(readlink(path.join(copy, 'other', 'victim.txt'))).rejects.toThrow();
});

test('refuses a path that is not plainly inside the copy', async () => {
  const copy = await folder();
  for (const name of ['../x', '/etc/x', 'a//b', './a']) {
    await expect(putFiles(copy, { [name]: 'x' }, undefined)).rejects.toThrow(/not a plain relative path/);
  }
});
