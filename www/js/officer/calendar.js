// The working calendar (role admin): a year of special days (GET /api/v1/calendar/days?year=),
// add or change one (PUT /api/v1/calendar/days/{yyyy-mm-dd} {kind, name}), remove one
// (DELETE). Open dossiers' due dates are recomputed in the background after each change.
// The working sessions of each weekday (GET/PUT /api/v1/calendar/sessions) are edited in
// the section below the list: the inputs are named as the API names its fields
// ("weekdays[2].sessions[0].end"), so a refusal is shown next to the time it is about.
// Dates are local calendar dates (Vietnam); the grid is computed in UTC to avoid any
// shift from the browser's own time zone.

import './strings.js';
import { h, mount } from '../dom.js';
import { t, formatDate, TIME_ZONE } from '../i18n.js';
import { loadingBox } from '../ui.js';
import { initOfficerPage } from './frame.js';
import { api } from './client.js';
import { waitForJob } from '../calendar-api.js';
import { field, openDialog, clearErrors, showProblem, checkRequired, busy, problemBox, badge } from './widgets.js';

const root = document.getElementById('calendar');
const KINDS = ['holiday', 'makeup_workday'];

let year = readYear();
let days = null;          // Map "yyyy-mm-dd" -> {date, kind, name}
let error = null;
let message = null;       // {kind, text}
let job = null;           // {id, status, changed, error}: the recompute the last change started
let jobWatch = null;      // AbortController of the poller
let week = null;          // GET /calendar/sessions: {default, weekdays: [{weekday, sessions}]}, Monday first
let weekError = null;
let draft = null;         // the week being edited: [{weekday, sessions: [{start, end}]}], Monday first
let weekNode = null;      // the section, kept across renders so that typing is never lost
const MAX_SESSIONS = 4;

function todayVN() {
  const p = {};
  for (const x of new Intl.DateTimeFormat('en-GB', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date())) p[x.type] = x.value;
  return `${p.year}-${p.month}-${p.day}`;
}

function readYear() {
  const y = parseInt(new URLSearchParams(window.location.search).get('year') || '', 10);
  return Number.isFinite(y) && y >= 2000 && y <= 2100 ? y : parseInt(todayVN().slice(0, 4), 10);
}

const pad = (n) => String(n).padStart(2, '0');
const iso = (y, m, d) => `${y}-${pad(m)}-${pad(d)}`;
const weekday = (y, m, d) => new Date(Date.UTC(y, m - 1, d)).getUTCDay();
const daysIn = (y, m) => new Date(Date.UTC(y, m, 0)).getUTCDate();

async function load() {
  days = null; error = null;
  render();
  try {
    const res = await api.get('/calendar/days', { year });
    days = new Map();
    for (const d of Array.isArray(res.items) ? res.items : []) if (d && d.date) days.set(String(d.date).slice(0, 10), d);
  } catch (e) {
    error = e;
  }
  render();
}

async function loadWeek() {
  weekError = null;
  try {
    week = await api.get('/calendar/sessions');
    draft = (week.weekdays || []).map((d) => ({ weekday: d.weekday, sessions: (d.sessions || []).map((x) => ({ start: x.start, end: x.end })) }));
  } catch (e) {
    weekError = e;
  }
  weekNode = null;
  render();
}

/** A weekday without sessions is a day off (shaded like a weekend); the default week until loaded. */
function isDayOff(wd) {
  const d = week && Array.isArray(week.weekdays) ? week.weekdays.find((x) => x.weekday === wd) : null;
  return d ? d.sessions.length === 0 : wd === 0 || wd === 6;
}

function setYear(y) {
  year = y;
  window.history.replaceState(null, '', window.location.pathname + '?year=' + y);
  message = null;
  load();
}

// ---- Rendering -----------------------------------------------------------------------------

