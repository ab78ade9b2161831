// Dossier tracking (tra cứu hồ sơ). ?code= (and ?pin=) come from the QR code on the
// receipt: with ?code= the look-up runs at once. The secret is taken out of the address
// bar after use so it does not stay in the history.

import { getJSON, seg } from '../api.js';
import { h, mount, clear } from '../dom.js';
import { t, label, apiLabel, formatDateTime, formatNumber, addStrings, getLang } from '../i18n.js';
import { initLayout, onLang } from '../layout.js';
import { loadingBox, errorBox, statusBadge, deadlineBadge, badge } from '../ui.js';
import { applicantActions, takePin, paymentReturnNotice } from '../citizen/tracking-actions.js';

const form = document.getElementById('track-form');
const codeInput = document.getElementById('t-code');
const pinInput = document.getElementById('t-pin');
const codeError = document.getElementById('t-code-error');
const box = document.getElementById('tracking');

let dossier = null;
let error = null;
let loading = false;
let controller = null;
let codeMissing = false;
let current = { code: '', pin: '' };   // the last look-up, for the applicant's actions
let flash = null;                      // a message shown above the result once

const arr = (x) => (Array.isArray(x) ? x : []);

addStrings({
  'track.explain': ['Cách tính hạn giải quyết', 'How the due date was computed'],
  'track.explain_loading': ['Đang tính…', 'Computing…'],
  'track.explain_failed': ['Không lấy được cách tính hạn.', 'Could not load the explanation.'],
  'track.result_file': ['Tệp kết quả điện tử', 'Electronic result'],
  'track.result_download': ['Tải kết quả (PDF có chữ ký số)', 'Download the result (digitally signed PDF)'],
  'track.result_verify': ['Xác minh chữ ký số của kết quả', 'Verify the result\'s digital signatures'],
  'track.result_sha256': ['Mã băm SHA-256', 'SHA-256'],
  'track.result_slip': ['Phiếu xác minh (có mã QR)', 'Verification slip (with QR code)'],
  'track.letters': ['Phiếu gửi Ông/Bà', 'Letters to you'],
  'track.letter_supplement': ['Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ', 'Request to supplement the dossier'],
  'track.letter_refusal': ['Phiếu từ chối tiếp nhận giải quyết hồ sơ', 'Refusal of the dossier'],
  'track.letter_apology': ['Phiếu xin lỗi và hẹn lại ngày trả kết quả', 'Apology with a new return date'],
});

// The letters of Circular 01/2018 the desk sent about this dossier (api/forms.c), next to
// the receipt: the supplement request while one is open, the refusal, the apology with
// its new date. Each opens as a PDF with the secret.
function letters(d, pin) {
  const state = d.status && d.status.code;
  const links = [
    state === 'awaiting_supplement' ? ['supplement-request', 'track.letter_supplement'] : null,
    state === 'refused' || state === 'not_accepted' ? ['refusal', 'track.letter_refusal'] : null,
    d.promised_at ? ['apology', 'track.letter_apology'] : null,
  ].filter(Boolean);
  if (links.length === 0) return null;
  return h('div', { class: 'letters', id: 'letters' },
    h('h3', { class: 'sub-title', text: t('track.letters') }),
    h('ul', { class: 'files-list' }, links.map(([name, key]) => h('li', null, h('a', {
      class: 'btn btn-outline btn-sm', id: 'letter-' + name, target: '_blank', rel: 'noopener',
      href: `/api/v1/tracking/${seg(d.code)}/${name}.pdf?pin=${encodeURIComponent(pin)}`,
      text: t(key),
    })))));
}

// The electronic result, once the dossier has one: the signed file (with the secret) and
// the public page of its stored verification (api/results.c).
function resultFile(d, pin) {
  const body = h('div', { class: 'result-file', id: 'result-file' });
  getJSON('/tracking/' + seg(d.code) + '/result', { pin }).then((res) => {
    const r = res.result;
    mount(body,
      h('h3', { class: 'sub-title', text: t('track.result_file') }),
      h('p', null, h('a', {
        class: 'btn btn-primary', id: 'result-download', download: '',
        href: `/api/v1/tracking/${seg(d.code)}/result.pdf?pin=${encodeURIComponent(pin)}`,
        text: t('track.result_download'),
      }), ' ', h('a', { class: 'btn', id: 'result-verify', href: 'xac-minh.html?sha256=' + r.sha256, text: t('track.result_verify') }),
      ' ', h('a', {
        class: 'btn', id: 'result-slip', target: '_blank', rel: 'noopener',
        href: `/api/v1/tracking/${seg(d.code)}/result-slip.pdf?pin=${encodeURIComponent(pin)}`,
        text: t('track.result_slip'),
      })),
      h('p', { class: 'muted' }, t('track.result_sha256'), ': ', h('code', { text: r.sha256 })));
  }).catch(() => clear(body));   // no electronic result: nothing to show
  return body;
}

