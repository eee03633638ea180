import { readlinkSync } from 'node:fs';
import { chown, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { Launch } from '../process/confinement.ts';
import { PROGRAM_PATH } from '../process/child-env.ts';
import { listProcessesInNamespace } from '../process/proc.ts';
import { SANDBOX_LIMITS } from '../process/limits.ts';
import type { SandboxLayout } from './bwrap-args.ts';
import { sandboxConfinement } from './sandboxed.ts';

// Real sandboxes, as the grader makes them for a root grader (this project's machines and CI).
const IDENTITY = { uid: 1_700_000_001, gid: 1_700_000_001, privileged: true };

let base: string;
let layout: SandboxLayout;
const launches: Launch[] = [];
beforeEach(async () => {
  base = await mkdtemp(path.join(tmpdir(), 'netgrade-sandbox-'));
  const workdir = path.join(base, 'copy');
  await mkdir(workdir);
  await mkdir(path.join(base, 'grader'));
  await writeFile(path.join(base, 'grader', 'given.txt'), 'from the grader');
  await chown(workdir, IDENTITY.uid, IDENTITY.gid);
  layout = { workdir, writable: true, mounts: [{ source: path.join(base, 'grader'), target: '/netgrade', writable: false }] };
});
afterEach(async () => {
  for (const launch of launches.splice(0)) launch.kill();
  await rm(base, { recursive: true, force: true });
});

/** Runs a JavaScript snippet with node in a sandbox and collects what it printed and how it ended. */
async function run(script: string): Promise<{ stdout: string; stderr: string; code: number | null; signal: NodeJS.Signals | null }> {
  const launch = start(script);
  let stdout = '';
  let stderr = '';
  launch.subprocess.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  launch.subprocess.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const ended = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    launch.subprocess.once('exit', (code, signal) => resolve(launch.programEnd(code, signal))),
  );
  await launch.subprocess;
  return { stdout, stderr, ...ended };
}

function start(script: string): Launch {
  const confinement = sandboxConfinement(layout, IDENTITY);
  const launch = confinement.start({ file: process.execPath, args: ['-e', script], cwd: '/submission', env: { PATH: PROGRAM_PATH } });
  launches.push(launch);
  return launch;
}

describe('what a sandboxed program sees', () => {
  test('the system, its own folder and the grader\'s files for it; no home, no /work, no /run, no host /tmp', async () => {
    const { stdout } = await run("console.log(JSON.stringify(require('fs').readdirSync('/')))");
    const top = JSON.parse(stdout) as string[];
    expect(top).toEqual(expect.arrayContaining(['submission', 'netgrade', 'usr', 'etc', 'tmp', 'proc', 'dev']));
    for (const hidden of ['root', 'home', 'work', 'run', 'srv', 'opt', 'mnt']) expect(top).not.toContain(hidden);
    const { stdout: given } = await run("console.log(require('fs').readFileSync('/netgrade/given.txt', 'utf8'))");
    expect(given.trim()).toBe('from the grader');
    const { stdout: tmp } = await run("console.log(JSON.stringify(require('fs').readdirSync('/tmp')))");
    expect(tmp.trim()).toBe('[]');
  });

  test('it runs as its submission\'s own uid, named student, with no capabilities', async () => {
    const { stdout } = await run(
      "const fs = require('fs'); console.log(process.getuid(), process.getgid(), require('os').userInfo().username, /CapEff:\\s*(\\w+)/.exec(fs.readFileSync('/proc/self/status', 'utf8'))[1])",
    );
    expect(stdout.trim()).toBe(`${IDENTITY.uid} ${IDENTITY.gid} student 0000000000000000`);
  });

  test('it can write its folder and /tmp, and nothing of the system or the grader\'s read-only files', async () => {
    const { stdout } = await run(`
      const fs = require('fs');
      for (const file of ['/submission/out.txt', '/tmp/out.txt', '/dev/shm/out.txt', '/out.txt', '/usr/out.txt', '/etc/passwd', '/netgrade/given.txt']) {
        try { fs.writeFileSync(file, 'x'); console.log(file, 'written'); } catch (error) { console.log(file, error.code); }
      }`);
    expect(stdout.trim().split('\n')).toEqual([
      '/submission/out.txt written',
      '/tmp/out.txt written',
      '/dev/shm/out.txt written',
      '/out.txt EACCES',
      '/usr/out.txt EROFS',
      '/etc/passwd EROFS',
      '/netgrade/given.txt EROFS',
    ]);
    expect(await readFile(path.join(layout.workdir, 'out.txt'), 'utf8')).toBe('x');
  });

  test('/tmp is capped, and so is the size of any one file', async () => {
    const { stdout } = await run(`
      const fs = require('fs');
      const chunk = Buffer.alloc(1024 * 1024);
      try { for (let i = 0; i < 100; i++) fs.appendFileSync('/tmp/fill-' + (i % 3), chunk); console.log('tmp unlimited'); } catch (error) { console.log('tmp', error.code); }
      try { for (let i = 0; i < ${SANDBOX_LIMITS.fileBytes / (1024 * 1024) + 1}; i++) fs.appendFileSync('/submission/big', chunk); console.log('file unlimited'); } catch (error) { console.log('file', error.code); }
    `);
    expect(stdout.trim().split('\n')).toEqual(['tmp ENOSPC', 'file EFBIG']);
  });
});

