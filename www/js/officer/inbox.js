// The inbox (hộp hồ sơ): GET /api/v1/dossiers with the filters kept in the URL
// (?state=&step=&procedure=&channel=&urgency=&page=). Rows stay in the order the API
// gives (most urgent first).

import './strings.js';
import { h, mount, clear } from '../dom.js';
import { t, label, formatDateTime, formatNumber } from '../i18n.js';
import { loadingBox, emptyBox } from '../ui.js';
import { initOfficerPage } from './frame.js';
import { api } from './client.js';
import { urgencyBadge, stateBadge, channelText, problemBox, pager } from './widgets.js';

const PARAMS = ['state', 'step', 'procedure', 'channel', 'urgency', 'page'];
const PER_PAGE = 20;
const MAX_STEPS = 8;

const form = document.getElementById('inbox-filters');
const els = {
  state: document.getElementById('f-state'),
  step: document.getElementById('f-step'),
  procedure: document.getElementById('f-procedure'),
  channel: document.getElementById('f-channel'),
  urgency: document.getElementById('f-urgency'),
};

let state = readUrl();
let result = null;
let error = null;
let loading = false;
let controller = null;

function readUrl() {
  const sp = new URLSearchParams(window.location.search);
  const s = {};
  for (const k of PARAMS) s[k] = (sp.get(k) || '').trim();
  const p = parseInt(s.page, 10);
  s.page = Number.isFinite(p) && p > 0 ? p : 1;
  return s;
}

function toQuery(s) {
  const sp = new URLSearchParams();
  for (const k of PARAMS) {
    const v = s[k];
    if (k === 'page' ? v > 1 : v) sp.set(k, String(v));
  }
  const q = sp.toString();
  return q ? '?' + q : '';
}

function fillSteps() {
  const first = els.step.options[0];
  clear(els.step);
  els.step.appendChild(first);
  for (let i = 1; i <= MAX_STEPS; i++) els.step.appendChild(h('option', { value: String(i), text: t('o.inbox.step_n', { n: i }) }));
}

function writeForm() {
  for (const k of ['state', 'step', 'channel', 'urgency']) {
    const sel = els[k];
    if (state[k] && ![...sel.options].some((o) => o.value === state[k])) sel.appendChild(h('option', { value: state[k], text: state[k] }));
    sel.value = state[k];
  }
  els.procedure.value = state.procedure;
}

function readForm() {
  return {
    state: els.state.value, step: els.step.value, procedure: els.procedure.value.trim(),
    channel: els.channel.value, urgency: els.urgency.value, page: 1,
  };
}

function navigate(next, { push = true } = {}) {
  state = next;
  const url = window.location.pathname + toQuery(state);
  if (push) window.history.pushState(null, '', url);
  else window.history.replaceState(null, '', url);
  writeForm();
  load();
}

async function load() {
  if (controller) controller.abort();
  controller = new AbortController();
  loading = true; error = null;
  render();
  try {
    result = await api.get('/dossiers', {
      state: state.state, step: state.step, procedure: state.procedure, channel: state.channel,
      urgency: state.urgency, page: state.page, per_page: PER_PAGE,
    }, { signal: controller.signal });
  } catch (e) {
    if (e && e.name === 'AbortError') return;
    error = e; result = null;
  }
  loading = false;
  render();
}

function dossierHref(code) { return 'ho-so.html?code=' + encodeURIComponent(code); }

function stepCell(d) {
  const s = d.current_step;
  return [
    h('span', { class: 'cell-state' }, stateBadge(d.state)),
    s ? h('span', { class: 'step-name' }, h('span', { class: 'step-seq', 'aria-hidden': 'true', text: String(s.seq) }),
      h('span', { class: 'step-text' }, h('span', { class: 'visually-hidden', text: t('o.inbox.step_n', { n: s.seq }) + ': ' }), s.name || '')) : null,
    s && s.role ? h('span', { class: 'cell-sub', text: label('role', s.role) + (d.assignee ? ' · ' + t('o.inbox.assignee', { u: d.assignee }) : '') }) : null,
  ];
}

