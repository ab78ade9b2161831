// Reception at the desk (tiếp nhận hồ sơ, role desk): pick the procedure (GET
// /api/v1/procedures?q= then /procedures/{code}), its case, tick the documents handed in,
// the channels, the applicant → POST /api/v1/dossiers → the new code, the secret (shown
// once), the due date, and the receipt (POST /dossiers/{code}/receipt {pin} → PDF).
// Labels carry data-i18n so a language switch relabels the form without losing input.

import './strings.js';
import { h, mount, clear } from '../dom.js';
import { t, formatDateTime, formatDuration, formatNumber } from '../i18n.js';
import { seg } from '../api.js';
import { loadingBox } from '../ui.js';
import { initOfficerPage } from './frame.js';
import { api } from './client.js';
import { field, clearErrors, showProblem, checkRequired, fieldError, busy, problemBox, badge } from './widgets.js';

const root = document.getElementById('reception');

/** A text node that follows the language (applyI18n runs on every switch). */
const tx = (key) => h('span', { dataset: { i18n: key }, text: t(key) });

let procedure = null;       // the picked procedure's detail
let caseName = '';          // the picked case ('' when the procedure has one list)
let checked = new Set();    // seqs of the documents ticked
let results = null;         // search answer
let searchError = null;
let controller = null;

// ---- Procedure ------------------------------------------------------------------------

const qInput = h('input', {
  type: 'search', id: 'rc-q', name: 'q', autocomplete: 'off', maxlength: '200',
  placeholder: t('o.rc.search_ph'), dataset: { i18nPlaceholder: 'o.rc.search_ph' }, 'aria-describedby': 'rc-q-hint',
});
const resultsBox = h('div', { class: 'rc-results', id: 'rc-results', 'aria-live': 'polite' });
const pickedBox = h('div', { class: 'rc-picked', id: 'rc-picked' });
const searchRow = h('div', { class: 'rc-search' },
  h('label', { for: 'rc-q' }, tx('o.rc.search_label')),
  h('div', { class: 'input-with-button' },
    qInput,
    h('button', { type: 'button', class: 'btn btn-primary', id: 'rc-search', on: { click: () => search() } },
      h('span', { class: 'icon-search', 'aria-hidden': 'true' }), tx('o.rc.search'))),
  h('p', { class: 'field-hint', id: 'rc-q-hint' }, tx('home.search_hint')),
  resultsBox);
qInput.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') { ev.preventDefault(); search(); } });

async function search() {
  const q = qInput.value.trim();
  if (!q) { qInput.focus(); return; }
  if (controller) controller.abort();
  controller = new AbortController();
  mount(resultsBox, loadingBox());
  try {
    results = await api.get('/procedures', { q, per_page: 8 }, { signal: controller.signal });
    searchError = null;
  } catch (e) {
    if (e && e.name === 'AbortError') return;
    searchError = e; results = null;
  }
  renderResults();
}

function renderResults() {
  if (searchError) { mount(resultsBox, problemBox(searchError)); return; }
  if (!results) { clear(resultsBox); return; }
  const items = Array.isArray(results.items) ? results.items : [];
  if (!items.length) { mount(resultsBox, h('p', { class: 'muted', text: t('o.rc.results_empty') })); return; }
  mount(resultsBox, h('ul', { class: 'rc-result-list' }, items.map((p) => h('li', null,
    h('button', {
      type: 'button', class: 'rc-result', dataset: { code: p.code },
      on: { click: () => pick(p.code) },
    },
    h('span', { class: 'rc-result-name', text: p.name }),
    h('span', { class: 'rc-result-meta' },
      h('span', { class: 'code', text: p.code }),
      p.field ? ' · ' + p.field.name : '',
      p.processing_time !== undefined ? ' · ' + formatDuration(p.processing_time, p.time_unit) : ''))))));
}

