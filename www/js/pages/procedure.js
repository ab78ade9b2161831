// One procedure, laid out the way the national catalog shows it.

import { getJSON, seg } from '../api.js';
import { h, mount, clear, safeUrl, multiline } from '../dom.js';
import { t, label, formatNumber, formatDuration, formatMoney, formatDate } from '../i18n.js';
import { initLayout, onLang, setTitle } from '../layout.js';
import { loadingBox, errorBox, serviceLevelBadge } from '../ui.js';

const code = (new URLSearchParams(window.location.search).get('code') || '').trim();
let proc = null;
let error = null;

const arr = (x) => (Array.isArray(x) ? x : []);
const empty = () => h('p', { class: 'muted', text: t('proc.empty_section') });
const textOrEmpty = (s) => (s && String(s).trim() ? multiline(s) : empty());

function section(id, titleKey, ...content) {
  return h('section', { class: 'proc-section', id, 'aria-labelledby': id + '-h' },
    h('h2', { class: 'proc-section-title', id: id + '-h', text: t(titleKey) }),
    ...content);
}

/** A two-column "label: value" row of the summary table. */
function row(key, ...value) {
  return h('tr', null, h('th', { scope: 'row', text: t(key) }), h('td', null, ...value));
}

function feesCell(fees) {
  const list = arr(fees);
  if (list.length === 0) return h('span', { text: t('common.none') });
  return h('ul', { class: 'plain-list' }, list.map((f) => h('li', null,
    h('strong', { text: label('fee', f.kind) + ': ' }),
    Number(f.amount_vnd) > 0 ? formatMoney(f.amount_vnd) : t('proc.fee_free'),
    f.description ? h('span', { class: 'fee-desc', text: f.description }) : null)));
}

function channelsTable(p) {
  const rows = arr(p.channels);
  if (rows.length === 0) return empty();
  const cols = [['proc.ch_channel', 'ch-channel'], ['proc.ch_time', 'ch-time'], ['proc.ch_fees', 'ch-fees'], ['proc.ch_desc', 'ch-desc']];
  return h('div', { class: 'table-wrap' }, h('table', { class: 'data-table channels-table' },
    h('thead', null, h('tr', null, cols.map(([k, cls]) => h('th', { scope: 'col', class: cls, text: t(k) })))),
    h('tbody', null, rows.map((c) => h('tr', null,
      h('td', { 'data-label': t('proc.ch_channel'), class: 'ch-channel' }, h('strong', { text: label('channel', c.channel) })),
      h('td', { 'data-label': t('proc.ch_time'), class: 'ch-time', text: formatDuration(c.processing_time, c.time_unit) }),
      h('td', { 'data-label': t('proc.ch_fees'), class: 'ch-fees' }, feesCell(c.fees)),
      h('td', { 'data-label': t('proc.ch_desc'), class: 'ch-desc' }, c.description ? multiline(c.description, 'cell-prose') : null))))));
}

function templateCell(url) {
  const href = safeUrl(url);
  if (!href) return null;
  let name = '';
  try { name = decodeURIComponent(new URL(href).pathname.split('/').pop() || ''); } catch (e) { name = ''; }
  return h('a', { href, class: 'doc-template', rel: 'noopener', download: '' },
    h('span', { class: 'icon-download', 'aria-hidden': 'true' }), name || t('common.download'));
}

function documentsBlock(p) {
  const cases = arr(p.documents);
  if (cases.length === 0) return empty();
  return cases.map((c) => h('div', { class: 'doc-case' },
    h('h3', { class: 'doc-case-title', text: c.case_name && c.case_name.trim() ? c.case_name : t('proc.doc_case_default') }),
    h('div', { class: 'table-wrap' }, h('table', { class: 'data-table docs-table' },
      h('thead', null, h('tr', null,
        [['proc.doc_no', 'col-no'], ['proc.doc_name', 'doc-name'], ['proc.doc_template', 'doc-template-col'], ['proc.doc_count', 'doc-count-col']]
          .map(([k, cls]) => h('th', { scope: 'col', class: cls, text: t(k) })))),
      h('tbody', null, arr(c.items).map((d, i) => h('tr', null,
        h('td', { class: 'col-no', 'data-label': t('proc.doc_no'), text: formatNumber(i + 1) }),
        h('td', { 'data-label': t('proc.doc_name') },
          d.name,
          d.required === false ? h('span', { class: 'muted', text: ' ' + t('proc.doc_optional') }) : null),
        h('td', { 'data-label': t('proc.doc_template') }, templateCell(d.template_url)),
        h('td', { class: 'nowrap', 'data-label': t('proc.doc_count') },
          h('span', { class: 'doc-count', text: t('proc.doc_originals', { n: formatNumber(d.originals ?? 0) }) }),
          h('br'),
          h('span', { class: 'doc-count', text: t('proc.doc_copies', { n: formatNumber(d.copies ?? 0) }) })))))))));
}

