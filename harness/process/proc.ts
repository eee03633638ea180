import { closeSync, openSync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';

// Linux only: what the kernel says about processes and sockets, read from /proc. Everything here
// returns empty results elsewhere, and callers fall back to what they can see without it.

/** A TCP socket in the LISTEN state, or a UDP socket bound and not connected: one a client can reach. */
export interface ListeningSocket {
  address: string;
  port: number;
  inode: number;
}

/** Whether this platform exposes /proc the way Linux does. */
export const hasProcfs = process.platform === 'linux';

// The state of a socket that waits for clients: TCP's LISTEN; for UDP, bound and unconnected
// (the kernel reports it as TCP_CLOSE).
const WAITING_STATE = { tcp: '0A', udp: '07' } as const;

/** Every TCP socket (or UDP socket) of this network namespace that waits for clients, IPv4 and IPv6. */
export function readListeningSockets(protocol: 'tcp' | 'udp' = 'tcp'): ListeningSocket[] {
  if (!hasProcfs) return [];
  return [...parseProcNet(readOrEmpty(`/proc/net/${protocol}`), protocol), ...parseProcNet(readOrEmpty(`/proc/net/${protocol}6`), protocol)];
}

/** Parses the text of /proc/net/{tcp,udp}{,6}, keeping the sockets that wait for clients. */
export function parseProcNet(text: string, protocol: 'tcp' | 'udp'): ListeningSocket[] {
  const sockets: ListeningSocket[] = [];
  for (const line of text.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    const [local, state, inode] = [fields[1], fields[3], fields[9]];
    if (local === undefined || state !== WAITING_STATE[protocol] || inode === undefined) continue;
    const [addressHex = '', portHex = ''] = local.split(':');
    sockets.push({ address: decodeAddress(addressHex), port: Number.parseInt(portHex, 16), inode: Number(inode) });
  }
  return sockets;
}

/** The processes that belong to a launched program: its process group or session, and their descendants. */
export function listProcessTree(rootPid: number): number[] {
  if (!hasProcfs) return [];
  const stats = readAllStats();
  const members = new Set(stats.filter((s) => s.pgrp === rootPid || s.session === rootPid || s.pid === rootPid).map((s) => s.pid));
  let grew = true;
  while (grew) {
    grew = false;
    for (const s of stats) {
      if (!members.has(s.pid) && members.has(s.ppid)) {
        members.add(s.pid);
        grew = true;
      }
    }
  }
  return [...members];
}

/**
 * The processes whose environment holds `NAME=value`. Descendants inherit the environment, so this
 * finds a program's processes even after they left its process group and lost their parent
 * (a detached, daemonized grandchild).
 */
export function listProcessesWithEnv(name: string, value: string): number[] {
  if (!hasProcfs) return [];
  const needle = Buffer.from(`${name}=${value}\0`);
  return listPids().filter((pid) => readBytesOrEmpty(`/proc/${pid}/environ`).includes(needle));
}

/**
 * Every descendant of a process, read from its threads' lists of children: the cost of a few reads
 * per process, not of every process on the machine. For a PID namespace's init this is everything
 * in the namespace, since the namespace's orphans become its children; a process created while
 * this reads may be missed until the next call.
 */
export function listDescendants(pid: number): number[] {
  const found: number[] = [];
  const queue = [pid];
  for (let parent = queue.shift(); parent !== undefined; parent = queue.shift()) {
    for (const tid of listThreads(parent)) {
      for (const child of readOrEmpty(`/proc/${parent}/task/${tid}/children`).split(' ')) {
        if (child === '') continue;
        found.push(Number(child));
        queue.push(Number(child));
      }
    }
  }
  return found;
}

/**
 * The processes in a namespace, named as `/proc/<pid>/ns/<kind>` links name it (`net:[…]`,
 * `pid:[…]`). Nothing in a namespace escapes this: not a new session, a new pid, or a new parent.
 */
export function listProcessesInNamespace(kind: 'net' | 'pid', id: string): number[] {
  if (!hasProcfs) return [];
  return listPids().filter((pid) => {
    try {
      return readlinkSync(`/proc/${pid}/ns/${kind}`) === id;
    } catch {
      return false; // gone, or not ours to read
    }
  });
}

/**
 * Holds namespace `id` (e.g. `net:[4026532201]`) of process `pid` open, or undefined if the process
 * is gone or is in another one now. While held, the namespace lives on, so its id names no other:
 * the kernel gives a freed namespace's number to the next one made. Close the descriptor after use.
 */
export function holdNamespace(pid: number, kind: 'net' | 'pid', id: string): number | undefined {
  if (!hasProcfs) return undefined;
  let fd: number;
  try {
    fd = openSync(`/proc/${pid}/ns/${kind}`, 'r');
  } catch {
    return undefined;
  }
  if (readlinkSync(`/proc/self/fd/${fd}`) === id) return fd;
  closeSync(fd);
  return undefined;
}

/**
 * The memory these processes hold, in bytes: their resident sets less the file pages in them (the
 * Node binary's pages, shared by every process, are not a process's own), and the in-memory files
 * (memfd_create) they keep open, which no resident set counts.
 */
export function readMemoryBytes(pids: readonly number[]): number {
  let pages = 0;
  const memfds = new Map<string, number>();
  for (const pid of pids) {
    const [, resident = 0, shared = 0] = readOrEmpty(`/proc/${pid}/statm`).split(' ').map(Number);
    pages += Math.max(0, resident - shared) || 0;
    for (const { fd, target } of readDescriptors(pid)) {
      if (!target.startsWith('/memfd:')) continue;
      try {
        const info = statSync(`/proc/${pid}/fd/${fd}`);
        memfds.set(`${info.dev}:${info.ino}`, info.size);
      } catch {
        // closed meanwhile
      }
    }
  }
  return pages * PAGE_BYTES + [...memfds.values()].reduce((total, size) => total + size, 0);
}

// Linux's page size on every platform Node supports but a few exotic ones; statm counts pages.
const PAGE_BYTES = 4096;

/**
 * Who listens on `port` in this network namespace: a process's pid and command line, as far as
 * this user may see; `undefined` when nothing listens (a connection still closing holds it).
 */
export function findPortHolder(port: number): { pid: number; command: string } | undefined {
  const inodes = new Set(readListeningSockets('tcp').filter((socket) => socket.port === port).map((socket) => socket.inode));
  if (inodes.size === 0) return undefined;
  let names: string[] = [];
  try {
    names = readdirSync('/proc');
  } catch {
    // no /proc: nobody to name
  }
  for (const name of names) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    if (readDescriptors(pid).some(({ target }) => inodes.has(socketInode(target) ?? -1))) {
      return { pid, command: readOrEmpty(`/proc/${pid}/cmdline`).split('\0').filter(Boolean).join(' ') || '?' };
    }
  }
  return { pid: 0, command: 'a process this user cannot see' };
}

