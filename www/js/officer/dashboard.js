// The managers' dashboard (thong-ke.html): GET /api/v1/reports/dashboard drawn with
// Chart.js (www/vendor/chart.umd.js, a classic script loaded before this module), the 766
// indicators of GET /api/v1/reports/indicators with their formulas, and the warnings panel
// (js/officer/warnings.js draws into #warnings). Unit and period are kept in the URL.

import './strings.js';
import { h, mount } from '../dom.js';
import { t, addStrings, formatNumber, formatDateTime, getLang } from '../i18n.js';
import { loadingBox, emptyBox } from '../ui.js';
import { initOfficerPage } from './frame.js';
import { api } from './client.js';
import { problemBox } from './widgets.js';
import { periodControls, periodFromUrl, periodToUrl, periodRange, todayVN, subtreeUnits, unitSelect, monthLabel } from './report-period.js';

addStrings({
  'db.title': ['Thống kê, theo dõi', 'Dashboard'],
  'db.lead': ['Tình hình tiếp nhận, giải quyết hồ sơ và mức độ hài lòng của các đơn vị thuộc phạm vi của bạn.', 'Dossiers received and resolved, and satisfaction, across your units.'],
  'db.received': ['Hồ sơ tiếp nhận theo tháng và kênh', 'Dossiers received per month, by channel'],
  'db.received_of': ['Đơn vị trên biểu đồ', 'Unit on the chart'],
  'db.all_units': ['Tất cả đơn vị', 'All units'],
  'db.online': ['Trực tuyến', 'Online'],
  'db.direct': ['Trực tiếp', 'In person'],
  'db.postal': ['Bưu chính công ích', 'By post'],
  'db.online_share': ['Tỷ lệ trực tuyến (%)', 'Online share (%)'],
  'db.flags': ['Hồ sơ trực tuyến theo đơn vị: biến động bất thường', 'Online dossiers per unit: unusual changes'],
  'db.flags_lead': ['Ô được đánh dấu khi số hồ sơ trực tuyến tăng từ 3 lần trở lên, giảm còn một phần ba hoặc về 0 so với tháng trước.', 'A cell is marked when the online count triples or more, falls to a third or less, or drops to zero against the month before.'],
  'db.flag_marker': ['Biến động bất thường (trực tuyến)', 'Unusual change (online)'],
  'db.flag.jump': ['Tăng đột biến', 'Jump'],
  'db.flag.drop': ['Giảm mạnh', 'Drop'],
  'db.flag.zero': ['Về 0', 'Down to zero'],
  'db.flag_count': ['{n} tháng có biến động bất thường', '{n} months with unusual changes'],
  'db.no_flags': ['Không có biến động bất thường.', 'No unusual changes.'],
  'db.unit': ['Đơn vị', 'Unit'],
  'db.on_time': ['Tỷ lệ giải quyết đúng hạn theo tháng (%)', 'On-time rate per month (%)'],
  'db.on_time_series': ['Đúng hạn và trước hạn (%)', 'Before or on time (%)'],
  'db.overdue': ['Hồ sơ đang giải quyết quá hạn theo đơn vị', 'Dossiers in process and overdue, per unit'],
  'db.overdue_as_of': ['Tính đến {d}', 'As of {d}'],
  'db.overdue_none': ['Không có hồ sơ quá hạn.', 'No overdue dossiers.'],
  'db.late': ['Thủ tục thường trễ hạn nhất', 'Procedures most often late'],
  'db.late_none': ['Không có hồ sơ trễ hạn trong kỳ.', 'No late dossiers in the period.'],
  'db.col_no': ['STT', 'No.'],
  'db.col_proc': ['Thủ tục', 'Procedure'],
  'db.col_late': ['Trễ hạn', 'Late'],
  'db.col_resolved': ['Đã giải quyết', 'Resolved'],
  'db.col_share': ['Tỷ lệ trễ', 'Late share'],
  'db.satisfaction': ['Mức độ hài lòng', 'Satisfaction'],
  'db.sat.very_satisfied': ['Rất hài lòng', 'Very satisfied'],
  'db.sat.satisfied': ['Hài lòng', 'Satisfied'],
  'db.sat.not_satisfied': ['Không hài lòng', 'Not satisfied'],
  'db.sat_total': ['{n} lượt đánh giá', '{n} ratings'],
  'db.sat_none': ['Chưa có đánh giá trong kỳ.', 'No ratings in the period.'],
  'db.indicators': ['Bộ chỉ số phục vụ người dân, doanh nghiệp (Quyết định 766/QĐ-TTg)', 'Service indicators (Decision 766/QĐ-TTg)'],
  'db.ind_formula': ['Cách tính', 'Formula'],
  'db.ind_na': ['Chưa có dữ liệu', 'No data'],
  'db.ind_unavailable': ['Chưa lấy được bộ chỉ số.', 'The indicators are not available.'],
  'db.warnings': ['Cảnh báo', 'Warnings'],
  'db.chart_table': ['Số liệu của biểu đồ', 'The chart as a table'],
});