function stepsBlock(p) {
  const steps = arr(p.steps).filter((s) => s && String(s).trim());
  if (steps.length === 0) return empty();
  return h('ol', { class: 'steps-list' }, steps.map((s) => h('li', { class: 'pre-line', text: s })));
}

function legalTable(p) {
  const rows = arr(p.legal_bases);
  if (rows.length === 0) return empty();
  return h('div', { class: 'table-wrap' }, h('table', { class: 'data-table' },
    h('thead', null, h('tr', null,
      ['proc.lb_number', 'proc.lb_title', 'proc.lb_date'].map((k) => h('th', { scope: 'col', text: t(k) })))),
    h('tbody', null, rows.map((l) => h('tr', null,
      h('td', { class: 'nowrap', 'data-label': t('proc.lb_number') }, h('strong', { text: l.number })),
      h('td', { 'data-label': t('proc.lb_title'), text: l.title }),
      h('td', { class: 'nowrap', 'data-label': t('proc.lb_date'), text: formatDate(l.issued_on) }))))));
}

/** The time a process step gets: share of the total, in working hours for working days. */
function stepTime(p, permille) {
  const share = Number(permille) / 1000;
  const total = Number(p.processing_time);
  if (!Number.isFinite(share) || !Number.isFinite(total) || total <= 0) return '';
  if (p.time_unit === 'working_days') {
    const hours = Math.round(total * 8 * share * 100) / 100;
    if (hours > 0 && hours < 1) return formatDuration(Math.round(hours * 60), 'minutes');
    return formatDuration(hours, hours === 1 ? 'working_hour' : 'working_hours');
  }
  return formatDuration(Math.round(total * share * 100) / 100, p.time_unit);
}

function processBlock(p) {
  const steps = arr(p.process).slice().sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0));
  if (steps.length === 0) return empty();
  const totalPermille = steps.reduce((a, s) => a + (Number(s.share_permille) || 0), 0);
  return h('div', { class: 'table-wrap' }, h('table', { class: 'data-table process-table' },
    h('thead', null, h('tr', null,
      ['proc.pr_seq', 'proc.pr_name', 'proc.pr_role', 'proc.pr_unit', 'proc.pr_share'].map((k) => h('th', { scope: 'col', text: t(k) })))),
    h('tbody', null, steps.map((s) => {
      const pct = (Number(s.share_permille) || 0) / 10;
      return h('tr', null,
        h('td', { class: 'col-no', 'data-label': t('proc.pr_seq'), text: formatNumber(s.seq) }),
        h('td', { 'data-label': t('proc.pr_name'), text: s.name }),
        h('td', { 'data-label': t('proc.pr_role'), text: label('role', s.role) }),
        h('td', { 'data-label': t('proc.pr_unit'), text: label('ul', s.unit_level) }),
        h('td', { 'data-label': t('proc.pr_share'), class: 'share-cell' },
          h('span', { class: 'share-text', text: [stepTime(p, s.share_permille), formatNumber(pct, { maximumFractionDigits: 1 }) + '%'].filter(Boolean).join(' · ') }),
          h('progress', { class: 'share-bar', max: 1000, value: Math.min(1000, Math.max(0, Number(s.share_permille) || 0)), 'aria-hidden': 'true' })));
    })),
    h('tfoot', null, h('tr', null,
      h('th', { scope: 'row', colspan: 4, text: t('proc.pr_total') }),
      h('td', { text: [formatDuration(p.processing_time, p.time_unit), formatNumber(totalPermille / 10, { maximumFractionDigits: 1 }) + '%'].join(' · ') })))));
}

