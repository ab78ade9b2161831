// Late attribution and the modernisation figures (phan-tich.html): GET /api/v1/reports/late
// (the late steps counted by unit and by officer, and the late dossiers page by page, each
// with the steps that lost the time) and GET /api/v1/reports/modernisation (digital
// signatures, the public postal service, digitized dossiers, online submissions per
// procedure), for a unit of the officer's subtree and a period. The bars are <meter>
// elements styled in css/analysis.css (no inline style under the strict CSP). Unit, period
// and page are kept in the URL.

import './strings.js';
import { h, mount } from '../dom.js';
import { t, addStrings, formatNumber, formatDate, formatDateTime } from '../i18n.js';
import { loadingBox, emptyBox } from '../ui.js';
import { initOfficerPage } from './frame.js';
import { api } from './client.js';
import { problemBox, pager } from './widgets.js';
import { periodControls, periodFromUrl, periodToUrl, periodRange, todayVN, subtreeUnits, unitSelect } from './report-period.js';

addStrings({
  'an.title': ['Trễ hạn và hiện đại hóa', 'Lateness and modernisation'],
  'an.lead': ['Hồ sơ trễ hạn ở bước nào, đơn vị nào, cán bộ nào; chữ ký số, bưu chính công ích, số hóa và nộp trực tuyến của các đơn vị thuộc phạm vi của bạn.', 'Which step, unit and officer late dossiers lost their time at; digital signatures, the postal service, digitization and online submission across your units.'],
  'an.late': ['Trễ hạn do đâu', 'Where the time was lost'],
  'an.late_lead': ['Một bước bị tính trễ khi hoàn thành sau hạn của chính bước đó; bước được tính cho đơn vị và cán bộ giữ hồ sơ ở bước đó.', 'A step is late when it finished after its own due time; it counts against the unit and officer who held the dossier at that step.'],
  'an.late_total': ['{n} hồ sơ trễ hạn trong kỳ', '{n} late dossiers in the period'],
  'an.by_unit': ['Bước trễ hạn theo đơn vị', 'Late steps by unit'],
  'an.by_officer': ['Bước trễ hạn theo cán bộ', 'Late steps by officer'],
  'an.col_no': ['STT', 'No.'],
  'an.col_unit': ['Đơn vị', 'Unit'],
  'an.col_officer': ['Cán bộ', 'Officer'],
  'an.col_steps': ['Số bước trễ', 'Late steps'],
  'an.show_all': ['Xem tất cả ({n})', 'Show all ({n})'],
  'an.show_top': ['Thu gọn', 'Show fewer'],
  'an.none': ['Không có bước xử lý trễ hạn trong kỳ.', 'No late steps in the period.'],
  'an.list': ['Danh sách hồ sơ trễ hạn', 'Late dossiers'],
  'an.col_dossier': ['Hồ sơ', 'Dossier'],
  'an.col_step': ['Bước xử lý', 'Step'],
  'an.col_due': ['Hạn bước', 'Step due'],
  'an.col_done': ['Hoàn thành', 'Done'],
  'an.col_late_by': ['Trễ', 'Late by'],
  'an.late_by_hint': ['Chênh lệch giữa lúc hoàn thành và hạn của bước (theo lịch, không trừ ngày nghỉ).', 'Done time minus the step’s due time (calendar time, holidays not taken out).'],
  'an.dossier_due': ['Hạn hồ sơ: {d}', 'Dossier due: {d}'],
  'an.dossier_done': ['Kết thúc: {d}', 'Finished: {d}'],
  'an.no_due': ['–', '–'],
  'an.no_step': ['Không bước nào trễ so với hạn của bước; hồ sơ vẫn kết thúc sau hạn giải quyết.', 'No step went past its own due time; the dossier finished after its overall due time.'],
  'an.dur.dh': ['{d} ngày {h} giờ', '{d} d {h} h'],
  'an.dur.hm': ['{h} giờ {m} phút', '{h} h {m} min'],
  'an.dur.m': ['{m} phút', '{m} min'],
  'an.mod': ['Hiện đại hóa', 'Modernisation'],
  'an.sig': ['Chữ ký số', 'Digital signatures'],
  'an.sig_made': ['Lượt ký số, đóng dấu số', 'Signatures and seals made'],
  'an.sig_results': ['Kết quả đã ban hành', 'Results issued'],
  'an.sig_signed': ['Kết quả được ký số', 'Results signed digitally'],
  'an.sig_share': ['Tỷ lệ kết quả ký số', 'Share signed digitally'],
  'an.postal': ['Bưu chính công ích', 'Public postal service'],
  'an.postal_received': ['Hồ sơ tiếp nhận qua bưu chính', 'Dossiers received by post'],
  'an.postal_returned': ['Kết quả trả qua bưu chính', 'Results returned by post'],
  'an.digitized': ['Số hóa hồ sơ', 'Digitized dossiers'],
  'an.dig_dossiers': ['Hồ sơ được số hóa', 'Dossiers digitized'],
  'an.dig_received': ['Hồ sơ tiếp nhận', 'Dossiers received'],
  'an.dig_share': ['Tỷ lệ số hóa', 'Share digitized'],
  'an.online': ['Nộp trực tuyến theo thủ tục', 'Online submissions per procedure'],
  'an.col_proc': ['Thủ tục', 'Procedure'],
  'an.col_online': ['Trực tuyến', 'Online'],
  'an.col_total': ['Tổng số', 'All'],
  'an.col_share': ['Tỷ lệ trực tuyến', 'Online share'],
  'an.online_none': ['Không có hồ sơ trong kỳ.', 'No dossiers in the period.'],
  'an.mod_unavailable': ['Chưa lấy được số liệu hiện đại hóa.', 'The modernisation figures are not available.'],
});

