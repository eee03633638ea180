import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import type { SubmissionResult } from '../../harness/report/types.ts';
import { findProcesses, startGrade, type StartedGrade } from '../helpers/run-grade.ts';
import { makeSubmission } from '../helpers/submission.ts';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

// Greets in the wrong case: the greeting check fails, the others pass.
const WRONG_CASE = `import net from 'node:net';
const server = net.createServer((socket) => {
  console.log(\`Connection from \${socket.remoteAddress}:\${socket.remotePort} has been established.\`);
  socket.end('hello from server');
  server.close();
});
server.listen(Number(process.env.PORT), 'localhost');
`;
const CORRECT = WRONG_CASE.replace("'hello from server'", "'Hello from server'");
// Starts a helper that runs forever, and never listens: the listening check waits 10 s on it, unless stopped.
const hangs = (marker: string) => `import { spawn } from 'node:child_process';
spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', '${marker}'], { stdio: 'ignore', detached: true });
setInterval(() => {}, 1000);
`;

/** The watcher's output so far, and a wait for the n-th time a pattern shows in it. */
function watchOutput(grade: StartedGrade) {
  let text = '';
  const waiters = new Set<() => void>();
  grade.child.stdout!.on('data', (chunk: Buffer) => {
    text += chunk.toString();
    for (const waiter of waiters) waiter();
  });
  const count = (pattern: RegExp) => [...text.matchAll(new RegExp(pattern.source, `${pattern.flags.replace('g', '')}g`))].length;
  return {
    get text() {
      return text;
    },
    count,
    async waitFor(pattern: RegExp, times = 1, timeoutMs = 30_000): Promise<void> {
      await new Promise<void>((resolve, reject) => {
        const check = () => {
          if (count(pattern) < times) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`waited ${timeoutMs} ms for ${pattern} ×${times}; the output so far:\n${text}`));
        }, timeoutMs);
        waiters.add(check);
        check();
        void grade.finished.then(() => setTimeout(() => waiters.has(check) && reject(new Error(`the grader exited before ${pattern} ×${times}:\n${text}`)), 0));
      });
    },
  };
}

async function waitForProcess(marker: string, timeoutMs = 30_000): Promise<void> {
  const until = performance.now() + timeoutMs;
  while ((await findProcesses(marker)).length === 0) {
    if (performance.now() > until) throw new Error(`no process ${marker} started within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const PROMPT = /press s for a new seed, q to quit/;
const seedsIn = (text: string) => [...text.matchAll(/^submission .* · seed (\d+)$/gm)].map((m) => Number(m[1]));

describe('grade <exercise> --watch', () => {
  test('grades again after a save storm, cancels a hanging run without leaving its programs, keeps the seed until s, and quits on q', async () => {
    const submission = await makeSubmission({ 'server.ts': WRONG_CASE });
    cleanups.push(submission.remove);
    const file = (name: string) => path.join(submission.dir, name);
    // The report is written into the watched folder: writing it must not start another run.
    const grade = startGrade(['tcp-hello-server', submission.dir, '--watch', '--json', file('report.json')], { json: false });
    cleanups.push(async () => {
      grade.child.kill('SIGKILL');
      await grade.finished;
    });
    const out = watchOutput(grade);

    await out.waitFor(PROMPT);
    expect(out.text).toMatch(/^Score: 7\/10$/m);

    // A save storm of a program that hangs: one run.
    const marker = `netgrade-watch-${randomUUID()}`;
    writeFileSync(file('.server.ts.swp'), 'vim swap');
    for (let i = 0; i < 5; i++) writeFileSync(file('server.ts'), hangs(marker));
    writeFileSync(file('notes.txt'), 'todo');
    await waitForProcess(marker);
    expect(out.count(/^Changed: /m)).toBe(1);
    expect(out.text).toMatch(/^Changed: (server\.ts, notes\.txt|notes\.txt, server\.ts)$/m);

    // Fixed while that run waits: the run stops there, with its programs, and the fix is graded.
    writeFileSync(file('server.ts'), CORRECT);
    await out.waitFor(/^Stopped this run after 1 of 5 checks: grading again\.$/m);
    expect(await findProcesses(marker)).toEqual([]);
    await out.waitFor(PROMPT, 2);
    expect(out.text).toMatch(/^Score: 7\/10 → 10\/10$/m);
    expect(out.count(/^Changed: /m)).toBe(2);
    const [first, ...others] = seedsIn(out.text);
    expect(others).toHaveLength(2);
    expect(others.every((seed) => seed === first)).toBe(true);

    // s: the same program graded on new data.
    grade.child.stdin!.write('s\n');
    await out.waitFor(PROMPT, 3);
    const newSeed = Number(/^New seed: (\d+)$/m.exec(out.text)?.[1]);
    expect(seedsIn(out.text).at(-1)).toBe(newSeed);
    expect(newSeed).not.toBe(first);
    expect(out.text).toMatch(/^Score: 7\/10 → 10\/10 → \(new seed\) 10\/10$/m);
    const report = JSON.parse(await readFile(file('report.json'), 'utf8')) as SubmissionResult;
    expect(report).toMatchObject({ seed: newSeed, score: 10 });

    grade.child.stdin!.write('q\n');
    const run = await grade.finished;
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout.trimEnd()).toMatch(/Stopped watching\.$/);
    expect(out.count(/^Changed: /m)).toBe(2);
    expect(run.leftovers).toEqual([]);
  });

  test('q during a run stops it and says so, without promising to grade again', async () => {
    const marker = `netgrade-watch-${randomUUID()}`;
    const submission = await makeSubmission({ 'server.ts': hangs(marker) });
    cleanups.push(submission.remove);
    const grade = startGrade(['tcp-hello-server', submission.dir, '--watch'], { json: false });
    cleanups.push(async () => {
      grade.child.kill('SIGKILL');
      await grade.finished;
    });
    const out = watchOutput(grade);
    await waitForProcess(marker);
    grade.child.stdin!.write('q\n');
    const run = await grade.finished;
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^Stopped this run after 1 of 5 checks\.\nStopped watching\.$/m);
    expect(out.text).not.toContain('grading again');
    expect(await findProcesses(marker)).toEqual([]);
  });

  test('on a terminal: the screen is cleared for each run, keys need no Enter, and Ctrl+C quits leaving nothing running', async () => {
    const submission = await makeSubmission({ 'server.ts': CORRECT });
    cleanups.push(submission.remove);
    const grade = startGrade(['tcp-hello-server', submission.dir, '--watch'], { json: false, terminal: true });
    cleanups.push(async () => {
      grade.child.kill('SIGKILL');
      await grade.finished;
    });
    const out = watchOutput(grade);
    await out.waitFor(PROMPT);
    grade.child.stdin!.write('s');
    await out.waitFor(PROMPT, 2);
    expect(out.count(/\x1b\[2J\x1b\[3J\x1b\[H/)).toBe(2);
    expect(out.text).toMatch(/^Score: 10\/10 → \(new seed\) 10\/10\r?$/m);
    grade.child.stdin!.write('\x03');
    const run = await grade.finished;
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.stdout).toMatch(/Stopped watching\./);
    expect(run.leftovers).toEqual([]);
  });
});