function summaryTable(p) {
  const levels = arr(p.levels).map((l) => label('level', l)).join(', ');
  return h('div', { class: 'table-wrap' }, h('table', { class: 'summary-table' }, h('tbody', null,
    row('proc.code', h('span', { class: 'code', id: 'proc-code', text: p.code })),
    row('proc.name', h('strong', { text: p.name })),
    row('proc.field', p.field ? h('a', { href: 'thu-tuc.html?field=' + encodeURIComponent(p.field.code), text: p.field.name }) : ''),
    row('proc.levels', levels),
    row('proc.agency', p.agency || ''),
    row('proc.applicants', p.applicants || t('common.not_specified')),
    row('proc.service_level', serviceLevelBadge(p.service_level), ' ', h('span', { class: 'muted', text: label('sl_long', p.service_level) })),
    row('proc.processing_time', formatDuration(p.processing_time, p.time_unit),
      p.time_note ? h('div', { class: 'muted pre-line', text: p.time_note }) : null),
  )));
}

const TOC = [
  ['sec-summary', 'proc.title'],
  ['sec-channels', 'proc.channels'],
  ['sec-documents', 'proc.documents'],
  ['sec-steps', 'proc.steps'],
  ['sec-conditions', 'proc.conditions'],
  ['sec-legal', 'proc.legal_bases'],
  ['sec-result', 'proc.result'],
  ['sec-process', 'proc.process'],
];

function submitButton(p, id) {
  if (p.service_level !== 'full' && p.service_level !== 'partial') return null;
  return h('a', { class: 'btn btn-accent btn-lg', id, href: 'nop-ho-so.html?code=' + encodeURIComponent(p.code) },
    t('proc.submit_online'));
}

function render() {
  const box = document.getElementById('procedure');
  const actions = document.getElementById('proc-actions');
  const title = document.getElementById('proc-title');
  const crumb = document.getElementById('crumb-code');
  if (!code) { mount(box, errorBox({ userMessage: () => t('proc.missing_code') })); return; }
  if (error) {
    title.textContent = t('proc.title');
    clear(actions);
    mount(box, errorBox(error), h('p', null, h('a', { href: 'thu-tuc.html', text: t('common.back_to_list') })));
    return;
  }
  if (!proc) { mount(box, loadingBox()); return; }
  const p = proc;
  title.textContent = p.name;
  crumb.textContent = p.code;
  setTitle(p.name);
  mount(actions,
    h('span', { class: 'code code-lg', text: p.code }),
    serviceLevelBadge(p.service_level),
    submitButton(p, 'submit-online'));
  mount(box, h('div', { class: 'proc-layout' },
    h('nav', { class: 'proc-toc card', 'aria-label': t('proc.contents') },
      h('p', { class: 'toc-title', text: t('proc.contents') }),
      h('ol', null, TOC.map(([id, key]) => h('li', null, h('a', { href: '#' + id, text: t(key) }))))),
    h('article', { class: 'proc-body' },
      section('sec-summary', 'proc.title', summaryTable(p)),
      section('sec-channels', 'proc.channels', channelsTable(p)),
      section('sec-documents', 'proc.documents', documentsBlock(p)),
      section('sec-steps', 'proc.steps', stepsBlock(p)),
      section('sec-conditions', 'proc.conditions', textOrEmpty(p.conditions)),
      section('sec-legal', 'proc.legal_bases', legalTable(p)),
      section('sec-result', 'proc.result', textOrEmpty(p.result)),
      section('sec-process', 'proc.process', processBlock(p)),
      submitButton(p) ? h('div', { class: 'proc-bottom-action' }, submitButton(p, 'submit-online-bottom')) : null)));
}

async function load() {
  if (!code) { render(); return; }
  try {
    proc = await getJSON('/procedures/' + seg(code));
  } catch (e) {
    error = e;
  }
  render();
}

initLayout({ page: 'procedures', title: () => (proc ? proc.name : t('proc.title')) });
onLang(render);
render();
load();
