import dgram from 'node:dgram';
import net from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, readFileSync, readlinkSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { hasProcfs, holdNamespace, listDescendants, parseProcNet, readListeningSockets, readSocketInodes, readStdioSockets } from './proc.ts';

const TCP_HEADER =
  '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode                                                     ';
const TCP6_HEADER =
  '  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode';

function tcpRow(sl: number, local: string, remote: string, state: string, inode: number): string {
  return `  ${String(sl).padStart(2)}: ${local} ${remote} ${state} 00000000:00000000 00:00000000 00000000  1000        0 ${inode} 1 0000000000000000 100 0 0 10 0                     `;
}

const PROC_NET_TCP = [
  TCP_HEADER,
  tcpRow(0, '0100007F:3039', '00000000:0000', '0A', 4242),
  tcpRow(1, '00000000:1F90', '00000000:0000', '0A', 5151),
  // An established connection and one in TIME_WAIT: not listening, so left out.
  tcpRow(2, '0100007F:3039', '0100007F:D431', '01', 6161),
  tcpRow(3, '0100007F:A1B2', '0100007F:3039', '06', 0),
  '',
].join('\n');

const ZERO_128 = '00000000000000000000000000000000';
const PROC_NET_TCP6 = [
  TCP6_HEADER,
  tcpRow(0, `${ZERO_128}:0050`, `${ZERO_128}:0000`, '0A', 7001),
  tcpRow(1, '00000000000000000000000001000000:1F91', `${ZERO_128}:0000`, '0A', 7002),
  tcpRow(2, '0000000000000000FFFF00000100007F:0016', `${ZERO_128}:0000`, '0A', 7003),
  // 2001:db8::1, printed as four 32-bit words in little-endian order.
  tcpRow(3, 'B80D0120000000000000000001000000:01BB', `${ZERO_128}:0000`, '0A', 7004),
  tcpRow(4, '00000000000000000000000001000000:1F91', '00000000000000000000000001000000:C001', '01', 7005),
  '',
].join('\n');

/** The canonical text of an IPv6 address, so the test does not depend on how zeros are compressed. */
function canonicalIPv6(address: string): string {
  return new URL(`http://[${address}]/`).hostname;
}

describe('parseProcNet', () => {
  test('it keeps only the rows in the LISTEN state (0A) and skips the header line', () => {
    const sockets = parseProcNet(PROC_NET_TCP, 'tcp');
    expect(sockets.map((s) => s.inode)).toEqual([4242, 5151]);
  });

  test('it decodes an IPv4 loopback address and a hexadecimal port', () => {
    expect(parseProcNet(PROC_NET_TCP, 'tcp')[0]).toEqual({ address: '127.0.0.1', port: 12345, inode: 4242 });
  });

  test('it decodes the IPv4 wildcard address as 0.0.0.0', () => {
    expect(parseProcNet(PROC_NET_TCP, 'tcp')[1]).toEqual({ address: '0.0.0.0', port: 8080, inode: 5151 });
  });

  test('it decodes a byte-swapped IPv4 address other than loopback', () => {
    // 192.168.1.20 is C0.A8.01.14, printed in host (little-endian) order as 1401A8C0.
    const text = [TCP_HEADER, tcpRow(0, '1401A8C0:0BB8', '00000000:0000', '0A', 99)].join('\n');
    expect(parseProcNet(text, 'tcp')).toEqual([{ address: '192.168.1.20', port: 3000, inode: 99 }]);
  });

  test('it keeps only the listening rows of /proc/net/tcp6', () => {
    expect(parseProcNet(PROC_NET_TCP6, 'tcp').map((s) => s.inode)).toEqual([7001, 7002, 7003, 7004]);
  });

  test('it decodes the all-zero IPv6 address as ::', () => {
    expect(parseProcNet(PROC_NET_TCP6, 'tcp')[0]).toEqual({ address: '::', port: 80, inode: 7001 });
  });

  test('it decodes the IPv6 loopback address as ::1', () => {
    expect(parseProcNet(PROC_NET_TCP6, 'tcp')[1]).toEqual({ address: '::1', port: 8081, inode: 7002 });
  });

  test('it decodes an IPv4-mapped IPv6 address as the plain IPv4 address', () => {
    expect(parseProcNet(PROC_NET_TCP6, 'tcp')[2]).toEqual({ address: '127.0.0.1', port: 22, inode: 7003 });
  });

  test('it decodes each 32-bit word of another IPv6 address in host byte order', () => {
    const socket = parseProcNet(PROC_NET_TCP6, 'tcp')[3];
    expect(socket?.port).toBe(443);
    expect(socket?.inode).toBe(7004);
    expect(canonicalIPv6(socket?.address ?? '')).toBe('[2001:db8::1]');
  });

  test('it returns nothing for an empty file or a file with only the header', () => {
    expect(parseProcNet('', 'tcp')).toEqual([]);
    expect(parseProcNet(`${TCP_HEADER}\n`, 'tcp')).toEqual([]);
  });
});

