import { parseHTML } from 'linkedom';
import { describe, expect, test } from 'vitest';
import { SECRET, makeBatch, makeCheck, makeProgram, makeStudent, sampleChecks } from '../../test/helpers/results.ts';
import { renderHtml } from './html.ts';
import { redactHidden } from './redact.ts';
import type { BatchResult, StudentResult } from './types.ts';

function parse(batch: BatchResult, audience: 'instructor' | 'student' = 'instructor') {
  const markup = renderHtml(batch, audience);
  return { markup, document: parseHTML(markup).document };
}

// Closed reports wait in templates, outside the document's tree: what is in them, opened or not.
const inReports = (document: ReturnType<typeof parse>['document'], selector: string) =>
  [...document.querySelectorAll('tr.detail td')].flatMap((cell) => [...(cell.querySelector('template')?.content ?? cell).querySelectorAll(selector)]);

const text = (element: { textContent: string | null } | null | undefined) => (element?.textContent ?? '').replace(/\s+/g, ' ').trim();

// A small class: one full marks, one with every kind of result, one who handed nothing in.
function smallClass(): BatchResult {
  const allPass = sampleChecks().map((check) => makeCheck({ id: check.id, title: check.title, maxPoints: check.maxPoints, hidden: check.hidden }));
  const missing = makeStudent('cal', 'echo-server', allPass.map((check) => ({ ...check, status: 'fail' as const, points: 0, message: 'Not graded: missing (no echo-server/ folder).' })), { missing: 'missing (no echo-server/ folder)' });
  return makeBatch('echo-server', [makeStudent('amy', 'echo-server', allPass), makeStudent('ben', 'echo-server', sampleChecks()), missing]);
}

