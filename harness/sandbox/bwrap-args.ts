import { lstatSync, readlinkSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { SANDBOX_LIMITS } from '../process/limits.ts';

/** Where a program sees its private copy, whatever the copy's path on the host. */
export const SANDBOX_WORKDIR = '/submission';
/** Where a program sees the files the grader hands it (the HTTP preload, the mocks). */
export const SANDBOX_GRADER_DIR = '/netgrade';

/** What a sandbox shows of the host: the program's copy, what the grader hands it, and nothing else. */
export interface SandboxLayout {
  /** The host folder seen as /submission. */
  workdir: string;
  /** Whether the program may write its folder (a build may not). */
  writable: boolean;
  /** More host files or folders, each seen at `target`: the student's node_modules, the grader's files. */
  mounts?: readonly SandboxMount[];
}

/** A host path shown inside the sandbox. */
export interface SandboxMount {
  source: string;
  /** An absolute path inside the sandbox, e.g. under /submission or /netgrade. */
  target: string;
  writable: boolean;
}

/** Who the program is inside the sandbox. */
export interface SandboxIdentity {
  uid: number;
  gid: number;
  /**
   * The grader is root: bubblewrap makes the namespaces itself and `setpriv` drops to `uid`, a
   * uid of this submission's own. Otherwise bubblewrap runs as the grader's user in a new user
   * namespace, and `uid` is the grader's own.
   */
  privileged: boolean;
}

/** The file descriptors a sandboxed launch is given, as `bwrap` reads them. */
export const SANDBOX_FDS = { args: 3, info: 4, passwd: 5, group: 6, seccomp: 7 } as const;

// The system, read-only: enough to run node and the usual tools, nothing of any user's files.
const SYSTEM_PATHS = ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32', '/etc'];
const TMPFS = [
  { path: '/tmp', bytes: 64 * 1024 * 1024 },
  { path: '/dev/shm', bytes: 16 * 1024 * 1024 },
];

let systemArgs: string[] | undefined;

/**
 * bubblewrap's options for one launch (passed on a descriptor, so the sandbox's /proc/1/cmdline
 * shows no host path); `seccomp` says whether a filter is given on its descriptor.
 */
export function bwrapOptions(layout: SandboxLayout, identity: SandboxIdentity, seccomp: boolean): string[] {
  systemArgs ??= systemMountArgs();
  const args = [
    '--unshare-pid',
    '--unshare-ipc',
    '--unshare-uts',
    '--unshare-cgroup-try',
    ...(identity.privileged ? [] : ['--unshare-user', '--disable-userns']),
    '--hostname', 'netgrade',
    // The sandbox dies with the grader, and its processes cannot reach the grader's terminal.
    '--die-with-parent',
    '--new-session',
    ...systemArgs,
    '--perms', '0644', '--ro-bind-data', String(SANDBOX_FDS.passwd), '/etc/passwd',
    '--perms', '0644', '--ro-bind-data', String(SANDBOX_FDS.group), '/etc/group',
    '--proc', '/proc',
    '--dev', '/dev',
    ...TMPFS.flatMap((tmpfs) => ['--perms', '1777', '--size', String(tmpfs.bytes), '--tmpfs', tmpfs.path]),
    '--perms', '0755', '--dir', '/var',
    '--symlink', '../tmp', '/var/tmp',
    layout.writable ? '--bind' : '--ro-bind', layout.workdir, SANDBOX_WORKDIR,
    // Made here with its mode: a folder bubblewrap makes for a mount inside it is root's alone (0700).
    '--perms', '0755', '--dir', SANDBOX_GRADER_DIR,
    ...(layout.mounts ?? []).flatMap((mount) => [...passableParents(mount.target), mount.writable ? '--bind' : '--ro-bind', mount.source, mount.target]),
    '--chdir', SANDBOX_WORKDIR,
    '--info-fd', String(SANDBOX_FDS.info),
    ...(seccomp ? ['--seccomp', String(SANDBOX_FDS.seccomp)] : []),
  ];
  return args;
}

/**
 * The whole command line: kernel limits (prlimit), bubblewrap reading its options from a
 * descriptor, then for a root grader `setpriv` dropping to the submission's uid with no
 * capabilities left, then the program.
 */
export function sandboxCommand(identity: SandboxIdentity, file: string, args: readonly string[]): string[] {
  const limits = [
    `--nofile=${SANDBOX_LIMITS.openFiles}`,
    `--fsize=${SANDBOX_LIMITS.fileBytes}`,
    `--data=${SANDBOX_LIMITS.dataBytesPerProcess}`,
    '--core=0',
    // Counted per uid, so only meaningful when the uid is the submission's own.
    ...(identity.privileged ? [`--nproc=${SANDBOX_LIMITS.tasks}`] : []),
  ];
  const dropToUser = identity.privileged
    ? ['setpriv', `--reuid=${identity.uid}`, `--regid=${identity.gid}`, '--clear-groups', '--bounding-set=-all', '--inh-caps=-all', '--']
    : [];
  return ['prlimit', ...limits, '--', 'bwrap', '--args', String(SANDBOX_FDS.args), '--', ...dropToUser, file, ...args];
}

/** The user and group files the program sees: itself as `student`, so os.userInfo() works. */
export function identityFiles(identity: SandboxIdentity): { passwd: string; group: string } {
  return {
    passwd: `root:x:0:0:root:/root:/usr/sbin/nologin\nstudent:x:${identity.uid}:${identity.gid}:student:${SANDBOX_WORKDIR}:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n`,
    group: `root:x:0:\nstudent:x:${identity.gid}:\nnogroup:x:65534:\n`,
  };
}

function systemMountArgs(): string[] {
  const args: string[] = [];
  for (const dir of SYSTEM_PATHS) {
    const info = lstatOrUndefined(dir);
    if (info?.isSymbolicLink()) args.push('--symlink', readlinkSync(dir), dir);
    else if (info?.isDirectory()) args.push('--ro-bind', dir, dir);
  }
  // A node outside the system folders (nvm, /opt): the binary itself, at the path children use.
  if (!SYSTEM_PATHS.some((dir) => process.execPath.startsWith(`${dir}/`))) {
    args.push('--ro-bind', realpathSync(process.execPath), process.execPath);
  }
  return args;
}

// The folders above a mount outside the sandbox's own (an interpreter under /root/.pyenv), made
// passable for the program: bubblewrap would make them as the host's are (/root: 0700, root's).
function passableParents(target: string): string[] {
  if ([SANDBOX_WORKDIR, SANDBOX_GRADER_DIR].some((own) => target.startsWith(`${own}/`))) return [];
  const parents: string[] = [];
  for (let dir = path.posix.dirname(target); dir !== '/'; dir = path.posix.dirname(dir)) parents.unshift(dir);
  return parents.filter((dir) => !SYSTEM_PATHS.some((system) => dir === system || dir.startsWith(`${system}/`))).flatMap((dir) => ['--perms', '0755', '--dir', dir]);
}

function lstatOrUndefined(file: string) {
  try {
    return lstatSync(file);
  } catch {
    return undefined;
  }
}
