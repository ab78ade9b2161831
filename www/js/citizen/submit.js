// Online submission (nộp hồ sơ trực tuyến): nop-ho-so.html?code=<procedure>.
// The form is built from the procedure (GET /api/v1/procedures/{code}): the case, one
// upload slot per document of that case, the receiving unit among the units of the
// procedure's levels (GET /api/v1/units), the applicant (prefilled for a signed-in
// citizen), the result channel. Everything goes in ONE multipart request sent with
// XMLHttpRequest, whose progress is spread over the files' byte ranges (upload.js) to
// show a progress bar per file. The Idempotency-Key is made once per form and sent again
// on every retry, so a retry after a lost answer cannot create a second dossier.

import './strings.js';
import { getJSON, apiUrl, seg, ApiError } from '../api.js';
import { h, mount, clear } from '../dom.js';
import { t, label, formatDateTime, formatDuration, formatMoney } from '../i18n.js';
import { initLayout, setTitle } from '../layout.js';
import { loadingBox, errorBox, statusBadge } from '../ui.js';
import { currentCitizen, citizenName, csrf, request } from './client.js';
import { postMultipart, newUuid, MAX_BODY, MAX_FILE } from './upload.js';
import {
  field, showProblem, clearErrors, fieldError, problemBox, noticeBox, fileSlot, formatSize,
  copyButton, radioGroup, radioValue,
} from './widgets.js';

const page = document.getElementById('submit-page');
const params = new URLSearchParams(window.location.search);
const code = (params.get('code') || '').trim();
const DRAFT_KEY = 'motcua.draft.' + code;

let proc = null;
let units = [];
let citizen = null;
let caseName = '';
let slots = [];
let idemKey = newUuid();   // once per form; reused on every retry of the same form
let busy = false;
let form = null;
let docsBox = null;
let draft = null;          // {id, token, saved_at, files: {seq: {name, size}}}

/** A text that follows the language switch (layout re-applies data-i18n). */
function tx(key, tag = 'span', attrs = {}) {
  return h(tag, { ...attrs, dataset: { ...(attrs.dataset || {}), i18n: key }, text: t(key) });
}

const arr = (x) => (Array.isArray(x) ? x : []);

// ---- Procedure, cases, documents ------------------------------------------------------

function hasCommon() { return arr(proc.documents).some((g) => (g.case_name || '') === ''); }
function caseNames() { return arr(proc.documents).map((g) => g.case_name || '').filter((n) => n !== ''); }
function needsCase() { return caseNames().length > 0 && !hasCommon(); }

function visibleDocuments() {
  const out = [];
  let running = 0;
  for (const g of arr(proc.documents)) {
    for (const it of arr(g.items)) {
      running += 1;
      const seq = Number.isInteger(it.seq) ? it.seq : running;
      if ((g.case_name || '') === '' || g.case_name === caseName) out.push({ ...it, seq });
    }
  }
  return out;
}

function renderDocuments() {
  slots = [];
  if (needsCase() && !caseName) { mount(docsBox, tx('c.sub.docs_pick_case', 'p', { class: 'muted' })); return; }
  const docs = visibleDocuments();
  if (!docs.length) { mount(docsBox, tx('proc.empty_section', 'p', { class: 'muted' })); return; }
  const list = h('ol', { class: 'doc-slots', id: 'doc-slots' });
  for (const d of docs) {
    const kept = draft && draft.files ? draft.files[d.seq] : null;
    const slot = fileSlot({
      seq: d.seq, name: d.name, required: d.required !== false, kept,
      meta: [t('c.sub.doc_count', { o: d.originals ?? 0, c: d.copies ?? 0 }),
        d.template_url ? [' · ', h('a', { href: d.template_url, rel: 'noopener', target: '_blank', text: t('c.sub.template') })] : null],
      onChange: updateTotal,
    });
    slots.push(slot);
    list.appendChild(slot.el);
  }
  mount(docsBox, list, h('p', { class: 'files-total muted', id: 'files-total' }));
  updateTotal();
}

