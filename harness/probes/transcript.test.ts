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
    expect(lines.at(-2)).toBe('  … 50 more chunks sent or received (50 bytes), not shown');
    expect(lines.at(-1)).toContain('closed the connection (FIN)');
  });
});
