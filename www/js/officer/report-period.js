// What the two report pages (thong-ke.html, bao-cao.html) share: the unit chooser limited
// to the officer's subtree, and the period chooser (a month, a quarter, six months, a year
// or any range of days) that turns into the API's from/to local days (YYYY-MM-DD).

import { h, mount } from '../dom.js';
import { t, addStrings } from '../i18n.js';
import { api } from './client.js';
import { field } from './widgets.js';

addStrings({
  'rp.unit': ['Đơn vị', 'Unit'],
  'rp.period': ['Kỳ báo cáo', 'Period'],
  'rp.kind.month': ['Tháng', 'Month'],
  'rp.kind.quarter': ['Quý', 'Quarter'],
  'rp.kind.half': ['6 tháng', 'Six months'],
  'rp.kind.year': ['Năm', 'Year'],
  'rp.kind.range': ['Từ ngày – đến ngày', 'Any range of days'],
  'rp.year': ['Năm', 'Year'],
  'rp.month_n': ['Tháng {n}', 'Month {n}'],
  'rp.quarter_n': ['Quý {n}', 'Quarter {n}'],
  'rp.half_1': ['6 tháng đầu năm', 'First half'],
  'rp.half_2': ['6 tháng cuối năm', 'Second half'],
  'rp.which': ['Kỳ', 'Which'],
  'rp.from': ['Từ ngày', 'From'],
  'rp.to': ['Đến ngày', 'To'],
  'rp.show': ['Xem báo cáo', 'Show'],
});

export const KINDS = ['month', 'quarter', 'half', 'year', 'range'];

const pad = (n) => String(n).padStart(2, '0');
const ymd = (y, m, d) => `${y}-${pad(m)}-${pad(d)}`;
const lastDay = (y, m) => new Date(Date.UTC(y, m, 0)).getUTCDate();

/** Today in Vietnam time as {y, m, d}. */
export function todayVN() {
  const s = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  const [y, m, d] = s.split('-').map(Number);
  return { y, m, d };
}

/**
 * {kind, year, n, from, to} -> {from, to} (local days, both included). n: the month
 * (1–12), quarter (1–4) or half (1–2) of the year.
 */
export function periodRange(p) {
  const y = Number(p.year);
  const n = Number(p.n) || 1;
  switch (p.kind) {
    case 'month': return { from: ymd(y, n, 1), to: ymd(y, n, lastDay(y, n)) };
    case 'quarter': return { from: ymd(y, 3 * n - 2, 1), to: ymd(y, 3 * n, lastDay(y, 3 * n)) };
    case 'half': return { from: ymd(y, 6 * n - 5, 1), to: ymd(y, 6 * n, lastDay(y, 6 * n)) };
    case 'year': return { from: ymd(y, 1, 1), to: ymd(y, 12, 31) };
    default: return { from: p.from, to: p.to };
  }
}

/** The period in the URL (?period=quarter&year=2026&n=2 or ?from=&to=), else dflt. */
export function periodFromUrl(sp, dflt) {
  const kind = sp.get('period');
  if (KINDS.includes(kind)) {
    return { kind, year: Number(sp.get('year')) || dflt.year, n: Number(sp.get('n')) || 1, from: sp.get('from') || '', to: sp.get('to') || '' };
  }
  if (sp.get('from') && sp.get('to')) return { kind: 'range', year: dflt.year, n: 1, from: sp.get('from'), to: sp.get('to') };
  return dflt;
}

export function periodToUrl(sp, p) {
  sp.set('period', p.kind);
  if (p.kind === 'range') {
    sp.set('from', p.from); sp.set('to', p.to); sp.delete('year'); sp.delete('n');
  } else {
    sp.set('year', String(p.year));
    if (p.kind !== 'year') sp.set('n', String(p.n)); else sp.delete('n');
    sp.delete('from'); sp.delete('to');
  }
}