function totalBytes() { return slots.reduce((n, s) => n + (s.file() ? s.file().size : 0), 0); }

function updateTotal() {
  const el = document.getElementById('files-total');
  if (!el) return;
  const n = slots.filter((s) => s.file()).length;
  el.textContent = n ? t('c.sub.files_total', { n, size: formatSize(totalBytes()) }) : '';
}

// ---- Units ------------------------------------------------------------------------------

function offeringUnits() {
  const levels = arr(proc.levels);
  return units.filter((u) => levels.includes(u.level) || (u.level === 'department' && levels.includes('province')));
}

function unitSelect() {
  const list = offeringUnits();
  const byCode = new Map(units.map((u) => [u.code, u]));
  const options = [h('option', { value: '', text: t('c.sub.unit_pick'), dataset: { i18n: 'c.sub.unit_pick' } })];
  for (const u of list) {
    const parent = u.parent_code ? byCode.get(u.parent_code) : null;
    options.push(h('option', { value: u.code, text: u.name + (parent && u.level === 'commune' ? ' – ' + (parent.short_name || parent.name) : '') }));
  }
  const levels = arr(proc.levels).map((l) => label('level', l)).join(', ');
  const pre = params.get('unit') || (list.length === 1 ? list[0].code : '');
  return field({
    label: tx('c.sub.unit'), name: 'unit', type: 'select', required: true, id: 'sub-unit',
    options, value: list.some((u) => u.code === pre) ? pre : '', hint: t('c.sub.unit_hint', { levels }),
  });
}

// ---- The form --------------------------------------------------------------------------

function onlineFees() {
  const ch = arr(proc.channels).find((c) => c.channel === 'online') || arr(proc.channels)[0];
  return ch ? arr(ch.fees) : [];
}

function summary() {
  const fees = onlineFees();
  return h('section', { class: 'card sub-summary', 'aria-labelledby': 'sub-proc-name' },
    h('p', { class: 'dossier-kicker' }, tx('c.sub.procedure')),
    h('h2', { class: 'card-title', id: 'sub-proc-name' },
      h('a', { href: 'thu-tuc-chi-tiet.html?code=' + encodeURIComponent(proc.code), text: proc.name })),
    h('dl', { class: 'info-grid' },
      h('div', { class: 'info-item' }, h('dt', null, tx('proc.code')), h('dd', null, h('span', { class: 'code', id: 'sub-proc-code', text: proc.code }))),
      h('div', { class: 'info-item' }, h('dt', null, tx('c.sub.time')), h('dd', { text: formatDuration(proc.processing_time, proc.time_unit) })),
      h('div', { class: 'info-item' }, h('dt', null, tx('c.sub.fees')), h('dd', null,
        fees.length === 0 ? tx('proc.fee_free')
          : h('ul', { class: 'plain-list' }, fees.map((f) => h('li', null,
            h('strong', { text: f.amount_vnd ? formatMoney(f.amount_vnd) : t('proc.fee_free') }),
            f.description ? h('span', { class: 'muted', text: ' – ' + f.description }) : null)))))));
}

function accountNote() {
  if (citizen) {
    return h('div', { class: 'notice notice-info', id: 'sub-account' },
      h('p', { text: t('c.sub.signed_in_as', { name: citizenName(citizen) }) }));
  }
  return h('div', { class: 'notice notice-info', id: 'sub-account' },
    tx('c.sub.guest', 'p'),
    h('p', null, h('a', { href: 'tai-khoan.html?next=' + encodeURIComponent('nop-ho-so.html?code=' + code) }, tx('c.sub.guest_login'))));
}

function section(titleKey, id, ...body) {
  return h('section', { class: 'card sub-section', id, 'aria-labelledby': id + '-title' },
    h('h2', { class: 'card-title', id: id + '-title', dataset: { i18n: titleKey }, text: t(titleKey) }),
    ...body);
}

