import dgram from 'node:dgram';
import type net from 'node:net';
import { dial } from '../probes/tcp-client.ts';
import { readListeningSockets, readSocketInodes } from './proc.ts';

/** What the operating system says about a program and its port. */
export type ListenerOutcome =
  | { kind: 'listening'; address: string }
  | { kind: 'wrong-port'; ports: number[] }
  | { kind: 'exited' }
  | { kind: 'timeout' }
  | { kind: 'not-yet' };

/**
 * Looks (once) for a listening socket on `port` held by one of `members`, the program's processes.
 * Reading the kernel's socket table, rather than connecting, leaves the program's first client
 * to the check: a server that serves one client and exits is not used up by the probe.
 */
export function findListener(
  members: readonly number[],
  port: number,
  options: { lookForOtherPorts: boolean; protocol: 'tcp' | 'udp'; inherited: ReadonlySet<number> },
): ListenerOutcome {
  // The program's own descriptors first: a program still starting holds no socket but the
  // `inherited` ones (its stdout and stderr), and the socket table, which the kernel lists by
  // walking every namespace's sockets, need not be read.
  const owned = readSocketInodes(members, options.inherited);
  if (owned.size === 0) return { kind: 'not-yet' };
  const sockets = readListeningSockets(options.protocol);
  const onPort = sockets.filter((socket) => socket.port === port);
  if (onPort.length === 0 && !options.lookForOtherPorts) return { kind: 'not-yet' };
  const mine = onPort.find((socket) => owned.has(socket.inode));
  if (mine) return { kind: 'listening', address: mine.address };
  const otherPorts = [...new Set(sockets.filter((socket) => owned.has(socket.inode)).map((socket) => socket.port))];
  return otherPorts.length > 0 ? { kind: 'wrong-port', ports: otherPorts.sort((a, b) => a - b) } : { kind: 'not-yet' };
}

const PROBE_HOSTS = ['127.0.0.1', '::1'];

/**
 * Where /proc is missing (macOS, Windows): tries to connect on IPv4 then IPv6 loopback. The
 * connection, if any, must be handed to the check as its client, since a server may serve just one.
 */
export async function probeByConnecting(port: number): Promise<net.Socket | undefined> {
  for (const host of PROBE_HOSTS) {
    const socket = await dial({ host, port }, 500).catch(() => undefined);
    if (socket) return socket;
  }
  return undefined;
}

/**
 * Where /proc is missing: sends an empty datagram to `port` on IPv4 loopback from a connected
 * socket. Nothing bound there, and the kernel's "port unreachable" comes back as an error; no
 * error within a moment, and something is bound. The program does receive the empty datagram.
 */
export function probeByDatagram(port: number): Promise<boolean> {
  const socket = dgram.createSocket('udp4');
  return new Promise((resolve) => {
    const done = (bound: boolean) => {
      clearTimeout(timer);
      socket.close();
      resolve(bound);
    };
    const timer = setTimeout(() => done(true), 200);
    socket.on('error', () => done(false));
    socket.connect(port, '127.0.0.1', () => socket.send(Buffer.alloc(0)));
  });
}