function toolbar() {
  return h('div', { class: 'cal-toolbar card' },
    h('div', { class: 'cal-year-nav' },
      h('button', { type: 'button', class: 'btn btn-outline', id: 'cal-prev', 'aria-label': t('o.cal.prev'), on: { click: () => setYear(year - 1) } }, '‹ ', String(year - 1)),
      h('h2', { class: 'cal-year', id: 'cal-year', 'aria-live': 'polite' }, t('o.cal.year') + ' ' + year),
      h('button', { type: 'button', class: 'btn btn-outline', id: 'cal-next', 'aria-label': t('o.cal.next'), on: { click: () => setYear(year + 1) } }, String(year + 1), ' ›')),
    h('div', { class: 'cal-legend', 'aria-label': t('o.cal.legend'), role: 'group' },
      h('span', { class: 'legend-item' }, h('span', { class: 'legend-swatch sw-holiday', 'aria-hidden': 'true' }), t('o.cal.kind.holiday')),
      h('span', { class: 'legend-item' }, h('span', { class: 'legend-swatch sw-makeup', 'aria-hidden': 'true' }), t('o.cal.kind.makeup_workday')),
      h('span', { class: 'legend-item' }, h('span', { class: 'legend-swatch sw-weekend', 'aria-hidden': 'true' }), t('o.cal.weekend'))),
    h('button', { type: 'button', class: 'btn btn-accent', id: 'cal-add', on: { click: () => openDay(null) } }, '+ ', t('o.cal.add')));
}

function month(m, today) {
  const first = weekday(year, m, 1);           // 0 = Sunday
  const lead = (first + 6) % 7;                // Monday-first grid
  const n = daysIn(year, m);
  const cells = [];
  for (let i = 0; i < lead; i++) cells.push(h('span', { class: 'cal-cell cal-empty', 'aria-hidden': 'true' }));
  for (let d = 1; d <= n; d++) {
    const key = iso(year, m, d);
    const wd = weekday(year, m, d);
    const sp = days.get(key);
    const weekend = isDayOff(wd);
    const name = sp ? `${t('o.cal.kind.' + sp.kind)}: ${sp.name || ''}` : null;
    cells.push(h('button', {
      type: 'button',
      class: ['cal-cell', 'cal-day', weekend ? 'is-weekend' : null, sp ? 'is-' + (sp.kind === 'holiday' ? 'holiday' : 'makeup') : null, key === today ? 'is-today' : null],
      dataset: { date: key },
      title: name,
      'aria-label': `${formatDate(key)}, ${t('o.cal.wdl.' + wd)}${name ? ' – ' + name : ''}`,
      on: { click: () => openDay(key) },
      text: String(d),
    }));
  }
  return h('section', { class: 'cal-month', 'aria-labelledby': `cal-m-${m}` },
    h('h3', { class: 'cal-month-title', id: `cal-m-${m}`, text: t('o.cal.month', { m }) }),
    h('div', { class: 'cal-grid' },
      [1, 2, 3, 4, 5, 6, 0].map((wd) => h('span', { class: ['cal-cell', 'cal-wd', isDayOff(wd) ? 'is-weekend' : null], 'aria-hidden': 'true', text: t('o.cal.wd.' + wd) })),
      cells));
}

function list() {
  const rows = [...days.values()].sort((a, b) => String(a.date).localeCompare(String(b.date)));
  return h('section', { class: 'card cal-list', 'aria-labelledby': 'cal-list-title' },
    h('h2', { class: 'card-title', id: 'cal-list-title', text: t('o.cal.list', { y: year }) }),
    rows.length === 0 ? h('p', { class: 'muted', text: t('o.cal.empty') })
      : h('div', { class: 'table-wrap' }, h('table', { class: 'data-table cal-table', id: 'cal-table' },
        h('thead', null, h('tr', null, ['o.cal.col_date', 'o.cal.col_weekday', 'o.cal.col_kind', 'o.cal.col_name', 'o.cal.col_actions'].map((k) => h('th', { scope: 'col', text: t(k) })))),
        h('tbody', null, rows.map((d) => {
          const key = String(d.date).slice(0, 10);
          const [y, m, dd] = key.split('-').map(Number);
          return h('tr', { dataset: { date: key, kind: d.kind } },
            h('td', { class: 'nowrap', 'data-label': t('o.cal.col_date'), text: formatDate(key) }),
            h('td', { 'data-label': t('o.cal.col_weekday'), text: t('o.cal.wdl.' + weekday(y, m, dd)) }),
            h('td', { 'data-label': t('o.cal.col_kind') }, badge(t('o.cal.kind.' + d.kind), d.kind === 'holiday' ? 'danger' : 'success')),
            h('td', { 'data-label': t('o.cal.col_name'), text: d.name || '' }),
            h('td', { class: 'nowrap', 'data-label': t('o.cal.col_actions') },
              h('button', { type: 'button', class: 'btn btn-outline btn-sm', dataset: { edit: key }, on: { click: () => openDay(key) }, text: t('o.edit') }),
              ' ',
              h('button', { type: 'button', class: 'btn btn-outline-danger btn-sm', dataset: { remove: key }, on: { click: (ev) => removeDay(key, ev.currentTarget) }, text: t('o.delete') })));
        })))));
}