function buildForm() {
  const cases = caseNames();
  const common = hasCommon();
  caseName = cases.length === 1 && !common ? cases[0] : '';
  const caseSel = cases.length > 1 || (cases.length === 1 && common) ? field({
    label: tx('c.sub.case'), name: 'case_name', type: 'select', required: !common, id: 'sub-case',
    options: [h('option', { value: '', text: t(common ? 'c.sub.case_common' : 'c.sub.case_pick'), dataset: { i18n: common ? 'c.sub.case_common' : 'c.sub.case_pick' } }),
      cases.map((c) => h('option', { value: c, text: c }))],
    value: caseName,
  }) : null;
  if (caseSel) {
    caseSel.querySelector('select').addEventListener('change', (ev) => { caseName = ev.target.value; renderDocuments(); });
  }
  docsBox = h('div', { class: 'docs-box', id: 'docs-box' });

  const a = citizen || {};
  const kind = radioGroup({
    legend: tx('c.sub.kind'), name: 'applicant_kind', id: 'sub-kind', value: 'citizen',
    options: [['citizen', 'c.sub.kind_citizen'], ['organization', 'c.sub.kind_organization']],
  });
  const rc = radioGroup({
    legend: tx('c.sub.result_channel'), name: 'result_channel', id: 'sub-rc', value: 'online', required: true, inline: false,
    options: [['online', 'c.sub.rc_online'], ['direct', 'c.sub.rc_direct'], ['postal', 'c.sub.rc_postal']],
  });

  form = h('form', { id: 'submit-form', class: 'submit-form', novalidate: true },
    h('div', { class: 'form-problem', id: 'form-problem', 'aria-live': 'assertive' }),
    section('c.sub.sec_unit', 'sec-unit', h('div', { class: 'sub-grid' }, unitSelect(), caseSel)),
    section('c.sub.sec_docs', 'sec-docs', tx('c.sub.docs_hint', 'p', { class: 'field-hint' }),
      h('p', { class: 'field-hint', id: 'accept-hint', text: t('c.file.accept_hint', { max: formatSize(MAX_FILE) }) }), docsBox,
      h('div', { class: 'form-field docs-error', dataset: { field: 'documents' } },
        h('p', { class: 'field-error', id: 'documents-error', 'aria-live': 'polite' }))),
    section('c.sub.sec_applicant', 'sec-applicant',
      kind,
      h('div', { class: 'sub-grid' },
        field({ label: tx('c.sub.name'), name: 'applicant_name', required: true, id: 'sub-name', value: a.full_name || '', attrs: { maxlength: 255, autocomplete: 'name' } }),
        field({ label: tx('c.sub.id_number'), name: 'applicant_id_number', id: 'sub-id', value: a.id_number || '', attrs: { maxlength: 32, inputmode: 'numeric', autocomplete: 'off' } }),
        field({ label: tx('c.sub.email'), name: 'applicant_email', type: 'email', id: 'sub-email', value: a.email || '', attrs: { maxlength: 255, autocomplete: 'email' } }),
        field({ label: tx('c.sub.phone'), name: 'applicant_phone', type: 'tel', id: 'sub-phone', value: a.phone || '', attrs: { maxlength: 32, autocomplete: 'tel' } }),
        field({ label: tx('c.sub.address'), name: 'applicant_address', id: 'sub-address', class: 'span-2', value: a.address || '', attrs: { maxlength: 500, autocomplete: 'street-address' } })),
      tx('c.sub.contact_hint', 'p', { class: 'field-hint' })),
    section('c.sub.sec_result', 'sec-result', rc),
    h('div', { class: 'card sub-pledge' },
      h('div', { class: 'form-field', dataset: { field: 'pledge' } },
        h('label', { class: 'check', for: 'sub-pledge' },
          h('input', { type: 'checkbox', id: 'sub-pledge', name: 'pledge', 'aria-describedby': 'sub-pledge-error' }),
          tx('c.sub.pledge')),
        h('p', { class: 'field-error', id: 'sub-pledge-error', 'aria-live': 'polite' })),
      h('div', { class: 'sub-actions' },
        h('button', { type: 'submit', class: 'btn btn-accent btn-lg', id: 'sub-submit' }, tx('c.sub.submit')),
        h('button', { type: 'button', class: 'btn btn-outline btn-lg', id: 'sub-save-draft', on: { click: saveDraft } }, tx('c.sub.save_draft'))),
      h('div', { class: 'sub-status', id: 'sub-status', 'aria-live': 'polite' })));
  form.addEventListener('submit', (ev) => { ev.preventDefault(); submit(); });
  return form;
}

