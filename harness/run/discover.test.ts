import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { UsageError } from '../errors.ts';
import { discoverJobs, type ClassExercise } from './discover.ts';
import { escapeInvalidUtf8, removeFolderAliases } from './student-folders.ts';

const SERVER: ClassExercise = { id: 'tcp-hello-server', entry: 'server.ts' };
const CLIENT: ClassExercise = { id: 'tcp-hello-client', entry: 'client.ts' };
const WEB: ClassExercise = { id: 'web-server', entry: 'server.ts' };
const KNOWN = [SERVER, CLIENT, WEB].map((exercise) => exercise.id);

let root: string;

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'netgrade-discover-'));
});

afterEach(async () => {
  removeFolderAliases();
  await rm(root, { recursive: true, force: true });
});

// Files under the class folder, by path; a path ending in / is an empty folder. Paths are bytes.
async function makeClass(files: readonly (string | Buffer)[]): Promise<void> {
  for (const file of files) {
    const bytes = Buffer.concat([Buffer.from(`${root}/`), Buffer.from(file)]);
    const folder = bytes.subarray(0, bytes.lastIndexOf(0x2f));
    await mkdir(folder, { recursive: true });
    if (bytes.at(-1) !== 0x2f) await writeFile(bytes, 'x');
  }
}

describe('student folders', () => {
  test('a folder whose name is not UTF-8 is a student, shown escaped and graded through a path that reaches it', async () => {
    const latin1 = Buffer.concat([Buffer.from('l'), Buffer.of(0xe9), Buffer.from('a/server.ts')]);
    await makeClass([latin1, 'amy/server.ts']);
    const { jobs, warnings } = await discoverJobs(root, { exercise: SERVER, known: KNOWN });
    expect(jobs.map((job) => job.student)).toEqual(['amy', 'l\\xe9a']);
    const lea = jobs[1]!;
    expect(lea.shownDir).toBe(path.join(root, 'l\\xe9a'));
    expect(await readdir(lea.dir)).toEqual(['server.ts']);
    expect(lea.missing).toBeUndefined();
    expect(warnings).toEqual([]);
  });

  test('an escaped name that reads as another folder\'s real name is kept apart', async () => {
    await makeClass([Buffer.concat([Buffer.from('l'), Buffer.of(0xe9), Buffer.from('a/server.ts')]), 'l\\xe9a/server.ts']);
    const { jobs } = await discoverJobs(root, { exercise: SERVER, known: KNOWN });
    expect(new Set(jobs.map((job) => job.student)).size).toBe(2);
    expect(await readFile(path.join(jobs.find((job) => job.shownDir)!.dir, 'server.ts'), 'utf8')).toBe('x');
  });

  test('escaping keeps what is UTF-8 and shows each other byte', () => {
    expect(escapeInvalidUtf8(Buffer.from('zoë'))).toBe('zoë');
    expect(escapeInvalidUtf8(Buffer.of(0x7a, 0x6f, 0xeb))).toBe('zo\\xeb');
    // A sequence cut short, an overlong slash, and a lone continuation byte.
    expect(escapeInvalidUtf8(Buffer.of(0xe2, 0x82, 0x41, 0xc0, 0xaf, 0x80))).toBe('\\xe2\\x82A\\xc0\\xaf\\x80');
  });
});

describe('one exercise for a class', () => {
  test('an empty folder is a row of 0 points that says so, with a warning', async () => {
    await makeClass(['amy/server.ts', 'cal/']);
    const { jobs, warnings } = await discoverJobs(root, { exercise: SERVER, known: KNOWN });
    expect(jobs.find((job) => job.student === 'cal')).toMatchObject({ missing: 'the folder is empty' });
    expect(warnings).toEqual([{ student: 'cal', text: 'Warning: cal: the folder is empty (0 points).' }]);
  });

  test('a class laid out for grade all is a usage error that says what to run', async () => {
    await makeClass(['amy/web-server/server.ts', 'ben/web-server/server.ts', 'cal/server.ts']);
    const found = discoverJobs(root, { exercise: WEB, known: KNOWN });
    await expect(found).rejects.toThrow(UsageError);
    await expect(found).rejects.toThrow(`2 of 3 student folders hold exercise folders (amy/web-server/, ben/web-server/) and no server.ts: that is the layout of \`grade all\` (<student>/<exercise>/). Run \`grade all --submissions ${root} --exercises web-server\`.`);
  });

  test('one student who handed in an exercise folder is warned, and graded', async () => {
    await makeClass(['amy/web-server/server.ts', 'ben/server.ts', 'cal/server.ts']);
    const { jobs, warnings } = await discoverJobs(root, { exercise: WEB, known: KNOWN });
    expect(jobs).toHaveLength(3);
    expect(warnings.map((warning) => warning.text)).toEqual(["Warning: amy: no server.ts at the top of the folder, but a web-server/ folder; each student's folder must hold the exercise's files themselves."]);
  });
});

