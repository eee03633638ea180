import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import type { BatchResult } from '../../harness/report/types.ts';
import { runGrade } from '../helpers/run-grade.ts';
import { makeSubmission } from '../helpers/submission.ts';

// These run with --sandbox, which fails at once where the sandbox or network namespaces are not available: on
// this project's machines (Linux, as root) they are, and that is what these tests hold to.
const SERVER = (prelude: string) => `import net from 'node:net';
import os from 'node:os';
${prelude}
net.createServer((socket) => {
  console.log(\`Connection from \${socket.remoteAddress}:\${socket.remotePort} has been established.\`);
  socket.end('Hello from server');
}).listen(Number(process.env.PORT ?? 12345));
`;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

async function submission(prelude: string) {
  const made = await makeSubmission({ 'server.ts': SERVER(prelude) });
  cleanups.push(made.remove);
  return made.dir;
}

describe('grading in a private network namespace', () => {
  test('the program sees a loopback interface and nothing else', async () => {
    const dir = await submission("console.log('interfaces:', Object.keys(os.networkInterfaces()).join(','));");
    const run = await runGrade(['tcp-hello-server', dir, '--sandbox']);
    expect(run.report!.passed).toBe(true);
    const listens = run.report!.checks.find((c) => c.id === 'listens')!;
    expect(listens.programs[0]!.stdout).toContain('interfaces: lo\n');
  });

  test('a raw TCP connection to an outside address cannot leave the machine', async () => {
    // 192.0.2.1 is a documentation address (RFC 5737); inside the namespace there is no route at all.
    const dir = await submission(
      "await new Promise<void>((done) => net.connect(80, '192.0.2.1').on('error', (e: NodeJS.ErrnoException) => { console.log('outside:', e.code); done(); }).on('connect', () => { console.log('outside: connected'); done(); }));",
    );
    const run = await runGrade(['tcp-hello-server', dir, '--sandbox']);
    expect(run.report!.checks.find((c) => c.id === 'listens')!.programs[0]!.stdout).toContain('outside: ENETUNREACH');
  });

  test('two submissions that hard-code the same port, graded at once, do not collide', async () => {
    const prelude = "await new Promise((ready) => net.createServer().listen(45678, '127.0.0.1', () => ready(undefined)));";
    const root = await mkdtemp(path.join(tmpdir(), 'netgrade-isolation-'));
    cleanups.push(() => rm(root, { recursive: true, force: true }));
    const one = await submission(prelude);
    for (const student of ['ann', 'ben', 'cal', 'dee']) await cp(one, path.join(root, student), { recursive: true });
    const json = path.join(root, 'class.json');
    const run = await runGrade(['tcp-hello-server', '--submissions', root, '--jobs', '4', '--sandbox', '--json', json], { json: false });
    expect(run.exitCode).toBe(0);
    const batch = JSON.parse(await readFile(json, 'utf8')) as BatchResult;
    expect(batch.submissions.map((s) => [s.student, s.passed])).toEqual([
      ['ann', true],
      ['ben', true],
      ['cal', true],
      ['dee', true],
    ]);
  });
});
