import { Html } from './html-text.ts';

/**
 * The HTML report's script: sort the students, filter them by a check they did not pass or by
 * name, and open a row onto its report. It builds nothing from the data (every student byte is
 * already escaped text in the page); it only shows, hides and moves rows, so a class of 500
 * students stays quick. Plain ES2020 in a string: the page runs it as written.
 */
export const HTML_SCRIPT = new Html(`
(() => {
  'use strict';
  const table = document.getElementById('students');
  const groups = Array.from(table.tBodies);
  const filter = document.getElementById('filter');
  const search = document.getElementById('search');
  const shown = document.getElementById('shown');
  const none = document.getElementById('none');
  const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
  const plural = (n) => n + (n === 1 ? ' student' : ' students');

  function apply() {
    const key = filter.value;
    const text = search.value.trim().toLowerCase();
    let count = 0;
    for (const group of groups) {
      const keys = group.dataset.keys ? group.dataset.keys.split(' ') : [];
      const visible = (key === '' || keys.includes(key)) && (text === '' || group.dataset.name.toLowerCase().includes(text));
      group.hidden = !visible;
      if (visible) count++;
    }
    shown.textContent = count === groups.length ? plural(count) : count + ' of ' + plural(groups.length);
    none.hidden = count > 0;
  }

  const byName = (a, b) => collator.compare(a.dataset.name, b.dataset.name);
  const byScore = (a, b) => Number(a.dataset.score) - Number(b.dataset.score) || byName(a, b);
  function sortBy(header, direction) {
    const compare = header.querySelector('button').dataset.sort === 'score' ? byScore : byName;
    const sign = direction === 'ascending' ? 1 : -1;
    for (const th of table.tHead.querySelectorAll('th[aria-sort]')) th.setAttribute('aria-sort', 'none');
    header.setAttribute('aria-sort', direction);
    table.append(...groups.slice().sort((a, b) => sign * compare(a, b)));
  }
  table.tHead.addEventListener('click', (event) => {
    const button = event.target.closest('button[data-sort]');
    if (!button) return;
    const header = button.closest('th');
    const current = header.getAttribute('aria-sort');
    // Names read A to Z first; scores lowest first, to see who needs help.
    sortBy(header, current === 'ascending' ? 'descending' : 'ascending');
  });

  function setOpen(button, open) {
    const detail = document.getElementById(button.getAttribute('aria-controls'));
    const waiting = open && detail.querySelector('template');
    if (waiting) waiting.replaceWith(waiting.content);
    button.setAttribute('aria-expanded', String(open));
    detail.hidden = !open;
  }
  table.addEventListener('click', (event) => {
    const button = event.target.closest('button.expand');
    if (button) setOpen(button, button.getAttribute('aria-expanded') !== 'true');
  });
  const everyRow = (open) => () => {
    for (const group of groups) if (!group.hidden) setOpen(group.querySelector('button.expand'), open);
  };
  document.getElementById('expand-all').addEventListener('click', everyRow(true));
  document.getElementById('collapse-all').addEventListener('click', everyRow(false));

  for (const button of document.querySelectorAll('button[data-filter]')) {
    button.addEventListener('click', () => {
      filter.value = button.dataset.filter;
      apply();
      document.getElementById('students-section').scrollIntoView();
    });
  }
  filter.addEventListener('change', apply);
  search.addEventListener('input', apply);
  apply();
})();
`);