const COLORS = { flag: '#e07b00', online: '#0b3a6e', direct: '#f6c343', postal: '#8a96a6', share: '#c8102e', ontime: '#13703a', overdue: '#a3141f', sat: ['#13703a', '#6fbf73', '#c8102e'] };
const Chart = window.Chart;

const els = {
  form: document.getElementById('db-filters'),
  unitBox: document.getElementById('db-unit'),
  periodBox: document.getElementById('db-period'),
  result: document.getElementById('db-result'),
};

let session = null;
let units = [];
let data = null;
let indicators = null;
let charts = [];
let chartUnit = '';
let readPeriod = null;

/* The last twelve months up to today. */
function defaultPeriod() {
  const { y, m, d } = todayVN();
  const start = new Date(Date.UTC(y, m - 12, 1));
  const iso = (yy, mm, dd) => `${yy}-${String(mm).padStart(2, '0')}-${String(dd).padStart(2, '0')}`;
  return { kind: 'range', year: y, n: 1, from: iso(start.getUTCFullYear(), start.getUTCMonth() + 1, 1), to: iso(y, m, d) };
}

function state() {
  const sp = new URLSearchParams(window.location.search);
  return { unit: sp.get('unit') || session.officer.unit.code, period: periodFromUrl(sp, defaultPeriod()) };
}

function destroyCharts() {
  for (const c of charts) c.destroy();
  charts = [];
}

function chart(canvas, config) {
  config.options = {
    animation: false, responsive: true, maintainAspectRatio: false,
    plugins: { legend: { position: 'bottom' } },
    ...config.options,
  };
  const c = new Chart(canvas, config);
  charts.push(c);
  return c;
}

function card(id, titleKey, ...body) {
  return h('section', { class: 'card db-card', id, 'aria-labelledby': id + '-title' },
    h('h2', { class: 'db-card-title', id: id + '-title', text: t(titleKey) }), ...body);
}

const pct = (v) => (v === null || v === undefined ? '–' : `${formatNumber(v, { maximumFractionDigits: 1 })} %`);

function receivedSeries() {
  if (!chartUnit) return data.months;
  const u = data.units.find((x) => x.unit.code === chartUnit);
  return u ? u.months.map((m) => {
    const all = m.online + m.direct + m.postal;
    return { ...m, online_share: all ? Math.floor((m.online * 1000) / all) / 10 : null };
  }) : [];
}

/* The months flagged for the series on the chart: the unit's own, or any unit's. */
function flaggedMonths() {
  const units = chartUnit ? data.units.filter((u) => u.unit.code === chartUnit) : data.units;
  const out = new Set();
  for (const u of units) for (const m of u.months) if (m.flag) out.add(m.month);
  return out;
}

function receivedChart(canvas) {
  const ms = receivedSeries();
  const flagged = flaggedMonths();
  chart(canvas, {
    type: 'bar',
    data: {
      labels: ms.map((m) => monthLabel(m.month)),
      datasets: [
        { type: 'line', label: t('db.online_share'), data: ms.map((m) => m.online_share), yAxisID: 'share', borderColor: COLORS.share, backgroundColor: COLORS.share, tension: 0.2, order: 0 },
        { type: 'line', label: t('db.flag_marker'), data: ms.map((m) => (flagged.has(m.month) ? m.online + m.direct + m.postal : null)), showLine: false, pointStyle: 'triangle', pointRadius: 9, pointHoverRadius: 11, borderColor: COLORS.flag, backgroundColor: COLORS.flag, order: 0 },
        { label: t('db.online'), data: ms.map((m) => m.online), backgroundColor: COLORS.online, stack: 'ch', order: 1 },
        { label: t('db.direct'), data: ms.map((m) => m.direct), backgroundColor: COLORS.direct, stack: 'ch', order: 1 },
        { label: t('db.postal'), data: ms.map((m) => m.postal), backgroundColor: COLORS.postal, stack: 'ch', order: 1 },
      ],
    },
    options: {
      scales: {
        x: { stacked: true },
        y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } },
        share: { position: 'right', min: 0, max: 100, grid: { drawOnChartArea: false } },
      },
    },
  });
}