// "How was the due date computed": the working calendar's explanation for this dossier,
// fetched when opened (the same rules as the public calculator, tinh-han.html).
function explanation(d) {
  if (!d.received_at) return null;
  const body = h('div', { class: 'explain-body' });
  const box = h('details', { class: 'explain', id: 'due-explanation' },
    h('summary', { text: t('track.explain') }), body);
  let loaded = false;
  box.addEventListener('toggle', async () => {
    if (!box.open || loaded) return;
    loaded = true;
    mount(body, h('p', { text: t('track.explain_loading') }));
    try {
      const ex = await getJSON('/tracking/' + seg(d.code) + '/explanation');
      const text = getLang() === 'en' ? ex.explanation_en : ex.explanation_vi;
      mount(body, h('p', { class: 'explain-text', text: text || '' }));
    } catch (e) {
      loaded = false;
      mount(body, h('p', { class: 'text-danger', text: (e && e.problem && e.problem.title) || t('track.explain_failed') }));
    }
  });
  return box;
}

function item(key, ...value) {
  return h('div', { class: 'info-item' },
    h('dt', { text: t(key) }),
    h('dd', null, ...value));
}

function timeline(steps) {
  const list = arr(steps).map((s, i) => ({ s, i }));
  list.sort((a, b) => (Date.parse(a.s.at) || 0) - (Date.parse(b.s.at) || 0) || a.i - b.i);
  if (list.length === 0) return h('p', { class: 'muted', text: t('track.timeline_empty') });
  return h('ol', { class: 'timeline' }, list.map(({ s }, i) => h('li', {
    class: ['timeline-item', i === list.length - 1 ? 'is-current' : null],
    dataset: { action: s.action || '' },
  },
  h('span', { class: 'timeline-dot', 'aria-hidden': 'true' }),
  h('div', { class: 'timeline-body' },
    h('time', { class: 'timeline-time', datetime: s.at || null, text: formatDateTime(s.at) }),
    h('p', { class: 'timeline-label', text: apiLabel(s) }),
    s.unit && s.unit.name ? h('p', { class: 'timeline-unit', text: s.unit.name }) : null))));
}

function privateBlock(d) {
  const p = d.private;
  if (!p) {
    return h('div', { class: 'notice notice-info private-hint' },
      h('p', { text: t('track.private_hint') }),
      h('p', null, h('a', {
        href: '#t-pin', text: t('track.enter_pin'),
        on: { click: (ev) => { ev.preventDefault(); pinInput.focus(); } },
      })));
  }
  const a = p.applicant || {};
  const docs = arr(p.documents);
  return h('section', { class: 'card private-card', 'aria-labelledby': 'private-title' },
    h('h2', { class: 'card-title', id: 'private-title', text: t('track.private_title') }),
    h('dl', { class: 'info-grid' },
      item('track.ap_name', a.name || ''),
      item('track.ap_phone', a.phone || ''),
      item('track.ap_email', a.email || ''),
      item('track.ap_address', a.address || ''),
      item('track.result_ready', p.result_ready
        ? badge(t('track.result_ready_yes'), 'success')
        : badge(t('track.result_ready_no'), 'neutral'))),
    p.result_ready && current.pin ? resultFile(d, current.pin) : null,
    current.pin ? letters(d, current.pin) : null,
    h('h3', { class: 'sub-title', text: t('track.documents') }),
    docs.length === 0 ? h('p', { class: 'muted', text: t('proc.empty_section') })
      : h('div', { class: 'table-wrap' }, h('table', { class: 'data-table' },
        h('thead', null, h('tr', null,
          ['proc.doc_no', 'track.doc_name', 'track.doc_count', 'track.doc_form'].map((k) => h('th', { scope: 'col', text: t(k) })))),
        h('tbody', null, docs.map((doc, i) => h('tr', null,
          h('td', { class: 'col-no', 'data-label': t('proc.doc_no'), text: formatNumber(i + 1) }),
          h('td', { 'data-label': t('track.doc_name'), text: doc.name }),
          h('td', { class: 'nowrap', 'data-label': t('track.doc_count') },
            t('proc.doc_originals', { n: formatNumber(doc.originals ?? 0) }), h('br'),
            t('proc.doc_copies', { n: formatNumber(doc.copies ?? 0) })),
          h('td', { 'data-label': t('track.doc_form') },
            doc.digitized ? badge(t('track.doc_digitized'), 'success') : null,
            doc.digitized && doc.paper_only ? ' ' : null,
            doc.paper_only || !doc.digitized ? badge(t('track.doc_paper'), 'neutral') : null)))))));
}

