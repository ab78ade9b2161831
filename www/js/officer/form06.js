// Form 06 (bao-cao.html): GET /api/v1/reports/form06 laid out like Biểu số 06 of Circular
// 01/2020/TT-VPCP (title block, unit, period, numbered columns, rows by field grouped by
// level with subtotals, the total), printable on A4 landscape (css/reports.css), with a
// CSV download (format=csv) and, behind every number, the list of the dossiers it counts
// (GET /api/v1/reports/form06/dossiers?…&cell=, paginated; a row or subtotal of a level
// adds &level=). Filters are kept in the URL.

import './strings.js';
import { h, mount, clear } from '../dom.js';
import { t, addStrings, formatNumber, formatDate, formatDateTime, label } from '../i18n.js';
import { loadingBox, emptyBox } from '../ui.js';
import { initOfficerPage } from './frame.js';
import { api } from './client.js';
import { problemBox, stateBadge, channelText, pager, field } from './widgets.js';
import { periodControls, periodFromUrl, periodToUrl, periodRange, todayVN, subtreeUnits, unitSelect } from './report-period.js';

addStrings({
  'f06.title': ['Báo cáo tình hình giải quyết TTHC (Biểu số 06)', 'Report on procedure handling (Form 06)'],
  'f06.lead': ['Theo Biểu số 06, Thông tư 01/2020/TT-VPCP. Bấm vào một số để xem danh sách hồ sơ.', 'As Form 06 of Circular 01/2020/TT-VPCP. Click a number for the dossiers behind it.'],
  'f06.field': ['Lĩnh vực', 'Field'],
  'f06.all_fields': ['Tất cả lĩnh vực', 'All fields'],
  'f06.procedure': ['Mã thủ tục', 'Procedure code'],
  'f06.subunits': ['Đơn vị cấp dưới', 'Subunits'],
  'f06.subunits.rollup': ['Cộng gộp', 'Rolled up'],
  'f06.subunits.list': ['Từng đơn vị', 'One table each'],
  'f06.csv': ['Tải tệp CSV', 'Download CSV'],
  'f06.print': ['In biểu', 'Print'],
  'f06.form_no': ['Biểu số 06', 'Form 06'],
  'f06.republic': ['CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'SOCIALIST REPUBLIC OF VIETNAM'],
  'f06.motto': ['Độc lập - Tự do - Hạnh phúc', 'Independence - Freedom - Happiness'],
  'f06.sheet_title': ['Tình hình, kết quả giải quyết thủ tục hành chính tại cơ quan, đơn vị trực tiếp giải quyết thủ tục hành chính', 'Handling of administrative procedures at the units that handle them'],
  'f06.period': ['Kỳ báo cáo: từ ngày {from} đến ngày {to}', 'Period: {from} to {to}'],
  'f06.unit_of_measure': ['Đơn vị tính: số hồ sơ', 'Unit: dossiers'],
  'f06.as_of': ['Số liệu tính đến {d}', 'Figures as of {d}'],
  'f06.frozen': ['Số liệu của tháng đã khóa sổ.', 'The figures of a closed month.'],
  'f06.col.stt': ['STT', 'No.'],
  'f06.col.field': ['Lĩnh vực, công việc giải quyết theo cấp', 'Field, by level'],
  'f06.col.received': ['Số hồ sơ nhận giải quyết', 'Dossiers to handle'],
  'f06.col.results': ['Kết quả giải quyết', 'Results'],
  'f06.col.total': ['Tổng số', 'Total'],
  'f06.col.of_which': ['Trong đó', 'Of which'],
  'f06.col.carried_over': ['Số kỳ trước chuyển qua', 'Carried over'],
  'f06.col.online': ['Số mới tiếp nhận trực tuyến', 'New, online'],
  'f06.col.direct_postal': ['Số mới tiếp nhận trực tiếp hoặc qua dịch vụ bưu chính công ích', 'New, in person or by post'],
  'f06.col.resolved': ['Số hồ sơ đã giải quyết', 'Resolved'],
  'f06.col.before': ['Trả trước hạn', 'Before the deadline'],
  'f06.col.on_time': ['Trả đúng hạn', 'On time'],
  'f06.col.late': ['Trả quá hạn', 'Late'],
  'f06.col.in_process': ['Số hồ sơ đang giải quyết', 'In process'],
  'f06.col.within': ['Trong hạn', 'Within the deadline'],
  'f06.col.overdue': ['Quá hạn', 'Overdue'],
  'f06.level.province': ['Cấp tỉnh', 'Province level'],
  'f06.level.district': ['Cấp huyện', 'District level'],
  'f06.level.commune': ['Cấp xã', 'Commune level'],
  'f06.level.department': ['Sở, ngành', 'Departments'],
  'f06.level.other': ['Khác', 'Other'],
  'f06.subtotal': ['Cộng', 'Subtotal'],
  'f06.total': ['Tổng cộng', 'Total'],
  'f06.empty': ['Không có hồ sơ nào trong kỳ.', 'No dossiers in the period.'],
  'f06.maker': ['Người lập biểu', 'Prepared by'],
  'f06.head': ['Thủ trưởng cơ quan, đơn vị', 'Head of the unit'],
  'f06.sign_hint': ['(Ký, ghi rõ họ tên)', '(Signature and full name)'],
  'f06.sign_seal_hint': ['(Ký, ghi rõ họ tên, đóng dấu)', '(Signature, full name and seal)'],
  'f06.place_date': ['…, ngày … tháng … năm …', '…, date …'],
  'f06.drill': ['Danh sách hồ sơ', 'The dossiers'],
  'f06.drill_of': ['{cell} · {row} · {unit}', '{cell} · {row} · {unit}'],
  'f06.drill_total': ['{n} hồ sơ', '{n} dossiers'],
  'f06.drill_close': ['Đóng danh sách', 'Close the list'],
  'f06.d.code': ['Mã hồ sơ', 'Dossier'],
  'f06.d.procedure': ['Thủ tục', 'Procedure'],
  'f06.d.unit': ['Đơn vị tiếp nhận', 'Receiving unit'],
  'f06.d.channel': ['Kênh', 'Channel'],
  'f06.d.state': ['Trạng thái', 'State'],
  'f06.d.received': ['Tiếp nhận', 'Received'],
  'f06.d.due': ['Hạn trả', 'Due'],
  'f06.d.finished': ['Hoàn thành', 'Finished'],
});

// The numbered columns, in the form's order: [key in the API, cell for the drill-down].
const COLUMNS = [
  ['received', 'total', 'received'], ['received', 'carried_over', 'carried_over'], ['received', 'online', 'online'], ['received', 'direct_postal', 'direct_postal'],
  ['resolved', 'total', 'resolved'], ['resolved', 'before', 'before'], ['resolved', 'on_time', 'on_time'], ['resolved', 'late', 'late'],
  ['in_process', 'total', 'in_process'], ['in_process', 'within', 'within'], ['in_process', 'overdue', 'overdue'],
];
const CELL_LABEL = {
  received: 'f06.col.received', carried_over: 'f06.col.carried_over', online: 'f06.col.online', direct_postal: 'f06.col.direct_postal',
  resolved: 'f06.col.resolved', before: 'f06.col.before', on_time: 'f06.col.on_time', late: 'f06.col.late',
  in_process: 'f06.col.in_process', within: 'f06.col.within', overdue: 'f06.col.overdue',
};
const ROMAN = ['I', 'II', 'III', 'IV', 'V', 'VI'];
const PER_PAGE = 20;

const els = {
  form: document.getElementById('f06-filters'),
  unitBox: document.getElementById('f06-unit'),
  periodBox: document.getElementById('f06-period'),
  extraBox: document.getElementById('f06-extra'),
  actions: document.getElementById('f06-actions'),
  csv: document.getElementById('f06-csv'),
  print: document.getElementById('f06-print'),
  result: document.getElementById('f06-result'),
  drill: document.getElementById('f06-drill'),
};

let session = null;
let units = [];
let fields = [];
let report = null;
let query = null;
let readPeriod = null;
let drill = null;

function defaultPeriod() {
  const { y, m } = todayVN();
  return { kind: 'month', year: y, n: m, from: '', to: '' };
}

function state() {
  const sp = new URLSearchParams(window.location.search);
  return {
    unit: sp.get('unit') || session.officer.unit.code,
    period: periodFromUrl(sp, defaultPeriod()),
    field: sp.get('field') || '',
    procedure: sp.get('procedure') || '',
    subunits: sp.get('subunits') === 'list' ? 'list' : 'rollup',
  };
}

function apiQuery(s) {
  const { from, to } = periodRange(s.period);
  const q = { unit: s.unit, from, to };
  if (s.field) q.field = s.field;
  if (s.procedure) q.procedure = s.procedure;
  if (s.subunits === 'list') q.subunits = 'list';
  return q;
}

// ---- the sheet

/* Fixed widths: the form's numbered columns are equal, as on the printed form. */
function colGroup() {
  return h('colgroup', null, h('col', { class: 'f06-c-stt' }), h('col', { class: 'f06-c-field' }), COLUMNS.map(() => h('col', { class: 'f06-c-n' })));
}

function headRows() {
  const th = (key, attrs = {}) => h('th', { scope: 'col', ...attrs, text: t(key) });
  return h('thead', null,
    h('tr', null,
      th('f06.col.stt', { rowspan: 3 }), th('f06.col.field', { rowspan: 3 }),
      th('f06.col.received', { colspan: 4 }), th('f06.col.results', { colspan: 7 })),
    h('tr', null,
      th('f06.col.total', { rowspan: 2 }), th('f06.col.of_which', { colspan: 3 }),
      th('f06.col.resolved', { colspan: 4 }), th('f06.col.in_process', { colspan: 3 })),
    h('tr', null,
      th('f06.col.carried_over'), th('f06.col.online'), th('f06.col.direct_postal'),
      th('f06.col.total'), th('f06.col.before'), th('f06.col.on_time'), th('f06.col.late'),
      th('f06.col.total'), th('f06.col.within'), th('f06.col.overdue')),
    h('tr', { class: 'f06-colno' },
      h('th', { text: '(A)' }), h('th', { text: '(B)' }),
      COLUMNS.map((_, i) => h('th', { text: `(${i + 1})` }))));
}

function numberCells(counts, link) {
  return COLUMNS.map(([group, key, cell]) => {
    const n = counts && counts[group] ? counts[group][key] ?? 0 : 0;
    if (!link || !n) return h('td', { class: 'num', text: formatNumber(n) });
    return h('td', { class: 'num' }, h('a', {
      class: 'f06-n', href: '#f06-drill',
      dataset: { cell, unit: link.unit.code, unitName: link.unit.name, field: link.field ? link.field.code : '', level: link.level || '', row: link.row, n: String(n) },
      'aria-label': `${t(CELL_LABEL[cell])}: ${n}`,
      on: { click: (ev) => { ev.preventDefault(); openDrill(ev.currentTarget.dataset, 1); } },
      text: formatNumber(n),
    }));
  });
}

function unitTable(tb) {
  const rows = [];
  // Every number opens its dossiers: a row's by field and level, a subtotal's by level.
  (tb.groups || []).forEach((g, gi) => {
    const levelName = label('f06.level', g.level) || g.level;
    rows.push(h('tr', { class: 'f06-level', dataset: { level: g.level } },
      h('td', { class: 'stt', text: ROMAN[gi] || String(gi + 1) }), h('td', { text: levelName }),
      COLUMNS.map(() => h('td'))));
    (g.rows || []).forEach((r, i) => {
      rows.push(h('tr', { class: 'f06-row', dataset: { field: r.field.code, level: g.level } },
        h('td', { class: 'stt', text: String(i + 1) }), h('td', { text: r.field.name }),
        numberCells(r, { unit: tb.unit, field: r.field, level: g.level, row: `${r.field.name} (${levelName})` })));
    });
    if (g.subtotal) {
      rows.push(h('tr', { class: 'f06-subtotal', dataset: { level: g.level } }, h('td'), h('td', { text: t('f06.subtotal') }),
        numberCells(g.subtotal, { unit: tb.unit, field: null, level: g.level, row: `${t('f06.subtotal')} (${levelName})` })));
    }
  });
  rows.push(h('tr', { class: 'f06-total' }, h('td'), h('td', { text: t('f06.total') }),
    numberCells(tb.total, { unit: tb.unit, field: null, row: t('f06.total') })));
  return h('div', { class: 'f06-unit', dataset: { unit: tb.unit.code } },
    report.tables.length > 1 ? h('h3', { class: 'f06-unit-title', text: tb.unit.name }) : null,
    h('div', { class: 'table-wrap' }, h('table', { class: 'f06-table', id: `f06-table-${tb.unit.code}` }, colGroup(), headRows(), h('tbody', null, rows))));
}

function sheet() {
  return h('article', { class: 'f06-sheet', id: 'f06-sheet' },
    h('p', { class: 'f06-form-no', text: t('f06.form_no') }),
    h('div', { class: 'f06-head' },
      h('div', null, h('p', { class: 'f06-org', text: report.unit.name })),
      h('div', null, h('p', { class: 'f06-motto', text: t('f06.republic') }), h('p', { class: 'f06-motto-sub', text: t('f06.motto') }))),
    h('h2', { class: 'f06-title', text: t('f06.sheet_title') }),
    h('p', { class: 'f06-sub', text: t('f06.period', { from: formatDate(report.from), to: formatDate(report.to) }) }),
    h('p', { class: 'f06-sub muted', text: `${t('f06.unit_of_measure')} · ${t('f06.as_of', { d: /^\d{4}-\d{2}-\d{2}$/.test(report.as_of || '') ? formatDate(report.as_of) : formatDateTime(report.as_of) })}` }),
    report.frozen ? h('p', { class: 'f06-frozen notice notice-info', text: t('f06.frozen') }) : null,
    (report.tables || []).map(unitTable),
    h('div', { class: 'f06-sign' },
      h('div', null, h('p', { class: 'f06-sign-role', text: t('f06.maker') }), h('p', { class: 'f06-sign-hint', text: t('f06.sign_hint') }), h('div', { class: 'f06-sign-space' })),
      h('div', null, h('p', { class: 'f06-sign-hint', text: t('f06.place_date') }), h('p', { class: 'f06-sign-role', text: t('f06.head') }), h('p', { class: 'f06-sign-hint', text: t('f06.sign_seal_hint') }), h('div', { class: 'f06-sign-space' }))));
}

function render() {
  if (!report) return;
  mount(els.result, sheet());
  if (drill) openDrill(drill.ds, drill.page);
}

// ---- drill-down

async function openDrill(ds, page) {
  drill = { ds, page };
  const box = els.drill;
  box.hidden = false;
  const cellName = t(CELL_LABEL[ds.cell]);
  const title = h('h2', { id: 'f06-drill-title', text: t('f06.drill') });
  const sub = h('p', { class: 'muted', text: t('f06.drill_of', { cell: cellName, row: ds.row, unit: ds.unitName }) });
  const close = h('button', { type: 'button', class: 'btn btn-outline btn-sm', text: t('f06.drill_close'), on: { click: () => { drill = null; box.hidden = true; clear(box); } } });
  mount(box, h('div', { class: 'f06-drill-head' }, title, close), sub, loadingBox());
  const q = { ...query, unit: ds.unit, cell: ds.cell, page, per_page: PER_PAGE };
  delete q.subunits;
  if (ds.field) q.field = ds.field;
  if (ds.level) q.level = ds.level;
  let r;
  try {
    r = await api.get('/reports/form06/dossiers', q);
  } catch (e) {
    mount(box, h('div', { class: 'f06-drill-head' }, title, close), sub, problemBox(e));
    return;
  }
  const total = h('p', { class: 'results-count', id: 'f06-drill-total', dataset: { total: String(r.total) }, text: t('f06.drill_total', { n: formatNumber(r.total) }) });
  const table = r.items.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'data-table', id: 'f06-drill-table' },
    h('thead', null, h('tr', null, ['code', 'procedure', 'unit', 'channel', 'state', 'received', 'due', 'finished'].map((k) => h('th', { scope: 'col', text: t('f06.d.' + k) })))),
    h('tbody', null, r.items.map((d) => h('tr', { dataset: { code: d.code } },
      h('td', null, h('a', { href: `ho-so.html?code=${encodeURIComponent(d.code)}`, text: d.code })),
      h('td', null, d.procedure ? `${d.procedure.code} – ${d.procedure.name}` : ''),
      h('td', { text: d.unit ? d.unit.name : '' }),
      h('td', { text: channelText(d.channel) }),
      h('td', null, stateBadge(d.state)),
      h('td', { text: formatDateTime(d.received_at) }),
      h('td', { text: formatDateTime(d.due_at) }),
      h('td', { text: formatDateTime(d.finished_at) })))))) : emptyBox(t('f06.empty'));
  const p = pager(r.total, PER_PAGE, page, () => '#f06-drill', (n) => openDrill(ds, n));
  mount(box, h('div', { class: 'f06-drill-head' }, title, close), sub, total, table, p);
  box.scrollIntoView({ block: 'start' });
}