// ---- Working sessions of the week ---------------------------------------------------------

function hoursText(minutes) {
  const hh = Math.floor(minutes / 60), mm = minutes % 60;
  return mm ? t('o.cal.s_hm', { h: hh, m: mm }) : t('o.cal.s_hours', { h: hh });
}

function minutesOf(hhmm) {
  const m = /^(\d{2}):(\d{2})$/.exec(hhmm || '');
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

function dayMinutes(d) {
  return d.sessions.reduce((sum, x) => {
    const a = minutesOf(x.start), b = minutesOf(x.end);
    return a !== null && b !== null && b > a ? sum + b - a : sum;
  }, 0);
}

function sessionField(i, j, x) {
  const name = (k) => `weekdays[${i}].sessions[${j}].${k}`;
  const errId = `cal-s-${i}-${j}-error`;
  const input = (k) => h('input', {
    type: 'time', step: 60, name: name(k), value: x[k], class: 'cal-time',
    'aria-label': `${t('o.cal.wdl.' + draft[i].weekday)}, ${t('o.cal.s_session', { n: j + 1 })}: ${t('o.cal.s_' + k)}`,
    'aria-describedby': errId,
    on: { input: (ev) => { x[k] = ev.currentTarget.value; updateTotals(); } },
  });
  return h('div', { class: 'form-field cal-session', dataset: { session: `${i}.${j}` } },
    h('span', { class: 'cal-session-times' }, input('start'), h('span', { 'aria-hidden': 'true', text: '–' }), input('end'),
      h('button', {
        type: 'button', class: 'btn btn-outline btn-sm cal-session-remove', 'aria-label': t('o.cal.s_remove'), title: t('o.cal.s_remove'),
        on: { click: () => { draft[i].sessions.splice(j, 1); rebuildWeek(); } }, text: '×',
      })),
    h('span', { class: 'field-error', id: errId, 'aria-live': 'polite' }));
}

function updateTotals() {
  if (!weekNode) return;
  draft.forEach((d, i) => {
    const cell = weekNode.querySelector(`[data-total="${i}"]`);
    if (cell) cell.textContent = d.sessions.length ? hoursText(dayMinutes(d)) : t('o.cal.s_off');
  });
}

function weekSection() {
  if (weekNode) return weekNode;
  const form = h('form', { class: 'card cal-week', id: 'cal-week', novalidate: true, 'aria-labelledby': 'cal-week-title' },
    h('h2', { class: 'card-title', id: 'cal-week-title', text: t('o.cal.s_title') }),
    h('p', { class: 'muted cal-week-lead', text: t('o.cal.s_lead') }),
    week && week.default ? h('p', { class: 'muted', id: 'cal-week-default', text: t('o.cal.s_default') }) : null,
    h('div', { class: 'form-problem', 'aria-live': 'assertive' }),
    h('div', { class: 'table-wrap' }, h('table', { class: 'data-table cal-week-table', id: 'cal-week-table' },
      h('thead', null, h('tr', null, ['o.cal.col_weekday', 'o.cal.s_sessions', 'o.cal.s_total'].map((k) => h('th', { scope: 'col', text: t(k) })))),
      h('tbody', null, draft.map((d, i) => h('tr', { dataset: { weekday: d.weekday } },
        h('th', { scope: 'row', class: 'nowrap', text: t('o.cal.wdl.' + d.weekday) }),
        h('td', { 'data-label': t('o.cal.s_sessions') },
          h('div', { class: 'cal-day-sessions', dataset: { field: `weekdays[${i}].sessions` } },
            h('span', { class: 'field-error', 'aria-live': 'polite' }),
            d.sessions.map((x, j) => sessionField(i, j, x)),
            h('button', {
              type: 'button', class: 'btn btn-outline btn-sm cal-session-add', dataset: { add: d.weekday },
              disabled: d.sessions.length >= MAX_SESSIONS,
              on: { click: () => { d.sessions.push(nextSession(d)); rebuildWeek(); } },
              text: '+ ' + t('o.cal.s_add'),
            }))),
        h('td', { class: 'nowrap', 'data-label': t('o.cal.s_total'), dataset: { total: i } }, d.sessions.length ? hoursText(dayMinutes(d)) : t('o.cal.s_off'))))))),
    h('div', { class: 'form-actions cal-week-actions' },
      h('button', { type: 'button', class: 'btn btn-outline', id: 'cal-week-default-btn', on: { click: () => { draft = defaultWeek(); rebuildWeek(); } }, text: t('o.cal.s_reset') }),
      h('button', { type: 'submit', class: 'btn btn-primary', id: 'cal-week-save', text: t('o.cal.s_save') })));
  form.addEventListener('submit', (ev) => { ev.preventDefault(); saveWeek(form); });
  weekNode = form;
  return form;
}

/** A new session after the day's last one (or the morning one). */
function nextSession(d) {
  const last = d.sessions[d.sessions.length - 1];
  if (!last) return { start: '07:30', end: '11:30' };
  const from = Math.min(minutesOf(last.end) ?? 0, 23 * 60);
  const to = Math.min(from + 60, 23 * 60 + 59);
  const fmt = (m) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  return { start: fmt(from), end: fmt(to) };
}

function defaultWeek() {
  return [1, 2, 3, 4, 5, 6, 0].map((wd) => ({
    weekday: wd,
    sessions: wd === 0 || wd === 6 ? [] : [{ start: '07:30', end: '11:30' }, { start: '13:00', end: '17:00' }],
  }));
}

function rebuildWeek() {
  weekNode = null;
  render();
}

async function saveWeek(form) {
  clearErrors(form);
  const save = form.querySelector('#cal-week-save');
  await busy(save, null, async () => {
    try {
      const res = await api.put('/calendar/sessions', { weekdays: draft });
      followJob(res);
      message = { kind: 'success', text: res && res.job_id ? t('o.cal.s_saved') : t('o.cal.s_unchanged') };
      week = res;
      draft = (res.weekdays || []).map((d) => ({ weekday: d.weekday, sessions: (d.sessions || []).map((x) => ({ start: x.start, end: x.end })) }));
      weekNode = null;
      render();
    } catch (e) {
      showProblem(form, e);
    }
  });
}

function render() {
  const msg = message ? h('div', { class: ['notice', 'notice-' + message.kind], role: 'status', id: 'cal-message' }, h('p', { class: 'notice-title', text: message.text })) : null;
  const info = h('div', { class: 'notice notice-info cal-recompute', id: 'cal-recompute' },
    h('p', { text: t('o.cal.recompute') }),
    job ? h('p', { class: 'cal-job', id: 'cal-job', dataset: { status: job.status || '' } },
      job.status === 'finished' ? null : h('span', { class: 'spinner spinner-sm', 'aria-hidden': 'true' }),
      job.error ? t('o.cal.job_slow', { id: job.id })
        : job.status === 'finished' ? t('o.cal.job_done', { n: job.changed ?? 0 })
          : t('o.cal.job_running', { id: job.id })) : null);
  if (error) { mount(root, toolbar(), info, msg, problemBox(error, { id: 'cal-error' })); return; }
  if (!days) { mount(root, toolbar(), info, msg, loadingBox()); return; }
  const today = todayVN();
  const weekPart = weekError ? problemBox(weekError, { id: 'cal-week-error' }) : draft ? weekSection() : null;
  mount(root, toolbar(), info, msg,
    h('p', { class: 'muted cal-hint', text: t('o.cal.click_hint') }),
    h('div', { class: 'cal-year-grid', id: 'cal-year-grid' }, Array.from({ length: 12 }, (_, i) => month(i + 1, today))),
    list(), weekPart);
}

// ---- Changes -------------------------------------------------------------------------------

function openDay(key) {
  const existing = key ? days && days.get(key) : null;
  const form = h('form', { class: 'cal-form', id: 'cal-form', novalidate: true },
    h('div', { class: 'form-problem', 'aria-live': 'assertive' }),
    field({ label: t('o.cal.f_date'), name: 'date', type: 'date', required: true, value: key || `${year}-01-01`, attrs: { min: `${year - 1}-01-01`, max: `${year + 1}-12-31`, readonly: key ? true : null } }),
    field({
      label: t('o.cal.f_kind'), name: 'kind', type: 'select', required: true,
      value: existing ? existing.kind : (key && [0, 6].includes(weekday(...key.split('-').map(Number))) ? 'makeup_workday' : 'holiday'),
      options: KINDS.map((k) => h('option', { value: k, text: t('o.cal.kind.' + k) })),
    }),
    field({ label: t('o.cal.f_name'), name: 'name', required: true, value: existing ? existing.name : '', attrs: { maxlength: 127, autocomplete: 'off' } }));
  const save = h('button', { type: 'submit', class: 'btn btn-primary', id: 'cal-save', form: 'cal-form', text: t('o.save') });
  const del = existing ? h('button', {
    type: 'button', class: 'btn btn-outline-danger', id: 'cal-delete',
    on: { click: async (ev) => { await removeDay(key, ev.currentTarget, form); } }, text: t('o.delete'),
  }) : null;
  const dlg = openDialog({
    title: key ? t('o.cal.edit_title', { d: formatDate(key) }) : t('o.cal.add_title'),
    body: form, id: 'cal-dialog',
    footer: [del, h('span', { class: 'foot-spacer' }), h('button', { type: 'button', class: 'btn btn-outline', on: { click: () => dlg.close() }, text: t('o.cancel') }), save],
  });
  currentDialog = dlg;
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    if (!checkRequired(form)) return;
    const date = form.elements.namedItem('date').value;
    const body = { kind: form.elements.namedItem('kind').value, name: form.elements.namedItem('name').value.trim() };
    await busy(save, null, async () => {
      try {
        const res = await api.put('/calendar/days/' + date, body);
        dlg.close();
        followJob(res);
        message = { kind: 'success', text: t('o.cal.saved', { d: formatDate(date) }) };
        if (date.slice(0, 4) !== String(year)) setYear(parseInt(date.slice(0, 4), 10));
        else await reloadKeepMessage();
      } catch (e) {
        showProblem(form, e);
      }
    });
  });
}