async function pick(code) {
  mount(pickedBox, loadingBox());
  try {
    procedure = await api.get('/procedures/' + seg(code));
  } catch (e) {
    procedure = null;
    mount(pickedBox, problemBox(e));
    return;
  }
  const cases = caseNames();
  caseName = cases.length === 1 && !hasCommon() ? cases[0] : '';
  checked = new Set();
  renderProcedure();
  renderDocuments();
  const sel = document.getElementById('rc-case');
  if (sel && needsCase()) sel.focus();
  else document.getElementById('rc-documents').scrollIntoView({ block: 'nearest' });
}

/** The procedure lists documents for every case (case_name ''), beside the named cases. */
function hasCommon() {
  const docs = procedure && Array.isArray(procedure.documents) ? procedure.documents : [];
  return docs.some((c) => (c.case_name || '') === '');
}

/** A case must be picked when there are named cases and no common list to fall back on. */
function needsCase() { return caseNames().length > 1 && !hasCommon(); }

function caseNames() {
  const docs = procedure && Array.isArray(procedure.documents) ? procedure.documents : [];
  return docs.map((c) => c.case_name || '').filter((n) => n !== '');
}

function renderProcedure() {
  if (!procedure) {
    searchRow.hidden = false;
    clear(pickedBox);
    return;
  }
  searchRow.hidden = true;
  const cases = caseNames();
  const common = hasCommon();
  // With a common list, the named cases are special situations that add documents: the
  // first option is the ordinary case. Without one, a case must be picked.
  const caseSel = cases.length > 1 || (cases.length === 1 && common) ? field({
    label: t('o.rc.case'), name: 'case_name', type: 'select', required: !common, id: 'rc-case',
    options: [h('option', { value: '', text: common ? t('o.rc.case_common') : t('o.rc.case_pick') }), cases.map((c) => h('option', { value: c, text: c }))],
    value: caseName,
  }) : null;
  if (caseSel) {
    caseSel.querySelector('select').addEventListener('change', (ev) => {
      caseName = ev.target.value;
      renderDocuments();
    });
  }
  mount(pickedBox,
    h('div', { class: 'rc-proc', id: 'rc-proc', dataset: { code: procedure.code } },
      h('div', null,
        h('p', { class: 'rc-proc-name', text: procedure.name }),
        h('p', { class: 'rc-proc-meta' },
          h('span', { class: 'code', text: procedure.code }),
          procedure.field ? ' · ' + procedure.field.name : '',
          ' · ', t('o.rc.time', { t: formatDuration(procedure.processing_time, procedure.time_unit) }))),
      h('button', {
        type: 'button', class: 'btn btn-link', id: 'rc-change',
        on: { click: () => { procedure = null; caseName = ''; checked = new Set(); renderProcedure(); renderDocuments(); qInput.focus(); } },
        text: t('o.rc.change'),
      })),
    cases.length === 1 && !common ? h('p', { class: 'rc-case-one' }, h('strong', { text: t('o.rc.case') + ': ' }), cases[0]) : null,
    caseSel);
}

// ---- Documents ----------------------------------------------------------------------------

const docsBox = h('div', { id: 'rc-documents', class: 'rc-documents' });
const docsField = h('div', { class: 'form-field', dataset: { field: 'documents' } },
  h('p', { class: 'field-hint' }, tx('o.rc.documents_hint')),
  docsBox,
  h('p', { class: 'field-error', id: 'rc-documents-error', 'aria-live': 'polite' }));

/** The documents to show: the common list ('' case) and the picked case's, each with its seq. */
function visibleDocuments() {
  const out = [];
  const groups = procedure && Array.isArray(procedure.documents) ? procedure.documents : [];
  let running = 0;
  for (const g of groups) {
    for (const it of Array.isArray(g.items) ? g.items : []) {
      running += 1;
      // The catalog answer has no document seq yet: documents come in seq order across
      // cases, so the running position is the seq (see the report).
      const seq = Number.isInteger(it.seq) ? it.seq : running;
      if ((g.case_name || '') === '' || g.case_name === caseName) out.push({ ...it, seq, case_name: g.case_name || '' });
    }
  }
  return out;
}