const PER_PAGE = 20;
const TOP = 10;
const ONLINE_TOP = 20;

const els = {
  form: document.getElementById('an-filters'),
  unitBox: document.getElementById('an-unit'),
  periodBox: document.getElementById('an-period'),
  result: document.getElementById('an-result'),
};

let session = null;
let units = [];
let query = null;          // {unit, from, to} of what is shown
let late = null;           // the last /reports/late answer
let mod = null;            // the /reports/modernisation answer, or an Error
let readPeriod = null;
const expanded = { unit: false, officer: false, online: false };

/* The last twelve months up to today. */
function defaultPeriod() {
  const { y, m, d } = todayVN();
  const start = new Date(Date.UTC(y, m - 12, 1));
  const iso = (yy, mm, dd) => `${yy}-${String(mm).padStart(2, '0')}-${String(dd).padStart(2, '0')}`;
  return { kind: 'range', year: y, n: 1, from: iso(start.getUTCFullYear(), start.getUTCMonth() + 1, 1), to: iso(y, m, d) };
}

function state() {
  const sp = new URLSearchParams(window.location.search);
  return {
    unit: sp.get('unit') || session.officer.unit.code,
    period: periodFromUrl(sp, defaultPeriod()),
    page: Math.max(1, Number(sp.get('page')) || 1),
  };
}

function setPageInUrl(page) {
  const sp = new URLSearchParams(window.location.search);
  if (page > 1) sp.set('page', String(page)); else sp.delete('page');
  const qs = sp.toString();
  history.replaceState(null, '', qs ? `phan-tich.html?${qs}` : 'phan-tich.html');
}

const pct = (v) => (v === null || v === undefined ? '–' : `${formatNumber(v, { maximumFractionDigits: 1 })} %`);
const share = (part, all) => (all ? Math.round((part * 1000) / all) / 10 : null);
const officerName = (o) => (o ? o.full_name || o.username || '' : '');
const dossierHref = (code) => 'ho-so.html?code=' + encodeURIComponent(code);

