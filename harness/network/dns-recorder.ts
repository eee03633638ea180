import dgram from 'node:dgram';
import * as dnsPacket from 'dns-packet';

/** A name a program asked the grader's name server for. */
export interface Lookup {
  name: string;
  /** The record type asked for: A, AAAA, MX, ... */
  type: string;
}

/** The grader's name server on a submission's private loopback: it records every lookup and answers that no such name exists. */
export interface DnsRecorder {
  /** The UDP port it answers on: 53 on a submission's network. */
  port: number;
  /** Calls `listener` with each lookup from now on; returns the function that stops it. */
  watch(listener: (lookup: Lookup) => void): () => void;
  close(): Promise<void>;
}

/**
 * Starts the recorder on 127.0.0.1:53 (UDP). Every name this exercise serves is in the hosts file
 * and never reaches it: what does is a name the program has no business with, answered NXDOMAIN
 * at once, so the program fails fast and the report can say which name it was.
 */
export async function startDnsRecorder(options: { port?: number; served?: readonly string[] } = {}): Promise<DnsRecorder> {
  // A name the exercise serves reaches this server only when asked for its IPv6 address alone:
  // served, but not on IPv6, which is no name the exercise lacks.
  const served = new Set(options.served ?? []);
  const listeners = new Set<(lookup: Lookup) => void>();
  const socket = dgram.createSocket('udp4');
  let queries = 0;
  socket.on('message', (message, from) => {
    // The grader's CPU is not the program's: past this many, a lookup is not answered (it times out).
    if (++queries > MAX_QUERIES) return;
    // A lookup asks one question in one small datagram (what resolvers send); anything else, such
    // as ten thousand questions pointing at one long name, would cost the grader to decode and is
    // not answered. The count of questions is in the header's bytes 4 and 5.
    if (message.length > MAX_QUERY_BYTES || message.length < 12 || message.readUInt16BE(4) !== 1) return;
    let query: dnsPacket.Packet;
    try {
      query = dnsPacket.decode(message);
    } catch {
      return;
    }
    const questions = query.questions ?? [];
    for (const question of questions) {
      if (served.has(question.name.toLowerCase())) continue;
      for (const listener of listeners) listener({ name: question.name, type: question.type });
    }
    const answer = dnsPacket.encode({ id: query.id, type: 'response', flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE | NXDOMAIN, questions });
    socket.send(answer, from.port, from.address);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(options.port ?? 53, '127.0.0.1', () => {
      socket.off('error', reject);
      resolve();
    });
  });
  // A program's flood of lookups must not end the grader.
  socket.on('error', () => undefined);
  return {
    port: socket.address().port,
    watch(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
}

// More lookups than any program needs: a name or two, retried, in each launch of a submission.
const MAX_QUERIES = 10_000;
// A query for the longest name, with an EDNS record: well under 512 bytes.
const MAX_QUERY_BYTES = 512;
// RCODE 3, "no such name", in the low bits of the flags.
const NXDOMAIN = 3;
