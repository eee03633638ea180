import { execa, type ResultPromise } from 'execa';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, expect, test } from 'vitest';
import { createSubmissionCgroup, joinCommand } from './cgroup.ts';

// Real cgroups, as a root grader makes them (this project's machines and CI run as root).
const children: ResultPromise[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) {
    child.kill('SIGKILL');
    await child;
  }
});

test('a submission cgroup whose processes were killed a moment ago is removed, not left behind', async () => {
  const cgroup = await createSubmissionCgroup();
  expect(cgroup, 'the grader runs as root with memory and pids cgroups').toBeDefined();
  const [file, ...args] = joinCommand(cgroup!.procs, ['sh', '-c', 'for i in 1 2 3 4 5 6 7 8; do sleep 100 & done; wait']);
  const child = execa(file!, args, { reject: false, stdin: 'ignore' });
  children.push(child);
  const members = () => readFileSync(cgroup!.procs[0]!, 'utf8').trim().split('\n').filter(Boolean).map(Number);
  while (members().length < 9) await sleep(5);
  // Not waited for: the grader removes a submission's cgroup right after killing what is in it.
  for (const pid of members()) process.kill(pid, 'SIGKILL');
  await cgroup!.remove();
  for (const procs of cgroup!.procs) expect(existsSync(path.dirname(procs)), path.dirname(procs)).toBe(false);
});

test('a submission gets at most one CPU\'s time, however many threads it spins', async () => {
  const cgroup = await createSubmissionCgroup();
  expect(cgroup, 'the grader runs as root with memory and pids cgroups').toBeDefined();
  const folders = cgroup!.procs.map((procs) => path.dirname(procs));
  expect(folders.some((folder) => existsSync(path.join(folder, 'cpu.max')) || existsSync(path.join(folder, 'cpu.cfs_quota_us'))), 'a cpu controller').toBe(true);
  // Four shells that never stop computing: on two CPUs, unconfined, they would use two CPU-seconds a second.
  const [file, ...args] = joinCommand(cgroup!.procs, ['sh', '-c', 'for i in 1 2 3 4; do (while :; do :; done) & done; wait']);
  const child = execa(file!, args, { reject: false, stdin: 'ignore' });
  children.push(child);
  const members = () => readFileSync(cgroup!.procs[0]!, 'utf8').trim().split('\n').filter(Boolean).map(Number);
  while (members().length < 5) await sleep(5);
  const cpuSeconds = () => members().reduce((sum, pid) => {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return sum + (Number(fields[11]) + Number(fields[12])) / 100;
  }, 0);
  const before = cpuSeconds();
  const started = performance.now();
  await sleep(2000);
  const used = (cpuSeconds() - before) / ((performance.now() - started) / 1000);
  child.kill('SIGKILL');
  for (const pid of members()) process.kill(pid, 'SIGKILL');
  await child;
  await cgroup!.remove();
  expect(used).toBeLessThan(1.15);
  expect(used).toBeGreaterThan(0.5);
});
