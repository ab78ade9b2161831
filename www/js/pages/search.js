// Search results: query and filters live in the URL (?q=&field=&level=&unit=&service_level=&page=).

import { getJSON } from '../api.js';
import { h, mount, clear } from '../dom.js';
import { t, label, formatNumber, formatDuration } from '../i18n.js';
import { initLayout, onLang } from '../layout.js';
import { loadingBox, errorBox, emptyBox, serviceLevelBadge } from '../ui.js';

const PARAMS = ['q', 'field', 'level', 'unit', 'service_level', 'page'];
const PER_PAGE = 20;

const form = document.getElementById('search-form');
const els = {
  q: document.getElementById('f-q'),
  field: document.getElementById('f-field'),
  level: document.getElementById('f-level'),
  unit: document.getElementById('f-unit'),
  service_level: document.getElementById('f-service-level'),
};

let state = readUrl();
let result = null;   // last API answer
let error = null;
let loading = false;
let fields = [];
let units = [];
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

function writeForm() {
  els.q.value = state.q;
  for (const k of ['field', 'level', 'unit', 'service_level']) {
    const sel = els[k];
    // Keep a value from the URL even if the list has not loaded (or lacks it).
    if (state[k] && ![...sel.options].some((o) => o.value === state[k])) {
      sel.appendChild(h('option', { value: state[k], text: state[k] }));
    }
    sel.value = state[k];
  }
}

function readForm() {
  return {
    q: els.q.value.trim(),
    field: els.field.value,
    level: els.level.value,
    unit: els.unit.value,
    service_level: els.service_level.value,
    page: 1,
  };
}

function navigate(next, { push = true } = {}) {
  state = next;
  const url = window.location.pathname + toQuery(state);
  if (push) window.history.pushState(null, '', url);
  else window.history.replaceState(null, '', url);
  writeForm();
  search();
}

function fillSelect(sel, items, keepValue) {
  const first = sel.options[0];
  clear(sel);
  sel.appendChild(first);
  for (const it of items) sel.appendChild(it);
  sel.value = keepValue;
}

function renderSelects() {
  fillSelect(els.field, fields.map((f) => h('option', { value: f.code, text: f.name })), state.field);
  fillSelect(els.unit, units.map((u) => h('option', {
    value: u.code,
    // Indent by depth with non-breaking spaces; the tree shape reads as in the admin tree.
    text: '\u00a0\u00a0\u00a0'.repeat(Math.max(0, Number(u.depth) || 0)) + (u.name || u.short_name || u.code),
  })), state.unit);
  writeForm();
}

async function loadLists() {
  const [f, u] = await Promise.allSettled([getJSON('/fields'), getJSON('/units')]);
  if (f.status === 'fulfilled' && Array.isArray(f.value.items)) fields = f.value.items;
  if (u.status === 'fulfilled' && Array.isArray(u.value.items)) units = u.value.items;
  renderSelects();
}

async function search() {
  if (controller) controller.abort();
  controller = new AbortController();
  loading = true; error = null;
  render();
  try {
    const data = await getJSON('/procedures', {
      q: state.q, field: state.field, level: state.level, unit: state.unit,
      service_level: state.service_level, page: state.page, per_page: PER_PAGE,
    }, { signal: controller.signal });
    result = data;
    error = null;
  } catch (e) {
    if (e && e.name === 'AbortError') return;
    error = e; result = null;
  }
  loading = false;
  render();
}

function detailHref(code) {
  return 'thu-tuc-chi-tiet.html?code=' + encodeURIComponent(code);
}

function levelsText(levels) {
  return (Array.isArray(levels) ? levels : []).map((l) => label('level', l)).join(', ');
}