/** Done minus due, in calendar time: "2 ngày 3 giờ", "5 giờ 12 phút", "40 phút". */
function lateBy(dueAt, doneAt) {
  const due = Date.parse(dueAt);
  const done = Date.parse(doneAt);
  if (!Number.isFinite(due) || !Number.isFinite(done) || done <= due) return '';
  const min = Math.floor((done - due) / 60000);
  const d = Math.floor(min / 1440);
  const hh = Math.floor((min % 1440) / 60);
  const mm = min % 60;
  if (d > 0) return t('an.dur.dh', { d: formatNumber(d), h: hh });
  if (hh > 0) return t('an.dur.hm', { h: hh, m: mm });
  return t('an.dur.m', { m: mm });
}

/** A horizontal bar worth value out of max (a <meter>: no inline style under the CSP), with the number beside it. */
function bar(value, max, text) {
  const v = Number(value) || 0;
  return h('div', { class: 'an-bar' },
    h('meter', { class: 'an-meter', min: '0', max: String(max > 0 ? max : 1), value: String(Math.max(0, v)), 'aria-hidden': 'true' }),
    h('span', { class: 'an-bar-value', text: text ?? formatNumber(v) }));
}

function card(id, titleKey, ...body) {
  return h('section', { class: 'card db-card', id, 'aria-labelledby': id + '-title' },
    h('h3', { class: 'db-card-title', id: id + '-title', text: t(titleKey) }), ...body);
}

/* A table limited to the first `top` rows, with a button showing the rest. */
function toggleRows(key, rows, top, draw) {
  if (rows.length <= top) return null;
  return h('button', {
    type: 'button', class: 'btn btn-outline btn-sm an-more', id: `an-more-${key}`,
    'aria-expanded': expanded[key] ? 'true' : 'false',
    text: expanded[key] ? t('an.show_top') : t('an.show_all', { n: formatNumber(rows.length) }),
    on: { click: () => { expanded[key] = !expanded[key]; draw(); } },
  });
}

// ---- section 1: late attribution

function byUnitCard() {
  const list = [...(late.by_unit || [])].sort((a, b) => b.late_steps - a.late_steps);
  const id = 'an-by-unit-card';
  if (!list.length) return card(id, 'an.by_unit', emptyBox(t('an.none')));
  const max = list[0].late_steps;
  const shown = expanded.unit ? list : list.slice(0, TOP);
  const el = card(id, 'an.by_unit', h('div', { class: 'table-wrap' },
    h('table', { class: 'data-table an-table', id: 'an-by-unit' },
      h('thead', null, h('tr', null,
        h('th', { scope: 'col', class: 'num', text: t('an.col_no') }),
        h('th', { scope: 'col', text: t('an.col_unit') }),
        h('th', { scope: 'col', class: 'an-col-bar', text: t('an.col_steps') }))),
      h('tbody', null, shown.map((x, i) => h('tr', { dataset: { unit: x.unit.code, steps: String(x.late_steps) } },
        h('td', { class: 'num col-no', 'data-label': t('an.col_no'), text: formatNumber(i + 1) }),
        h('td', { 'data-label': t('an.col_unit'), text: x.unit.name }),
        h('td', { class: 'an-col-bar', 'data-label': t('an.col_steps') }, bar(x.late_steps, max))))))),
  toggleRows('unit', list, TOP, () => document.getElementById(id).replaceWith(byUnitCard())));
  return el;
}

