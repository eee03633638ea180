import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { create } from 'xmlbuilder2';
import { validateXML } from 'xmllint-wasm';
import { HIDDEN_CHECK_TEXT } from './check-text.ts';
import { renderJunit } from './junit.ts';
import { SECRET, makeBatch, makeCheck, makeProgram, makeStudent, sampleChecks } from '../../test/helpers/results.ts';
import type { BatchResult } from './types.ts';

const SCHEMA = readFileSync(new URL('../../test/schemas/junit.xsd', import.meta.url), 'utf8');

/** Checks the XML with libxml2 (its wasm build): well-formed, and valid against the JUnit schema. */
async function expectValidJunit(xml: string): Promise<void> {
  const result = await validateXML({ xml: [{ fileName: 'junit.xml', contents: xml }], schema: [{ fileName: 'junit.xsd', contents: SCHEMA }] });
  expect(result.errors.map((error) => error.rawMessage)).toEqual([]);
  expect(result.valid).toBe(true);
}

/** The parts of the DOM (as xmlbuilder2's parser builds it) that the tests read. */
interface Element {
  tagName: string;
  textContent: string | null;
  getAttribute(name: string): string | null;
  getElementsByTagName(tag: string): ArrayLike<Element>;
}

function parse(xml: string): Element {
  return create(xml).root().node as unknown as Element;
}

function elements(parent: Element, tag: string): Element[] {
  return Array.from(parent.getElementsByTagName(tag));
}

function testcase(root: Element, name: string): Element {
  const found = elements(root, 'testcase').find((element) => element.getAttribute('name') === name);
  if (!found) throw new Error(`No test case named ${name} in the report.`);
  return found;
}

function classBatch(): BatchResult {
  return makeBatch('tcp-echo', [makeStudent('alice', 'tcp-echo', sampleChecks()), makeStudent('bob', 'tcp-echo', [makeCheck({ id: 'listens', maxPoints: 2 })])]);
}