function receivedCard() {
  const canvas = h('canvas', { id: 'chart-received', role: 'img', 'aria-label': t('db.received') });
  const sel = h('select', { id: 'db-chart-unit' },
    h('option', { value: '', text: t('db.all_units') }),
    data.units.map((u) => h('option', { value: u.unit.code, text: u.unit.name })));
  sel.value = chartUnit;
  sel.addEventListener('change', () => {
    chartUnit = sel.value;
    const old = charts.find((c) => c.canvas === canvas);
    if (old) { old.destroy(); charts = charts.filter((c) => c !== old); }
    receivedChart(canvas);
  });
  const box = h('div', { class: 'chart-box chart-box-wide' }, canvas);
  const c = card('db-received', 'db.received',
    h('div', { class: 'form-field db-inline-field' }, h('label', { for: 'db-chart-unit', text: t('db.received_of') }), sel),
    box);
  return { el: c, draw: () => receivedChart(canvas) };
}

function flagsCard() {
  const months = data.months.map((m) => m.month);
  let flagged = 0;
  const rows = data.units.map((u) => h('tr', null,
    h('th', { scope: 'row', text: u.unit.name }),
    u.months.map((m) => {
      if (m.flag) flagged += 1;
      return h('td', {
        class: ['num', m.flag ? `flag flag-${m.flag}` : null],
        dataset: m.flag ? { flag: m.flag, unit: u.unit.code, month: m.month } : null,
        title: m.flag ? t(`db.flag.${m.flag}`) : null,
      }, formatNumber(m.online), m.flag ? h('span', { class: 'flag-mark', text: t(`db.flag.${m.flag}`) }) : null);
    })));
  const table = h('div', { class: 'table-wrap' },
    h('table', { class: 'data-table db-flags-table', id: 'db-flags' },
      h('thead', null, h('tr', null, h('th', { scope: 'col', text: t('db.unit') }), months.map((m) => h('th', { scope: 'col', class: 'num', text: monthLabel(m) })))),
      h('tbody', null, rows)));
  return card('db-flags-card', 'db.flags',
    h('p', { class: 'muted', text: t('db.flags_lead') }),
    h('p', { class: ['db-flag-count', flagged ? 'has-flags' : null], id: 'db-flag-count', text: flagged ? t('db.flag_count', { n: flagged }) : t('db.no_flags') }),
    table);
}

function onTimeCard() {
  const canvas = h('canvas', { id: 'chart-on-time', role: 'img', 'aria-label': t('db.on_time') });
  const draw = () => chart(canvas, {
    type: 'line',
    data: {
      labels: data.on_time_rate.map((m) => monthLabel(m.month)),
      datasets: [{ label: t('db.on_time_series'), data: data.on_time_rate.map((m) => m.rate), borderColor: COLORS.ontime, backgroundColor: COLORS.ontime, tension: 0.2, spanGaps: true }],
    },
    options: { scales: { y: { min: 0, max: 100 } } },
  });
  return { el: card('db-on-time', 'db.on_time', h('div', { class: 'chart-box' }, canvas)), draw };
}

function overdueCard() {
  const list = data.overdue_by_unit;
  const asOf = h('p', { class: 'muted', text: t('db.overdue_as_of', { d: formatDateTime(data.as_of) }) });
  if (!list.length) return { el: card('db-overdue', 'db.overdue', asOf, emptyBox(t('db.overdue_none'))), draw: () => {} };
  const canvas = h('canvas', { id: 'chart-overdue', role: 'img', 'aria-label': t('db.overdue') });
  const draw = () => chart(canvas, {
    type: 'bar',
    data: { labels: list.map((x) => x.unit.name), datasets: [{ label: t('db.overdue'), data: list.map((x) => x.overdue), backgroundColor: COLORS.overdue }] },
    options: { indexAxis: 'y', plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } },
  });
  return { el: card('db-overdue', 'db.overdue', asOf, h('div', { class: 'chart-box' }, canvas)), draw };
}

function lateCard() {
  const list = data.most_late_procedures;
  if (!list.length) return card('db-late', 'db.late', emptyBox(t('db.late_none')));
  return card('db-late', 'db.late', h('div', { class: 'table-wrap' },
    h('table', { class: 'data-table db-late-table', id: 'db-late-table' },
      h('thead', null, h('tr', null,
        h('th', { scope: 'col', class: 'num', text: t('db.col_no') }),
        h('th', { scope: 'col', text: t('db.col_proc') }),
        h('th', { scope: 'col', class: 'num', text: t('db.col_late') }),
        h('th', { scope: 'col', class: 'num', text: t('db.col_resolved') }),
        h('th', { scope: 'col', class: 'num', text: t('db.col_share') }))),
      h('tbody', null, list.map((x, i) => h('tr', null,
        h('td', { class: 'num', text: formatNumber(i + 1) }),
        h('td', null, h('span', { class: 'code-sub', text: x.procedure.code }), ' ', x.procedure.name),
        h('td', { class: 'num', text: formatNumber(x.late) }),
        h('td', { class: 'num', text: formatNumber(x.resolved) }),
        h('td', { class: 'num', text: pct(x.resolved ? Math.round((x.late * 1000) / x.resolved) / 10 : null) })))))));
}