function byOfficerCard() {
  const list = [...(late.by_officer || [])].sort((a, b) => b.late_steps - a.late_steps);
  const id = 'an-by-officer-card';
  if (!list.length) return card(id, 'an.by_officer', emptyBox(t('an.none')));
  const max = list[0].late_steps;
  const shown = expanded.officer ? list : list.slice(0, TOP);
  return card(id, 'an.by_officer', h('div', { class: 'table-wrap' },
    h('table', { class: 'data-table an-table', id: 'an-by-officer' },
      h('thead', null, h('tr', null,
        h('th', { scope: 'col', class: 'num', text: t('an.col_no') }),
        h('th', { scope: 'col', text: t('an.col_officer') }),
        h('th', { scope: 'col', text: t('an.col_unit') }),
        h('th', { scope: 'col', class: 'an-col-bar', text: t('an.col_steps') }))),
      h('tbody', null, shown.map((x, i) => h('tr', { dataset: { officer: x.officer ? x.officer.username : '', steps: String(x.late_steps) } },
        h('td', { class: 'num col-no', 'data-label': t('an.col_no'), text: formatNumber(i + 1) }),
        h('td', { 'data-label': t('an.col_officer') }, officerName(x.officer),
          x.officer && x.officer.full_name ? h('span', { class: 'an-sub code-sub', text: x.officer.username }) : null),
        h('td', { 'data-label': t('an.col_unit'), text: x.unit ? x.unit.name : '' }),
        h('td', { class: 'an-col-bar', 'data-label': t('an.col_steps') }, bar(x.late_steps, max))))))),
  toggleRows('officer', list, TOP, () => document.getElementById(id).replaceWith(byOfficerCard())));
}

function lateListCard() {
  const items = late.items || [];
  const total = h('p', { class: 'results-count', id: 'an-late-total', dataset: { total: String(late.total) }, text: t('an.late_total', { n: formatNumber(late.total) }) });
  if (!items.length) return card('an-list', 'an.list', total, emptyBox(t('an.none')));
  const first = (late.page - 1) * late.per_page;
  const rows = [];
  items.forEach((d, i) => {
    const steps = d.late_steps && d.late_steps.length ? d.late_steps : [null];
    steps.forEach((s, j) => {
      const cells = [];
      if (j === 0) {
        const span = steps.length > 1 ? String(steps.length) : null;
        cells.push(h('td', { class: 'num col-no', 'data-label': t('an.col_no'), rowspan: span, text: formatNumber(first + i + 1) }));
        cells.push(h('td', { class: 'an-dossier', 'data-label': t('an.col_dossier'), rowspan: span },
          h('a', { class: 'an-code', href: dossierHref(d.code), text: d.code }),
          h('span', { class: 'an-sub an-proc', title: d.procedure ? d.procedure.name : null }, h('span', { class: 'code-sub', text: d.procedure ? d.procedure.code : '' }), ' ', d.procedure ? d.procedure.name : ''),
          h('span', { class: 'an-sub muted', text: t('an.dossier_due', { d: d.due_at ? formatDateTime(d.due_at) : t('an.no_due') }) }),
          d.finished_at ? h('span', { class: 'an-sub muted', text: t('an.dossier_done', { d: formatDateTime(d.finished_at) }) }) : null));
      }
      if (s) {
        cells.push(
          h('td', { class: 'an-step', 'data-label': t('an.col_step') }, h('span', { class: 'an-step-no', text: `${s.step_seq}. ` }), s.step_name),
          h('td', { class: 'an-unit', 'data-label': t('an.col_unit'), text: s.unit ? s.unit.name : '' }),
          h('td', { 'data-label': t('an.col_officer'), text: officerName(s.officer) }),
          h('td', { class: 'an-time', 'data-label': t('an.col_due'), text: s.due_at ? formatDateTime(s.due_at) : t('an.no_due') }),
          h('td', { class: 'an-time', 'data-label': t('an.col_done'), text: formatDateTime(s.done_at) }),
          h('td', { class: 'an-late-by', 'data-label': t('an.col_late_by'), text: s.due_at ? lateBy(s.due_at, s.done_at) : '' }));
      } else {
        cells.push(
          h('td', { class: 'muted an-no-step', colspan: '5', text: t('an.no_step') }),
          h('td', { class: 'an-late-by', 'data-label': t('an.col_late_by'), text: d.due_at && d.finished_at ? lateBy(d.due_at, d.finished_at) : '' }));
      }
      rows.push(h('tr', { class: j === 0 ? 'an-first' : null, dataset: { code: d.code, step: s ? String(s.step_seq) : '' } }, cells));
    });
  });
  const table = h('div', { class: 'table-wrap' },
    h('table', { class: 'data-table an-late-table', id: 'an-late' },
      h('thead', null, h('tr', null,
        h('th', { scope: 'col', class: 'num', text: t('an.col_no') }),
        h('th', { scope: 'col', text: t('an.col_dossier') }),
        h('th', { scope: 'col', text: t('an.col_step') }),
        h('th', { scope: 'col', text: t('an.col_unit') }),
        h('th', { scope: 'col', text: t('an.col_officer') }),
        h('th', { scope: 'col', text: t('an.col_due') }),
        h('th', { scope: 'col', text: t('an.col_done') }),
        h('th', { scope: 'col', title: t('an.late_by_hint'), text: t('an.col_late_by') }))),
      h('tbody', null, rows)));
  const p = pager(late.total, late.per_page, late.page,
    (n) => { const sp = new URLSearchParams(window.location.search); sp.set('page', String(n)); return `phan-tich.html?${sp}`; },
    (n) => loadLatePage(n));
  return card('an-list', 'an.list', total, h('p', { class: 'muted an-hint', text: t('an.late_by_hint') }), table, p);
}

