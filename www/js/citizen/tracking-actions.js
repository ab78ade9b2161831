// What the applicant may do on the tracking page once the receipt's secret is given and
// correct (the answer has `private`): send the supplement asked for (with progress bars),
// pay online, withdraw the dossier, download its documents and results, rate the
// service, send feedback about it. Every request carries the secret (pin) in its body or
// query, as the tracking endpoints take it; nothing here needs an account.
//
// applicantActions(dossier, {code, pin, reload}) gives the nodes to show below the
// private card; reload(message) looks the dossier up again and shows the message.

import './strings.js';
import { getJSON, apiUrl, seg } from '../api.js';
import { h, mount } from '../dom.js';
import { t, formatDateTime, formatMoney } from '../i18n.js';
import { request } from './client.js';
import { postMultipart } from './upload.js';
import { fileSlot, problemBox, noticeBox, showProblem, clearErrors, fieldError, field } from './widgets.js';

const arr = (x) => (Array.isArray(x) ? x : []);
const OPEN = ['submitted', 'processing', 'awaiting_supplement', 'awaiting_payment', 'suspended'];
const PIN_KEY = 'motcua.pin.';

function tx(key, tag = 'span', attrs = {}) {
  return h(tag, { ...attrs, dataset: { ...(attrs.dataset || {}), i18n: key }, text: t(key) });
}

function card(id, titleKey, variant, ...body) {
  return h('section', { class: ['card', 'act-card', variant ? 'act-card-' + variant : null], id, 'aria-labelledby': id + '-title' },
    h('h2', { class: 'card-title', id: id + '-title', dataset: { i18n: titleKey }, text: t(titleKey) }),
    ...body);
}

function busy(form, on) {
  form.setAttribute('aria-busy', on ? 'true' : 'false');
  for (const el of form.querySelectorAll('button, input, select, textarea')) el.disabled = on;
}

/** The secret, kept for this tab while the browser is at the payment gateway (the way
 * back, thanh-toan.html → tra-cuu.html?code=, carries no secret). */
export function rememberPin(code, pin) {
  try { sessionStorage.setItem(PIN_KEY + code.toUpperCase(), pin); } catch (e) { /* storage blocked */ }
}

/** The secret kept by rememberPin (once: it is removed), or ''. */
export function takePin(code) {
  try {
    const k = PIN_KEY + String(code).toUpperCase();
    const v = sessionStorage.getItem(k) || '';
    sessionStorage.removeItem(k);
    return v;
  } catch (e) { return ''; }
}

/** The message for ?payment= after the gateway sent the browser back. */
export function paymentReturnNotice(status) {
  if (!status) return null;
  const ok = status === 'paid' || status === 'pending';
  return h('div', { class: ['notice', ok ? 'notice-success' : 'notice-warning'], id: 'payment-return', role: 'status', dataset: { payment: status } },
    tx(ok ? 'c.tr.pay_back_ok' : 'c.tr.pay_back_cancel', 'p'));
}

// ---- Supplement ------------------------------------------------------------------------

function supplementRequest(d) {
  const p = d.private || {};
  return p.supplement_request || p.supplement || d.supplement_request || null;
}

/**
 * The slots of the supplement form: the dossier's documents (a new file replaces theirs,
 * sent as doc_<seq>), the procedure's other documents of the usual case, and two slots
 * for anything else; the last two kinds go as extra_<n>, which the service adds to the
 * dossier as new documents.
 */
async function supplementDocs(d) {
  const have = arr(d.private && d.private.documents);
  const out = new Map();
  let proc = null;
  try { if (d.procedure && d.procedure.code) proc = await getJSON('/procedures/' + seg(d.procedure.code)); } catch (e) { proc = null; }
  for (const x of have) if (Number.isInteger(x.seq)) out.set(x.seq, { seq: x.seq, name: x.name, inDossier: true });
  let running = 0;
  for (const g of arr(proc && proc.documents)) {
    for (const it of arr(g.items)) {
      running += 1;
      const seq = Number.isInteger(it.seq) ? it.seq : running;
      if ((g.case_name || '') === '' && !out.has(seq)) out.set(seq, { seq, name: it.name, inDossier: false });
    }
  }
  const list = [...out.values()].sort((a, b) => a.seq - b.seq);
  for (let i = 1; i <= 2; i++) list.push({ seq: 'x' + i, name: t('c.tr.supp_other', { n: i }), inDossier: false });
  return list;
}

