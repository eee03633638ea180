import { Html } from './html-text.ts';

/** The HTML report's styles: light and dark from the reader's setting, and a print layout without the controls. */
export const HTML_STYLE = new Html(`
:root {
  color-scheme: light dark;
  --bg: #ffffff; --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --panel: #f6f8fa;
  --pass: #1a7f37; --fail: #cf222e; --skip: #9a6700; --error: #8250df; --accent: #0969da;
  --bar: #0969da; --track: #e6eaef;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0d1117; --fg: #e6edf3; --muted: #9198a1; --line: #3d444d; --panel: #151b23;
    --pass: #3fb950; --fail: #f85149; --skip: #d29922; --error: #ab7df8; --accent: #4493f8;
    --bar: #4493f8; --track: #262c36;
  }
}
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1200px; padding: 1rem 1.5rem 3rem; background: var(--bg); color: var(--fg);
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
h1 { font-size: 1.5rem; margin: .5rem 0 .25rem; overflow-wrap: anywhere; }
h2 { font-size: 1.2rem; border-bottom: 1px solid var(--line); padding-bottom: .3rem; margin-top: 2rem; }
h3 { font-size: 1rem; margin: 1.25rem 0 .5rem; }
h4 { font-size: .9rem; margin: .6rem 0 .2rem; font-weight: 600; overflow-wrap: anywhere; }
code, pre { font: 13px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
pre { margin: .2rem 0; padding: .5rem .7rem; background: var(--panel); border: 1px solid var(--line); border-radius: 6px;
  white-space: pre-wrap; overflow-wrap: anywhere; max-height: 30rem; overflow: auto; }
.meta { color: var(--muted); margin: .2rem 0; }
.audience { display: inline-block; padding: .25rem .6rem; border-radius: 6px; border: 1px solid var(--line); background: var(--panel); }
.audience.instructor { border-color: var(--skip); }
.ctl { color: var(--error); border: 1px dotted currentColor; border-radius: 3px; padding: 0 1px; }
button { font: inherit; color: inherit; cursor: pointer; }
.counts { display: flex; flex-wrap: wrap; gap: .75rem; margin: 0; }
.count { min-width: 9rem; padding: .5rem .8rem; border: 1px solid var(--line); border-radius: 8px; background: var(--panel); }
.count dt { color: var(--muted); font-size: .85rem; }
.count dd { margin: 0; font-size: 1.4rem; font-weight: 600; }
.count.warn dd { color: var(--skip); }
.count.bad dd { color: var(--fail); }
.histograms { display: grid; grid-template-columns: repeat(auto-fill, minmax(17rem, 1fr)); gap: 1rem; margin-top: 1rem; }
.histogram { min-width: 0; margin: 0; padding: .6rem .8rem; border: 1px solid var(--line); border-radius: 8px; }
.histogram figcaption { font-size: .85rem; color: var(--muted); margin-bottom: .4rem; overflow-wrap: anywhere; }
.histogram figcaption strong { color: var(--fg); }
/* Every bin is a tenth of the card, whatever its range reads; the count sits above the bar, inside the bin. */
.bins { display: grid; grid-template-columns: repeat(10, minmax(0, 1fr)); gap: 3px; height: 8rem; border-bottom: 1px solid var(--line); }
.bin { display: flex; flex-direction: column; justify-content: flex-end; min-width: 0; height: 100%; text-align: center; }
.bin .n { flex: none; height: 1rem; line-height: 1rem; font-size: .7rem; color: var(--muted); white-space: nowrap; }
.bin .bar { flex: none; display: block; height: calc((100% - 1rem) * var(--height)); min-height: 1px; background: var(--bar); border-radius: 2px 2px 0 0; }
.axis { position: relative; height: 1.1rem; font-size: .65rem; color: var(--muted); }
.axis span { position: absolute; top: .1rem; transform: translateX(-50%); white-space: nowrap; }
.axis span:first-child { transform: none; }
.axis span:last-child { transform: translateX(-100%); }
.rates { list-style: none; padding: 0; margin: 0; display: grid; gap: 2px; }
.rate { display: grid; grid-template-columns: minmax(10rem, 2fr) 3fr 9rem; gap: .75rem; align-items: center; width: 100%;
  padding: .2rem .4rem; border: 0; border-radius: 4px; background: none; text-align: left; }
.rate:hover, .rate:focus-visible { background: var(--panel); }
.rate .name { overflow-wrap: anywhere; }
/* An id moves to the next line whole, and breaks only when it is wider than the column. */
.rate .name code { display: inline-block; max-width: 100%; color: var(--muted); font-size: .8rem; }
.rate .track { height: .8rem; background: var(--track); border-radius: 4px; overflow: hidden; }
.rate .fill { display: block; height: 100%; background: var(--pass); }
.rate .value { font-variant-numeric: tabular-nums; color: var(--muted); text-align: right; }
.rate .not-run { display: block; font-size: .75rem; }
.controls { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: center; margin-bottom: .75rem; }
/* A select is as wide as its longest option (a check's title): in a narrow window it shrinks to fit. */
.controls label { display: flex; align-items: center; gap: .3rem; min-width: 0; max-width: 100%; }
.controls select, .controls input { font: inherit; color: inherit; background: var(--bg); border: 1px solid var(--line); border-radius: 6px; padding: .2rem .4rem; min-width: 0; max-width: 100%; }
.controls button { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: .2rem .6rem; }
#shown { color: var(--muted); }
table { width: 100%; border-collapse: collapse; }
thead th { position: sticky; top: 0; background: var(--bg); text-align: left; border-bottom: 2px solid var(--line); padding: .35rem .5rem; white-space: nowrap; }
thead th button { border: 0; background: none; font-weight: 600; padding: 0; }
thead th[aria-sort="ascending"] button::after { content: " ▲"; }
thead th[aria-sort="descending"] button::after { content: " ▼"; }
tbody.student { content-visibility: auto; contain-intrinsic-size: auto 2.2rem; }
tbody.student > tr.summary > * { border-bottom: 1px solid var(--line); padding: .3rem .5rem; vertical-align: top; }
tbody.student:hover > tr.summary { background: var(--panel); }
th[scope="row"] { text-align: left; font-weight: normal; }
.expand { border: 0; background: none; padding: 0; color: var(--accent); text-align: left; overflow-wrap: anywhere; }
.expand::before { content: "▸ "; color: var(--muted); }
.expand[aria-expanded="true"]::before { content: "▾ "; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.failed { font-size: .85rem; }
.tag { display: inline-block; padding: 0 .35rem; margin: 1px 0; border-radius: 4px; border: 1px solid currentColor; font-size: .8rem; overflow-wrap: anywhere; }
.tag.fail { color: var(--fail); } .tag.skip { color: var(--skip); } .tag.error { color: var(--error); }
.tag.missing { color: var(--skip); } .tag.hidden-check { color: var(--muted); }
.all-passed { color: var(--pass); }
tr.detail > td { padding: .25rem .5rem 1rem 1.5rem; border-bottom: 1px solid var(--line); }
.submission h3 { margin-top: .5rem; }
.verdict { font-size: .8rem; padding: 0 .4rem; border-radius: 4px; color: var(--bg); }
.verdict.pass { background: var(--pass); } .verdict.fail { background: var(--fail); }
.checks { list-style: none; padding: 0; margin: 0; }
.check { padding: .3rem 0 .3rem .6rem; border-left: 3px solid var(--line); margin: .3rem 0; }
.check.fail { border-left-color: var(--fail); } .check.skip { border-left-color: var(--skip); }
.check.error { border-left-color: var(--error); } .check.pass { border-left-color: var(--pass); }
.check-head { overflow-wrap: anywhere; }
.check-head code, .points { color: var(--muted); font-size: .85rem; }
.badge { font-weight: 700; font-size: .85rem; white-space: nowrap; }
.badge.pass { color: var(--pass); } .badge.fail { color: var(--fail); } .badge.skip { color: var(--skip); } .badge.error { color: var(--error); }
.message { margin: .25rem 0; white-space: pre-wrap; overflow-wrap: anywhere; }
.hint { margin: .25rem 0; white-space: pre-wrap; overflow-wrap: anywhere; }
.hint strong { color: var(--accent); }
.stream { margin: .2rem 0 0; }
.stream-name { font-weight: 600; font-size: .85rem; }
.nothing { color: var(--muted); }
@media (max-width: 640px) {
  body { padding: .5rem; }
  .rate { grid-template-columns: 1fr 8rem; }
  .rate .track { grid-column: 1 / -1; grid-row: 2; }
}
@media print {
  :root { color-scheme: light; --bg: #fff; --fg: #000; --muted: #444; --line: #bbb; --panel: #fff; --track: #eee; }
  * { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
  body { max-width: none; padding: 0; font-size: 11pt; }
  .controls, #none { display: none !important; }
  thead th { position: static; }
  tbody.student { content-visibility: visible; break-inside: avoid; }
  .expand { color: inherit; }
  .expand::before { content: none; }
  pre { max-height: none; overflow: visible; }
  .histogram, .count { break-inside: avoid; }
}
`);
