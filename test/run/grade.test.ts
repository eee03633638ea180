import { afterEach, describe, expect, test } from 'vitest';
import { defineExercise, eachCase, fail } from '../../harness/index.ts';
import type { Exercise } from '../../harness/exercise/types.ts';
import { gradeSubmission } from '../../harness/run/grade.ts';
import { findProcesses } from '../helpers/run-grade.ts';
import { makeSubmission } from '../helpers/submission.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

async function grade(exercise: Exercise, files: Record<string, string>, seed = 1) {
  const submission = await makeSubmission(files);
  cleanups.push(submission.remove);
  return gradeSubmission({ exercise, dir: submission.dir, seed, timeoutFactor: 1, submissionTimeoutMs: 60_000, sandbox: true });
}

const LISTENS = `import net from 'node:net';
net.createServer((s) => s.end('hi')).listen(Number(process.env.PORT));
`;

describe('grading a submission', () => {
  test('a server that spins instead of answering is told it kept a CPU busy, not that it sent nothing for 1 s', async () => {
    const exercise = defineExercise({
      id: 'spins',
      title: 'spins',
      entry: 'main.ts',
      checks: {
        answers: {
          title: 'answers a line',
          points: 1,
          run: async (ctx) => {
            const program = await ctx.launch();
            const connection = await ctx.connect(await program.waitForListening());
            await connection.send('hello\n');
            await connection.readLine({ what: 'the answer' });
          },
        },
      },
    });
    const spins = `import net from 'node:net';
net.createServer((socket) => socket.on('data', () => { for (;;) {} })).listen(Number(process.env.PORT));
`;
    const result = await grade(exercise, { 'main.ts': spins });
    expect(result.checks[1]).toMatchObject({ status: 'fail' });
    expect(result.checks[1]!.message).toMatch(/^Your program was expected to send the answer, but it sent nothing more for 1 s \(.* on the clock, and it kept a CPU busy all along\)\.$/);
  });


  test('a check whose dependency failed is skipped with the reason, and others still run', async () => {
    const exercise = defineExercise({
      id: 'deps',
      title: 'deps',
      entry: 'main.ts',
      checks: {
        first: { title: 'first', points: 1, run: async () => fail('no') },
        second: { title: 'second', points: 1, run: async () => {} },
        both: { title: 'both', points: 1, dependsOn: ['first', 'second'], run: async () => {} },
        onlySecond: { title: 'only second', points: 1, dependsOn: ['second'], run: async () => {} },
      },
    });
    const result = await grade(exercise, { 'main.ts': '' });
    expect(result.checks.map((c) => [c.id, c.status])).toEqual([
      ['compiles', 'pass'],
      ['first', 'fail'],
      ['second', 'pass'],
      ['both', 'skip'],
      ['onlySecond', 'pass'],
    ]);
    expect(result.checks[3]!.message).toBe('Skipped: it needs "first" (first) to pass first.');
    expect(result.score).toBe(3);
    expect(result.maxScore).toBe(5);
    expect(result.passed).toBe(false);
  });

  test('a table of cases gives one result per case, and a dependency on the table means all its cases', async () => {
    const exercise = defineExercise({
      id: 'table',
      title: 'table',
      entry: 'main.ts',
      checks: {
        status: eachCase({
          cases: [{ code: 404 }, { code: 500 }],
          caseId: (c) => String(c.code),
          title: (c) => `a ${c.code} is handled`,
          points: 2,
          run: async (_ctx, c) => {
            if (c.code === 500) fail('500 not handled');
          },
        }),
        after: { title: 'after', points: 1, dependsOn: ['status'], run: async () => {} },
      },
    });
    const result = await grade(exercise, { 'main.ts': '' });
    expect(result.checks.map((c) => [c.id, c.title, c.status])).toEqual([
      ['compiles', 'main.ts exists and compiles', 'pass'],
      ['status/404', 'a 404 is handled', 'pass'],
      ['status/500', 'a 500 is handled', 'fail'],
      ['after', 'after', 'skip'],
    ]);
  });

  test('an exception that is not a CheckFailure is the grader\'s error, not the student\'s fail', async () => {
    const exercise = defineExercise({
      id: 'oops',
      title: 'oops',
      entry: 'main.ts',
      checks: { broken: { title: 'broken', points: 1, run: async () => { throw new TypeError('bug in the grader'); } } },
    });
    const result = await grade(exercise, { 'main.ts': '' });
    expect(result.checks[1]).toMatchObject({ status: 'error', points: 0 });
    expect(result.checks[1]!.message).toContain('not your fault');
    expect(result.checks[1]!.message).toContain('bug in the grader');
  });

  test('a check that runs past its time limit fails, saying what it was waiting for', async () => {
    const exercise = defineExercise({
      id: 'slow',
      title: 'slow',
      entry: 'main.ts',
      checks: {
        waits: {
          title: 'waits',
          points: 1,
          timeoutMs: 600,
          run: async (ctx) => {
            const program = await ctx.launch();
            await program.waitForListening({ timeoutMs: 10_000 });
          },
        },
      },
    });
    const started = performance.now();
    const result = await grade(exercise, { 'main.ts': 'setInterval(() => {}, 1000);' });
    expect(performance.now() - started).toBeLessThan(5000);
    expect(result.checks[1]!.status).toBe('fail');
    expect(result.checks[1]!.message).toMatch(/did not finish within 0\.6 s; it was stopped while waiting up to 10 s for the program to listen on port \d+/);
    expect(result.checks[1]!.programs[0]!.exit).toBe('was still running and was stopped by the grader (SIGTERM)');
  });

  test('the same seed gives a check the same random values, and another seed other ones', async () => {
    const seen: string[] = [];
    const exercise = defineExercise({
      id: 'random',
      title: 'random',
      entry: 'main.ts',
      checks: { draw: { title: 'draw', points: 1, run: async (ctx) => void seen.push(ctx.random.string(12)) } },
    });
    await grade(exercise, { 'main.ts': '' }, 42);
    await grade(exercise, { 'main.ts': '' }, 42);
    await grade(exercise, { 'main.ts': '' }, 43);
    expect(seen[0]).toBe(seen[1]);
    expect(seen[2]).not.toBe(seen[0]);
  });

  test('launches are counted, and the program runs in a private copy of the folder', async () => {
    const exercise = defineExercise({
      id: 'copy',
      title: 'copy',
      entry: 'main.ts',
      checks: {
        twice: {
          title: 'twice',
          points: 1,
          run: async (ctx) => {
            for (let i = 0; i < 2; i++) {
              const program = await ctx.launch();
              await program.waitForExit({ after: 'starting' });
            }
          },
        },
      },
    });
    const submission = await makeSubmission({ 'main.ts': "import { writeFileSync } from 'node:fs'; writeFileSync('written.txt', process.cwd());" });
    cleanups.push(submission.remove);
    const result = await gradeSubmission({ exercise, dir: submission.dir, seed: 1, timeoutFactor: 1, submissionTimeoutMs: 60_000, sandbox: true });
    expect(result.launches).toBe(2);
    expect(result.checks[1]!.status).toBe('pass');
    const { existsSync } = await import('node:fs');
    expect(existsSync(`${submission.dir}/written.txt`)).toBe(false);
  });

  test('a program that loses its port to another process is relaunched on a new one', async () => {
    // The first start reports EADDRINUSE on its PORT, as Node does when the port was taken in between.
    const program = `import { existsSync, writeFileSync } from 'node:fs';
import net from 'node:net';
if (!existsSync('started-once')) {
  writeFileSync('started-once', '');
  console.error('Error: listen EADDRINUSE: address already in use :::' + process.env.PORT);
  process.exit(1);
}
net.createServer((s) => s.end('hi')).listen(Number(process.env.PORT));
`;
    const ports: number[] = [];
    const exercise = defineExercise({
      id: 'relaunch',
      title: 'relaunch',
      entry: 'main.ts',
      checks: {
        listens: {
          title: 'listens',
          points: 1,
          run: async (ctx) => {
            const launched = await ctx.launch();
            ports.push(launched.port);
            const address = await launched.waitForListening();
            ports.push(address.port);
          },
        },
      },
    });
    const result = await grade(exercise, { 'main.ts': program });
    expect(result.checks[1]!.status).toBe('pass');
    expect(result.launches).toBe(2);
    expect(ports[1]).not.toBe(ports[0]);
    expect(result.checks[1]!.log.join('\n')).toMatch(/port \d+ was taken by another process .* relaunching on port \d+/);
  });

  test('an exit by signal is named in the report', async () => {
    const exercise = defineExercise({
      id: 'signal',
      title: 'signal',
      entry: 'main.ts',
      checks: {
        listens: { title: 'listens', points: 1, run: async (ctx) => void (await (await ctx.launch()).waitForListening()) },
      },
    });
    const result = await grade(exercise, { 'main.ts': "process.kill(process.pid, 'SIGSEGV');" });
    expect(result.checks[1]!.message).toContain('crashed with a segmentation fault (SIGSEGV) before it listened');
  });

  test('everything a program started is gone after its check, even a child that ignores SIGTERM', async () => {
    const marker = `netgrade-child-marker-${process.pid}`;
    const program = `import { spawn } from 'node:child_process';
import net from 'node:net';
spawn(process.execPath, ['-e', "process.on('SIGTERM', () => {}); setInterval(() => {}, 1000)", '${marker}'], { stdio: 'ignore' });
net.createServer((s) => s.end('hi')).listen(Number(process.env.PORT));
`;
    const exercise = defineExercise({
      id: 'tree',
      title: 'tree',
      entry: 'main.ts',
      checks: {
        listens: {
          title: 'listens',
          points: 1,
          run: async (ctx) => {
            await (await ctx.launch()).waitForListening();
            // Give the child time to start, so that the test sees it exists before cleanup.
            await new Promise((resolve) => setTimeout(resolve, 300));
            if ((await findProcesses(marker)).length === 0) fail('the child did not start');
          },
        },
      },
    });
    const result = await grade(exercise, { 'main.ts': program });
    expect(result.checks[1]!.status).toBe('pass');
    expect(await findProcesses(marker)).toEqual([]);
  });

  test('a compile error fails the first check with file:line:col and skips the rest', async () => {
    const exercise = defineExercise({
      id: 'compile',
      title: 'compile',
      entry: 'main.ts',
      checks: { runs: { title: 'runs', points: 1, run: async (ctx) => void (await ctx.launch()) } },
    });
    const result = await grade(exercise, { 'main.ts': 'const x: number = ;\n' });
    expect(result.checks.map((c) => c.status)).toEqual(['fail', 'skip']);
    expect(result.checks[0]!.details.join('\n')).toContain('main.ts:1:18');
  });

  test('a submission that runs out of its overall time limit fails its remaining checks unrun', async () => {
    const exercise = defineExercise({
      id: 'budget',
      title: 'budget',
      entry: 'main.ts',
      checks: {
        slow: { title: 'slow', points: 1, run: async () => new Promise((resolve) => setTimeout(resolve, 400)) },
        later: { title: 'later', points: 1, run: async () => {} },
      },
    });
    const submission = await makeSubmission({ 'main.ts': LISTENS });
    cleanups.push(submission.remove);
    const result = await gradeSubmission({ exercise, dir: submission.dir, seed: 1, timeoutFactor: 1, submissionTimeoutMs: 300, sandbox: true });
    expect(result.checks.map((c) => c.status)).toEqual(['pass', 'fail', 'fail']);
    expect(result.checks[2]!.message).toContain('longer than its time limit');
  });

  test('a cancelled grading stops the check in progress and its programs, runs no later check, and rejects', async () => {
    const marker = `netgrade-cancel-marker-${process.pid}`;
    const program = `import { spawn } from 'node:child_process';
spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', '${marker}'], { stdio: 'ignore', detached: true });
setInterval(() => {}, 1000);
`;
    const controller = new AbortController();
    const exercise = defineExercise({
      id: 'cancel',
      title: 'cancel',
      entry: 'main.ts',
      checks: {
        waits: {
          title: 'waits',
          points: 1,
          run: async (ctx) => {
            await ctx.launch();
            while ((await findProcesses(marker)).length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
            controller.abort();
            // Ends only when the check is closed.
            await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve));
          },
        },
        later: { title: 'later', points: 1, run: async () => fail('a check after the cancel ran') },
      },
    });
    const submission = await makeSubmission({ 'main.ts': program });
    cleanups.push(submission.remove);
    const ended: string[] = [];
    const grading = gradeSubmission({ exercise, dir: submission.dir, seed: 1, timeoutFactor: 1, submissionTimeoutMs: 120_000, sandbox: true, signal: controller.signal, onCheckResult: (check) => void ended.push(check.id) });
    await expect(grading).rejects.toMatchObject({ name: 'AbortError' });
    expect(ended).toEqual(['compiles']);
    expect(await findProcesses(marker)).toEqual([]);
  });
});