function supplementCard(d, ctx) {
  const req = supplementRequest(d) || {};
  const items = arr(req.items).length ? arr(req.items) : arr(req.requested_items);
  const slots = [];
  const slotsBox = h('ol', { class: 'doc-slots', id: 'supp-slots' });
  const noteField = field({ label: tx('c.tr.supp_note_label'), name: 'note', type: 'textarea', id: 'supp-note', attrs: { maxlength: 2000 } });
  const form = h('form', { class: 'act-form', id: 'supplement-form', novalidate: true },
    h('div', { class: 'form-problem', 'aria-live': 'assertive' }),
    h('h3', { class: 'sub-title', dataset: { i18n: 'c.tr.supp_form' }, text: t('c.tr.supp_form') }),
    tx('c.tr.supp_docs_hint', 'p', { class: 'field-hint' }),
    h('div', { class: 'form-field', dataset: { field: 'documents' } }, slotsBox, h('p', { class: 'field-error', 'aria-live': 'polite' })),
    noteField,
    h('p', null, h('button', { type: 'submit', class: 'btn btn-primary', id: 'supp-submit' }, tx('c.tr.supp_submit'))));
  supplementDocs(d).then((docs) => {
    for (const doc of docs) {
      const s = fileSlot({ seq: doc.seq, name: doc.name, required: false });
      s.inDossier = doc.inDossier;
      slots.push(s);
      slotsBox.appendChild(s.el);
    }
  });
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const chosen = slots.filter((s) => s.file());
    if (!chosen.length) { fieldError(form, 'documents', t('c.tr.supp_need_file')); return; }
    busy(form, true);
    chosen.forEach((s) => s.setProgress(0));
    const note = form.elements.namedItem('note').value.trim();
    // the part each file goes under: doc_<seq> for the dossier's documents, extra_<n> else
    const byPart = new Map();
    let extra = 0;
    for (const s of chosen) byPart.set(s.inDossier ? 'doc_' + s.seq : 'extra_' + (++extra), s);
    try {
      await postMultipart(apiUrl('/tracking/' + seg(ctx.code) + '/supplement'), {
        fields: [['pin', ctx.pin], ['note', note || null]],
        files: [...byPart].map(([part, s]) => ({ key: part, name: part, file: s.file() })),
        onProgress: (shares) => byPart.forEach((s, part) => s.setProgress(shares[part] || 0)),
      });
      chosen.forEach((s) => s.setDone());
      form.dataset.done = 'true';
      ctx.reload(t('c.tr.supp_done'));
    } catch (e) {
      busy(form, false);
      const p = e.problem;
      const s = p && p.field ? byPart.get(p.field) : null;
      if (s) { s.error(e.userMessage() + (p.detail && p.detail !== e.userMessage() ? ' — ' + p.detail : '')); s.focus(); } else showProblem(form, e);
    }
  });
  return card('supplement-card', 'c.tr.supp_title', 'warning',
    items.length ? [tx('c.tr.supp_lead', 'p'),
      h('ol', { class: 'supp-items', id: 'supp-items' }, items.map((it) => h('li', { text: typeof it === 'string' ? it : (it.text || it.name || '') })))]
      : tx('c.tr.supp_lead_sent', 'p'),
    req.note ? h('p', null, h('strong', { text: t('c.tr.supp_note') + ': ' }), req.note) : null,
    req.requested_at ? h('p', { class: 'muted', text: t('c.tr.supp_at', { at: formatDateTime(req.requested_at) }) }) : null,
    form);
}

// ---- Payment ----------------------------------------------------------------------------

function paymentCard(d, ctx) {
  const p = d.private || {};
  const pay = p.payment || p.payment_request || {};
  const amount = pay.amount_vnd ?? p.amount_due_vnd;
  const status = h('div', { class: 'pay-status', 'aria-live': 'polite' });
  const btn = h('button', { type: 'button', class: 'btn btn-accent btn-lg', id: 'pay-online' }, tx('c.tr.pay_button'));
  btn.addEventListener('click', async () => {
    btn.disabled = true;
    mount(status, h('p', { class: 'notice notice-loading', role: 'status' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), t('c.tr.pay_redirect')));
    try {
      const res = await request('POST', '/tracking/' + seg(ctx.code) + '/payments', { body: { pin: ctx.pin } });
      const url = res && res.redirect_url ? new URL(res.redirect_url, window.location.href) : null;
      if (!url || !(url.protocol === 'https:' || url.protocol === 'http:')) throw new Error('no redirect_url');
      rememberPin(ctx.code, ctx.pin);
      window.location.assign(url.href);
    } catch (e) {
      btn.disabled = false;
      mount(status, e && e.status === 404 || (e && e.status === 405) ? noticeBox('warning', t('c.tr.pay_unavailable')) : problemBox(e));
    }
  });
  return card('payment-card', 'c.tr.pay_title', 'payment',
    tx('c.tr.pay_lead', 'p'),
    h('p', { class: 'muted' }, tx('c.tr.pay_amount')),
    h('p', { class: 'pay-amount', id: 'pay-amount', text: amount !== undefined && amount !== null ? formatMoney(amount) : t('c.tr.pay_amount_unknown') }),
    btn, status);
}