function satisfactionCard() {
  const s = data.satisfaction;
  const keys = ['very_satisfied', 'satisfied', 'not_satisfied'];
  const legend = h('ul', { class: 'db-sat-list', id: 'db-sat' }, keys.map((k) => h('li', { dataset: { key: k } },
    h('span', { class: `legend-dot sat-${k}`, 'aria-hidden': 'true' }), `${t('db.sat.' + k)}: `, h('strong', { text: formatNumber(s[k]) }))));
  if (!s.ratings) return { el: card('db-satisfaction', 'db.satisfaction', emptyBox(t('db.sat_none')), legend), draw: () => {} };
  const canvas = h('canvas', { id: 'chart-satisfaction', role: 'img', 'aria-label': t('db.satisfaction') });
  const draw = () => chart(canvas, {
    type: 'doughnut',
    data: { labels: keys.map((k) => t('db.sat.' + k)), datasets: [{ data: keys.map((k) => s[k]), backgroundColor: COLORS.sat }] },
  });
  return {
    el: card('db-satisfaction', 'db.satisfaction', h('p', { class: 'muted', text: t('db.sat_total', { n: formatNumber(s.ratings) }) }),
      h('div', { class: 'chart-box chart-box-small' }, canvas), legend),
    draw,
  };
}

function indicatorsCard() {
  if (!indicators || indicators instanceof Error) {
    return card('db-indicators', 'db.indicators', indicators instanceof Error ? problemBox(indicators) : loadingBox());
  }
  const en = getLang() === 'en';
  return card('db-indicators', 'db.indicators', h('ul', { class: 'db-indicators', id: 'db-indicator-list' },
    (indicators.indicators || []).map((x) => h('li', { class: 'db-indicator', dataset: { key: x.key } },
      h('div', { class: 'db-ind-head' },
        h('span', { class: 'db-ind-name', text: en ? x.name_en : x.name_vi }),
        h('span', { class: 'db-ind-value', text: x.value === null || x.value === undefined ? t('db.ind_na') : pct(x.value) })),
      h('p', { class: 'db-ind-formula' },
        h('span', { class: 'muted', text: `${t('db.ind_formula')}: ` }), en ? x.formula_en : x.formula_vi,
        ` = ${formatNumber(x.numerator)} / ${formatNumber(x.denominator)}`)))));
}

function render() {
  destroyCharts();
  if (!data) return;
  const received = receivedCard();
  const onTime = onTimeCard();
  const overdue = overdueCard();
  const sat = satisfactionCard();
  mount(els.result,
    h('p', { class: 'db-scope muted', id: 'db-scope', text: `${data.unit.name} · ${data.from.split('-').reverse().join('/')} – ${data.to.split('-').reverse().join('/')}` }),
    received.el,
    flagsCard(),
    h('div', { class: 'db-grid' }, onTime.el, overdue.el),
    h('div', { class: 'db-grid db-grid-wide' }, lateCard(), sat.el),
    indicatorsCard());
  for (const c of [received, onTime, overdue, sat]) c.draw();
  document.body.dataset.dashboard = 'ready';
}

async function load() {
  const s = state();
  const { from, to } = periodRange(s.period);
  delete document.body.dataset.dashboard;
  destroyCharts();
  mount(els.result, loadingBox());
  const q = { unit: s.unit, from, to };
  const warnings = document.getElementById('warnings');
  if (warnings) warnings.dataset.unit = s.unit;     // js/officer/warnings.js follows it
  indicators = null;
  try {
    data = await api.get('/reports/dashboard', q);
  } catch (e) {
    data = null;
    mount(els.result, problemBox(e));
    return;
  }
  if (chartUnit && !data.units.some((u) => u.unit.code === chartUnit)) chartUnit = '';
  render();
  try {
    indicators = await api.get('/reports/indicators', q);
  } catch (e) {
    indicators = e instanceof Error ? e : new Error(t('db.ind_unavailable'));
  }
  const old = document.getElementById('db-indicators');
  if (old) old.replaceWith(indicatorsCard());
}

async function main() {
  session = await initOfficerPage({ page: 'dashboard', title: 'db.title', roles: ['monitor', 'leader', 'admin'] });
  if (!session) return;
  const s = state();
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
    history.replaceState(null, '', `thong-ke.html?${sp}`);
    load();
  });
  document.addEventListener('langchange', () => { drawForm(); render(); });
  if (!s.unit) return;
  load();
}

main();
