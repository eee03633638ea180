import net from 'node:net';

// The suite's own process may only talk to loopback: a test that reaches for the network fails
// loudly instead of depending on a machine that has one. (Students' programs are fenced in by
// the HTTP mocks' preload, which blocks every unmocked request.)
const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;
const connect = net.Socket.prototype.connect;

net.Socket.prototype.connect = function guardedConnect(this: net.Socket, ...args: unknown[]) {
  // net.connect() passes its arguments on already normalized, as one array [options, callback].
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  const options = typeof first === 'object' && first !== null ? (first as net.TcpNetConnectOpts & { path?: string }) : undefined;
  const host = options ? options.host : typeof args[1] === 'string' ? args[1] : undefined;
  if (!options?.path && host !== undefined && !LOOPBACK.test(host)) {
    throw new Error(`A test tried to connect to ${host}; tests may only use loopback addresses.`);
  }
  return (connect as (...a: unknown[]) => net.Socket).apply(this, args);
} as typeof net.Socket.prototype.connect;
