// The officer's dossier page (ho-so.html?code=…): summary, the internal process as a
// stepper, documents, the full history with its integrity banner, and one button per
// action in allowed_actions, each opening a small form (actions.js).

import './strings.js';
import { h, mount, clear } from '../dom.js';
import { t, label, apiLabel, formatDateTime, formatNumber, addStrings } from '../i18n.js';
import { API_BASE, seg } from '../api.js';
import { loadingBox, deadlineBadge, badge } from '../ui.js';
import { initOfficerPage } from './frame.js';
import { api } from './client.js';
import { stateBadge, channelText, problemBox, noticeBox } from './widgets.js';
import { ACTION_ORDER, actionVariant, openActionForm } from './actions.js';
import { resultPanel } from './result.js';

const code = (new URLSearchParams(window.location.search).get('code') || '').trim();
const box = document.getElementById('dossier');
const flash = document.getElementById('ds-flash');
const titleEl = document.getElementById('ds-title');
const headActions = document.getElementById('ds-head-actions');

let dossier = null;
let error = null;
let flashMsg = null;     // {kind, text, err}
let session = null;      // {officer, csrf_token}: the result panel acts with it

const arr = (x) => (Array.isArray(x) ? x : []);

function item(key, ...value) {
  return h('div', { class: 'info-item' }, h('dt', { text: t(key) }), h('dd', null, ...value));
}

function dt(v) { return v ? formatDateTime(v) : '—'; }

// ---- Sections -------------------------------------------------------------------------

function summary(d) {
  const proc = d.procedure || {};
  const a = d.applicant || {};
  return h('section', { class: 'card ds-card', 'aria-labelledby': 'ds-summary-title' },
    h('h2', { class: 'card-title', id: 'ds-summary-title', text: t('o.ds.summary') }),
    h('dl', { class: 'info-grid ds-summary' },
      item('o.ds.code', h('span', { class: 'code', id: 'ds-code', text: d.code })),
      item('o.ds.state', h('span', { id: 'ds-state' }, stateBadge(d.state))),
      item('o.ds.procedure', h('span', { class: 'ds-proc' }, h('span', { class: 'code', text: proc.code || '' }), ' ', proc.name || '')),
      item('o.ds.unit', d.unit ? d.unit.name || d.unit.code || '' : ''),
      item('o.ds.current_unit', d.current_unit ? d.current_unit.name || d.current_unit.code || '' : ''),
      item('o.ds.channel', channelText(d.channel)),
      item('o.ds.result_channel', channelText(d.result_channel)),
      item('o.ds.received_at', dt(d.received_at)),
      item('o.ds.due_at', h('strong', { id: 'ds-due', text: dt(d.due_at) })),
      d.promised_at ? item('o.ds.promised_at', h('strong', { class: 'text-danger', text: dt(d.promised_at) })) : null,
      d.finished_at ? item('o.ds.finished_at', dt(d.finished_at)) : null,
      d.returned_at ? item('o.ds.returned_at', dt(d.returned_at)) : null,
      item('o.ds.deadline', h('span', { id: 'ds-deadline' }, deadlineBadge(d.deadline) || '—')),
      d.assignee ? item('o.ds.assignee', d.assignee) : null),
    h('h3', { class: 'sub-title', text: t('o.ds.applicant') }),
    h('dl', { class: 'info-grid ds-applicant' },
      item('o.ds.ap_name', h('span', { id: 'ds-applicant-name', text: a.name || '' })),
      item('o.ds.ap_kind', a.kind ? t('o.ds.kind.' + a.kind) : ''),
      item('o.ds.ap_id', a.id_number || '—'),
      item('o.ds.ap_phone', a.phone || '—'),
      item('o.ds.ap_email', a.email || '—'),
      item('o.ds.ap_address', a.address || '—')));
}

// A dossier with its result (or closed) is at no step any more, even if the API still
// names the last one as current.
const FINISHED_ALL_DONE = new Set(['resolved', 'returned']);
const CLOSED = new Set(['refused', 'withdrawn', 'not_accepted']);

