import { describe, expect, test } from 'vitest';
import { seccompFilter } from './seccomp.ts';

// The filter run as the kernel runs it, on the calls of architectures this machine may not be
// (sandboxed.test.ts runs it for real on this one).
function run(program: Uint8Array, call: { arch: number; nr: number; firstArgument?: number }): string {
  const data = Buffer.alloc(64);
  data.writeInt32LE(call.nr, 0);
  data.writeUInt32LE(call.arch, 4);
  data.writeUInt32LE(call.firstArgument ?? 0, 16);
  const code = Buffer.from(program);
  let accumulator = 0;
  for (let at = 0; at < code.length / 8; ) {
    const [op, jt, jf, k] = [code.readUInt16LE(at * 8), code[at * 8 + 2]!, code[at * 8 + 3]!, code.readUInt32LE(at * 8 + 4)];
    at++;
    if (op === 0x20) accumulator = data.readUInt32LE(k);
    else if (op === 0x06) return k === 0x7fff0000 ? 'allow' : k === 0x50001 ? 'EPERM' : k === 0x50026 ? 'ENOSYS' : `0x${k.toString(16)}`;
    else if (op === 0x15) at += accumulator === k ? jt : jf;
    else if (op === 0x35) at += accumulator >= k ? jt : jf;
    else if (op === 0x45) at += (accumulator & k) !== 0 ? jt : jf;
    else throw new Error(`unknown instruction ${op}`);
  }
  throw new Error('the filter ran off its end');
}

const X64 = 0xc000003e;
const ARM64 = 0xc00000b7;
const CLONE_NEWUSER = 0x10000000;
const SIGCHLD = 17;

describe('the seccomp filter', () => {
  test('x86-64: keyrings and user namespaces refused, clone3 unknown, everything else allowed', () => {
    const filter = seccompFilter('x64')!;
    const call = (nr: number, firstArgument?: number) => run(filter, { arch: X64, nr, firstArgument });
    expect([250, 248, 249].map((nr) => call(nr))).toEqual(['EPERM', 'EPERM', 'EPERM']);
    expect(call(272, CLONE_NEWUSER)).toBe('EPERM');
    expect(call(56, CLONE_NEWUSER | SIGCHLD)).toBe('EPERM');
    expect(call(435)).toBe('ENOSYS');
    // fork-like clone, a thread's clone, unshare of a file table, read, write, socket.
    expect([call(56, SIGCHLD), call(56, 0x3d0f00), call(272, 0x400), call(0), call(1), call(41)]).toEqual(Array(6).fill('allow'));
    // The x32 ABI's keyctl, and any call of i386's table (int 0x80).
    expect(call(0x40000000 + 250)).toBe('ENOSYS');
    expect(run(filter, { arch: 0x40000003, nr: 288 })).toBe('ENOSYS');
  });

  test('arm64: the same calls, by the generic table\'s numbers', () => {
    const filter = seccompFilter('arm64')!;
    const call = (nr: number, firstArgument?: number) => run(filter, { arch: ARM64, nr, firstArgument });
    expect([219, 217, 218].map((nr) => call(nr))).toEqual(['EPERM', 'EPERM', 'EPERM']);
    expect([call(97, CLONE_NEWUSER), call(220, CLONE_NEWUSER | SIGCHLD), call(435)]).toEqual(['EPERM', 'EPERM', 'ENOSYS']);
    expect([call(220, SIGCHLD), call(63), call(64), call(198)]).toEqual(Array(4).fill('allow'));
    expect(run(filter, { arch: X64, nr: 250 })).toBe('ENOSYS');
  });

  test('no filter where the calls\' numbers are not known', () => {
    expect(seccompFilter('ppc64')).toBeUndefined();
  });
});