function renderDocuments() {
  if (!procedure) { mount(docsBox, h('p', { class: 'muted', text: t('o.rc.need_procedure') })); return; }
  if (needsCase() && !caseName) { mount(docsBox, h('p', { class: 'muted', text: t('o.rc.documents_pick_case') })); return; }
  const docs = visibleDocuments();
  if (!docs.length) { mount(docsBox, h('p', { class: 'muted', text: t('proc.empty_section') })); return; }
  mount(docsBox, h('ul', { class: 'doc-checklist' }, docs.map((d) => {
    const id = 'rc-doc-' + d.seq;
    const cb = h('input', {
      type: 'checkbox', id, name: 'documents', value: String(d.seq), checked: checked.has(d.seq),
      dataset: { required: d.required ? 'true' : 'false' },
      on: {
        change: (ev) => {
          if (ev.target.checked) checked.add(d.seq); else checked.delete(d.seq);
          document.getElementById('rc-documents-error').textContent = '';
        },
      },
    });
    return h('li', { class: ['doc-check', d.required ? 'is-required' : null] },
      cb,
      h('label', { for: id },
        h('span', { class: 'doc-check-name' }, d.name, d.required ? h('span', { class: 'req', 'aria-hidden': 'true', text: ' *' }) : null),
        h('span', { class: 'doc-check-meta' },
          d.required ? badge(t('o.rc.doc_required'), 'danger') : badge(t('o.rc.doc_optional'), 'neutral'),
          ' ',
          t('o.rc.doc_counts', { o: formatNumber(d.originals ?? 0), c: formatNumber(d.copies ?? 0) }))));
  })));
}

// ---- Channels and applicant ------------------------------------------------------------------

function radio(name, value, key, checkedNow) {
  const id = `rc-${name}-${value}`;
  return h('label', { class: 'radio', for: id },
    h('input', { type: 'radio', id, name, value, checked: checkedNow }),
    tx(key));
}

// Required (and shown) only for a postal dossier.
const waybillField = field({ label: tx('o.rc.waybill'), name: 'waybill', id: 'rc-waybill', required: true, attrs: { maxlength: 64, autocomplete: 'off', spellcheck: 'false' } });
waybillField.querySelector('input').required = false;
waybillField.hidden = true;

const channelField = h('fieldset', { class: 'form-field radio-group', dataset: { field: 'channel' } },
  h('legend', null, tx('o.rc.channel')),
  h('div', { class: 'radio-col' },
    radio('channel', 'direct', 'o.rc.ch_direct', true),
    radio('channel', 'postal', 'o.rc.ch_postal', false)),
  h('p', { class: 'field-error', 'aria-live': 'polite' }));

const resultChannelField = field({
  label: tx('o.rc.result_channel'), name: 'result_channel', type: 'select', id: 'rc-result-channel', value: 'direct',
  options: [
    h('option', { value: 'direct', dataset: { i18n: 'o.rc.rc_direct' }, text: t('o.rc.rc_direct') }),
    h('option', { value: 'online', dataset: { i18n: 'o.rc.rc_online' }, text: t('o.rc.rc_online') }),
    h('option', { value: 'postal', dataset: { i18n: 'o.rc.rc_postal' }, text: t('o.rc.rc_postal') }),
  ],
});

const kindField = h('fieldset', { class: 'form-field radio-group', dataset: { field: 'applicant_kind' } },
  h('legend', null, tx('o.rc.ap_kind')),
  h('div', { class: 'radio-row' },
    radio('applicant_kind', 'citizen', 'o.ds.kind.citizen', true),
    radio('applicant_kind', 'organization', 'o.ds.kind.organization', false)),
  h('p', { class: 'field-error', 'aria-live': 'polite' }));