describe('grade all for a class', () => {
  test('the exercises graded are the instructor\'s: a student\'s extra folders add no row to anyone', async () => {
    await makeClass(['amy/tcp-hello-server/server.ts', 'ben/tcp-hello-server/server.ts', 'ben/tcp-hello-client/', 'ben/web-server/', 'ben/chat-server/']);
    const { jobs, warnings } = await discoverJobs(root, { exercises: [SERVER] });
    expect(jobs.map((job) => `${job.student} ${job.exercise}`)).toEqual(['amy tcp-hello-server', 'ben tcp-hello-server']);
    expect(warnings).toEqual([]);
  });

  test('an exercise folder that is empty is missing, and an exercise nobody handed in is one warning for the class', async () => {
    await makeClass(['amy/tcp-hello-server/server.ts', 'ben/tcp-hello-server/', 'ben/tcp-hello-client/client.ts']);
    const { jobs, warnings } = await discoverJobs(root, { exercises: [SERVER, CLIENT, WEB] });
    expect(jobs.filter((job) => job.missing).map((job) => `${job.student} ${job.exercise}: ${job.missing}`)).toEqual([
      'amy tcp-hello-client: missing (no tcp-hello-client/ folder)',
      'amy web-server: missing (no web-server/ folder)',
      'ben tcp-hello-server: the tcp-hello-server/ folder is empty',
      'ben web-server: missing (no web-server/ folder)',
    ]);
    expect(warnings.map((warning) => warning.text)).toEqual([
      'Warning: no student handed in web-server (0 points each); to grade only some exercises, pass --exercises tcp-hello-server,tcp-hello-client.',
      'Warning: amy: tcp-hello-client: missing (no tcp-hello-client/ folder) (0 points).',
      'Warning: ben: tcp-hello-server: the tcp-hello-server/ folder is empty (0 points).',
    ]);
  });

  test('near misses get a "did you mean": case, separators, and an entry file at the top of the folder', async () => {
    await makeClass(['amy/Web-Server/server.ts', 'ben/web_server/server.ts', 'cal/webserver/server.ts', 'dan/server.ts', 'eve/web-server/server.ts', 'fay/notes.txt']);
    const { jobs } = await discoverJobs(root, { exercises: [WEB] });
    expect(Object.fromEntries(jobs.map((job) => [job.student, job.missing]))).toEqual({
      amy: 'did you mean web-server/? Found Web-Server/, and exercise folders are named exactly by id',
      ben: 'did you mean web-server/? Found web_server/, and exercise folders are named exactly by id',
      cal: 'did you mean web-server/? Found webserver/, and exercise folders are named exactly by id',
      dan: "no exercise folders found in dan/, but server.ts is at its top: each exercise's files go in a folder named by its id (dan/web-server/server.ts)",
      eve: undefined,
      fay: 'no exercise folders found in fay/',
    });
  });

  test('a class where nobody handed in any of the exercises is a usage error', async () => {
    await makeClass(['amy/server.ts']);
    await expect(discoverJobs(root, { exercises: [WEB] })).rejects.toThrow(UsageError);
  });
});

describe('names', () => {
  test('students whose names read the same once invisible characters are removed get a warning naming them all', async () => {
    await makeClass(['amy/server.ts', 'amy\u200b/server.ts', 'a\u00admy/server.ts', 'ben/server.ts']);
    const { jobs, warnings } = await discoverJobs(root, { exercise: SERVER, known: KNOWN });
    expect(jobs).toHaveLength(4);
    expect(warnings).toEqual([{ text: 'Warning: 3 student folders read as "amy": amy, amy\u200b, a\u00admy; they are different students, shown with their invisible characters escaped.' }]);
  });
});
