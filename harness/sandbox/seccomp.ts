/**
 * The system calls a sandboxed program is refused, as a classic BPF program for bubblewrap's
 * `--seccomp` (the format is the kernel's `struct sock_filter`, 8 bytes an instruction).
 *
 * - The kernel's keyrings (`keyctl`, `add_key`, `request_key`) are not namespaced: a uid's user,
 *   user-session and persistent keyrings outlive a launch and carry data to the next check (a
 *   hidden one's included), a key stays in the kernel after the submission, and `request_key`
 *   makes the kernel run /sbin/request-key as root outside every namespace, whose dns_resolver
 *   looks a name up on the host's network. Docker's default profile refuses the same three.
 * - User namespaces (`unshare` or `clone` with CLONE_NEWUSER): inside one a program is root with
 *   every capability over a new mount and network stack, kernel attack surface a network program
 *   has no use for. `clone3` passes its flags in memory a filter cannot read, so it is answered
 *   ENOSYS, and the C library falls back to `clone` (as under Docker).
 *
 * Refused calls fail with EPERM, as a kernel that forbids them answers, so a program gets an
 * error it can report, not a signal. Undefined on an architecture whose numbers are not here.
 */
export function seccompFilter(arch: string = process.arch): Uint8Array | undefined {
  const table = SYSCALLS[arch];
  if (!table) return undefined;
  const program: Instruction[] = [
    load(ARCH_OFFSET),
    jumpIf(EQUAL, table.audit, 'native', 'not-native'),
    ['native', load(NR_OFFSET)],
    ...(table.x32Bit ? [jumpIf(AT_LEAST, table.x32Bit, 'enosys', 'next')] : []),
    jumpIf(EQUAL, table.keyctl, 'eperm', 'next'),
    jumpIf(EQUAL, table.add_key, 'eperm', 'next'),
    jumpIf(EQUAL, table.request_key, 'eperm', 'next'),
    jumpIf(EQUAL, table.clone3, 'enosys', 'next'),
    jumpIf(EQUAL, table.unshare, 'flags', 'next'),
    jumpIf(EQUAL, table.clone, 'flags', 'allow'),
    // The flags are the first argument of both, and CLONE_NEWUSER is in its low 32 bits.
    ['flags', load(FIRST_ARGUMENT_LOW)],
    jumpIf(ANY_BIT, CLONE_NEWUSER, 'eperm', 'allow'),
    ['allow', ret(SECCOMP_RET_ALLOW)],
    ['eperm', ret(SECCOMP_RET_ERRNO | EPERM)],
    // Another architecture's calls (i386's int 0x80 on x86-64) have numbers of their own: none is allowed.
    ['not-native', ret(SECCOMP_RET_ERRNO | ENOSYS)],
    ['enosys', ret(SECCOMP_RET_ERRNO | ENOSYS)],
  ];
  return assemble(program);
}

// The numbers of the calls refused, per Node architecture (arm64 has the generic table).
interface Syscalls {
  audit: number;
  /** x86-64's x32 ABI: its calls are the native ones with this bit set. */
  x32Bit?: number;
  keyctl: number;
  add_key: number;
  request_key: number;
  unshare: number;
  clone: number;
  clone3: number;
}

const SYSCALLS: Record<string, Syscalls> = {
  x64: { audit: 0xc000003e, x32Bit: 0x40000000, keyctl: 250, add_key: 248, request_key: 249, unshare: 272, clone: 56, clone3: 435 },
  arm64: { audit: 0xc00000b7, keyctl: 219, add_key: 217, request_key: 218, unshare: 97, clone: 220, clone3: 435 },
};

// struct seccomp_data: int nr; __u32 arch; __u64 instruction_pointer; __u64 args[6] (little-endian).
const NR_OFFSET = 0;
const ARCH_OFFSET = 4;
const FIRST_ARGUMENT_LOW = 16;
const CLONE_NEWUSER = 0x10000000;
const SECCOMP_RET_ALLOW = 0x7fff0000;
const SECCOMP_RET_ERRNO = 0x00050000;
const EPERM = 1;
const ENOSYS = 38;

// Classic BPF opcodes: BPF_LD|BPF_W|BPF_ABS, BPF_JMP|BPF_{JEQ,JGE,JSET}|BPF_K, BPF_RET|BPF_K.
const LOAD_WORD = 0x20;
const EQUAL = 0x15;
const AT_LEAST = 0x35;
const ANY_BIT = 0x45;
const RETURN = 0x06;

// An instruction, perhaps labelled; a jump names its targets, 'next' being the next instruction.
type Op = { code: number; k: number; yes?: string; no?: string };
type Instruction = Op | [label: string, op: Op];

const load = (offset: number): Op => ({ code: LOAD_WORD, k: offset });
const jumpIf = (code: number, k: number, yes: string, no: string): Op => ({ code, k, yes, no });
const ret = (action: number): Op => ({ code: RETURN, k: action });

function assemble(program: readonly Instruction[]): Uint8Array {
  const ops = program.map((item) => (Array.isArray(item) ? item[1] : item));
  const labels = new Map(program.flatMap((item, at) => (Array.isArray(item) ? [[item[0], at] as const] : [])));
  const bytes = Buffer.alloc(ops.length * 8);
  ops.forEach((op, at) => {
    // Jumps go forward only, by an offset counted from the next instruction.
    const offset = (target: string | undefined) => {
      if (target === undefined || target === 'next') return 0;
      const to = labels.get(target);
      if (to === undefined || to <= at || to - at - 1 > 255) throw new Error(`seccomp filter: bad jump from ${at} to ${target}`);
      return to - at - 1;
    };
    bytes.writeUInt16LE(op.code, at * 8);
    bytes.writeUInt8(offset(op.yes), at * 8 + 2);
    bytes.writeUInt8(offset(op.no), at * 8 + 3);
    bytes.writeUInt32LE(op.k >>> 0, at * 8 + 4);
  });
  return bytes;
}