const applicantFields = h('div', { class: 'rc-grid' },
  field({ label: tx('o.rc.ap_name'), name: 'applicant_name', id: 'rc-ap-name', required: true, class: 'span-2', attrs: { maxlength: 255, autocomplete: 'off' } }),
  field({ label: tx('o.rc.ap_id'), name: 'applicant_id_number', id: 'rc-ap-id', attrs: { maxlength: 32, autocomplete: 'off', inputmode: 'numeric' } }),
  field({ label: tx('o.rc.ap_phone'), name: 'applicant_phone', id: 'rc-ap-phone', type: 'tel', attrs: { maxlength: 32, autocomplete: 'off' } }),
  field({ label: tx('o.rc.ap_email'), name: 'applicant_email', id: 'rc-ap-email', type: 'email', attrs: { maxlength: 255, autocomplete: 'off' } }),
  field({ label: tx('o.rc.ap_address'), name: 'applicant_address', id: 'rc-ap-address', class: 'span-2', attrs: { maxlength: 500, autocomplete: 'off' } }));

// ---- The form ---------------------------------------------------------------------------------

const submitBtn = h('button', { type: 'submit', class: 'btn btn-accent btn-lg', id: 'rc-submit' }, tx('o.rc.submit'));
const formProblem = h('div', { class: 'form-problem', id: 'rc-problem', 'aria-live': 'assertive' });

const form = h('form', { id: 'reception-form', class: 'reception-form', novalidate: true },
  formProblem,
  h('section', { class: 'card rc-section', 'aria-labelledby': 'rc-s1' },
    h('h2', { class: 'card-title', id: 'rc-s1' }, tx('o.rc.s_procedure')),
    h('div', { class: 'form-field', dataset: { field: 'procedure' } },
      searchRow, pickedBox,
      h('p', { class: 'field-error', id: 'rc-procedure-error', 'aria-live': 'polite' }))),
  h('section', { class: 'card rc-section', 'aria-labelledby': 'rc-s2' },
    h('h2', { class: 'card-title', id: 'rc-s2' }, tx('o.rc.s_documents')),
    docsField),
  h('section', { class: 'card rc-section', 'aria-labelledby': 'rc-s3' },
    h('h2', { class: 'card-title', id: 'rc-s3' }, tx('o.rc.s_channel')),
    h('div', { class: 'rc-grid' },
      h('div', null, channelField, waybillField),
      resultChannelField)),
  h('section', { class: 'card rc-section', 'aria-labelledby': 'rc-s4' },
    h('h2', { class: 'card-title', id: 'rc-s4' }, tx('o.rc.s_applicant')),
    kindField,
    applicantFields),
  h('div', { class: 'rc-submit-row' }, submitBtn));

form.addEventListener('change', (ev) => {
  if (ev.target.name === 'channel') {
    const postal = ev.target.value === 'postal';
    waybillField.hidden = !postal;
    const inp = waybillField.querySelector('input');
    inp.required = postal;
    if (postal) inp.focus();
  }
});

function value(name) {
  const el = form.elements.namedItem(name);
  if (!el) return '';
  return String(el.value || '').trim();
}

form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  clearErrors(form);
  if (!procedure) { fieldError(form, 'procedure', t('o.rc.need_procedure')); qInput.focus(); return; }
  if (needsCase() && !caseName) { fieldError(form, 'case_name', t('o.rc.need_case')); return; }
  if (!checkRequired(form)) return;
  const docs = visibleDocuments();
  const missing = docs.filter((d) => d.required && !checked.has(d.seq));
  if (missing.length) {
    fieldError(form, 'documents', t('o.rc.missing_docs', { list: missing.map((d) => d.name).join('; ') }));
    const first = document.getElementById('rc-doc-' + missing[0].seq);
    if (first) first.focus();
    return;
  }
  const channel = value('channel') || 'direct';
  const body = {
    procedure: procedure.code,
    case_name: caseName,
    channel,
    result_channel: value('result_channel') || 'direct',
    applicant_name: value('applicant_name'),
    applicant_kind: value('applicant_kind') || 'citizen',
    applicant_id_number: value('applicant_id_number'),
    applicant_phone: value('applicant_phone'),
    applicant_email: value('applicant_email'),
    applicant_address: value('applicant_address'),
    documents: docs.filter((d) => checked.has(d.seq)).map((d) => d.seq),
  };
  if (channel === 'postal') body.waybill = value('waybill');
  await busy(submitBtn, 'o.rc.busy', async () => {
    try {
      const created = await api.post('/dossiers', body);
      showSuccess(created, body);
    } catch (e) {
      showProblem(form, e);
    }
  });
});