describe('what a sandboxed program may not ask of the kernel', () => {
  // Each line: the command, and how it ended (its error's first words, or "ran").
  const tryCommands = (commands: readonly string[][]) => `
    const { execFileSync } = require('child_process');
    for (const command of ${JSON.stringify(commands)}) {
      try { execFileSync(command[0], command.slice(1), { stdio: 'pipe' }); console.log(command.join(' '), '=> ran'); }
      catch (error) { console.log(command.join(' '), '=>', String(error.stderr).trim().split('\\n').pop()); }
    }`;

  test('keyrings: no key can be made, read or requested, in any keyring of its uid', async () => {
    const { stdout } = await run(tryCommands([
      ['keyctl', 'add', 'user', 'carried', 'data', '@s'],
      ['keyctl', 'add', 'user', 'carried', 'data', '@us'],
      ['keyctl', 'get_persistent', '@s'],
      ['keyctl', 'show', '@u'],
      // The kernel would run /sbin/request-key as root, outside every namespace.
      ['keyctl', 'request2', 'user', 'debug:netgrade', 'neg', '@s'],
      ['keyctl', 'request2', 'dns_resolver', 'example.org', '', '@s'],
    ]));
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(6);
    for (const line of lines) expect(line).toMatch(/=> .*Operation not permitted$/);
  });

  test('user namespaces: neither unshare nor clone makes one', async () => {
    const { stdout } = await run(tryCommands([
      ['unshare', '--user', '--map-root-user', 'true'],
      ['unshare', '--user', '--map-root-user', '--net', '--mount', 'true'],
      // clone(CLONE_NEWUSER | SIGCHLD) itself, as a program in any language may call it.
      ['python3', '-c', 'import ctypes, os; libc = ctypes.CDLL(None, use_errno=True); r = libc.syscall(56 if os.uname().machine == "x86_64" else 220, 0x10000011, 0, 0, 0, 0); os._exit(0) if r == 0 else None; raise SystemExit(os.strerror(ctypes.get_errno()))'],
    ]));
    expect(stdout.trim().split('\n')).toEqual([
      'unshare --user --map-root-user true => unshare: unshare failed: Operation not permitted',
      'unshare --user --map-root-user --net --mount true => unshare: unshare failed: Operation not permitted',
      expect.stringMatching(/^python3 -c .* => Operation not permitted$/),
    ]);
  });

  test('what programs do every day still works: children, threads, a shell', async () => {
    const worker = "const { Worker } = require('worker_threads'); new Worker('require(\\'worker_threads\\').parentPort.postMessage(1)', { eval: true }).on('message', (m) => console.log('worker', m));";
    const { stdout, stderr, code } = await run(`
      const { execFileSync } = require('child_process');
      console.log(execFileSync('sh', ['-c', 'echo shell; ls / > /dev/null && echo listed']).toString().trim());
      console.log(execFileSync(process.execPath, ['-e', ${JSON.stringify(worker)}]).toString().trim());
      console.log(execFileSync('python3', ['-c', 'import subprocess, threading; t = threading.Thread(target=print, args=("thread",)); t.start(); t.join(); print(subprocess.run(["echo", "child"], capture_output=True, text=True).stdout.strip())']).toString().trim());`);
    expect(code, stderr).toBe(0);
    expect(stdout.trim().split('\n')).toEqual(['shell', 'listed', 'worker 1', 'thread', 'child']);
  });
});

describe('how a sandboxed program is found and stopped', () => {
  test('every process in its namespace is a member, even one that left its session, parent and environment; kill ends them all', async () => {
    const launch = start(`
      const { spawn } = require('child_process');
      spawn(process.execPath, ['-e', "require('child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { detached: true, stdio: 'ignore', env: {} }).unref()"], { stdio: 'ignore' });
      setInterval(() => {}, 1000);`);
    let members: number[] = [];
    for (let i = 0; i < 100 && members.length < 2; i++) {
      await sleep(50);
      members = launch.members();
    }
    expect(members.length).toBeGreaterThanOrEqual(2);
    const namespace = readlinkSync(`/proc/${members[0]}/ns/pid`);
    launch.kill();
    await launch.subprocess;
    // The kernel tears the namespace down after its init dies: on a busy machine, not at once.
    for (let i = 0; i < 100 && listProcessesInNamespace('pid', namespace).length > 0; i++) await sleep(50);
    expect(listProcessesInNamespace('pid', namespace)).toEqual([]);
  });

  test('terminate sends SIGTERM to the program, which may handle it and exit by itself', async () => {
    const launch = start("process.on('SIGTERM', () => { console.log('bye'); process.exit(0); }); console.log('ready'); setInterval(() => {}, 1000);");
    let stdout = '';
    launch.subprocess.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    while (!stdout.includes('ready')) await sleep(20);
    const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => launch.subprocess.once('exit', (code, signal) => resolve(launch.programEnd(code, signal))));
    await launch.terminate();
    expect(await ended).toEqual({ code: 0, signal: null });
    expect(stdout).toContain('bye');
  });

  test('a program killed by a signal is reported with that signal, not bubblewrap\'s 128 + n exit code', async () => {
    expect(await run("process.kill(process.pid, 'SIGSEGV')")).toMatchObject({ code: null, signal: 'SIGSEGV' });
    expect(await run('process.exit(3)')).toMatchObject({ code: 3, signal: null });
  });

  test('paths are translated to what the program sees, and a path it cannot see is a grader error', () => {
    const confinement = sandboxConfinement(layout, IDENTITY);
    expect(confinement.pathOf(path.join(layout.workdir, 'server.ts'))).toBe('/submission/server.ts');
    expect(confinement.pathOf(path.join(base, 'grader', 'given.txt'))).toBe('/netgrade/given.txt');
    expect(() => confinement.pathOf('/etc/hostname')).toThrow('is not visible inside the sandbox');
  });
});