function whichOptions(kind) {
  if (kind === 'month') return Array.from({ length: 12 }, (_, i) => h('option', { value: String(i + 1), text: t('rp.month_n', { n: i + 1 }) }));
  if (kind === 'quarter') return [1, 2, 3, 4].map((n) => h('option', { value: String(n), text: t('rp.quarter_n', { n }) }));
  if (kind === 'half') return [h('option', { value: '1', text: t('rp.half_1') }), h('option', { value: '2', text: t('rp.half_2') })];
  return [];
}

/**
 * The period controls in box; get() reads the period back. The "which" and the dates show
 * only for the kinds that use them.
 */
export function periodControls(box, p) {
  const { y: thisYear } = todayVN();
  const kind = h('select', { id: 'rp-kind', name: 'period' }, KINDS.map((k) => h('option', { value: k, text: t('rp.kind.' + k) })));
  const year = h('select', { id: 'rp-year', name: 'year' },
    Array.from({ length: 6 }, (_, i) => thisYear - i).map((yy) => h('option', { value: String(yy), text: String(yy) })));
  const which = h('select', { id: 'rp-n', name: 'n' });
  const from = h('input', { type: 'date', id: 'rp-from', name: 'from' });
  const to = h('input', { type: 'date', id: 'rp-to', name: 'to' });
  const fYear = field({ label: t('rp.year'), control: year, id: 'rp-year' });
  const fWhich = field({ label: t('rp.which'), control: which, id: 'rp-n' });
  const fFrom = field({ label: t('rp.from'), control: from, id: 'rp-from', name: 'from' });
  const fTo = field({ label: t('rp.to'), control: to, id: 'rp-to', name: 'to' });
  const sync = () => {
    const k = kind.value;
    const keep = which.value;
    mount(which, whichOptions(k));
    if (keep && Array.from(which.options).some((o) => o.value === keep)) which.value = keep;
    fYear.hidden = k === 'range';
    fWhich.hidden = k === 'range' || k === 'year';
    fFrom.hidden = fTo.hidden = k !== 'range';
  };
  kind.value = p.kind;
  if (!Array.from(year.options).some((o) => o.value === String(p.year))) year.appendChild(h('option', { value: String(p.year), text: String(p.year) }));
  year.value = String(p.year);
  sync();
  which.value = String(p.n || 1);
  const r = periodRange(p);
  from.value = r.from || '';
  to.value = r.to || '';
  kind.addEventListener('change', sync);
  mount(box, field({ label: t('rp.period'), control: kind, id: 'rp-kind' }), fYear, fWhich, fFrom, fTo);
  return () => ({ kind: kind.value, year: Number(year.value), n: Number(which.value) || 1, from: from.value, to: to.value });
}

/** The units of the subtree rooted at the officer's unit, in tree order with their depth. */
export async function subtreeUnits(rootCode) {
  const r = await api.get('/units');
  const items = r.items || [];
  const children = new Map();
  for (const u of items) {
    const k = u.parent_code || '';
    if (!children.has(k)) children.set(k, []);
    children.get(k).push(u);
  }
  const out = [];
  const walk = (u, depth) => {
    out.push({ ...u, depth });
    for (const c of children.get(u.code) || []) walk(c, depth + 1);
  };
  const root = items.find((u) => u.code === rootCode);
  if (root) walk(root, 0);
  return out;
}

/** A unit <select> (indented by depth). */
export function unitSelect(units, selected) {
  const sel = h('select', { id: 'rp-unit', name: 'unit' },
    units.map((u) => h('option', { value: u.code, text: `${'\u00a0\u00a0'.repeat(u.depth)}${u.short_name || u.name}` })));
  if (selected) sel.value = selected;
  return sel;
}

/** "2026-03" -> "03/2026". */
export function monthLabel(m) {
  const [y, mm] = String(m).split('-');
  return `${mm}/${y}`;
}