// ---- filters

async function load() {
  const s = state();
  query = apiQuery(s);
  delete document.body.dataset.report;
  drill = null;
  els.drill.hidden = true;
  clear(els.drill);
  els.csv.href = `/api/v1/reports/form06?${new URLSearchParams({ ...query, format: 'csv' })}`;
  mount(els.result, loadingBox());
  try {
    report = await api.get('/reports/form06', query);
  } catch (e) {
    report = null;
    els.actions.hidden = true;
    mount(els.result, problemBox(e));
    return;
  }
  els.actions.hidden = false;
  render();
  document.body.dataset.report = 'ready';
}

function drawForm() {
  const s = state();
  mount(els.unitBox, h('label', { for: 'rp-unit', text: t('rp.unit') }), unitSelect(units, s.unit));
  readPeriod = periodControls(els.periodBox, s.period);
  const fieldSel = h('select', { id: 'f06-field', name: 'field' },
    h('option', { value: '', text: t('f06.all_fields') }), fields.map((f) => h('option', { value: f.code, text: f.name })));
  fieldSel.value = s.field;
  const proc = h('input', { type: 'text', id: 'f06-procedure', name: 'procedure', maxlength: 32, value: s.procedure, placeholder: '1.001193' });
  const sub = h('select', { id: 'f06-subunits', name: 'subunits' },
    ['rollup', 'list'].map((k) => h('option', { value: k, text: t('f06.subunits.' + k) })));
  sub.value = s.subunits;
  mount(els.extraBox,
    field({ label: t('f06.field'), control: fieldSel, id: 'f06-field' }),
    field({ label: t('f06.procedure'), control: proc, id: 'f06-procedure' }),
    field({ label: t('f06.subunits'), control: sub, id: 'f06-subunits' }));
}

async function main() {
  session = await initOfficerPage({ page: 'form06', title: 'f06.title', roles: ['monitor', 'leader', 'admin'] });
  if (!session) return;
  try {
    [units, fields] = await Promise.all([subtreeUnits(session.officer.unit.code), api.get('/fields').then((r) => r.items || [])]);
  } catch (e) {
    mount(els.result, problemBox(e));
    return;
  }
  drawForm();
  els.form.hidden = false;
  els.form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const sp = new URLSearchParams();
    sp.set('unit', document.getElementById('rp-unit').value);
    periodToUrl(sp, readPeriod());
    const f = document.getElementById('f06-field').value;
    const p = document.getElementById('f06-procedure').value.trim();
    const su = document.getElementById('f06-subunits').value;
    if (f) sp.set('field', f);
    if (p) sp.set('procedure', p);
    if (su === 'list') sp.set('subunits', 'list');
    history.replaceState(null, '', `bao-cao.html?${sp}`);
    load();
  });
  els.print.addEventListener('click', () => window.print());
  document.addEventListener('langchange', () => { drawForm(); render(); });
  load();
}

main();
