import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { ROOT, runGrade } from '../helpers/run-grade.ts';

const HOSTILE = path.join(ROOT, 'fixtures/hostile');

describe('hostile submissions', () => {
  test('a program that writes outside its folder changes neither the submission nor anything above its copy', async () => {
    const dir = path.join(HOSTILE, 'writes-outside-its-folder');
    const before = await readdir(HOSTILE);
    const run = await runGrade(['tcp-hello-server', dir]);
    expect(run.report?.passed).toBe(true);
    expect(await readFile(path.join(dir, 'overwritten.txt'), 'utf8')).toBe('original\n');
    expect(await readdir(HOSTILE)).toEqual(before);
    // As root, the grader runs programs as nobody, who may write only its private copy.
    const stdout = run.report!.checks.find((c) => c.id === 'listens')!.programs[0]!.stdout;
    if (process.getuid?.() === 0) {
      expect(stdout).toContain('blocked /netgrade-escaped-by-student.txt: EACCES');
      expect(stdout).toContain('blocked ../netgrade-escaped-by-student.txt: EACCES');
      expect(existsSync('/netgrade-escaped-by-student.txt')).toBe(false);
    }
  });

  test('a program that floods its socket is cut off with a message saying so', async () => {
    const run = await runGrade(['tcp-hello-server', path.join(HOSTILE, 'floods-socket')]);
    const greeting = run.report!.checks.find((c) => c.id === 'greeting')!;
    expect(greeting.message).toContain('sent more than 1 MiB');
    expect(greeting.transcript.join('\n')).toContain('the grader cut the connection');
  });

  test('a program that floods stdout keeps only the cap, and its report says the line may be past it', async () => {
    const run = await runGrade(['tcp-hello-server', path.join(HOSTILE, 'floods-stdout')]);
    const logs = run.report!.checks.find((c) => c.id === 'logs-connection')!;
    expect(logs.details.join('\n')).toContain('the grader keeps the first 1,048,576 bytes');
    expect(logs.programs[0]!.stdout.length).toBeLessThanOrEqual(1024 * 1024);
    expect(logs.programs[0]!.stdoutDroppedBytes).toBeGreaterThan(0);
  });
});
