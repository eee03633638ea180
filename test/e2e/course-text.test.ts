import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ROOT, runGrade } from '../helpers/run-grade.ts';

// The course text's chapter the exercises come from (../shared/seeds, copied into the repository so
// that the suite runs wherever it is cloned): its programs, as printed, get the verdicts they deserve.
const CHAPTER = path.join(ROOT, 'fixtures/course-text/network-programming-in-python.md');

let dir: string;
let programs: string[];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'netgrade-chapter-'));
  const text = await readFile(CHAPTER, 'utf8');
  // Each ```python block, its indentation in the list removed.
  programs = [...text.matchAll(/^( *)```python\n([\s\S]*?)^ *```$/gm)].map(([, indent, code]) => code!.split('\n').map((line) => line.slice(indent!.length)).join('\n'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function folderWith(name: string, code: string): Promise<string> {
  const folder = await mkdtemp(path.join(dir, 'program-'));
  await writeFile(path.join(folder, name), code);
  return folder;
}

describe("the course text's programs, as printed", () => {
  test('the chapter has its three programs: a server, a client and a REST client', () => {
    expect(programs).toHaveLength(3);
    expect(programs[0]).toContain("server_socket.bind(('localhost', 12345))");
    expect(programs[1]).toContain("client_socket.connect(('localhost', 12345))");
    expect(programs[2]).toContain("requests.get('https://jsonplaceholder.typicode.com/todos/1')");
  });

  test('its server gets full marks on tcp-hello-server: port 12345 hard-coded, no SO_REUSEADDR, send() once, launched afresh for each check', async () => {
    const run = await runGrade(['tcp-hello-server', await folderWith('server.py', programs[0]!)]);
    expect(run.report?.checks.map((check) => `${check.id}:${check.status}`), run.stderr).toEqual(['compiles:pass', 'listens:pass', 'greeting:pass', 'closes:pass', 'logs-connection:pass']);
    expect(run.report?.launches).toBe(4);
    expect(run.leftovers).toEqual([]);
  });

  test('its client prints a message sent in one piece, and fails what one recv(1024) and no exception handling cannot do, each saying why', async () => {
    const run = await runGrade(['tcp-hello-client', await folderWith('client.py', programs[1]!)]);
    const verdicts = Object.fromEntries(run.report!.checks.map((check) => [check.id, check.status]));
    expect(verdicts, run.stderr).toEqual({ compiles: 'pass', 'one-piece': 'pass', segments: 'fail', 'utf8-split': 'fail', long: 'fail', exits: 'pass', refused: 'fail', reset: 'fail' });
    const check = (id: string) => run.report!.checks.find((result) => result.id === id)!;
    expect(check('segments').hint).toContain('one recv() returns what has arrived so far');
    expect(check('utf8-split').message).toContain('uncaught exception (UnicodeDecodeError');
    expect(check('refused').message).toContain('crashed with an uncaught exception when its connection was refused');
  });

  test('its REST program prints the todo as Python prints a dict, and "Failed to get data" on 404 and 500; it fails only where requests raises: a reset and a body that is not JSON', async () => {
    const run = await runGrade(['http-get-todo', await folderWith('todo.py', programs[2]!)]);
    const verdicts = Object.fromEntries(run.report!.checks.map((check) => [check.id, check.status]));
    expect(verdicts, run.stderr).toEqual({
      compiles: 'pass',
      'prints-todo': 'pass',
      'one-request': 'pass',
      'failures/status-404': 'pass',
      'failures/status-500': 'pass',
      'failures/network-error': 'fail',
      'failures/invalid-json': 'fail',
      exits: 'pass',
    });
    const check = (id: string) => run.report!.checks.find((result) => result.id === id)!;
    expect(check('failures/network-error').message).toContain('crashed with an uncaught exception when the connection was reset (a network error): requests.exceptions.ConnectionError');
    expect(check('failures/invalid-json').message).toContain('requests.exceptions.JSONDecodeError');
    expect(check('failures/invalid-json').hint).toContain('except (requests.RequestException, ValueError)');
    expect(run.leftovers).toEqual([]);
  });
});