describe.runIf(hasProcfs)('reading real sockets from /proc (Linux)', () => {
  let server: net.Server | undefined;

  afterEach(async () => {
    const open = server;
    server = undefined;
    if (open?.listening) await new Promise<void>((resolve) => open.close(() => resolve()));
  });

  async function listenOnLoopback(): Promise<number> {
    server = net.createServer();
    const listening = server;
    await new Promise<void>((resolve, reject) => {
      listening.once('error', reject);
      listening.listen(0, '127.0.0.1', () => resolve());
    });
    const address = listening.address();
    if (address === null || typeof address === 'string') throw new Error('the server has no TCP address');
    return address.port;
  }

  test('readListeningSockets lists the port of a server this process is listening on', async () => {
    const port = await listenOnLoopback();
    const found = readListeningSockets().filter((socket) => socket.port === port);
    expect(found).toHaveLength(1);
    expect(found[0]?.address).toBe('127.0.0.1');
    expect(found[0]?.inode).toBeGreaterThan(0);
  });

  test('readSocketInodes of this process contains the inode of its listening socket', async () => {
    const port = await listenOnLoopback();
    const socket = readListeningSockets().find((s) => s.port === port);
    expect(socket).toBeDefined();
    expect(readSocketInodes([process.pid]).has(socket?.inode ?? -1)).toBe(true);
  });

  test('readListeningSockets("udp") lists a bound UDP socket of this process, and not a connected one', async () => {
    const bound = dgram.createSocket('udp4');
    const connected = dgram.createSocket('udp4');
    try {
      await new Promise<void>((resolve) => bound.bind(0, '127.0.0.1', resolve));
      const port = bound.address().port;
      await new Promise<void>((resolve) => connected.connect(port, '127.0.0.1', resolve));
      const sockets = readListeningSockets('udp');
      expect(sockets.filter((socket) => socket.port === port)).toEqual([expect.objectContaining({ address: '127.0.0.1', port })]);
      expect(sockets.some((socket) => socket.port === connected.address().port)).toBe(false);
      expect(readListeningSockets('tcp').some((socket) => socket.port === port)).toBe(false);
    } finally {
      bound.close();
      connected.close();
    }
  });

  test('holdNamespace holds a process\'s namespace only under the id it was told, and not that of a process that is gone', () => {
    const id = readlinkSync('/proc/self/ns/net');
    const fd = holdNamespace(process.pid, 'net', id);
    expect(fd).toBeTypeOf('number');
    expect(readlinkSync(`/proc/self/fd/${fd}`)).toBe(id);
    closeSync(fd!);
    expect(holdNamespace(process.pid, 'net', 'net:[1]')).toBeUndefined();
    expect(holdNamespace(99_999_999, 'net', id)).toBeUndefined();
  });

  test('readSocketInodes skips a process that does not exist', () => {
    expect(readSocketInodes([99_999_999]).size).toBe(0);
  });
});

/** Ends a child a test started, if it still runs, and waits for it to be gone. */
async function killAndReap(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGKILL');
  await once(child, 'exit');
}

describe.runIf(hasProcfs)("a child's inherited stdio sockets (Linux)", () => {
  let child: ChildProcess | undefined;
  afterEach(() => killAndReap(child));

  test('readStdioSockets finds the socket pairs Node gives a child as its stdio; left out, only a socket the child opens remains', async () => {
    const script = "process.stdin.once('data', () => require('node:net').createServer().listen(0, '127.0.0.1', () => console.log('listening')))";
    child = spawn(process.execPath, ['-e', script], { stdio: 'pipe' });
    await once(child, 'spawn');
    const inherited = readStdioSockets(child.pid!);
    expect(inherited.size).toBeGreaterThan(0);
    expect(readSocketInodes([child.pid!]).size).toBeGreaterThanOrEqual(inherited.size);
    expect(readSocketInodes([child.pid!], inherited).size).toBe(0);
    child.stdin!.write('go\n');
    await once(child.stdout!, 'data');
    const opened = readSocketInodes([child.pid!], inherited);
    expect(opened.size).toBe(1);
    expect(readListeningSockets().filter((socket) => opened.has(socket.inode))).toHaveLength(1);
  });
});

describe.runIf(hasProcfs && process.getuid?.() === 0)('listDescendants (Linux, root for a PID namespace)', () => {
  let namespace: ChildProcess | undefined;
  afterEach(() => killAndReap(namespace));

  test("finds a PID namespace's every process, an orphan that left its parent included", async () => {
    // sh is the namespace's init; the subshell starts a sleep and exits, orphaning it to sh.
    namespace = spawn('unshare', ['--pid', '--fork', '--kill-child', 'sh', '-c', '(sleep 31 &); sleep 32 & wait'], { stdio: 'ignore' });
    const commands = () => listDescendants(namespace!.pid!).map((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim());
    // Until both sleeps have exec'd: a process between fork and exec has no command line yet.
    const started = () => ['sleep 31', 'sleep 32'].every((command) => commands().includes(command));
    for (let i = 0; i < 100 && !started(); i++) await sleep(20);
    expect(commands()).toEqual(expect.arrayContaining(['sleep 31', 'sleep 32']));
  });
});
