import { HTML_SCRIPT } from './html-script.ts';
import { HTML_STYLE } from './html-style.ts';
import { attr, html, type Html } from './html-text.ts';
import { formatSeconds, plural } from './format.ts';
import { compareIds } from './order.ts';
import { byDifficulty, describeNotRun, formatPassRate } from './pass-rate.ts';
import { summarize } from './summary.ts';
import { tailLines, truncateText, truncationMarker } from './truncate.ts';
import type { BatchResult, CheckResult, CheckStatus, CheckSummary, ProgramReport, StudentResult } from './types.ts';

/** Who reads the page: the instructor's shows hidden checks in full (the data says so), the students' has them redacted. */
export type Audience = 'instructor' | 'student';

const SHOWN_OUTPUT_LINES = 40;
const SHOWN_LINE_CHARS = 300;

/** One row of the students' table: a student's results, one per exercise. */
interface StudentRow {
  student: string;
  results: StudentResult[];
  score: number;
  maxScore: number;
  /** Filter keys of what went wrong: the indexes of the checks not passed, `missing`, `error`. */
  keys: string[];
}

/**
 * A self-contained HTML report of a batch (or of one student): the class at a glance, then a
 * table of students whose rows open onto each one's full report. Styles and script are inline
 * and a content security policy forbids every request, so the file works from disk or as a CI
 * artifact, and nothing in it can reach the network.
 */