function stepper(d) {
  const steps = arr(d.process);
  const stateCode = d.state && d.state.code;
  const atNoStep = FINISHED_ALL_DONE.has(stateCode) || CLOSED.has(stateCode);
  const cur = atNoStep ? null : d.current_step;
  const lastSeq = d.current_step ? d.current_step.seq : null;
  const curSeq = cur ? cur.seq : null;
  return h('section', { class: 'card ds-card', 'aria-labelledby': 'ds-process-title' },
    h('h2', { class: 'card-title', id: 'ds-process-title', text: t('o.ds.process') }),
    steps.length === 0 ? h('p', { class: 'muted', text: t('o.ds.no_process') })
      : h('ol', { class: 'stepper', id: 'ds-stepper' }, steps.map((s) => {
        const isCur = !atNoStep && (s.current === true || (curSeq !== null && s.seq === curSeq));
        const done = !isCur && ((curSeq !== null && s.seq < curSeq) || FINISHED_ALL_DONE.has(stateCode) ||
          (CLOSED.has(stateCode) && lastSeq !== null && s.seq < lastSeq));
        return h('li', {
          class: ['step', isCur ? 'is-current' : null, done ? 'is-done' : null],
          'aria-current': isCur ? 'step' : null,
          dataset: { seq: String(s.seq) },
        },
        h('span', { class: 'step-dot', 'aria-hidden': 'true', text: done ? '✓' : String(s.seq) }),
        h('div', { class: 'step-body' },
          h('p', { class: 'step-title', text: s.name || '' }),
          h('p', { class: 'step-meta', text: [label('role', s.role), s.unit_level ? label('ul', s.unit_level) : '',
            s.share_permille ? t('o.ds.share', { p: formatNumber(s.share_permille / 10, { maximumFractionDigits: 1 }) }) : ''].filter(Boolean).join(' · ') })),
        h('div', { class: 'step-status' },
          isCur ? badge(t('o.ds.step_current'), 'danger') : null,
          isCur && cur && cur.due_at ? h('span', { class: 'step-due', text: t('o.ds.step_due', { d: formatDateTime(cur.due_at) }) }) : null,
          done ? h('span', { class: 'step-done-text', text: t('o.ds.step_done') }) : null));
      })));
}

function documents(d) {
  const docs = arr(d.documents);
  return h('section', { class: 'card ds-card', 'aria-labelledby': 'ds-docs-title' },
    h('h2', { class: 'card-title', id: 'ds-docs-title', text: t('o.ds.documents') }),
    docs.length === 0 ? h('p', { class: 'muted', text: t('o.ds.no_documents') })
      : h('div', { class: 'table-wrap' }, h('table', { class: 'data-table ds-docs' },
        h('thead', null, h('tr', null, ['proc.doc_no', 'o.ds.doc_name', 'o.ds.doc_count', 'o.ds.doc_form'].map((k) => h('th', { scope: 'col', text: t(k) })))),
        h('tbody', null, docs.map((doc, i) => h('tr', null,
          h('td', { class: 'col-no', 'data-label': t('proc.doc_no'), text: formatNumber(i + 1) }),
          h('td', { 'data-label': t('o.ds.doc_name'), text: doc.name || '' }),
          h('td', { class: 'nowrap', 'data-label': t('o.ds.doc_count') },
            t('proc.doc_originals', { n: formatNumber(doc.originals ?? 0) }), h('br'),
            t('proc.doc_copies', { n: formatNumber(doc.copies ?? 0) })),
          h('td', { 'data-label': t('o.ds.doc_form') },
            doc.digitized ? badge(t('o.ds.doc_digital'), 'success') : null,
            doc.digitized && doc.paper_only ? ' ' : null,
            doc.paper_only || !doc.digitized ? badge(t('o.ds.doc_paper'), 'neutral') : null)))))));
}

function stateName(codeOrObj) {
  if (!codeOrObj) return '';
  if (typeof codeOrObj === 'object') return apiLabel(codeOrObj) || label('state', codeOrObj.code);
  return label('state', codeOrObj);
}