// ---- Files ---------------------------------------------------------------------------------

function fileUrl(ctx, seq) {
  return apiUrl('/tracking/' + seg(ctx.code) + '/documents/' + seg(seq) + '/file', { pin: ctx.pin });
}

function filesCard(d, ctx) {
  const p = d.private || {};
  const docs = arr(p.documents).filter((x) => Number.isInteger(x.seq) && (x.has_file || x.file_name || x.digitized));
  const results = arr(p.results || p.result_files);
  const row = (labelText, href, id) => h('li', null,
    h('span', { class: 'file-label', text: labelText }),
    h('a', { class: 'btn btn-outline btn-sm', href, id, download: '', rel: 'noopener' },
      h('span', { class: 'icon-download', 'aria-hidden': 'true' }), t('c.tr.download')));
  return card('files-card', 'c.tr.files_title', null,
    // the receipt (Giấy tiếp nhận và hẹn trả kết quả) exists once the desk has received it
    d.received_at ? h('ul', { class: 'files-list', id: 'receipt-files' },
      row(t('c.tr.receipt'), apiUrl('/tracking/' + seg(ctx.code) + '/receipt.pdf', { pin: ctx.pin }), 'receipt-file')) : null,
    h('h3', { class: 'sub-title', text: t('c.tr.files_docs') }),
    docs.length ? h('ul', { class: 'files-list', id: 'doc-files' }, docs.map((x) => row(x.file_name ? `${x.name} — ${x.file_name}` : x.name, fileUrl(ctx, x.seq), 'doc-file-' + x.seq)))
      : h('p', { class: 'muted', text: t('c.tr.files_none') }),
    results.length ? [
      h('h3', { class: 'sub-title', text: t('c.tr.files_results') }),
      h('ul', { class: 'files-list', id: 'result-files' }, results.map((r, i) => {
        const href = r.download_url || r.url || (Number.isInteger(r.seq) ? fileUrl(ctx, r.seq) : null);
        return href ? row(r.name || r.file_name || t('track.result_ready'), apiPath(href, ctx), 'result-file-' + (i + 1)) : null;
      }))] : null);
}

/** A same-site API path from the answer, with the secret added when it lacks one. */
function apiPath(href, ctx) {
  try {
    const u = new URL(href, window.location.href);
    if (u.origin !== window.location.origin) return '#';
    if (!u.searchParams.has('pin')) u.searchParams.set('pin', ctx.pin);
    return u.pathname + u.search;
  } catch (e) { return '#'; }
}

// ---- Withdraw -------------------------------------------------------------------------------

function withdrawCard(d, ctx) {
  const form = h('form', { class: 'act-form', id: 'withdraw-form', novalidate: true },
    h('div', { class: 'form-problem', 'aria-live': 'assertive' }),
    field({ label: tx('c.tr.wd_reason'), name: 'reason', type: 'textarea', id: 'wd-reason', required: true, attrs: { maxlength: 2000 } }),
    h('div', { class: 'form-field', dataset: { field: 'confirm' } },
      h('label', { class: 'check', for: 'wd-confirm' }, h('input', { type: 'checkbox', id: 'wd-confirm', name: 'confirm' }), tx('c.tr.wd_confirm')),
      h('p', { class: 'field-error', 'aria-live': 'polite' })),
    h('p', null, h('button', { type: 'submit', class: 'btn btn-danger', id: 'wd-submit' }, tx('c.tr.wd_submit'))));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const reason = form.elements.namedItem('reason').value.trim();
    if (!reason) { fieldError(form, 'reason', t('c.required')); return; }
    if (!form.elements.namedItem('confirm').checked) { fieldError(form, 'confirm', t('c.tr.wd_confirm_required')); return; }
    busy(form, true);
    try {
      await request('POST', '/tracking/' + seg(ctx.code) + '/withdraw', { body: { pin: ctx.pin, reason } });
      ctx.reload(t('c.tr.wd_done'));
    } catch (e) {
      busy(form, false);
      showProblem(form, e);
    }
  });
  return card('withdraw-card', 'c.tr.wd_title', null,
    tx('c.tr.wd_lead', 'p', { class: 'muted' }),
    h('details', { class: 'wd-details', id: 'wd-details' }, h('summary', { id: 'wd-open' }, tx('c.tr.wd_open')), form));
}

// ---- Rating -----------------------------------------------------------------------------------

const CRITERIA = ['overall', 'ease', 'time', 'attitude', 'visits'];
const LEVELS = ['very_satisfied', 'satisfied', 'not_satisfied'];