export function renderHtml(batch: BatchResult, audience: Audience): string {
  const exercises = [...new Set(batch.submissions.map((r) => r.exercise))].sort(compareIds);
  const rates = [...batch.summary.checks].sort(byDifficulty);
  const checkIndex = new Map(rates.map((rate, i) => [checkKey(rate.exercise, rate.id), i]));
  const rows = studentRows(batch.submissions, checkIndex);
  const title = rows.length === 1 ? `netgrade · ${batch.exercise} · ${rows[0]!.student}` : `netgrade · ${batch.exercise}`;
  const page = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="netgrade">
<title>${attr(title)}</title>
<style>${HTML_STYLE}</style>
</head>
<body>
<header>
<h1>${title}</h1>
<p class="meta">${describeRun(batch)}</p>
<p class="audience ${audience}">${
    audience === 'instructor'
      ? "Instructor's view: hidden checks are shown in full. Do not hand this file to students; write one with --student-view for them."
      : "Students' view: hidden checks show only their title and status."
  }</p>
</header>
<main>
${renderGlance(batch, rows, exercises, rates)}
${renderStudents(rows, exercises, rates)}
</main>
<script>${HTML_SCRIPT}</script>
</body>
</html>
`;
  return page.markup;
}

function describeRun(batch: BatchResult): string {
  const parts = [`generated ${batch.generatedAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}`, `seed ${batch.seed}`, `graded in ${formatSeconds(batch.durationMs)}`];
  if (batch.shard) parts.push(`shard ${batch.shard.index}/${batch.shard.count}`);
  return parts.join(' · ');
}

function studentRows(submissions: readonly StudentResult[], checkIndex: ReadonlyMap<string, number>): StudentRow[] {
  const rows = new Map<string, StudentRow>();
  for (const result of submissions) {
    const row = rows.get(result.student) ?? { student: result.student, results: [], score: 0, maxScore: 0, keys: [] };
    row.results.push(result);
    row.score += result.score;
    row.maxScore += result.maxScore;
    for (const check of result.checks) if (check.status !== 'pass') row.keys.push(String(checkIndex.get(checkKey(result.exercise, check.id))));
    if (result.missing) row.keys.push('missing');
    if (result.checks.some((check) => check.status === 'error')) row.keys.push('error');
    rows.set(result.student, row);
  }
  return [...rows.values()];
}

function checkKey(exercise: string, id: string): string {
  return `${exercise}\0${id}`;
}

// The class at a glance: counts, each exercise's score distribution, and where the class struggles.
function renderGlance(batch: BatchResult, rows: readonly StudentRow[], exercises: readonly string[], rates: readonly CheckSummary[]): Html {
  const { summary } = batch;
  const { missing } = summary;
  const errors = batch.submissions.filter((r) => r.checks.some((check) => check.status === 'error')).length;
  const counts: [string, string | number, string?][] = [
    ['students', rows.length],
    ['passed every check', summary.passed],
    ['mean score', `${summary.meanScore}/${summary.maxScore}`],
    ['median score', `${summary.medianScore}/${summary.maxScore}`],
    ['missing submissions', missing, missing > 0 ? 'warn' : undefined],
    ['grader errors', errors, errors > 0 ? 'bad' : undefined],
  ];
  return html`<section id="glance" aria-labelledby="glance-title">
<h2 id="glance-title">The class at a glance</h2>
<dl class="counts">${counts.map(([label, value, tone]) => html`<div class="count${tone ? ` ${tone}` : ''}"><dt>${label}</dt><dd>${value}</dd></div>`)}</dl>
<div class="histograms">${exercises.map((exercise) => renderHistogram(exercise, batch.submissions.filter((r) => r.exercise === exercise)))}</div>
<h3>Pass rate of every check, hardest first</h3>
<p class="meta">Each rate is of the submissions where the check ran; those that skipped it (a check it needs did not pass) or are missing are counted beside it.</p>
<ol class="rates">${rates.map((rate, i) => renderRate(rate, i, exercises.length > 1))}</ol>
</section>`;
}

// Ten bins of equal width whatever their ranges read: each one's range is in its title, and an
// axis under them marks every other boundary.
function renderHistogram(exercise: string, results: readonly StudentResult[]): Html {
  const summary = summarize(results);
  const tallest = Math.max(1, ...summary.histogram.map((bin) => bin.count));
  const last = summary.histogram.length - 1;
  const ticks = [0, ...summary.histogram.filter((_, i) => i % 2 === 1).map((bin) => bin.to)];
  return html`<figure class="histogram">
<figcaption><strong>${exercise}</strong> · ${plural(summary.submissions, 'submission')} · mean ${summary.meanScore}/${summary.maxScore} · median ${summary.medianScore}/${summary.maxScore}</figcaption>
<div class="bins">${summary.histogram.map((bin, i) => {
    const label = `${plural(bin.count, 'submission')} scored ${i === last ? `${bin.from} to ${bin.to} (full marks included)` : `at least ${bin.from} and under ${bin.to}`}`;
    return html`<div class="bin" title="${attr(label)}" aria-label="${attr(label)}"><span class="n">${bin.count}</span><span class="bar" style="--height:${(bin.count / tallest).toFixed(3)}"></span></div>`;
  })}</div>
<div class="axis" aria-hidden="true">${ticks.map((tick, i) => html`<span style="left:${(i * 100) / (ticks.length - 1)}%">${tick}</span>`)}</div>
</figure>`;
}

function renderRate(rate: CheckSummary, index: number, showExercise: boolean): Html {
  const percent = rate.ran === 0 ? 0 : Math.round(rate.passRate * 100);
  const name = showExercise ? `${rate.exercise} · ${rate.title}` : rate.title;
  const notRun = describeNotRun(rate);
  return html`<li><button type="button" class="rate" data-filter="${index}" title="${attr(`Show the students who did not pass ${rate.id}`)}"><span class="name">${name} <code>${rate.id}</code></span><span class="track"><span class="fill" style="width:${percent}%"></span></span><span class="value"><span class="figure">${rate.ran === 0 ? formatPassRate(rate) : `${formatPassRate(rate)} · ${rate.passed}/${rate.ran}`}</span>${notRun ? html` <span class="not-run">${notRun}</span>` : ''}</span></button></li>`;
}

function renderStudents(rows: readonly StudentRow[], exercises: readonly string[], rates: readonly CheckSummary[]): Html {
  const several = exercises.length > 1;
  const columns = 3 + (several ? exercises.length : 0);
  const options = rates.map((rate, i) => html`<option value="${i}">did not pass: ${several ? `${rate.exercise} · ` : ''}${rate.title} (${rate.id}) — ${rate.total - rate.passed}</option>`);
  return html`<section id="students-section" aria-labelledby="students-title">
<h2 id="students-title">Students</h2>
<div class="controls">
<label>Show <select id="filter"><option value="">every student</option>${options}<option value="missing">a missing submission</option><option value="error">a grader error</option></select></label>
<label>Name <input id="search" type="search" placeholder="filter by name" autocomplete="off"></label>
<button type="button" id="expand-all">Expand all</button><button type="button" id="collapse-all">Collapse all</button>
<output id="shown" aria-live="polite">${plural(rows.length, 'student')}</output>
</div>
<table id="students">
<thead><tr><th scope="col" aria-sort="ascending"><button type="button" data-sort="name">Student</button></th>${
    several ? exercises.map((exercise) => html`<th scope="col" class="num">${exercise}</th>`) : ''
  }<th scope="col" class="num" aria-sort="none"><button type="button" data-sort="score">Score</button></th><th scope="col">Not passed</th></tr></thead>
${rows.map((row, i) => renderStudent(row, i, exercises, columns, rows.length === 1))}
</table>
<p id="none" hidden>No student matches.</p>
</section>`;
}

function renderStudent(row: StudentRow, index: number, exercises: readonly string[], columns: number, open: boolean): Html {
  const several = exercises.length > 1;
  const byExercise = new Map(row.results.map((r) => [r.exercise, r]));
  const notPassed = row.results.filter((r) => !r.missing).flatMap((r) => r.checks.filter((check) => check.status !== 'pass').map((check) => ({ exercise: r.exercise, check })));
  const detail = `report-${index}`;
  // A closed report waits in a template: inert until opened, so a class of thousands of reports
  // loads, sorts and filters as a page of table rows.
  const reports = row.results.map(renderSubmission);
  return html`<tbody class="student" data-name="${attr(row.student)}" data-score="${row.score}" data-keys="${row.keys.join(' ')}">
<tr class="summary"><th scope="row"><button type="button" class="expand" aria-expanded="${open ? 'true' : 'false'}" aria-controls="${detail}">${row.student}</button></th>${
    several ? exercises.map((exercise) => html`<td class="num">${scoreCell(byExercise.get(exercise))}</td>`) : ''
  }<td class="num"><strong>${row.score}/${row.maxScore}</strong></td><td class="failed">${notPassedCell(row, notPassed, several)}</td></tr>
<tr class="detail" id="${detail}"${open ? '' : html` hidden`}><td colspan="${columns}">${open ? reports : html`<template>${reports}</template>`}</td></tr>
</tbody>`;
}

function notPassedCell(row: StudentRow, notPassed: readonly { exercise: string; check: CheckResult }[], several: boolean): Html {
  const missing = row.results.filter((r) => r.missing).map((r) => html`<span class="tag missing" title="${attr(r.missing!)}">${several ? `${r.exercise}: ` : ''}missing</span> `);
  if (notPassed.length === 0 && missing.length === 0) return html`<span class="all-passed">all passed</span>`;
  const checks = notPassed.map(({ exercise, check }) => html`<span class="tag ${check.status}" title="${attr(`${exercise}: ${check.title}`)}">${several ? `${exercise}/` : ''}${check.id}</span> `);
  return html`${checks}${missing}`;
}

function scoreCell(result: StudentResult | undefined): Html | string {
  if (!result) return '—';
  return result.missing ? html`<span class="tag missing" title="${attr(result.missing)}">missing</span>` : `${result.score}/${result.maxScore}`;
}

// One submission's full report: what the terminal report shows, as HTML.
function renderSubmission(result: StudentResult): Html {
  const passed = result.checks.filter((check) => check.status === 'pass').length;
  return html`<article class="submission">
<h3>${result.exercise} <span class="verdict ${result.passed ? 'pass' : 'fail'}">${result.passed ? 'PASSED' : 'NOT PASSED'}</span> ${result.score}/${result.maxScore}</h3>
<p class="meta">${result.missing ?? `${passed} of ${plural(result.checks.length, 'check')} passed · ${formatSeconds(result.durationMs)} · seed ${result.seed} · ${plural(result.launches, 'program start')}`}</p>
<ol class="checks">${result.checks.map(renderCheck)}</ol>
</article>`;
}

const BADGES: Record<CheckStatus, string> = { pass: '✔ PASS', fail: '✘ FAIL', skip: '○ SKIP', error: '‼ ERROR' };

function renderCheck(check: CheckResult): Html {
  const head = html`<div class="check-head"><span class="badge ${check.status}">${BADGES[check.status]}</span> <span class="title">${check.title}</span> <code>${check.id}</code>${check.hidden ? html` <span class="tag hidden-check">hidden</span>` : ''} <span class="points">${check.points}/${check.maxPoints}</span></div>`;
  if (check.status === 'pass') return html`<li class="check pass">${head}</li>`;
  const ran = check.status !== 'skip';
  return html`<li class="check ${check.status}">${head}
${check.message ? html`<p class="message">${check.message}</p>` : ''}
${check.details.length > 0 ? html`<pre class="details">${check.details.join('\n')}</pre>` : ''}
${check.hint ? html`<p class="hint"><strong>Hint:</strong> ${check.hint}</p>` : ''}
${ran && check.log.length > 0 ? section('What the grader did', html`<pre>${check.log.join('\n')}</pre>`) : ''}
${ran && check.transcript.length > 0 ? section('On the wire', html`<pre class="wire">${check.transcript.join('\n')}</pre>`) : ''}
${ran ? check.programs.map(renderProgram) : ''}
</li>`;
}

function section(title: string, body: Html): Html {
  return html`<div class="section"><h4>${title}</h4>${body}</div>`;
}

function renderProgram(program: ProgramReport): Html {
  return section(
    `Your program (${program.command}, PORT=${program.port}) ${program.exit}.`,
    html`${renderStream('stdout', program.stdout, program.stdoutDroppedBytes)}${renderStream('stderr', program.stderr, program.stderrDroppedBytes)}`,
  );
}

function renderStream(name: string, text: string, droppedBytes: number): Html {
  if (text === '' && droppedBytes === 0) return html`<p class="stream"><span class="stream-name">${name}:</span> <span class="nothing">(nothing)</span></p>`;
  const lines = tailLines(text, SHOWN_OUTPUT_LINES).map((line) => truncateText(line, SHOWN_LINE_CHARS));
  if (droppedBytes > 0) lines.push(truncationMarker(droppedBytes, 'bytes'));
  return html`<p class="stream"><span class="stream-name">${name}:</span></p><pre class="output">${lines.join('\n')}</pre>`;
}
