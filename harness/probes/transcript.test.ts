import { describe, expect, test } from 'vitest';
import { MAX_DATA_EVENTS, Transcript } from './transcript.ts';

describe('a transcript', () => {
  test('keeps the first data events, counts the rest where they began, and still records how the connection ended', () => {
    const transcript = new Transcript('Connection:');
    transcript.add({ kind: 'connected', local: 'localhost:1', remote: '127.0.0.1:2' });
    for (let i = 0; i < MAX_DATA_EVENTS + 50; i++) transcript.add({ kind: 'received', bytes: Buffer.from('x') });
    transcript.add({ kind: 'fin' });
    const lines = transcript.render();
    expect(lines).toHaveLength(1 + 1 + MAX_DATA_EVENTS + 1 + 1);
    expect(lines.at(-2)).toMatch(/^  \+\d+\.\d{3} s  … 50 more chunks sent or received \(50 bytes\), not shown$/);
    expect(lines.at(-1)).toContain('closed the connection (FIN)');
  });

  test('says who connected to whom, from either side', () => {
    const client = new Transcript('c');
    client.add({ kind: 'connected', local: '127.0.0.1:50000', remote: '127.0.0.1:40000' });
    expect(client.render()[1]).toContain('connected to 127.0.0.1:40000 from 127.0.0.1:50000');
    const server = new Transcript('s');
    server.add({ kind: 'accepted', local: 'localhost:40000', remote: '127.0.0.1:50000' });
    expect(server.render()[1]).toContain('127.0.0.1:50000 connected to localhost:40000');
  });
});