describe('the HTML report', () => {
  test('is one self-contained page whose policy forbids every request', () => {
    const { document, markup } = parse(smallClass());
    const policy = document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content');
    expect(policy).toContain("default-src 'none'");
    expect(document.querySelectorAll('link, img, iframe, object, embed, script[src]')).toHaveLength(0);
    expect(markup).not.toMatch(/https?:\/\//);
    expect(document.querySelectorAll('style')).toHaveLength(1);
    expect(document.querySelectorAll('script')).toHaveLength(1);
    expect(text(document.querySelector('style'))).toContain('prefers-color-scheme: dark');
    expect(text(document.querySelector('style'))).toContain('@media print');
  });

  test('shows the class at a glance: counts, a histogram per exercise, and pass rates hardest first', () => {
    const { document } = parse(smallClass());
    const counts = Object.fromEntries([...document.querySelectorAll('.count')].map((count) => [text(count.querySelector('dt')), text(count.querySelector('dd'))]));
    expect(counts).toMatchObject({ students: '3', 'passed every check': '1', 'missing submissions': '1', 'grader errors': '1' });
    const histograms = document.querySelectorAll('.histogram');
    expect(histograms).toHaveLength(1);
    const bins = [...histograms[0]!.querySelectorAll('.bin')].map((bin) => Number(text(bin.querySelector('.n'))));
    expect(bins).toHaveLength(10);
    // amy 11/11 (the last bin, full marks included); ben 3/11 (bins are 1.1 wide: the third); cal 0/11.
    expect(bins).toEqual([1, 0, 1, 0, 0, 0, 0, 0, 0, 1]);
    // Rates are of the submissions where a check ran: cal's is missing, and ben's echoes-many was skipped.
    const rates = [...document.querySelectorAll('.rate')].map((rate) => [text(rate.querySelector('.name code')), text(rate.querySelector('.value .figure')), text(rate.querySelector('.value .not-run'))]);
    expect(rates).toEqual([
      ['closes-cleanly', '50% · 1/2', '1 missing'],
      ['echoes-line', '50% · 1/2', '1 missing'],
      ['many-clients', '50% · 1/2', '1 missing'],
      ['binary-safe', '100% · 2/2', '1 missing'],
      ['echoes-many', '100% · 1/1', '1 skipped · 1 missing'],
      ['listens', '100% · 2/2', '1 missing'],
    ]);
  });

  test('a check no submission ran reads as not run, after the checks that ran', () => {
    const checks = [makeCheck({ id: 'compiles', status: 'fail' }), makeCheck({ id: 'echoes', status: 'skip' })];
    const { document } = parse(makeBatch('echo-server', [makeStudent('amy', 'echo-server', checks), makeStudent('ben', 'echo-server', checks)]));
    const rates = [...document.querySelectorAll('.rate')].map((rate) => [text(rate.querySelector('.name code')), text(rate.querySelector('.value')), rate.querySelector('.fill')!.getAttribute('style')]);
    expect(rates).toEqual([
      ['compiles', '0% · 0/2', 'width:0%'],
      ['echoes', 'not run 2 skipped', 'width:0%'],
    ]);
  });

  test('a single-exercise class with an empty folder counts it as a missing submission', () => {
    const checks = [makeCheck({ id: 'listens' }), makeCheck({ id: 'greets' })];
    const empty = makeStudent('dan', 'echo-server', checks.map((check) => ({ ...check, status: 'fail' as const, points: 0, message: 'Not graded: the folder is empty.' })), { missing: 'the folder is empty' });
    const { document } = parse(makeBatch('echo-server', [makeStudent('amy', 'echo-server', checks), empty]));
    const counts = Object.fromEntries([...document.querySelectorAll('.count')].map((count) => [text(count.querySelector('dt')), text(count.querySelector('dd'))]));
    expect(counts).toMatchObject({ students: '2', 'passed every check': '1', 'missing submissions': '1' });
    expect(document.querySelector('.count.warn dt')?.textContent).toBe('missing submissions');
    expect([...document.querySelectorAll('.rate .value')].map(text)).toEqual(['100% · 1/1 1 missing', '100% · 1/1 1 missing']);
    const dan = document.querySelectorAll('tbody.student')[1]!;
    expect(text(dan.querySelector('.failed'))).toBe('missing');
    expect(dan.querySelector('.tag.missing')!.getAttribute('title')).toBe('the folder is empty');
  });

  test('a histogram has ten bins whose ranges are in their titles, over an axis marking every other boundary', () => {
    const results = [0, 7, 14.5, 20].map((points, i) => makeStudent(`s${i}`, 'web-server', [makeCheck({ id: 'all', points, maxPoints: 20, status: points === 20 ? 'pass' : 'fail' })]));
    const { document } = parse(makeBatch('web-server', results));
    const bins = [...document.querySelectorAll('.histogram .bin')];
    expect(bins.map((bin) => bin.getAttribute('title'))).toContain('1 submission scored at least 14 and under 16');
    expect(bins.at(-1)!.getAttribute('title')).toBe('1 submission scored 18 to 20 (full marks included)');
    expect(bins.map((bin) => bin.querySelector('.bar')!.getAttribute('style'))).toEqual(bins.map((_, i) => `--height:${[0, 3, 7, 9].includes(i) ? '1.000' : '0.000'}`));
    expect([...document.querySelectorAll('.histogram .axis span')].map(text)).toEqual(['0', '4', '8', '12', '16', '20']);
  });

  test('has a row per student that opens onto their full report, and filter keys for every check they did not pass', () => {
    const { document } = parse(smallClass());
    const groups = [...document.querySelectorAll('tbody.student')];
    expect(groups.map((group) => group.getAttribute('data-name'))).toEqual(['amy', 'ben', 'cal']);
    const ben = groups[1]!;
    expect(ben.getAttribute('data-score')).toBe('3');
    expect(text(ben.querySelector('.failed'))).toBe('echoes-line echoes-many closes-cleanly many-clients');
    const detail = ben.querySelector('tr.detail')!;
    expect(detail.hasAttribute('hidden')).toBe(true);
    expect(detail.querySelector('td > template')).not.toBeNull();
    expect(ben.querySelector('button.expand')!.getAttribute('aria-controls')).toBe(detail.getAttribute('id'));
    const report = text(detail);
    for (const expected of ['Sent "hello", expected "hello" back, got "HELLO".', 'Hint: Send back exactly the bytes you read', 'On the wire', '→ hello\\n', 'What the grader did', 'Your program (node server.js, PORT=40123) was stopped by the grader (SIGTERM).', 'listening on 40123']) {
      expect(report).toContain(expected);
    }
    // Each key is an option of the filter, which names the check.
    const options = new Map([...document.querySelectorAll('#filter option')].map((option) => [option.getAttribute('value'), text(option)]));
    const keys = ben.getAttribute('data-keys')!.split(' ');
    expect(keys).toContain('error');
    expect(keys.filter((key: string) => key !== 'error').map((key: string) => options.get(key))).toEqual([
      'did not pass: Your server sends back each line it receives (echoes-line) — 2',
      'did not pass: Your server echoes many lines in order (echoes-many) — 2',
      'did not pass: Your server closes the connection when the client does (closes-cleanly) — 2',
      'did not pass: Your server serves 100 clients at once (many-clients) — 2',
    ]);
    expect(groups[2]!.getAttribute('data-keys')).toContain('missing');
    expect(text(groups[2]!.querySelector('.failed'))).toBe('missing');
    expect(groups[0]!.getAttribute('data-keys')).toBe('');
  });

  test('shows what students and their programs chose as text: never a tag, controls visible, no reordering', () => {
    const evil = '<img src=x onerror=alert(1)>';
    const output = '</pre></td></tr></table><script>alert(1)</script>\x1b[31mred\u202eevil\n';
    const checks = [makeCheck({ id: 'talks', status: 'fail', message: `got "${evil}"`, programs: [makeProgram({ stdout: output, command: `node ${evil}.js` })] })];
    const { document, markup } = parse(makeBatch('echo-server', [makeStudent(evil, 'echo-server', checks)]));
    expect(document.querySelectorAll('img')).toHaveLength(0);
    expect(document.querySelectorAll('script')).toHaveLength(1);
    expect(markup).not.toContain('\x1b');
    expect(markup).not.toContain('\u202e');
    expect(document.querySelector('tbody.student')!.getAttribute('data-name')).toBe(evil);
    expect(text(document.querySelector('button.expand'))).toBe(evil);
    expect(text(document.querySelector('.message'))).toBe(`got "${evil}"`);
    expect(text(document.querySelector('pre.output'))).toBe('</pre></td></tr></table><script>alert(1)</script>\\x1b[31mred\\u202eevil');
    expect([...document.querySelectorAll('.ctl')].map(text)).toEqual(['\\x1b', '\\u202e', '\\x00']);
  });

  test('a student whose name has characters that show nothing reads differently from the one without', () => {
    const checks = [makeCheck({ id: 'talks' })];
    const { document, markup } = parse(makeBatch('echo-server', [makeStudent('amy', 'echo-server', checks), makeStudent('amy\u200b\ufe0f', 'echo-server', checks)]));
    expect(markup).not.toMatch(/[\u200b\ufe0f]/);
    expect([...document.querySelectorAll('button.expand')].map(text)).toEqual(['amy', 'amy\\u200b\\ufe0f']);
    expect([...document.querySelectorAll('tbody.student')].map((group) => group.getAttribute('data-name'))).toEqual(['amy', 'amy\\u200b\\ufe0f']);
    expect([...document.querySelectorAll('button.expand .ctl')].map(text)).toEqual(['\\u200b', '\\ufe0f']);
  });

  test("one student's page title shows escapes as text, not markup", () => {
    const { document } = parse(makeBatch('echo-server', [makeStudent('amy\u200b', 'echo-server', [makeCheck({ id: 'talks' })])]));
    expect(document.querySelector('title')!.innerHTML).toBe('netgrade · echo-server · amy\\u200b');
    expect(text(document.querySelector('h1'))).toBe('netgrade · echo-server · amy\\u200b');
  });

  test("the instructor's view shows hidden checks in full and says so; the students' view has them redacted", () => {
    const batch = smallClass();
    const instructor = parse(batch, 'instructor');
    expect(instructor.markup).toContain(SECRET);
    expect(text(instructor.document.querySelector('.audience'))).toContain("Instructor's view");
    expect(inReports(instructor.document, '.tag.hidden-check').length).toBeGreaterThan(0);
    const student = parse({ ...batch, submissions: batch.submissions.map(redactHidden) }, 'student');
    expect(student.markup).not.toContain(SECRET);
    expect(text(student.document.querySelector('.audience'))).toContain("Students' view");
    expect(text(student.document.querySelector('tbody.student:nth-of-type(2) tr.detail'))).toContain('A hidden check: its details are shown to instructors only.');
  });

  test('a class handing in several exercises has a score column per exercise and a histogram each', () => {
    const results: StudentResult[] = [
      makeStudent('amy', 'echo-server', [makeCheck({ id: 'listens' })]),
      makeStudent('amy', 'smtp-client', [makeCheck({ id: 'helo', status: 'fail', maxPoints: 2 })]),
      makeStudent('ben', 'echo-server', [makeCheck({ id: 'listens' })]),
    ];
    const { document } = parse(makeBatch('all', results));
    expect([...document.querySelectorAll('thead th')].map(text)).toEqual(['Student', 'echo-server', 'smtp-client', 'Score', 'Not passed']);
    expect([...document.querySelectorAll('tbody.student')[1]!.querySelectorAll('tr.summary td')].map(text)).toEqual(['1/1', '—', '1/1', 'all passed']);
    expect(text(document.querySelector('tbody.student .failed'))).toBe('smtp-client/helo');
    expect([...document.querySelectorAll('.histogram figcaption strong')].map(text)).toEqual(['echo-server', 'smtp-client']);
    expect(document.querySelector('tr.detail td')!.getAttribute('colspan')).toBe('5');
  });

  test("one student's report is open at once", () => {
    const { document } = parse(makeBatch('echo-server', [makeStudent('amy', 'echo-server', sampleChecks())]), 'student');
    expect(document.querySelector('tr.detail')!.hasAttribute('hidden')).toBe(false);
    expect(document.querySelector('button.expand')!.getAttribute('aria-expanded')).toBe('true');
    expect(text(document.querySelector('title'))).toBe('netgrade · echo-server · amy');
  });
});