function render() {
  setTitle(proc ? `${t('c.sub.title')}: ${proc.name}` : t('c.sub.title'));
  const crumb = document.getElementById('crumb-proc');
  if (proc && crumb) { crumb.textContent = proc.name; crumb.href = 'thu-tuc-chi-tiet.html?code=' + encodeURIComponent(proc.code); }
  if (proc && proc.service_level === 'info') {
    mount(page, summary(), h('div', { class: 'notice notice-warning', id: 'not-online' }, tx('c.sub.not_online', 'p')));
    return;
  }
  mount(page, summary(), accountNote(), buildForm());
  renderDocuments();
  if (draft) fillFromDraft();
}

// ---- Reading and checking the form -------------------------------------------------------

function value(name) {
  const el = form.elements.namedItem(name);
  return el && 'value' in el ? String(el.value).trim() : '';
}

const TEXT_FIELDS = ['unit', 'applicant_name', 'applicant_id_number', 'applicant_phone', 'applicant_email', 'applicant_address'];

function collectFields() {
  const fields = [['procedure', proc.code]];
  for (const n of TEXT_FIELDS) {
    // identity numbers are often typed in groups ("045 190 007 788"); the service takes digits
    const v = n === 'applicant_id_number' ? value(n).replace(/[\s.]+/g, '') : value(n);
    if (v) fields.push([n, v]);
  }
  if (caseName) fields.push(['case_name', caseName]);
  fields.push(['applicant_kind', radioValue(form, 'applicant_kind') || 'citizen']);
  fields.push(['result_channel', radioValue(form, 'result_channel') || 'online']);
  return fields;
}

function collectFiles() {
  return slots.filter((s) => s.file()).map((s) => ({ key: 'doc_' + s.seq, name: 'doc_' + s.seq, file: s.file() }));
}

/** Client-side checks; shows each problem next to its field. True if the form may go. */
function check({ forDraft = false, drafted = false } = {}) {
  clearErrors(form);
  slots.forEach((s) => s.clearError());
  let first = null;
  const bad = (name, key) => { fieldError(form, name, t(key)); if (!first) first = name; };
  if (!forDraft) {
    if (!value('unit')) bad('unit', 'c.required');
    if (needsCase() && !caseName) bad('case_name', 'c.required');
    if (!value('applicant_name')) bad('applicant_name', 'c.required');
  }
  const email = value('applicant_email');
  const phone = value('applicant_phone');
  if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) bad('applicant_email', 'c.sub.email_bad');
  if (phone && !/^\+?[0-9 .-]{8,16}$/.test(phone)) bad('applicant_phone', 'c.sub.phone_bad');
  if (!forDraft && !email && !phone && !citizen) bad('applicant_email', 'c.sub.contact_required');
  if (!forDraft) {
    for (const s of slots) {
      if (s.required && !s.file() && !(drafted && s.kept())) {
        // a draft's file is used only when the draft is submitted as it was saved
        s.error(t(s.kept() ? 'c.sub.draft_refile' : 'c.file.required'));
        if (!first) { first = 'doc_' + s.seq; }
      }
    }
    if (!form.elements.namedItem('pledge').checked) bad('pledge', 'c.sub.pledge_required');
  }
  if (totalBytes() > MAX_BODY - 64 * 1024) {
    const top = document.getElementById('form-problem');
    mount(top, noticeBox('error', t('c.file.total_too_big', { max: formatSize(MAX_BODY) })));
    if (!first) first = 'files';
  }
  if (first) {
    const target = first.startsWith('doc_') ? slots.find((s) => 'doc_' + s.seq === first) : null;
    if (target) target.focus();
    else {
      const ctl = form.querySelector(`[name="${CSS.escape(first)}"]`);
      if (ctl) ctl.focus();
    }
    const status = document.getElementById('sub-status');
    mount(status, noticeBox('error', t('c.sub.fix_errors')));
  }
  return !first;
}

