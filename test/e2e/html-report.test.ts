import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseHTML } from 'linkedom';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { BatchResult } from '../../harness/report/types.ts';
import { LOGS_MARKUP, MARKUP_LINE } from '../helpers/submission.ts';
import { ROOT, runGrade } from '../helpers/run-grade.ts';

// The HTML report of real gradings, parsed (test/e2e/html-browser.test.ts opens one in Chromium).
// A class for `grade all`, as <student>/<exercise>/: amy hands in both exercises, correct; ben
// and cal the server only (ben's greets with the wrong text, cal's logs markup); dan nothing.


let dir: string;
let classDir: string;
let batch: BatchResult;
const out = (name: string) => path.join(dir, name);

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'netgrade-html-'));
  classDir = out('class');
  await cp(path.join(ROOT, 'solutions/tcp-hello-server'), path.join(classDir, 'amy/tcp-hello-server'), { recursive: true });
  await cp(path.join(ROOT, 'solutions/tcp-hello-client'), path.join(classDir, 'amy/tcp-hello-client'), { recursive: true });
  await cp(path.join(ROOT, 'fixtures/tcp-hello-server/wrong-text'), path.join(classDir, 'ben/tcp-hello-server'), { recursive: true });
  await mkdir(path.join(classDir, 'cal/tcp-hello-server'), { recursive: true });
  await writeFile(path.join(classDir, 'cal/tcp-hello-server/server.ts'), LOGS_MARKUP);
  await mkdir(path.join(classDir, 'dan'), { recursive: true });
  const run = await runGrade(['all', '--submissions', classDir, '--exercises', 'tcp-hello-server,tcp-hello-client', '--jobs', '2', '--seed', '7', '--html', out('class.html'), '--json', out('class.json')], { json: false });
  expect(run.exitCode, run.stderr).toBe(0);
  expect(run.leftovers).toEqual([]);
  batch = JSON.parse(await readFile(out('class.json'), 'utf8')) as BatchResult;
}, 120_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

type Document = ReturnType<typeof parseHTML>['document'];
type Element = NonNullable<ReturnType<Document['querySelector']>>;

async function readReport(file: string) {
  const markup = await readFile(file, 'utf8');
  return { markup, document: parseHTML(markup).document };
}

const text = (element: { textContent: string | null } | null | undefined) => (element?.textContent ?? '').replace(/\s+/g, ' ').trim();
const student = (document: Document, name: string) => {
  const group = document.querySelector(`tbody.student[data-name="${name}"]`);
  if (!group) throw new Error(`no row for ${name}`);
  return group;
};
// A closed student's report waits in a template, outside the document's tree (as in a browser):
// the report itself, opened or not.
const report = (group: Element) => {
  const cell = group.querySelector('tr.detail > td')!;
  return cell.querySelector('template')?.content ?? cell;
};
const reportText = (group: Element) => [...report(group).childNodes].map(text).join(' ');
// Elements matching `selector` anywhere in the page, the closed reports included.
const everywhere = (document: Document, selector: string) => [
  ...document.querySelectorAll(selector),
  ...[...document.querySelectorAll('template')].flatMap((template) => [...template.content.querySelectorAll(selector)]),
];
const rows = (document: Document) => [...document.querySelectorAll('tbody.student')].map((group) => [group.getAttribute('data-name'), group.getAttribute('data-score')]);
// Each row's cells, as text.
const summaries = (document: Document) => [...document.querySelectorAll('tbody.student > tr.summary')].map((row) => [...row.children].map(text).join(' | '));
const result = (name: string, exercise: string) => batch.submissions.find((s) => s.student === name && s.exercise === exercise)!;