/** The inodes of the sockets held open by these processes, but those in `except`. */
export function readSocketInodes(pids: readonly number[], except: ReadonlySet<number> = new Set()): Set<number> {
  const inodes = new Set<number>();
  for (const pid of pids) {
    for (const { target } of readDescriptors(pid)) {
      const inode = socketInode(target);
      if (inode !== undefined && !except.has(inode)) inodes.add(inode);
    }
  }
  return inodes;
}

/**
 * The sockets at a process's descriptors 0 to 2: Node hands a child its stdout and stderr as Unix
 * socket pairs, which every process of a launch inherits.
 */
export function readStdioSockets(pid: number): Set<number> {
  const inodes = new Set<number>();
  for (const fd of [0, 1, 2]) {
    try {
      const inode = socketInode(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (inode !== undefined) inodes.add(inode);
    } catch {
      // closed, or the process is gone
    }
  }
  return inodes;
}

function socketInode(target: string): number | undefined {
  const match = /^socket:\[(\d+)\]$/.exec(target);
  return match ? Number(match[1]) : undefined;
}

// What each open descriptor of a process refers to (`socket:[123]`, `/memfd:x (deleted)`, a path).
function readDescriptors(pid: number): { fd: string; target: string }[] {
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return []; // the process is gone, or not ours to read
  }
  return fds.flatMap((fd) => {
    try {
      return [{ fd, target: readlinkSync(`/proc/${pid}/fd/${fd}`) }];
    } catch {
      return []; // the descriptor closed while we looked
    }
  });
}

