import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { runGrade } from '../helpers/run-grade.ts';

// Programs that look names up and print what they got, graded on http-get-todo, which declares
// jsonplaceholder.typicode.com. Their verdicts do not matter here: what they could resolve does.
const PYTHON = `
import socket, time
print('declared', socket.gethostbyname('jsonplaceholder.typicode.com'))
print('own name', socket.gethostbyname(socket.gethostname()))
start = time.monotonic()
try:
    socket.getaddrinfo('api.example.org', 443)
    print('undeclared resolved')
except socket.gaierror as error:
    print('undeclared failed', str(error.errno == socket.EAI_NONAME).lower(), f'{time.monotonic() - start:.3f}')
`;
const NODE = `
import dns from 'node:dns/promises';
import os from 'node:os';
console.log('declared', (await dns.lookup('jsonplaceholder.typicode.com', { family: 4 })).address);
console.log('own name', (await dns.lookup(os.hostname(), { family: 4 })).address);
const start = performance.now();
try {
  await dns.lookup('api.example.org');
  console.log('undeclared resolved');
} catch (error) {
  console.log('undeclared failed', (error as NodeJS.ErrnoException).code === 'ENOTFOUND', ((performance.now() - start) / 1000).toFixed(3));
}
`;

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

/** Grades `source` as todo.ts and gives the lines of its first check's log about names it looked up. */
async function lookupsOf(source: string) {
  dir = await mkdtemp(path.join(tmpdir(), 'netgrade-names-'));
  await writeFile(path.join(dir, 'todo.ts'), source);
  const run = await runGrade(['http-get-todo', dir]);
  const log = run.report!.checks.find((c) => c.id === 'prints-todo')!.log;
  return { run, lookups: log.filter((line) => line.startsWith('your program looked up')) };
}

describe("a program's names, on a submission's private network", () => {
  test.each([
    ['Python', 'todo.py', PYTHON, ['--language', 'python']],
    ['Node', 'todo.ts', NODE, []],
  ])('%s: the declared host is the loopback, the machine its own name, and any other name fails at once, named in the report', async (_, entry, source, flags) => {
    dir = await mkdtemp(path.join(tmpdir(), 'netgrade-names-'));
    await writeFile(path.join(dir, entry), source);
    const run = await runGrade(['http-get-todo', dir, ...flags]);
    const check = run.report!.checks.find((c) => c.id === 'prints-todo')!;
    const stdout = check.programs[0]!.stdout;
    expect(stdout, run.stderr).toContain('declared 127.0.0.1');
    expect(stdout).toContain('own name 127.0.1.1');
    const failed = /undeclared failed true (\d+\.\d+)/.exec(stdout);
    expect(failed, stdout).not.toBeNull();
    // At once: one round trip on the loopback, not a resolver's time-out.
    expect(Number(failed![1])).toBeLessThan(0.9);
    expect(check.log).toContain('your program looked up api.example.org, which this exercise does not serve: the lookup failed at once (no real network is used)');
  });

  test('a program that looks up a hundred names gets ten of them in its report, and a line saying there were more', async () => {
    const { run, lookups } = await lookupsOf(`import dns from 'node:dns/promises';
await Promise.allSettled(Array.from({ length: 100 }, (_, i) => dns.lookup(\`host-\${i}.example.org\`, { family: 4 })));
console.log('done');
`);
    expect(lookups, run.stderr).toHaveLength(11);
    expect(lookups.at(-1)).toBe('your program looked up more names, which are not shown');
  });

  test("a name with a line break and controls in it is shown escaped, on the line of its own lookup; the exercise's host asked for on IPv6 alone is not called a name it does not serve", async () => {
    const { run, lookups } = await lookupsOf(`import dgram from 'node:dgram';
import dns from 'node:dns/promises';
const label = Buffer.from('evil\\n\\u2714 PASS \\u001b[2J');
const query = Buffer.concat([Buffer.from([0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, label.length]), label, Buffer.from([3]), Buffer.from('org'), Buffer.from([0, 0, 1, 0, 1])]);
const socket = dgram.createSocket('udp4');
await new Promise((resolve) => socket.send(query, 53, '127.0.0.1', resolve));
await new Promise((resolve) => setTimeout(resolve, 300));
socket.close();
await dns.lookup('jsonplaceholder.typicode.com', { family: 6 }).catch(() => undefined);
console.log('done');
`);
    expect(lookups, run.stderr).toHaveLength(1);
    expect(lookups[0]).toMatch(/^your program looked up evil\\x0a\\xe2\\x9c\\x94\\x20PASS\\x20\\x1b\\x5b2J\.org, which/);
    expect(run.stderr.split('\n').filter((line) => line.trimStart().startsWith('✔ PASS ') && line.includes('PASS \x1b'))).toEqual([]);
  });
});