function setBusy(on, key) {
  busy = on;
  form.setAttribute('aria-busy', on ? 'true' : 'false');
  for (const b of form.querySelectorAll('button, input, select, textarea')) b.disabled = on;
  slots.forEach((s) => s.disable(on));
  const status = document.getElementById('sub-status');
  if (on) mount(status, h('p', { class: 'notice notice-loading', role: 'status' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), t(key)));
}

/** A problem naming doc_<seq> goes to that slot; others next to their field or on top. */
function showSubmitProblem(err) {
  const p = err && err.problem;
  const status = document.getElementById('sub-status');
  clear(status);
  if (p && p.code === 'missing_documents') {
    // the problem lists the names of the required documents without a file
    const missing = arr(p.missing).map(String);
    let first = null;
    for (const s of slots) {
      if (missing.includes(s.name) || (!missing.length && s.required && !s.file())) {
        s.error(t('c.file.required'));
        if (!first) first = s;
      }
    }
    fieldError(form, 'documents', err.userMessage());
    if (first) first.focus();
    return;
  }
  if (p && p.field && /^doc_\d+$/.test(p.field)) {
    const s = slots.find((x) => 'doc_' + x.seq === p.field);
    if (s) {
      s.error(err.userMessage() + (p.detail && p.detail !== err.userMessage() ? ' — ' + p.detail : ''));
      s.focus();
      return;
    }
  }
  // next to the field it names when the form has it, else by the buttons, where the user is
  const top = document.getElementById('form-problem');
  if (top) clear(top);
  const shown = p && p.field && form.querySelector(`[data-field="${CSS.escape(p.field)}"] .field-error`)
    ? (showProblem(form, err), true) : false;
  if (!shown) mount(status, problemBox(err));
  if (err.isNetwork || err.status >= 500) status.appendChild(tx('c.sub.retry_hint', 'p', { class: 'field-hint' }));
}

// ---- Submitting --------------------------------------------------------------------------

/** The form is still what the opened draft holds: no field changed, no new file. */
function asDrafted() {
  if (!draft || !draft.id || !draft.form) return false;
  if (slots.some((s) => s.file())) return false;
  const now = Object.fromEntries(collectFields());
  const was = { procedure: proc.code, applicant_kind: 'citizen', result_channel: 'online', ...draft.form };
  return Object.keys({ ...now, ...was }).every((k) => (now[k] || '') === (was[k] || ''));
}

async function submit() {
  if (busy) return;
  const drafted = asDrafted();
  if (!check({ drafted })) return;
  if (drafted) { submitDraft(); return; }
  const files = collectFiles();
  const fields = collectFields();
  setBusy(true, 'c.sub.sending');
  for (const s of slots) if (s.file()) s.setProgress(0);
  try {
    const res = await postMultipart(apiUrl('/submissions'), {
      fields, files,
      headers: { 'Idempotency-Key': idemKey, 'X-CSRF-Token': citizen ? csrf() : '' },
      onProgress: (shares) => { for (const s of slots) if (s.file()) s.setProgress(shares['doc_' + s.seq] || 0); },
    });
    for (const s of slots) if (s.file()) s.setDone();
    forgetDraft();
    showDone(res || {});
  } catch (e) {
    setBusy(false);
    for (const s of slots) if (s.file()) s.hideProgress();
    if (e instanceof ApiError && e.problem && /idempotency/i.test(e.problem.code || '')) idemKey = newUuid();
    showSubmitProblem(e);
  }
}