function resultCard(d) {
  const proc = d.procedure || {};
  return h('article', { class: 'card dossier-card', 'aria-labelledby': 'dossier-title' },
    h('header', { class: 'dossier-head' },
      h('div', null,
        h('p', { class: 'dossier-kicker', text: t('track.result_title') }),
        h('h2', { class: 'dossier-code', id: 'dossier-title' }, h('span', { class: 'code', text: d.code })))),
    h('dl', { class: 'info-grid' },
      item('track.status', statusBadge(d.status)),
      item('track.procedure', proc.code
        ? h('a', { href: 'thu-tuc-chi-tiet.html?code=' + encodeURIComponent(proc.code), text: proc.name || proc.code })
        : (proc.name || '')),
      item('track.unit', d.unit ? d.unit.name || '' : ''),
      item('track.channel', d.channel ? apiLabel(d.channel) || label('channel', d.channel.code) : ''),
      item('track.applicant', h('span', { class: 'applicant-masked', text: d.applicant_masked || '' })),
      d.submitted_at ? item('track.submitted_at', formatDateTime(d.submitted_at)) : null,
      item('track.received_at', d.received_at ? formatDateTime(d.received_at) : '—'),
      item('track.due_at', d.due_at ? formatDateTime(d.due_at) : '—'),
      d.promised_at ? item('track.promised_at', h('strong', { class: 'text-danger', text: formatDateTime(d.promised_at) })) : null,
      d.finished_at ? item('track.finished_at', formatDateTime(d.finished_at)) : null,
      d.returned_at ? item('track.returned_at', formatDateTime(d.returned_at)) : null,
      deadlineBadge(d.deadline) ? item('track.deadline', deadlineBadge(d.deadline)) : null),
    explanation(d),
    h('section', { class: 'timeline-section', 'aria-labelledby': 'timeline-title' },
      h('h3', { class: 'sub-title', id: 'timeline-title', text: t('track.timeline') }),
      timeline(d.steps)));
}

function render() {
  const badField = error && error.problem ? error.problem.field : null;
  codeError.textContent = codeMissing ? t('track.code_required') : '';
  codeInput.setAttribute('aria-invalid', codeMissing || (error && error.status === 400 && badField === 'code') ? 'true' : 'false');
  pinInput.setAttribute('aria-invalid', error && error.status === 400 && badField === 'pin' ? 'true' : 'false');
  if (loading) { mount(box, loadingBox()); return; }
  if (error) {
    const help = error.status === 404 || (error.status === 400 && badField === 'code') ? t('track.not_found_help')
      : error.status === 400 && badField === 'pin' ? t('track.pin_help')
        : error.status === 429 && !(error.problem && error.problem.title) ? t('track.rate_limited') : null;
    const el = errorBox(error, help);
    el.dataset.status = String(error.status);
    mount(box, el);
    return;
  }
  if (!dossier) { clear(box); return; }
  mount(box, flash ? h('div', { class: 'notice notice-success', id: 'action-flash', role: 'status' }, h('p', { text: flash })) : null,
    paymentStatus ? paymentReturnNotice(paymentStatus) : null,
    resultCard(dossier), privateBlock(dossier),
    applicantActions(dossier, { code: dossier.code, pin: current.pin, reload: (msg) => { flash = msg; lookup(current.code, current.pin, true); } }));
}

async function lookup(code, pin, keepFlash = false) {
  if (controller) controller.abort();
  controller = new AbortController();
  loading = true; error = null; dossier = null;
  current = { code, pin };
  if (!keepFlash) { flash = null; paymentStatus = ''; }
  render();
  try {
    dossier = await getJSON('/tracking/' + seg(code), pin ? { pin } : null, { signal: controller.signal });
  } catch (e) {
    if (e && e.name === 'AbortError') return;
    error = e;
  }
  loading = false;
  render();
}

function setUrl(code) {
  const url = window.location.pathname + (code ? '?code=' + encodeURIComponent(code) : '');
  window.history.replaceState(null, '', url);
}

form.addEventListener('submit', (ev) => {
  ev.preventDefault();
  const code = codeInput.value.trim();
  const pin = pinInput.value.trim();
  codeInput.value = code;
  codeMissing = !code;
  if (codeMissing) { dossier = null; error = null; render(); codeInput.focus(); return; }
  setUrl(code);
  lookup(code, pin);
});

initLayout({ page: 'tracking', title: 'track.title' });
onLang(render);

const params = new URLSearchParams(window.location.search);
const initialCode = (params.get('code') || '').trim();
// back from the payment gateway: the secret was kept for this tab (sessionStorage, once)
const paymentStatus0 = (params.get('payment') || '').trim();
let paymentStatus = /^[a-z_]{1,20}$/.test(paymentStatus0) ? paymentStatus0 : '';
const keptPin = initialCode ? takePin(initialCode) : '';
const initialPin = (params.get('pin') || '').trim() || keptPin;
if (initialCode) {
  codeInput.value = initialCode;
  pinInput.value = initialPin;
  if (initialPin || paymentStatus) setUrl(initialCode);
  lookup(initialCode, initialPin, !!paymentStatus);
}