/**
 * The longest time any thread of these processes has been ready to run but waiting for a CPU, in
 * ms: the second field of /proc/<pid>/task/<tid>/schedstat. The longest, not the sum: threads wait
 * side by side, and a program that forks a hundred busy children must not gain a hundred times.
 */
export function readCpuWaitMs(pids: readonly number[]): number {
  let longest = 0;
  for (const pid of pids) {
    for (const tid of listThreads(pid)) {
      const waitedNs = Number(readOrEmpty(`/proc/${pid}/task/${tid}/schedstat`).split(' ')[1]);
      if (Number.isFinite(waitedNs)) longest = Math.max(longest, waitedNs / 1e6);
    }
  }
  return longest;
}

/**
 * For each live thread of these processes, the time it has been running or ready to run, in ms
 * (the first two fields of its schedstat): a thread that never waits for anything has spent all
 * its life so, however busy the machine, and a thread that sleeps very little of it.
 */
export function readThreadsRunnableMs(pids: readonly number[]): Map<string, number> {
  const runnable = new Map<string, number>();
  for (const pid of pids) {
    for (const tid of listThreads(pid)) {
      const [ran, waited] = readOrEmpty(`/proc/${pid}/task/${tid}/schedstat`).split(' ').map(Number);
      if (Number.isFinite(ran) && Number.isFinite(waited)) runnable.set(tid, (ran! + waited!) / 1e6);
    }
  }
  return runnable;
}

// A process's thread ids; none once it is gone.
function listThreads(pid: number): string[] {
  try {
    return readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
}

interface ProcStat {
  pid: number;
  ppid: number;
  pgrp: number;
  session: number;
}

/** Whether a process is suspended (SIGSTOP, SIGTSTP, or a tracer): its state in /proc is T or t. */
export function isSuspended(pid: number): boolean {
  const text = readOrEmpty(`/proc/${pid}/stat`);
  return /^[Tt]$/.test(text.slice(text.lastIndexOf(')') + 2).split(' ')[0] ?? '');
}

function readAllStats(): ProcStat[] {
  return listPids().flatMap((pid) => readStat(pid) ?? []);
}

/** The parent of a live process, or undefined once it is gone. */
export function parentOf(pid: number): number | undefined {
  return readStat(pid)?.ppid;
}

function readStat(pid: number): ProcStat | undefined {
  const text = readOrEmpty(`/proc/${pid}/stat`);
  // The command name is in parentheses and may itself contain spaces or parentheses.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  if (fields.length < 4) return undefined;
  return { pid, ppid: Number(fields[1]), pgrp: Number(fields[2]), session: Number(fields[3]) };
}

function listPids(): number[] {
  return readdirSync('/proc').filter((entry) => /^\d+$/.test(entry)).map(Number);
}

function readBytesOrEmpty(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch {
    return Buffer.alloc(0); // gone, or not ours to read
  }
}

function readOrEmpty(path: string): string {
  try {
    return readFileSync(path, 'latin1');
  } catch {
    return '';
  }
}

// /proc prints addresses as 32-bit words in host (little-endian) byte order.
function decodeAddress(hex: string): string {
  const words = (hex.match(/.{8}/g) ?? []).map((word) => Buffer.from(word, 'hex').reverse());
  const bytes = Buffer.concat(words);
  if (bytes.length === 4) return [...bytes].join('.');
  if (bytes.subarray(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) {
    return [...bytes.subarray(12)].join('.');
  }
  const groups = Array.from({ length: 8 }, (_, i) => bytes.readUInt16BE(i * 2).toString(16));
  const text = groups.join(':');
  if (text === '0:0:0:0:0:0:0:0') return '::';
  if (text === '0:0:0:0:0:0:0:1') return '::1';
  return text;
}