// ---- Success ---------------------------------------------------------------------------------

function showSuccess(created, body) {
  const receiptBox = h('div', { class: 'rc-receipt-box', id: 'rc-receipt-box', 'aria-live': 'polite' });
  const printBtn = h('button', { type: 'button', class: 'btn btn-accent btn-lg', id: 'print-receipt' },
    h('span', { class: 'icon-print', 'aria-hidden': 'true' }), tx('o.rc.print_receipt'));
  printBtn.addEventListener('click', () => printReceipt(created, printBtn, receiptBox));
  const panel = h('section', { class: 'card rc-success', id: 'reception-success', 'aria-labelledby': 'rc-success-title', tabindex: '-1' },
    h('h2', { class: 'rc-success-title', id: 'rc-success-title' }, h('span', { class: 'rc-check', 'aria-hidden': 'true', text: '✓' }), tx('o.rc.success_title')),
    h('p', { class: 'rc-success-proc', text: procedure ? `${procedure.code} – ${procedure.name}` : body.procedure }),
    h('dl', { class: 'rc-success-grid' },
      h('div', { class: 'rc-big' }, h('dt', null, tx('o.rc.code')), h('dd', null, h('span', { class: 'code rc-code', id: 'new-code', text: created.code }))),
      h('div', { class: 'rc-big rc-pin-box' }, h('dt', null, tx('o.rc.pin')), h('dd', null, h('span', { class: 'rc-pin', id: 'new-pin', text: created.pin || '' }))),
      h('div', { class: 'rc-big' }, h('dt', null, tx('o.rc.due')), h('dd', null, h('span', { class: 'rc-due', id: 'new-due', text: created.due_at ? formatDateTime(created.due_at) : '—' })))),
    h('p', { class: 'notice notice-warning rc-pin-warn', role: 'note' }, tx('o.rc.pin_warn')),
    h('div', { class: 'rc-success-actions' },
      printBtn,
      h('a', { class: 'btn btn-primary', id: 'open-dossier', href: 'ho-so.html?code=' + encodeURIComponent(created.code) }, tx('o.rc.open_dossier')),
      h('a', { class: 'btn btn-outline', id: 'another', href: 'tiep-nhan.html' }, tx('o.rc.another'))),
    receiptBox);
  mount(root, panel);
  panel.focus();
  window.scrollTo(0, 0);
}

let receiptUrl = null;

async function printReceipt(created, btn, out) {
  clear(out);
  await busy(btn, 'o.rc.printing', async () => {
    try {
      const blob = await api.post('/dossiers/' + seg(created.code) + '/receipt', { pin: created.pin }, { accept: 'blob' });
      if (receiptUrl) URL.revokeObjectURL(receiptUrl);
      receiptUrl = URL.createObjectURL(blob.type === 'application/pdf' ? blob : new Blob([blob], { type: 'application/pdf' }));
      const w = window.open(receiptUrl, '_blank');
      if (!w) {
        mount(out, h('p', { class: 'notice notice-info' },
          t('o.rc.receipt_blocked'), ' ',
          h('a', { href: receiptUrl, target: '_blank', rel: 'noopener', id: 'receipt-link', text: t('o.rc.receipt_open') })));
      }
    } catch (e) {
      mount(out, problemBox(e));
    }
  });
}

// ---- Start ---------------------------------------------------------------------------------------

async function main() {
  const session = await initOfficerPage({ page: 'reception', title: 'o.rc.title', roles: ['desk'] });
  if (!session) return;
  mount(root, form);
  renderProcedure();
  renderDocuments();
  document.addEventListener('langchange', () => { renderResults(); if (procedure) renderProcedure(); renderDocuments(); });
  const preset = new URLSearchParams(window.location.search).get('procedure');
  if (preset) pick(preset.trim());
  else qInput.focus();
}

main();