let currentDialog = null;

/** Follow the recompute job a change started (PUT/DELETE answer {job_id}). */
function followJob(res) {
  const id = res && res.job_id;
  if (jobWatch) jobWatch.abort();
  if (!id) { job = null; return; }
  job = { id, status: 'pending' };
  jobWatch = new AbortController();
  waitForJob(id, (jid) => api.get('/calendar/jobs/' + jid), {
    signal: jobWatch.signal,
    onProgress(j) { if (j) { job = { ...j, id }; render(); } },
  }).catch((e) => {
    if (e && e.name === 'AbortError') return;
    job = { ...(job || {}), id, error: true };
    render();
  });
}

async function reloadKeepMessage() {
  await load();     // load() keeps `message`; only a change of year clears it
}

async function removeDay(key, btn, form) {
  // A second click on the same button within the dialog confirms; from the table, the
  // dialog itself is the confirmation step.
  if (!form) { openDay(key); return; }
  if (btn.dataset.confirm !== 'yes') {
    btn.dataset.confirm = 'yes';
    btn.textContent = t('o.cal.confirm_delete', { d: formatDate(key) });
    return;
  }
  await busy(btn, null, async () => {
    try {
      const res = await api.del('/calendar/days/' + key);
      if (currentDialog) currentDialog.close();
      followJob(res);
      message = { kind: 'success', text: t('o.cal.deleted', { d: formatDate(key) }) };
      await reloadKeepMessage();
    } catch (e) {
      showProblem(form, e);
    }
  });
}

async function main() {
  const session = await initOfficerPage({ page: 'calendar', title: 'o.cal.title', roles: ['admin'] });
  if (!session) return;
  document.addEventListener('langchange', () => { weekNode = null; render(); });
  await Promise.all([load(), loadWeek()]);
}

main();