function renderTable(items, offset) {
  const head = ['search.col_no', 'search.col_code', 'search.col_name', 'search.col_field', 'search.col_level', 'search.col_service_level', 'search.col_time'];
  return h('div', { class: 'table-wrap' },
    h('table', { class: 'data-table results-table' },
      h('thead', null, h('tr', null, head.map((k) => h('th', { scope: 'col', text: t(k) })))),
      h('tbody', null, items.map((p, i) => h('tr', null,
        h('td', { class: 'col-no', 'data-label': t('search.col_no'), text: formatNumber(offset + i + 1) }),
        h('td', { class: 'col-code', 'data-label': t('search.col_code') }, h('span', { class: 'code', text: p.code })),
        h('td', { class: 'col-name', 'data-label': t('search.col_name') },
          h('a', { href: detailHref(p.code), class: 'proc-link', text: p.name }),
          p.agency ? h('span', { class: 'proc-agency', text: p.agency }) : null),
        h('td', { 'data-label': t('search.col_field'), text: p.field ? p.field.name : '' }),
        h('td', { 'data-label': t('search.col_level'), text: levelsText(p.levels) }),
        h('td', { 'data-label': t('search.col_service_level') }, serviceLevelBadge(p.service_level)),
        h('td', { class: 'col-time', 'data-label': t('search.col_time'), text: formatDuration(p.processing_time, p.time_unit) }),
      )))));
}

function pageList(cur, last) {
  const pages = new Set([1, last, cur - 2, cur - 1, cur, cur + 1, cur + 2]);
  const sorted = [...pages].filter((p) => p >= 1 && p <= last).sort((a, b) => a - b);
  const out = [];
  let prev = 0;
  for (const p of sorted) {
    if (p - prev > 1) out.push(null);
    out.push(p);
    prev = p;
  }
  return out;
}

function pageLink(p, text, { rel, current, disabled } = {}) {
  if (disabled) return h('span', { class: 'page-link disabled', 'aria-disabled': 'true', text });
  const href = window.location.pathname + toQuery({ ...state, page: p });
  return h('a', {
    class: ['page-link', current ? 'current' : null],
    href, rel, 'aria-current': current ? 'page' : null,
    'aria-label': current || !/^\d/.test(text) ? null : t('search.page_n', { n: p }),
    dataset: { page: String(p) },
    on: { click: (ev) => { ev.preventDefault(); navigate({ ...state, page: p }); document.getElementById('results-title').scrollIntoView({ block: 'start' }); } },
    text,
  });
}

function renderPager(total, perPage, page) {
  const last = Math.max(1, Math.ceil(total / perPage));
  if (last <= 1) return null;
  return h('nav', { class: 'pager', 'aria-label': t('search.pagination') },
    h('ul', null,
      h('li', null, pageLink(page - 1, '‹ ' + t('search.prev'), { rel: 'prev', disabled: page <= 1 })),
      pageList(page, last).map((p) => h('li', null, p === null
        ? h('span', { class: 'page-gap', 'aria-hidden': 'true', text: '…' })
        : pageLink(p, formatNumber(p), { current: p === page }))),
      h('li', null, pageLink(page + 1, t('search.next') + ' ›', { rel: 'next', disabled: page >= last }))));
}

function render() {
  const box = document.getElementById('results');
  const pager = document.getElementById('pager');
  const title = document.getElementById('results-title');
  if (error) { title.textContent = ''; mount(box, errorBox(error)); clear(pager); return; }
  if (!result) { title.textContent = ''; mount(box, loadingBox()); clear(pager); return; }
  box.classList.toggle('is-loading', loading);
  const items = Array.isArray(result.items) ? result.items : [];
  const total = Number(result.total) || 0;
  const perPage = Number(result.per_page) || PER_PAGE;
  const page = Number(result.page) || state.page;
  title.textContent = t('search.result_count', { n: formatNumber(total) });
  if (items.length === 0) { mount(box, emptyBox(t('search.empty'))); clear(pager); return; }
  const offset = (page - 1) * perPage;
  mount(box,
    h('p', { class: 'muted results-range', text: t('search.result_range', { from: formatNumber(offset + 1), to: formatNumber(offset + items.length), n: formatNumber(total) }) }),
    renderTable(items, offset));
  mount(pager, renderPager(total, perPage, page));
}

// ---- wiring ----------------------------------------------------------------

initLayout({ page: 'procedures', title: 'search.title' });
writeForm();

form.addEventListener('submit', (ev) => {
  ev.preventDefault();
  navigate(readForm());
});
for (const k of ['field', 'level', 'unit', 'service_level']) {
  els[k].addEventListener('change', () => navigate(readForm()));
}
document.getElementById('f-reset').addEventListener('click', (ev) => {
  ev.preventDefault();
  navigate({ q: '', field: '', level: '', unit: '', service_level: '', page: 1 });
  els.q.focus();
});
window.addEventListener('popstate', () => { state = readUrl(); writeForm(); search(); });
onLang(() => { renderSelects(); render(); });

loadLists();
search();