async function loadLatePage(n) {
  const box = document.getElementById('an-list');
  if (box) box.setAttribute('aria-busy', 'true');
  delete document.body.dataset.analysis;
  try {
    late = await api.get('/reports/late', { ...query, page: n, per_page: PER_PAGE });
  } catch (e) {
    if (box) mount(box, problemBox(e));
    return;
  }
  setPageInUrl(late.page);
  const old = document.getElementById('an-list');
  const fresh = lateListCard();
  if (old) old.replaceWith(fresh);
  fresh.scrollIntoView({ block: 'start' });
  document.body.dataset.analysis = 'ready';
}

function lateSection() {
  return h('section', { class: 'an-section', id: 'an-late-section', 'aria-labelledby': 'an-late-title' },
    h('h2', { class: 'an-section-title', id: 'an-late-title', text: t('an.late') }),
    h('p', { class: 'muted', text: t('an.late_lead') }),
    h('div', { class: 'db-grid' }, byUnitCard(), byOfficerCard()),
    lateListCard());
}

// ---- section 2: modernisation

function figure(id, labelKey, value) {
  return h('div', { class: 'an-figure', id },
    h('dt', { text: t(labelKey) }),
    h('dd', { class: 'an-figure-value', text: value }));
}

function onlineCard() {
  const list = [...(mod.online_by_procedure || [])].sort((a, b) => b.online - a.online);
  const id = 'an-online-card';
  if (!list.length) return card(id, 'an.online', emptyBox(t('an.online_none')));
  const shown = expanded.online ? list : list.slice(0, ONLINE_TOP);
  return card(id, 'an.online', h('div', { class: 'table-wrap' },
    h('table', { class: 'data-table an-table', id: 'an-online' },
      h('thead', null, h('tr', null,
        h('th', { scope: 'col', class: 'num', text: t('an.col_no') }),
        h('th', { scope: 'col', text: t('an.col_proc') }),
        h('th', { scope: 'col', class: 'num', text: t('an.col_online') }),
        h('th', { scope: 'col', class: 'num', text: t('an.col_total') }),
        h('th', { scope: 'col', class: 'an-col-bar', text: t('an.col_share') }))),
      h('tbody', null, shown.map((x, i) => {
        const s = share(x.online, x.total);
        return h('tr', { dataset: { procedure: x.procedure.code } },
          h('td', { class: 'num col-no', 'data-label': t('an.col_no'), text: formatNumber(i + 1) }),
          h('td', { 'data-label': t('an.col_proc') }, h('span', { class: 'code-sub', text: x.procedure.code }), ' ', x.procedure.name),
          h('td', { class: 'num an-online-n', 'data-label': t('an.col_online'), text: formatNumber(x.online) }),
          h('td', { class: 'num an-total-n', 'data-label': t('an.col_total'), text: formatNumber(x.total) }),
          h('td', { class: 'an-col-bar', 'data-label': t('an.col_share') }, bar(s || 0, 100, pct(s))));
      })))),
  toggleRows('online', list, ONLINE_TOP, () => document.getElementById(id).replaceWith(onlineCard())));
}

