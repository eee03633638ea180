import dgram from 'node:dgram';
import * as dnsPacket from 'dns-packet';
import { afterEach, describe, expect, test } from 'vitest';
import { startDnsRecorder, type DnsRecorder, type Lookup } from './dns-recorder.ts';

let recorder: DnsRecorder | undefined;
afterEach(async () => {
  await recorder?.close();
  recorder = undefined;
});

/** Sends `query` to the recorder and gives its answer, or undefined if none comes within 300 ms. */
async function ask(port: number, query: Buffer): Promise<dnsPacket.DecodedPacket | undefined> {
  const socket = dgram.createSocket('udp4');
  try {
    return await new Promise((resolve) => {
      socket.once('message', (message) => resolve(dnsPacket.decode(message)));
      setTimeout(() => resolve(undefined), 300);
      socket.send(query, port, '127.0.0.1');
    });
  } finally {
    socket.close();
  }
}

const question = (name: string) => ({ type: 'A' as const, name });

describe("the grader's name server", () => {
  test('answers a lookup "no such name" at once and tells its watchers the name', async () => {
    recorder = await startDnsRecorder({ port: 0 });
    const seen: Lookup[] = [];
    recorder.watch((lookup) => seen.push(lookup));
    const answer = await ask(recorder.port, dnsPacket.encode({ type: 'query', id: 7, flags: dnsPacket.RECURSION_DESIRED, questions: [question('api.example.org')] }));
    expect(answer).toMatchObject({ id: 7, type: 'response', rcode: 'NXDOMAIN' });
    expect(seen).toEqual([{ name: 'api.example.org', type: 'A' }]);
  });

  test("leaves unanswered, without decoding it, a datagram of many questions (thousands pointing at one long name cost the grader's CPU)", async () => {
    recorder = await startDnsRecorder({ port: 0 });
    const seen: Lookup[] = [];
    recorder.watch((lookup) => seen.push(lookup));
    const many = dnsPacket.encode({ type: 'query', id: 8, questions: Array.from({ length: 50 }, (_, i) => question(`host-${i}.example.org`)) });
    expect(await ask(recorder.port, many)).toBeUndefined();
    expect(seen).toEqual([]);
    // And it goes on answering.
    expect(await ask(recorder.port, dnsPacket.encode({ type: 'query', id: 9, questions: [question('next.example.org')] }))).toMatchObject({ id: 9, rcode: 'NXDOMAIN' });
  });

  test('answers a name the exercise serves (asked for on IPv6 alone) without reporting it', async () => {
    recorder = await startDnsRecorder({ port: 0, served: ['api.example.org'] });
    const seen: Lookup[] = [];
    recorder.watch((lookup) => seen.push(lookup));
    const answer = await ask(recorder.port, dnsPacket.encode({ type: 'query', id: 10, questions: [{ type: 'AAAA', name: 'API.example.org' }] }));
    expect(answer).toMatchObject({ id: 10, rcode: 'NXDOMAIN' });
    expect(seen).toEqual([]);
  });
});