describe('grade all --submissions --html', () => {
  test('writes one self-contained page: a policy that forbids every request, and nothing in it to fetch', async () => {
    const { markup, document } = await readReport(out('class.html'));
    const policy = document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content');
    expect(policy).toContain("default-src 'none'");
    expect(policy).not.toMatch(/\b(connect|img|font|media|frame|child)-src\b/);
    expect(everywhere(document, 'link, img, iframe, frame, object, embed, audio, video, source, script[src]')).toHaveLength(0);
    expect(everywhere(document, '[src], [href], [srcset], [action], [formaction], [poster], [data]')).toHaveLength(0);
    expect(markup).not.toMatch(/https?:\/\//);
    expect(markup).not.toMatch(/url\(/);
    expect(document.querySelectorAll('style')).toHaveLength(1);
    expect(document.querySelectorAll('script')).toHaveLength(1);
  });

  test("has a row per student, in the JSON's order and with its scores, and a score column per exercise", async () => {
    const { document } = await readReport(out('class.html'));
    const totals = new Map<string, number>();
    for (const s of batch.submissions) totals.set(s.student, (totals.get(s.student) ?? 0) + s.score);
    expect([...totals.keys()]).toEqual(['amy', 'ben', 'cal', 'dan']);
    expect(rows(document)).toEqual([...totals].map(([name, score]) => [name, String(score)]));
    expect([...document.querySelectorAll('#students thead th')].map(text)).toEqual(['Student', 'tcp-hello-client', 'tcp-hello-server', 'Score', 'Not passed']);
    // amy's full marks in both; ben's 7 and cal's 8 of 10 (one check each), dan's nothing.
    expect(summaries(document)).toEqual([
      'amy | 10/10 | 10/10 | 20/20 | all passed',
      'ben | missing | 7/10 | 7/20 | tcp-hello-server/greeting tcp-hello-client: missing',
      'cal | missing | 8/10 | 8/20 | tcp-hello-server/logs-connection tcp-hello-client: missing',
      'dan | missing | missing | 0/20 | tcp-hello-client: missing tcp-hello-server: missing',
    ]);
    expect(student(document, 'amy').getAttribute('data-keys')).toBe('');
    expect(text(document.querySelector('#shown'))).toBe('4 students');
  });

  test('a student who handed nothing in is marked missing, with the reason, in the row, the report and the counts', async () => {
    const { document } = await readReport(out('class.html'));
    const dan = student(document, 'dan');
    expect(dan.getAttribute('data-keys')!.split(' ')).toContain('missing');
    expect([...dan.querySelectorAll('tr.summary .tag.missing')].map((tag) => tag.getAttribute('title'))).toEqual([
      'no exercise folders found in dan/',
      'no exercise folders found in dan/',
      'no exercise folders found in dan/',
      'no exercise folders found in dan/',
    ]);
    expect(result('dan', 'tcp-hello-server').missing).toBe('no exercise folders found in dan/');
    expect(text(report(dan).querySelector('.meta'))).toBe('no exercise folders found in dan/');
    expect([...report(dan).querySelectorAll('li.check .message')].map(text)).toEqual(Array(batch.submissions.filter((s) => s.student === 'dan').flatMap((s) => s.checks).length).fill('Not graded: no exercise folders found in dan/.'));
    expect(reportText(dan)).toContain('tcp-hello-client NOT PASSED 0/10');
    // ben handed in one exercise of two: the other is missing, with its own reason.
    expect([...student(document, 'ben').querySelectorAll('.failed .tag.missing')].map((tag) => tag.getAttribute('title'))).toEqual(['missing (no tcp-hello-client/ folder)']);
    expect(student(document, 'amy').querySelectorAll('.tag.missing')).toHaveLength(0);
    const missing = batch.submissions.filter((s) => s.missing).length;
    expect(missing).toBe(4);
    const counts = Object.fromEntries([...document.querySelectorAll('.count')].map((count) => [text(count.querySelector('dt')), text(count.querySelector('dd'))]));
    expect(counts).toMatchObject({ students: '4', 'passed every check': '1', 'missing submissions': String(missing), 'grader errors': '0' });
    // The filter lists them.
    const everyMissing = [...document.querySelectorAll('tbody.student')].filter((group) => group.getAttribute('data-keys')!.split(' ').includes('missing'));
    expect(everyMissing.map((group) => group.getAttribute('data-name'))).toEqual(['ben', 'cal', 'dan']);
    expect(document.querySelector('#filter option[value="missing"]')).not.toBeNull();
  });

  test("a failing student's report holds what failed: the message, the difference, what the grader did, the wire, the output", async () => {
    const { document } = await readReport(out('class.html'));
    const greeting = result('ben', 'tcp-hello-server').checks.find((c) => c.id === 'greeting')!;
    expect(greeting.status).toBe('fail');
    const ben = student(document, 'ben');
    expect(ben.querySelector('tr.detail')!.hasAttribute('hidden')).toBe(true);
    const failed = [...report(ben).querySelectorAll('li.check.fail')].filter((check) => text(check.querySelector('.check-head code')) === 'greeting');
    expect(failed).toHaveLength(1);
    const check = failed[0]!;
    expect(text(check.querySelector('.message'))).toBe(text({ textContent: greeting.message }));
    expect(text(check.querySelector('.message'))).toBe('The data your server sent is not what was expected.');
    expect(text(check.querySelector('pre.details'))).toContain('actual: "Hello From Server!" (18 bytes)');
    expect([...check.querySelectorAll('.section h4')].map(text)).toEqual(['What the grader did', 'On the wire', expect.stringMatching(/^Your program \(node server\.ts, PORT=\d+\) .*\.$/)]);
    expect(text(check.querySelector('pre.wire'))).toContain('← received "Hello From Server!" (18 bytes)');
    expect(text(check.querySelector('pre.output'))).toMatch(/^Connection from .* has been established\.$/);
    // The passed checks are there too, each one line.
    expect([...report(ben).querySelectorAll('li.check.pass .check-head code')].map(text)).toEqual(['compiles', 'listens', 'closes', 'logs-connection']);
    // The filter for that check lists those who did not pass it: ben, and dan who handed nothing in.
    const option = [...document.querySelectorAll('#filter option')].find((o) => text(o).includes('(greeting)'))!;
    expect(text(option)).toBe('did not pass: tcp-hello-server · a client receives exactly "Hello from server" (greeting) — 2');
    const keyed = [...document.querySelectorAll('tbody.student')].filter((group) => group.getAttribute('data-keys')!.split(' ').includes(option.getAttribute('value')!));
    expect(keyed.map((group) => group.getAttribute('data-name'))).toEqual(['ben', 'dan']);
  });

  test("a program's output is text in the page, never markup", async () => {
    const { markup, document } = await readReport(out('class.html'));
    const stdout = result('cal', 'tcp-hello-server').checks.flatMap((c) => c.programs.map((p) => p.stdout));
    expect(stdout.some((output) => output.includes(MARKUP_LINE))).toBe(true);
    const cal = report(student(document, 'cal'));
    expect([...cal.querySelectorAll('pre.output')].map(text)).toContain(MARKUP_LINE);
    expect(markup).toContain('&lt;script&gt;document.title = &quot;pwned&quot;&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(everywhere(document, 'img')).toHaveLength(0);
    expect(everywhere(document, 'script')).toHaveLength(1);
  });

  test('grade merge --html of the shards shows the same students, scores and failures', async () => {
    const shards = await Promise.all(
      ['1/2', '2/2'].map(async (shard, i) => {
        const json = out(`shard-${i + 1}.json`);
        const run = await runGrade(['all', '--submissions', classDir, '--exercises', 'tcp-hello-server,tcp-hello-client', '--jobs', '1', '--seed', '7', '--shard', shard, '--json', json], { json: false });
        expect(run.exitCode, run.stderr).toBe(0);
        return json;
      }),
    );
    // Each shard has some of the class, so the merge joins two real parts.
    for (const json of shards) expect((JSON.parse(await readFile(json, 'utf8')) as BatchResult).submissions.length).toBeGreaterThan(0);
    const merged = await runGrade(['merge', ...shards, '--html', out('merged.html')], { json: false });
    expect(merged.exitCode, merged.stderr).toBe(0);
    const whole = (await readReport(out('class.html'))).document;
    const joined = (await readReport(out('merged.html'))).document;
    expect(rows(joined)).toEqual(rows(whole));
    expect(summaries(joined)).toEqual(summaries(whole));
    const failures = (document: Document) => [...report(student(document, 'ben')).querySelectorAll('li.check.fail')].map((check) => `${text(check.querySelector('.check-head code'))}: ${text(check.querySelector('.message'))}`);
    expect(failures(joined)).toContain('greeting: The data your server sent is not what was expected.');
    expect(failures(joined)).toEqual(failures(whole));
  });
});

// No built-in exercise has a hidden check: a course's exercise has one (a course's exercises/ come
// first with --course), and one student fails it.
const SECRET = 'SECRET-7f3a';
const COURSE_EXERCISE = `import { defineExercise, expectBytes, fail } from 'netgrade';

export default defineExercise({
  id: 'course-hidden',
  title: 'Greet, and pass a hidden check',
  entry: 'server.ts',
  checks: {
    greeting: {
      title: 'a client receives exactly "hi"',
      points: 1,
      run: async (ctx) => {
        const program = await ctx.launch();
        const connection = await ctx.connect(await program.waitForListening());
        const { data } = await connection.readUntilClose({ timeoutMs: 2000 });
        expectBytes(data, 'hi', { what: 'The data your server sent' });
      },
    },
    'secret-input': {
      title: 'answers the hidden input',
      points: 2,
      hidden: true,
      run: async (ctx) => {
        const program = await ctx.launch();
        const connection = await ctx.connect(await program.waitForListening());
        await connection.readUntilClose({ timeoutMs: 2000 });
        fail('${SECRET} message: the hidden input was not answered', { hint: '${SECRET} hint', details: ['${SECRET} details'] });
      },
    },
  },
});
`;

describe('--student-view', () => {
  test("redacts a hidden check in a class's HTML report, graded or merged; the instructor's shows it in full", async () => {
    const course = out('course');
    await mkdir(path.join(course, 'exercises/course-hidden'), { recursive: true });
    await writeFile(path.join(course, 'exercises/course-hidden/exercise.ts'), COURSE_EXERCISE);
    const students = out('course-class');
    await mkdir(path.join(students, 'eve'), { recursive: true });
    await writeFile(path.join(students, 'eve/server.ts'), `import net from 'node:net';\nnet.createServer((socket) => socket.end('hi')).listen(Number(process.env.PORT));\n`);
    const grade = (name: string, ...more: string[]) =>
      runGrade(['course-hidden', '--course', course, '--submissions', students, '--seed', '7', '--html', out(`${name}.html`), '--json', out(`${name}.json`), ...more], { json: false });
    // The instructor's run is a class's only shard, so that grade merge takes its JSON.
    const runs = await Promise.all([grade('instructor', '--shard', '1/1'), grade('student', '--student-view')]);
    for (const run of runs) expect(run.exitCode, run.stderr).toBe(0);
    const merged = await runGrade(['merge', out('instructor.json'), '--student-view', '--html', out('merged-student.html')], { json: false });
    expect(merged.exitCode, merged.stderr).toBe(0);

    const hiddenCheck = (document: Document) => {
      const found = [...report(student(document, 'eve')).querySelectorAll('li.check')].filter((check) => text(check.querySelector('.check-head code')) === 'secret-input');
      expect(found).toHaveLength(1);
      return found[0]!;
    };
    const instructor = await readReport(out('instructor.html'));
    expect(text(instructor.document.querySelector('.audience'))).toContain("Instructor's view");
    const full = hiddenCheck(instructor.document);
    expect(full.classList.contains('fail')).toBe(true);
    expect(full.querySelector('.tag.hidden-check')).not.toBeNull();
    expect(text(full.querySelector('.message'))).toBe(`${SECRET} message: the hidden input was not answered`);
    expect(text(full.querySelector('.hint'))).toBe(`Hint: ${SECRET} hint`);
    expect(text(full.querySelector('pre.details'))).toBe(`${SECRET} details`);
    expect([...full.querySelectorAll('.section h4')].map(text)).toContain('What the grader did');

    for (const file of ['student.html', 'merged-student.html']) {
      const { markup, document } = await readReport(out(file));
      expect(markup, file).not.toContain(SECRET);
      expect(text(document.querySelector('.audience')), file).toContain("Students' view");
      const redacted = hiddenCheck(document);
      // Its title, status and points stay; nothing of what it did.
      expect(text(redacted.querySelector('.check-head')), file).toBe('✘ FAIL answers the hidden input secret-input hidden 0/2');
      expect(text(redacted.querySelector('.message')), file).toBe('A hidden check: its details are shown to instructors only.');
      expect(redacted.querySelectorAll('.hint, pre, .section'), file).toHaveLength(0);
      // The visible check is as full as in the instructor's.
      const greeting = [...report(student(document, 'eve')).querySelectorAll('li.check')].find((check) => text(check.querySelector('.check-head code')) === 'greeting')!;
      expect(text(greeting.querySelector('.badge')), file).toBe('✔ PASS');
      expect(summaries(document), file).toEqual(['eve | 2/4 | secret-input']);
    }
    expect(await readFile(out('student.json'), 'utf8')).not.toContain(SECRET);
  });
});