function ratingCard(d, ctx) {
  const p = d.private || {};
  if (p.rating || p.rated) {
    return card('rating-card', 'c.tr.rate_title', null, h('p', { class: 'notice notice-success act-done', id: 'rated' }, tx('c.tr.rated')));
  }
  const table = h('table', { class: 'rate-table', id: 'rate-table' },
    h('thead', null, h('tr', null, h('td'), LEVELS.map((l) => h('th', { scope: 'col' }, tx('c.tr.rate_' + l))))),
    h('tbody', null, CRITERIA.map((c) => h('tr', { dataset: { field: c, criterion: c } },
      h('th', { scope: 'row', id: 'rate-' + c + '-label' }, tx('c.tr.rate_' + c)),
      LEVELS.map((l) => h('td', null, h('input', {
        type: 'radio', name: c, value: l, id: `rate-${c}-${l}`,
        'aria-labelledby': `rate-${c}-label`, 'aria-label': t('c.tr.rate_' + l),
      })))))));
  const form = h('form', { class: 'act-form', id: 'rating-form', novalidate: true },
    h('div', { class: 'form-problem', 'aria-live': 'assertive' }),
    h('div', { class: 'form-field', dataset: { field: 'ratings' } }, table, h('p', { class: 'field-error', id: 'rate-error', 'aria-live': 'polite' })),
    field({ label: tx('c.tr.rate_comment'), name: 'comment', type: 'textarea', id: 'rate-comment', attrs: { maxlength: 2000 } }),
    h('p', null, h('button', { type: 'submit', class: 'btn btn-primary', id: 'rate-submit' }, tx('c.tr.rate_submit'))));
  // a row answered is no longer marked; the message goes when no row is left unanswered
  table.addEventListener('change', (ev) => {
    const tr = ev.target.closest('tr');
    if (tr) tr.setAttribute('aria-invalid', 'false');
    if (!table.querySelector('tr[aria-invalid="true"]')) {
      const err = form.querySelector('#rate-error');
      if (err) err.textContent = '';
    }
  });
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const body = { pin: ctx.pin };
    let missing = null;
    for (const c of CRITERIA) {
      const r = form.querySelector(`input[name="${c}"]:checked`);
      const tr = table.querySelector(`tr[data-criterion="${c}"]`);
      tr.setAttribute('aria-invalid', r ? 'false' : 'true');
      if (r) body[c] = r.value; else if (!missing) missing = c;
    }
    if (missing) {
      fieldError(form, 'ratings', `${t('c.tr.rate_' + missing)}: ${t('c.tr.rate_pick')}`);
      form.querySelector(`input[name="${missing}"]`).focus();
      return;
    }
    const comment = form.elements.namedItem('comment').value.trim();
    if (comment) body.comment = comment;
    busy(form, true);
    try {
      await request('POST', '/tracking/' + seg(ctx.code) + '/rating', { body });
      mount(form, h('p', { class: 'notice notice-success act-done', id: 'rating-done', role: 'status' }, tx('c.tr.rate_done')));
    } catch (e) {
      if (e.problem && e.problem.code === 'already_rated') {
        mount(form, h('p', { class: 'notice notice-success act-done', id: 'rated' }, tx('c.tr.rated')));
        return;
      }
      busy(form, false);
      // a problem naming a criterion lands in the table's error line
      if (e.problem && CRITERIA.includes(e.problem.field)) fieldError(form, 'ratings', `${t('c.tr.rate_' + e.problem.field)}: ${e.userMessage()}`);
      else showProblem(form, e);
    }
  });
  return card('rating-card', 'c.tr.rate_title', null, tx('c.tr.rate_lead', 'p', { class: 'muted' }), form);
}

// ---- All of them -------------------------------------------------------------------------------

/**
 * The panels for this dossier. ctx: {code, pin, reload(message)}. Only called with a
 * correct secret (the answer has `private`).
 */
export function applicantActions(d, ctx) {
  if (!d || !d.private || !ctx.pin) return null;
  const state = d.status && d.status.code;
  const out = [];
  if (state === 'awaiting_supplement') out.push(supplementCard(d, ctx));
  if (state === 'awaiting_payment') out.push(paymentCard(d, ctx));
  out.push(filesCard(d, ctx));
  if (state === 'returned') out.push(ratingCard(d, ctx));
  if (OPEN.includes(state)) out.push(withdrawCard(d, ctx));
  out.push(h('p', { class: 'feedback-link' },
    h('a', { href: 'phan-anh.html?dossier=' + encodeURIComponent(d.code), id: 'feedback-link' }, tx('c.tr.feedback'))));
  return h('div', { class: 'applicant-actions', id: 'applicant-actions', 'aria-label': t('c.tr.actions') }, out);
}