function history(d) {
  const list = arr(d.history).slice().sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0));
  const intact = d.history_intact !== false;
  const banner = intact
    ? h('div', { class: 'integrity integrity-ok', id: 'history-integrity', role: 'status', dataset: { intact: 'true' } },
      h('span', { class: 'integrity-icon', 'aria-hidden': 'true', text: '✓' }),
      h('div', null, h('p', { class: 'integrity-title', text: t('o.ds.history_intact') }), h('p', { class: 'integrity-hint', text: t('o.ds.history_intact_hint') })))
    : h('div', { class: 'integrity integrity-broken', id: 'history-integrity', role: 'alert', dataset: { intact: 'false' } },
      h('span', { class: 'integrity-icon', 'aria-hidden': 'true', text: '!' }),
      h('div', null, h('p', { class: 'integrity-title', text: t('o.ds.history_broken') }), h('p', { class: 'integrity-hint', text: t('o.ds.history_broken_hint') })));
  const cols = ['o.ds.h_time', 'o.ds.h_action', 'o.ds.h_unit', 'o.ds.h_step', 'o.ds.h_actor', 'o.ds.h_note'];
  return h('section', { class: 'card ds-card', 'aria-labelledby': 'ds-history-title' },
    h('h2', { class: 'card-title', id: 'ds-history-title', text: t('o.ds.history') }),
    banner,
    list.length === 0 ? h('p', { class: 'muted', text: t('o.ds.no_history') })
      : h('div', { class: 'table-wrap' }, h('table', { class: 'data-table ds-history', id: 'ds-history' },
        h('thead', null, h('tr', null, cols.map((k) => h('th', { scope: 'col', text: t(k) })))),
        h('tbody', null, list.map((e) => h('tr', { class: 'history-row', dataset: { action: e.action || '', seq: String(e.seq ?? '') } },
          h('td', { class: 'nowrap history-time', 'data-label': t('o.ds.h_time') }, h('time', { datetime: e.at || null, text: formatDateTime(e.at) })),
          h('td', { class: 'history-action', 'data-label': t('o.ds.h_action') },
            h('span', { class: 'history-label', text: apiLabel(e) || e.action || '' }),
            e.from_state || e.to_state ? h('span', { class: 'cell-sub history-states' },
              e.from_state ? stateName(e.from_state) : '', e.from_state && e.to_state ? ' → ' : '', e.to_state ? stateName(e.to_state) : '') : null),
          h('td', { 'data-label': t('o.ds.h_unit'), text: e.unit ? e.unit.name || e.unit.code || '' : '' }),
          h('td', { 'data-label': t('o.ds.h_step'), text: e.step_name || '' }),
          h('td', { class: 'history-actor', 'data-label': t('o.ds.h_actor'), text: e.actor || t('o.ds.h_system') }),
          h('td', { class: 'history-note', 'data-label': t('o.ds.h_note') },
            e.note ? h('span', { class: 'pre-line', text: e.note }) : null,
            e.due_at ? h('span', { class: 'cell-sub', text: t('o.ds.h_due', { d: formatDateTime(e.due_at) }) }) : null)))))));
}

function actionsPanel(d) {
  const allowed = arr(d.allowed_actions);
  const sorted = allowed.slice().sort((a, b) => {
    const ia = ACTION_ORDER.indexOf(a); const ib = ACTION_ORDER.indexOf(b);
    return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib);
  });
  return h('section', { class: 'card ds-card ds-actions', 'aria-labelledby': 'ds-actions-title' },
    h('h2', { class: 'card-title', id: 'ds-actions-title', text: t('o.ds.actions') }),
    sorted.length === 0 ? h('p', { class: 'muted', id: 'no-actions', text: t('o.ds.no_actions') })
      : h('div', { class: 'action-list', id: 'action-list' }, sorted.map((a) => h('button', {
        type: 'button', class: ['btn', 'btn-action', 'btn-' + actionVariant(a)], id: 'action-' + a,
        dataset: { action: a },
        on: { click: () => openAction(a) },
        text: label('act', a),
      }))),
    h('div', { class: 'ds-print' },
      h('a', {
        class: 'btn btn-outline', id: 'print-control-sheet', target: '_blank', rel: 'noopener',
        href: `${API_BASE}/dossiers/${seg(d.code)}/control-sheet.pdf`,
      }, h('span', { class: 'icon-print', 'aria-hidden': 'true' }), t('o.ds.print')),
      letterLinks(d)));
}

