import { describe, expect, test } from 'vitest';
import { bwrapOptions, identityFiles, sandboxCommand } from './bwrap-args.ts';

const ROOT_GRADER = { uid: 1_600_000_123, gid: 1_600_000_123, privileged: true };
const USER_GRADER = { uid: 1000, gid: 1000, privileged: false };
const LAYOUT = { workdir: '/tmp/ws/check-1/copy', writable: true };

// The option that follows `flag`, e.g. the source of a bind.
function after(args: readonly string[], flag: string): string[] {
  return args.flatMap((arg, i) => (arg === flag ? [args[i + 1]!] : []));
}

describe('bubblewrap options', () => {
  test('a root grader makes the namespaces itself; an ordinary one through a user namespace it then closes', () => {
    expect(bwrapOptions(LAYOUT, ROOT_GRADER, true)).not.toContain('--unshare-user');
    expect(bwrapOptions(LAYOUT, USER_GRADER, true)).toEqual(expect.arrayContaining(['--unshare-user', '--disable-userns']));
    for (const identity of [ROOT_GRADER, USER_GRADER]) {
      expect(bwrapOptions(LAYOUT, identity, true)).toEqual(expect.arrayContaining(['--unshare-pid', '--unshare-ipc', '--unshare-uts', '--die-with-parent', '--new-session']));
    }
  });

  test('the copy is /submission, writable only when asked, and the working folder', () => {
    const writable = bwrapOptions(LAYOUT, ROOT_GRADER, true);
    expect(after(writable, '--bind')).toContain(LAYOUT.workdir);
    expect(after(writable, '--chdir')).toEqual(['/submission']);
    const readOnly = bwrapOptions({ ...LAYOUT, writable: false }, ROOT_GRADER, true);
    expect(after(readOnly, '--bind')).not.toContain(LAYOUT.workdir);
    expect(after(readOnly, '--ro-bind')).toContain(LAYOUT.workdir);
  });

  test('extra mounts come after the copy (so one can sit inside it), each writable or not as asked', () => {
    const args = bwrapOptions(
      { ...LAYOUT, mounts: [{ source: '/class/amy/node_modules', target: '/submission/node_modules', writable: false }, { source: '/tmp/ws/g', target: '/netgrade', writable: true }] },
      ROOT_GRADER,
      true,
    );
    const copy = args.indexOf(LAYOUT.workdir);
    expect(args.indexOf('/class/amy/node_modules')).toBeGreaterThan(copy);
    expect(args[args.indexOf('/class/amy/node_modules') - 1]).toBe('--ro-bind');
    expect(args[args.indexOf('/tmp/ws/g') - 1]).toBe('--bind');
  });

  test('the folders above a mount outside the sandbox\'s own are made passable, not left as the host\'s 0700', () => {
    const args = bwrapOptions({ ...LAYOUT, mounts: [{ source: '/root/.pyenv/versions/3.11.7', target: '/root/.pyenv/versions/3.11.7', writable: false }] }, ROOT_GRADER, true);
    expect(after(args, '--dir')).toEqual(expect.arrayContaining(['/root', '/root/.pyenv', '/root/.pyenv/versions']));
    expect(args[args.indexOf('/root') - 2]).toBe('0755');
    // Made before the mount, from the top down.
    expect(args.indexOf('/root')).toBeLessThan(args.indexOf('/root/.pyenv'));
    expect(args.indexOf('/root/.pyenv/versions')).toBeLessThan(args.indexOf('/root/.pyenv/versions/3.11.7'));
    // Mounts inside the copy or the grader's folder have parents the sandbox makes itself.
    const inside = bwrapOptions({ ...LAYOUT, mounts: [{ source: '/class/amy/node_modules', target: '/submission/node_modules', writable: false }] }, ROOT_GRADER, true);
    expect(after(inside, '--dir')).toEqual(['/var', '/netgrade']);
  });

  test('the system is read-only, and the temporary folders are private and size-capped', () => {
    const args = bwrapOptions(LAYOUT, ROOT_GRADER, true);
    expect(after(args, '--ro-bind')).toEqual(expect.arrayContaining(['/usr', '/etc']));
    expect(after(args, '--bind')).toEqual([LAYOUT.workdir]);
    expect(after(args, '--tmpfs')).toEqual(['/tmp', '/dev/shm']);
    expect(after(args, '--size').map(Number).every((bytes) => bytes > 0 && bytes <= 64 * 1024 * 1024)).toBe(true);
  });
});

describe('the sandbox command line', () => {
  test('as root: kernel limits, bubblewrap, then setpriv to the private uid with no capabilities and no groups', () => {
    const command = sandboxCommand(ROOT_GRADER, '/usr/bin/node', ['main.mjs']);
    expect(command[0]).toBe('prlimit');
    expect(command).toEqual(expect.arrayContaining(['--core=0', '--nofile=1024', expect.stringMatching(/^--nproc=\d+$/)]));
    const setpriv = command.indexOf('setpriv');
    expect(setpriv).toBeGreaterThan(command.indexOf('bwrap'));
    expect(command.slice(setpriv, setpriv + 7)).toEqual(['setpriv', '--reuid=1600000123', '--regid=1600000123', '--clear-groups', '--bounding-set=-all', '--inh-caps=-all', '--']);
    expect(command.slice(-2)).toEqual(['/usr/bin/node', 'main.mjs']);
  });

  test('the seccomp filter is read from its descriptor when there is one', () => {
    expect(after(bwrapOptions(LAYOUT, ROOT_GRADER, true), '--seccomp')).toEqual(['7']);
    expect(bwrapOptions(LAYOUT, ROOT_GRADER, false)).not.toContain('--seccomp');
  });

  test('as an ordinary user: no setpriv, and no process limit (it would count all of the user\'s processes)', () => {
    const command = sandboxCommand(USER_GRADER, '/usr/bin/node', ['main.mjs']);
    expect(command).not.toContain('setpriv');
    expect(command.some((arg) => arg.startsWith('--nproc'))).toBe(false);
    expect(command.slice(-2)).toEqual(['/usr/bin/node', 'main.mjs']);
  });

  test('the program is `student` in its passwd and group files', () => {
    const files = identityFiles(ROOT_GRADER);
    expect(files.passwd).toContain('student:x:1600000123:1600000123:student:/submission:/bin/sh');
    expect(files.group).toContain('student:x:1600000123:');
  });
});