/** The opened draft, unchanged, is submitted as the service holds it (fields and files). */
async function submitDraft() {
  setBusy(true, 'c.sub.sending');
  try {
    const res = await request('POST', '/submissions/drafts/' + seg(draft.id) + '/submit', {
      headers: { 'Idempotency-Key': idemKey, 'X-CSRF-Token': citizen ? csrf() : '', 'X-Draft-Token': draft.token || '' },
    });
    forgetDraft();
    showDone(res || {});
  } catch (e) {
    setBusy(false);
    if (e instanceof ApiError && e.problem && /idempotency/i.test(e.problem.code || '')) idemKey = newUuid();
    showSubmitProblem(e);
  }
}

function showDone(res) {
  const unitCode = value('unit');
  const unit = units.find((u) => u.code === unitCode);
  const codeEl = h('span', { class: 'code rc-code', id: 'new-code', text: res.code || '' });
  const pinEl = h('span', { class: 'code pin', id: 'new-pin', text: res.pin || '' });
  const status = res.status && typeof res.status === 'object' ? res.status
    : { code: res.status || 'submitted', label_vi: label('state', res.status || 'submitted'), label_en: label('state', res.status || 'submitted') };
  const track = 'tra-cuu.html?code=' + encodeURIComponent(res.code || '') + (res.pin ? '&pin=' + encodeURIComponent(res.pin) : '');
  const panel = h('section', { class: 'card sub-done', id: 'submit-success', tabindex: '-1', 'aria-labelledby': 'sub-done-title' },
    h('h2', { class: 'sub-done-title', id: 'sub-done-title' }, h('span', { class: 'sub-done-check', 'aria-hidden': 'true', text: '✓' }), tx('c.sub.done_title')),
    h('p', { text: t('c.sub.done_lead', { unit: unit ? unit.name : unitCode }) }),
    h('dl', { class: 'sub-done-grid' },
      h('div', null, h('dt', null, tx('c.sub.done_code')), h('dd', null, codeEl, ' ', copyButton(codeEl, { id: 'copy-code' }))),
      h('div', { class: 'pin-box' }, h('dt', null, tx('c.sub.done_pin')), h('dd', null, pinEl, ' ', copyButton(pinEl, { id: 'copy-pin' }))),
      h('div', null, h('dt', null, tx('c.sub.done_status')), h('dd', null, statusBadge(status)))),
    h('p', { class: 'notice notice-warning pin-warn', id: 'pin-warn', role: 'note' }, tx('c.sub.pin_warn')),
    h('p', { class: 'sub-done-actions' },
      h('a', { class: 'btn btn-primary', id: 'track-link', href: track }, tx('c.sub.track')),
      ' ',
      h('a', { class: 'btn btn-outline', href: 'thu-tuc.html' }, tx('c.sub.another'))));
  // The form stays in the page above (with its full progress bars), read-only.
  form.classList.add('is-done');
  const statusBox = document.getElementById('sub-status');
  clear(statusBox);
  page.prepend(panel);
  panel.focus();
  panel.scrollIntoView({ block: 'start' });
}

// ---- Drafts -------------------------------------------------------------------------------
// POST /api/v1/submissions/drafts takes the same multipart form as a submission (no
// required fields) and answers {id, token?}; the draft is remembered in this browser
// (localStorage, per procedure) and reopened with GET /api/v1/submissions/drafts/{id}.

function forgetDraft() {
  try { localStorage.removeItem(DRAFT_KEY); } catch (e) { /* storage blocked */ }
}

