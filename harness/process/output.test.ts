import { describe, expect, test } from 'vitest';
import { CappedOutput, OUTPUT_CAP_BYTES } from './output.ts';

const chunk = (text: string) => Buffer.from(text);

describe('CappedOutput', () => {
  test('it starts empty', () => {
    const output = new CappedOutput();
    expect(output.bytes.length).toBe(0);
    expect(output.text).toBe('');
    expect(output.lines).toEqual([]);
    expect(output.totalBytes).toBe(0);
    expect(output.droppedBytes).toBe(0);
  });

  test('it caps at one mebibyte by default', () => {
    expect(OUTPUT_CAP_BYTES).toBe(1024 * 1024);
    expect(new CappedOutput().cap).toBe(OUTPUT_CAP_BYTES);
  });

  test('it keeps every byte, in order and exactly as written, while under the cap', () => {
    const output = new CappedOutput(100);
    output.push(chunk('Hello, '));
    output.push(Buffer.from([0x00, 0xff, 0x0d, 0x0a]));
    output.push(chunk('world'));
    expect(output.bytes).toEqual(Buffer.concat([chunk('Hello, '), Buffer.from([0x00, 0xff, 0x0d, 0x0a]), chunk('world')]));
    expect(output.totalBytes).toBe(16);
    expect(output.droppedBytes).toBe(0);
  });

  test('it keeps everything when the output reaches the cap exactly', () => {
    const output = new CappedOutput(6);
    output.push(chunk('abc'));
    output.push(chunk('def'));
    expect(output.text).toBe('abcdef');
    expect(output.droppedBytes).toBe(0);
  });

  test('it keeps the part of a chunk that fits and counts the rest as dropped', () => {
    const output = new CappedOutput(5);
    output.push(chunk('abc'));
    output.push(chunk('defgh'));
    expect(output.text).toBe('abcde');
    expect(output.totalBytes).toBe(8);
    expect(output.droppedBytes).toBe(3);
  });

  test('it drops whole chunks once the cap is reached but keeps counting them', () => {
    const output = new CappedOutput(4);
    output.push(chunk('abcd'));
    output.push(chunk('ef'));
    output.push(chunk('ghi'));
    expect(output.text).toBe('abcd');
    expect(output.totalBytes).toBe(9);
    expect(output.droppedBytes).toBe(5);
  });

  test('lines splits on \\n and \\r\\n and leaves out the line endings', () => {
    const output = new CappedOutput();
    output.push(chunk('one\r\ntwo\nthree\r\n'));
    expect(output.lines).toEqual(['one', 'two', 'three']);
  });

  test('lines includes an unfinished last line', () => {
    const output = new CappedOutput();
    output.push(chunk('done\nhalf a li'));
    expect(output.lines).toEqual(['done', 'half a li']);
  });

  test('lines joins a \\r\\n line ending that was split across two writes', () => {
    const output = new CappedOutput();
    output.push(chunk('first\r'));
    output.push(chunk('\nsecond'));
    expect(output.lines).toEqual(['first', 'second']);
  });

  test('lines keeps empty lines between line endings', () => {
    const output = new CappedOutput();
    output.push(chunk('a\n\r\nb\n'));
    expect(output.lines).toEqual(['a', '', 'b']);
  });

  test('onData calls the listener after each write, when the new bytes are already readable', () => {
    const output = new CappedOutput();
    const seen: string[] = [];
    output.onData(() => seen.push(output.text));
    output.push(chunk('a'));
    output.push(chunk('b'));
    expect(seen).toEqual(['a', 'ab']);
  });

  test('onData still calls the listener for writes past the cap', () => {
    const output = new CappedOutput(1);
    let calls = 0;
    output.onData(() => calls++);
    output.push(chunk('a'));
    output.push(chunk('b'));
    expect(calls).toBe(2);
  });

  test('the function returned by onData unsubscribes that listener only', () => {
    const output = new CappedOutput();
    let first = 0;
    let second = 0;
    const unsubscribe = output.onData(() => first++);
    output.onData(() => second++);
    output.push(chunk('x'));
    unsubscribe();
    output.push(chunk('y'));
    output.push(chunk('z'));
    expect(first).toBe(1);
    expect(second).toBe(3);
  });

  test('its head is cut where a character ends, and says how much of all written it leaves out', () => {
    const output = new CappedOutput(100);
    output.push(chunk('ab€cd')); // € is three bytes: 0xe2 0x82 0xac
    expect(output.head(3)).toEqual({ text: 'ab', droppedBytes: 5 });
    expect(output.head(5)).toEqual({ text: 'ab€', droppedBytes: 2 });
    expect(output.head(1000)).toEqual({ text: 'ab€cd', droppedBytes: 0 });
    output.push(Buffer.alloc(200, 0x41));
    expect(output.head(1000).droppedBytes).toBe(207 - 100);
  });
});