function dueCell(d) {
  return [
    h('span', { class: 'cell-sub nowrap', text: t('o.inbox.received', { d: d.received_at ? formatDateTime(d.received_at) : '—' }) }),
    d.step_due_at ? h('span', { class: 'due-step', text: t('o.inbox.step_due', { d: formatDateTime(d.step_due_at) }) }) : null,
    d.due_at ? h('span', { class: 'cell-sub nowrap', text: t('o.inbox.due', { d: formatDateTime(d.due_at) }) }) : null,
  ];
}

function renderTable(items, offset) {
  const cols = ['o.inbox.col_no', 'o.inbox.col_code', 'o.inbox.col_procedure', 'o.inbox.col_state', 'o.inbox.col_due', 'o.inbox.col_urgency'];
  return h('div', { class: 'table-wrap' },
    h('table', { class: 'data-table inbox-table' },
      h('thead', null, h('tr', null, cols.map((k) => h('th', { scope: 'col', text: t(k) })))),
      h('tbody', null, items.map((d, i) => h('tr', {
        class: ['inbox-row', 'row-urgency-' + (d.urgency || 'none')],
        dataset: { code: d.code, urgency: d.urgency || 'none', version: String(d.version ?? '') },
      },
      h('td', { class: 'col-no', 'data-label': t('o.inbox.col_no'), text: formatNumber(offset + i + 1) }),
      h('td', { class: 'col-dossier', 'data-label': t('o.inbox.col_code') },
        h('a', { class: 'dossier-link code', href: dossierHref(d.code), text: d.code }),
        h('span', { class: 'applicant', text: d.applicant_name || '' }),
        h('span', { class: 'cell-sub', text: channelText(d.channel) })),
      h('td', { class: 'col-proc', 'data-label': t('o.inbox.col_procedure') },
        h('span', { class: 'proc-name', title: d.procedure ? d.procedure.name : null, text: d.procedure ? d.procedure.name : '' }),
        d.procedure ? h('span', { class: 'cell-sub code-sub', text: d.procedure.code }) : null),
      h('td', { class: 'col-step', 'data-label': t('o.inbox.col_state') }, stepCell(d)),
      h('td', { class: 'col-due', 'data-label': t('o.inbox.col_due') }, dueCell(d)),
      h('td', { class: 'col-urgency', 'data-label': t('o.inbox.col_urgency') }, urgencyBadge(d.urgency || 'none')),
      )))));
}

function render() {
  const box = document.getElementById('results');
  const pg = document.getElementById('pager');
  const title = document.getElementById('results-title');
  if (error) { title.textContent = ''; mount(box, problemBox(error)); clear(pg); return; }
  if (!result) { title.textContent = ''; mount(box, loadingBox()); clear(pg); return; }
  box.classList.toggle('is-loading', loading);
  const items = Array.isArray(result.items) ? result.items : [];
  const total = Number(result.total) || 0;
  const perPage = Number(result.per_page) || PER_PAGE;
  const page = Number(result.page) || state.page;
  title.textContent = t('o.inbox.count', { n: formatNumber(total) });
  if (items.length === 0) { mount(box, emptyBox(t('o.inbox.empty'))); clear(pg); return; }
  const offset = (page - 1) * perPage;
  mount(box,
    h('p', { class: 'muted results-range', text: t('o.inbox.range', { from: formatNumber(offset + 1), to: formatNumber(offset + items.length), n: formatNumber(total) }) }),
    renderTable(items, offset));
  mount(pg, pager(total, perPage, page,
    (p) => window.location.pathname + toQuery({ ...state, page: p }),
    (p) => { navigate({ ...state, page: p }); title.scrollIntoView({ block: 'start' }); }));
}

async function main() {
  const session = await initOfficerPage({ page: 'inbox', title: 'o.inbox.title' });
  if (!session) return;
  form.hidden = false;
  fillSteps();
  writeForm();
  form.addEventListener('submit', (ev) => { ev.preventDefault(); navigate(readForm()); });
  for (const k of ['state', 'step', 'channel', 'urgency']) els[k].addEventListener('change', () => navigate(readForm()));
  document.getElementById('f-reset').addEventListener('click', (ev) => {
    ev.preventDefault();
    navigate({ state: '', step: '', procedure: '', channel: '', urgency: '', page: 1 });
  });
  window.addEventListener('popstate', () => { state = readUrl(); writeForm(); load(); });
  document.addEventListener('langchange', () => { const v = els.step.value; fillSteps(); els.step.value = v; render(); });
  load();
}

main();