describe('renderJunit', () => {
  test('its output is valid against the JUnit schema for students and for instructors', async () => {
    await expectValidJunit(renderJunit(classBatch(), { instructor: false }));
    await expectValidJunit(renderJunit(classBatch(), { instructor: true }));
  });

  test('the root totals the tests, failures, errors, skipped checks and time of every suite', () => {
    const root = parse(renderJunit(classBatch(), { instructor: true }));
    expect(root.tagName).toBe('testsuites');
    expect(['tests', 'failures', 'errors', 'skipped'].map((name) => root.getAttribute(name))).toEqual(['7', '2', '1', '1']);
    expect(Number(root.getAttribute('time'))).toBeCloseTo(2.384 + 0.37, 3);
  });

  test("a student's name shows characters that show nothing and bidirectional controls as escapes, in suite and class names", () => {
    const batch = makeBatch('tcp-echo', [makeStudent('amy', 'tcp-echo', [makeCheck({ id: 'x' })]), makeStudent('amy\u200b\u202e', 'tcp-echo', [makeCheck({ id: 'x' })])]);
    const root = parse(renderJunit(batch, { instructor: true }));
    expect(elements(root, 'testsuite').map((suite) => suite.getAttribute('name'))).toEqual(['amy', 'amy\\u200b\\u202e']);
    expect(elements(root, 'testcase').map((testcase) => testcase.getAttribute('classname'))).toEqual(['amy', 'amy\\u200b\\u202e']);
    const all = parse(renderJunit({ ...batch, exercise: 'all' }, { instructor: true }));
    expect(elements(all, 'testsuite').map((suite) => suite.getAttribute('name'))).toEqual(['amy/tcp-echo', 'amy\\u200b\\u202e/tcp-echo']);
  });

  test('each submission is one suite named for the student, with its counts, duration in seconds and timestamp', () => {
    const suites = elements(parse(renderJunit(classBatch(), { instructor: true })), 'testsuite');
    expect(suites.map((suite) => suite.getAttribute('name'))).toEqual(['alice', 'bob']);
    const alice = suites[0]!;
    expect(['tests', 'failures', 'errors', 'skipped', 'time'].map((name) => alice.getAttribute(name))).toEqual(['6', '2', '1', '1', '2.384']);
    expect(alice.getAttribute('timestamp')).toBe('2025-03-14T09:26:53.589Z');
    expect(elements(alice, 'testcase').map((element) => element.getAttribute('name'))).toEqual(['listens', 'echoes-line', 'echoes-many', 'closes-cleanly', 'many-clients', 'binary-safe']);
  });

  test('a batch of all exercises names each suite student/exercise', () => {
    const batch = makeBatch('all', [makeStudent('alice', 'tcp-echo', [makeCheck({ id: 'listens' })]), makeStudent('alice', 'http-get', [makeCheck({ id: 'listens' })])]);
    const suites = elements(parse(renderJunit(batch, { instructor: true })), 'testsuite');
    expect(suites.map((suite) => suite.getAttribute('name'))).toEqual(['alice/tcp-echo', 'alice/http-get']);
  });

  test('a test case is named for its check, classed by the student, and timed in seconds', () => {
    const echoes = testcase(parse(renderJunit(classBatch(), { instructor: true })), 'echoes-line');
    expect(echoes.getAttribute('classname')).toBe('alice');
    expect(echoes.getAttribute('time')).toBe('1.534');
  });

  test('a failure carries the message in its attribute and again in its text, followed by the details and the hint', () => {
    const failure = elements(testcase(parse(renderJunit(classBatch(), { instructor: false })), 'echoes-line'), 'failure')[0]!;
    expect(failure.getAttribute('message')).toBe('Sent "hello", expected "hello" back, got "HELLO".');
    expect(failure.textContent).toBe(
      ['Sent "hello", expected "hello" back, got "HELLO".', '  expected: hello\\n', '  actual:   HELLO\\n', 'Hint: Send back exactly the bytes you read; do not change their case.'].join('\n'),
    );
  });

  test('a grader error becomes an error element and a skipped check a skipped element, each with its message', () => {
    const root = parse(renderJunit(classBatch(), { instructor: false }));
    const error = elements(testcase(root, 'closes-cleanly'), 'error')[0]!;
    expect(error.getAttribute('message')).toBe('The grader failed: TypeError: Cannot read properties of undefined');
    expect(error.textContent).toContain('at probe (harness/probes/tcp-client.ts:41:7)');
    const skipped = elements(testcase(root, 'echoes-many'), 'skipped')[0]!;
    expect(skipped.getAttribute('message')).toBe('Skipped: it needs "echoes-line" to pass first.');
    expect(elements(testcase(root, 'listens'), 'failure')).toEqual([]);
  });

  test("system-out holds the check's log, the transcript and the program's stdout and stderr", () => {
    const out = elements(testcase(parse(renderJunit(classBatch(), { instructor: false })), 'echoes-line'), 'system-out')[0]!.textContent!;
    for (const expected of ['sent 6 bytes', '→ hello\\n', '← HELLO\\n', 'Your program (node server.js, PORT=40123) was stopped by the grader (SIGTERM).', 'listening on 40123', 'warning: odd byte']) {
      expect(out).toContain(expected);
    }
  });

  test('students see only the status of a hidden check, never its message, details, hint or output', async () => {
    const xml = renderJunit(classBatch(), { instructor: false });
    expect(xml).not.toContain(SECRET);
    const root = parse(xml);
    const failure = elements(testcase(root, 'many-clients'), 'failure')[0]!;
    expect(failure.getAttribute('message')).toBe(HIDDEN_CHECK_TEXT);
    expect(failure.textContent).toBe(HIDDEN_CHECK_TEXT);
    expect(elements(testcase(root, 'many-clients'), 'system-out')).toEqual([]);
    expect(elements(testcase(root, 'binary-safe'), 'system-out')).toEqual([]);
  });

  test('instructors see everything about a hidden check', () => {
    const hidden = testcase(parse(renderJunit(classBatch(), { instructor: true })), 'many-clients');
    expect(elements(hidden, 'failure')[0]!.textContent).toContain(`${SECRET}: only 12 of 100 clients got a reply`);
    expect(elements(hidden, 'system-out')[0]!.textContent).toContain(`${SECRET} stdout`);
  });

  test('control characters and other bytes XML cannot hold become visible escapes, so the file still parses', async () => {
    const noisy = `nul\x00 bell\x07 esc\x1b[0m vt\x0b del\x7f lone\ud800 nonchar\ufffe emoji😀 tab\tok`;
    const check = makeCheck({ id: 'noisy', status: 'fail', message: `bad\x1b[31m reply`, details: [noisy], programs: [makeProgram({ stdout: noisy, stderr: '\x01\x02\x03' })] });
    const xml = renderJunit(makeBatch('tcp-echo', [makeStudent('carol', 'tcp-echo', [check])]), { instructor: true });
    await expectValidJunit(xml);
    const noisyCase = testcase(parse(xml), 'noisy');
    expect(elements(noisyCase, 'failure')[0]!.getAttribute('message')).toBe('bad\\x1b[31m reply');
    const out = elements(noisyCase, 'system-out')[0]!.textContent!;
    expect(out).toContain('nul\\x00 bell\\x07 esc\\x1b[0m vt\\x0b del\x7f lone\\ud800 nonchar\\ufffe emoji😀 tab\tok');
    expect(out).toContain('\\x01\\x02\\x03');
  });

  test('markup characters in messages and output come back unchanged after parsing', async () => {
    const markup = `<script>alert("x")</script> & ]]> 'quoted'`;
    const check = makeCheck({ id: 'markup', status: 'fail', message: markup, programs: [makeProgram({ stdout: markup })] });
    const xml = renderJunit(makeBatch('tcp-echo', [makeStudent('dave', 'tcp-echo', [check])]), { instructor: true });
    await expectValidJunit(xml);
    const markupCase = testcase(parse(xml), 'markup');
    expect(elements(markupCase, 'failure')[0]!.getAttribute('message')).toBe(markup);
    expect(elements(markupCase, 'system-out')[0]!.textContent).toContain(markup);
  });

  test('checks that share an id still get distinct test case names, since GitLab drops repeated names', async () => {
    const checks = [makeCheck({ id: 'echo' }), makeCheck({ id: 'echo', status: 'fail', message: 'second' }), makeCheck({ id: 'echo (2)' })];
    const xml = renderJunit(makeBatch('tcp-echo', [makeStudent('erin', 'tcp-echo', checks)]), { instructor: true });
    await expectValidJunit(xml);
    expect(elements(parse(xml), 'testcase').map((element) => element.getAttribute('name'))).toEqual(['echo', 'echo (2)', 'echo (2) (2)']);
  });

  test('the schema check itself rejects repeated names, bad counts and raw control characters', async () => {
    const suite = (body: string, tests = '1') =>
      `<testsuites tests="1" failures="0" errors="0"><testsuite name="s" tests="${tests}" failures="0" errors="0" skipped="0" time="1" timestamp="2025-03-14T09:26:53Z">${body}</testsuite></testsuites>`;
    const validate = (xml: string) => validateXML({ xml: [{ fileName: 'junit.xml', contents: xml }], schema: [{ fileName: 'junit.xsd', contents: SCHEMA }] });
    const one = '<testcase name="a" classname="s" time="0.1"/>';
    expect((await validate(suite(one))).valid).toBe(true);
    expect((await validate(suite(one + one))).valid).toBe(false);
    expect((await validate(suite(one, 'many'))).valid).toBe(false);
    expect((await validate(suite('<testcase name="a\x1b" classname="s" time="0.1"/>'))).valid).toBe(false);
  });

  test('an empty batch is still a valid report', async () => {
    const xml = renderJunit(makeBatch('tcp-echo', []), { instructor: true });
    await expectValidJunit(xml);
    expect(parse(xml).getAttribute('tests')).toBe('0');
  });
});