async function saveDraft() {
  if (busy) return;
  if (!check({ forDraft: true })) return;
  // a new draft holds only the files sent with it: those of the opened draft must be chosen again
  const lost = slots.filter((x) => x.kept() && !x.file());
  if (lost.length) { lost.forEach((x) => x.error(t('c.sub.draft_refile'))); lost[0].focus(); return; }
  const files = collectFiles();
  const fields = collectFields();
  setBusy(true, 'c.sub.sending');
  for (const s of slots) if (s.file()) s.setProgress(0);
  try {
    const headers = { 'X-CSRF-Token': citizen ? csrf() : '' };
    if (draft && draft.token) headers['X-Draft-Token'] = draft.token;
    const res = await postMultipart(apiUrl('/submissions/drafts'), {
      fields, files, headers,
      onProgress: (shares) => { for (const s of slots) if (s.file()) s.setProgress(shares['doc_' + s.seq] || 0); },
    }) || {};
    for (const s of slots) if (s.file()) s.setDone();
    const saved = { id: res.id || (draft && draft.id), token: res.token || (draft && draft.token) || '', saved_at: res.updated_at || new Date().toISOString() };
    draft = { ...(draft || {}), ...saved };
    try { localStorage.setItem(DRAFT_KEY, JSON.stringify(saved)); } catch (e) { /* storage blocked */ }
    setBusy(false);
    mount(document.getElementById('sub-status'), h('div', { class: 'notice notice-success', id: 'draft-saved', role: 'status' },
      h('p', { text: t('c.sub.draft_saved', { at: formatDateTime(saved.saved_at) }) })));
  } catch (e) {
    setBusy(false);
    for (const s of slots) if (s.file()) s.hideProgress();
    if (e instanceof ApiError && (e.status === 404 || e.status === 405)) {
      mount(document.getElementById('sub-status'), noticeBox('warning', t('c.sub.draft_unavailable')));
    } else {
      showSubmitProblem(e);
    }
  }
}

async function loadDraft() {
  let stored = null;
  try { stored = JSON.parse(localStorage.getItem(DRAFT_KEY) || 'null'); } catch (e) { stored = null; }
  const id = params.get('draft') || (stored && stored.id);
  if (!id) return null;
  try {
    const res = await fetch(apiUrl('/submissions/drafts/' + seg(id)), {
      headers: { Accept: 'application/json', ...(stored && stored.token ? { 'X-Draft-Token': stored.token } : {}) },
      credentials: 'same-origin', cache: 'no-store',
    });
    if (!res.ok) return null;
    const d = await res.json();
    const files = {};
    for (const f of arr(d.files)) files[f.seq] = { name: f.name || f.file_name || '', size: f.size || f.file_size || 0 };
    return { id, token: stored && stored.token, saved_at: d.updated_at || (stored && stored.saved_at), form: d.form || d.fields || d, files };
  } catch (e) { return null; }
}

function fillFromDraft() {
  const f = draft.form || {};
  for (const n of TEXT_FIELDS) {
    const el = form.elements.namedItem(n);
    if (el && f[n] && !el.value) el.value = f[n];
  }
  for (const n of ['applicant_kind', 'result_channel']) {
    if (f[n]) { const r = form.querySelector(`input[name="${n}"][value="${CSS.escape(f[n])}"]`); if (r) r.checked = true; }
  }
  if (f.case_name && caseNames().includes(f.case_name)) {
    caseName = f.case_name;
    const sel = form.elements.namedItem('case_name');
    if (sel) sel.value = caseName;
    renderDocuments();
  }
  mount(document.getElementById('sub-status'), h('div', { class: 'notice notice-info', id: 'draft-loaded' },
    h('p', { text: t('c.sub.draft_loaded', { at: formatDateTime(draft.saved_at) }) })));
}

// ---- Start -------------------------------------------------------------------------------

async function start() {
  initLayout({ page: 'procedures', title: 'c.sub.title' });
  if (!code) { mount(page, errorBox({ userMessage: () => t('c.sub.missing_code') }), h('p', null, h('a', { href: 'thu-tuc.html', text: t('common.back_to_list') }))); return; }
  mount(page, loadingBox());
  try {
    const [p, u, c, d] = await Promise.all([
      getJSON('/procedures/' + seg(code)),
      getJSON('/units'),
      currentCitizen().catch(() => null),
      loadDraft(),
    ]);
    proc = p;
    units = arr(u.items || u);
    citizen = c;
    draft = d;
  } catch (e) {
    mount(page, errorBox(e), h('p', null, h('a', { href: 'thu-tuc.html', text: t('common.back_to_list') })));
    return;
  }
  render();
}

start();