addStrings({
  'o.ds.print_supplement': ['In phiếu yêu cầu bổ sung', 'Print the supplement request'],
  'o.ds.print_refusal': ['In phiếu từ chối', 'Print the refusal'],
  'o.ds.print_apology': ['In phiếu xin lỗi, hẹn lại ngày trả', 'Print the apology with the new date'],
});

// The letters of Circular 01/2018 the dossier has (api/forms.c): a supplement request once
// one was made, the refusal of a refused (or not accepted) dossier, an approved apology.
function letterLinks(d) {
  const state = d.state && d.state.code;
  const asked = arr(d.history).some((e) => e.action === 'request_supplement');
  const links = [
    asked ? ['supplement-request', 'o.ds.print_supplement'] : null,
    state === 'refused' || state === 'not_accepted' ? ['refusal', 'o.ds.print_refusal'] : null,
    d.apology && d.apology.approved_at ? ['apology', 'o.ds.print_apology'] : null,
  ].filter(Boolean);
  return links.map(([name, key]) => [' ', h('a', {
    class: 'btn btn-outline', id: 'print-' + name, target: '_blank', rel: 'noopener',
    href: `${API_BASE}/dossiers/${seg(d.code)}/${name}.pdf`,
  }, h('span', { class: 'icon-print', 'aria-hidden': 'true' }), t(key))]);
}

// ---- Actions --------------------------------------------------------------------------

function openAction(action) {
  if (!dossier) return;
  openActionForm(action, dossier, {
    onDone(updated) {
      dossier = updated;
      error = null;
      flashMsg = { kind: 'success', text: t('o.ds.done', { a: label('act', action) }), id: 'action-done' };
      render();
      flash.focus();
    },
    async onStale(err) {
      flashMsg = { kind: 'warning', err, text: t('o.ds.version_reloaded'), id: 'action-stale' };
      await load(false);
      flash.focus();
    },
    async onRefresh() {
      // The action was refused (409 …): reload so the buttons match the dossier again.
      await load(false, { keepFlash: true });
    },
  });
}

// ---- Render -----------------------------------------------------------------------------

function renderFlash() {
  if (!flashMsg) { clear(flash); return; }
  if (flashMsg.err) {
    mount(flash, h('div', { class: 'notice notice-warning', role: 'alert', id: flashMsg.id || null, dataset: { status: String(flashMsg.err.status || '') } },
      h('p', { class: 'notice-title', text: flashMsg.err.userMessage() }),
      h('p', { text: flashMsg.text })));
    return;
  }
  mount(flash, h('div', { class: ['notice', 'notice-' + flashMsg.kind], role: 'status', id: flashMsg.id || null },
    h('p', { class: 'notice-title', text: flashMsg.text })));
}

function render() {
  renderFlash();
  if (error) {
    mount(box, problemBox(error, { id: 'dossier-error' }));
    clear(headActions);
    return;
  }
  if (!dossier) { mount(box, loadingBox()); return; }
  const d = dossier;
  document.body.dataset.version = String(d.version ?? '');
  mount(titleEl, h('span', { class: 'code ds-title-code', text: d.code }));
  document.title = `${d.code} – ${t('o.site.title')}`;
  mount(headActions, stateBadge(d.state), deadlineBadge(d.deadline));
  mount(box,
    h('div', { class: 'ds-layout' },
      h('div', { class: 'ds-main' }, summary(d), stepper(d)),
      h('aside', { class: 'ds-side' }, actionsPanel(d))),
    documents(d),
    resultPanel(d, session, { onChanged: () => load(false) }),
    history(d));
}

async function load(showLoading = true, { keepFlash = true } = {}) {
  if (showLoading) { dossier = null; render(); }
  if (!keepFlash) flashMsg = null;
  try {
    dossier = await api.get('/dossiers/' + seg(code));
    error = null;
  } catch (e) {
    error = e;
  }
  render();
}

async function main() {
  session = await initOfficerPage({ page: 'dossier', title: 'o.ds.title' });
  if (!session) return;
  if (!code) {
    mount(box, noticeBox('error', t('o.ds.missing_code')));
    return;
  }
  document.addEventListener('langchange', render);
  await load();
}

main();