function modSection() {
  const head = [h('h2', { class: 'an-section-title', id: 'an-mod-title', text: t('an.mod') })];
  if (!mod || mod instanceof Error) {
    return h('section', { class: 'an-section', id: 'an-mod-section', 'aria-labelledby': 'an-mod-title' },
      ...head, mod instanceof Error ? problemBox(mod) : loadingBox());
  }
  const sig = mod.signatures || {};
  const postal = mod.postal || {};
  const dig = mod.digitized || {};
  return h('section', { class: 'an-section', id: 'an-mod-section', 'aria-labelledby': 'an-mod-title' },
    ...head,
    h('div', { class: 'an-figures-grid' },
      card('an-sig', 'an.sig', h('dl', { class: 'an-figures' },
        figure('an-sig-made', 'an.sig_made', formatNumber(sig.made)),
        figure('an-sig-results', 'an.sig_results', formatNumber(sig.results)),
        figure('an-sig-signed', 'an.sig_signed', formatNumber(sig.results_signed)),
        figure('an-sig-share', 'an.sig_share', pct(sig.share))),
      sig.note ? h('p', { class: 'muted an-note', id: 'an-sig-note', text: sig.note }) : null),
      card('an-postal', 'an.postal', h('dl', { class: 'an-figures' },
        figure('an-postal-received', 'an.postal_received', formatNumber(postal.received)),
        figure('an-postal-returned', 'an.postal_returned', formatNumber(postal.returned)))),
      card('an-digitized', 'an.digitized', h('dl', { class: 'an-figures' },
        figure('an-dig-dossiers', 'an.dig_dossiers', formatNumber(dig.dossiers)),
        figure('an-dig-received', 'an.dig_received', formatNumber(dig.received)),
        figure('an-dig-share', 'an.dig_share', pct(dig.share))))),
    onlineCard());
}

// ---- the page

function render() {
  if (!late) return;
  const scope = h('p', {
    class: 'db-scope muted', id: 'an-scope', dataset: { unit: query.unit, from: query.from, to: query.to },
    text: `${late.unit.name} · ${formatDate(late.from)} – ${formatDate(late.to)}`,
  });
  mount(els.result, scope, lateSection(), modSection());
  if (mod) document.body.dataset.analysis = 'ready';
}

async function load() {
  const s = state();
  const { from, to } = periodRange(s.period);
  query = { unit: s.unit, from, to };
  delete document.body.dataset.analysis;
  expanded.unit = expanded.officer = expanded.online = false;
  late = null;
  mod = null;
  mount(els.result, loadingBox());
  const modP = api.get('/reports/modernisation', query).catch((e) => (e instanceof Error ? e : new Error(t('an.mod_unavailable'))));
  try {
    late = await api.get('/reports/late', { ...query, page: s.page, per_page: PER_PAGE });
  } catch (e) {
    mount(els.result, problemBox(e));
    return;
  }
  render();
  mod = await modP;
  const old = document.getElementById('an-mod-section');
  if (old) old.replaceWith(modSection());
  document.body.dataset.analysis = 'ready';
}

async function main() {
  session = await initOfficerPage({ page: 'analysis', title: 'an.title', roles: ['monitor', 'leader', 'admin'] });
  if (!session) return;
  try {
    units = await subtreeUnits(session.officer.unit.code);
  } catch (e) {
    mount(els.result, problemBox(e));
    return;
  }
  const drawForm = () => {
    const st = state();
    mount(els.unitBox, h('label', { for: 'rp-unit', text: t('rp.unit') }), unitSelect(units, st.unit));
    readPeriod = periodControls(els.periodBox, st.period);
  };
  drawForm();
  els.form.hidden = false;
  els.form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const sp = new URLSearchParams();
    sp.set('unit', document.getElementById('rp-unit').value);
    periodToUrl(sp, readPeriod());
    history.replaceState(null, '', `phan-tich.html?${sp}`);
    load();
  });
  document.addEventListener('langchange', () => { drawForm(); render(); });
  load();
}

main();
