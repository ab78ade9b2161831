// Pieces shared by the officer pages: badges (urgency, state), problem messages (next to
// the field the problem names, else at the top), form fields, modal dialogs, the pager.

import './strings.js';
import { h, mount, clear } from '../dom.js';
import { t, getLang, label, apiLabel, formatNumber } from '../i18n.js';
import { badge, statusBadge } from '../ui.js';

// ---- Badges -------------------------------------------------------------------

const URGENCY_VARIANT = { overdue: 'danger', due_soon: 'warning', within: 'success', none: 'neutral' };

export function urgencyBadge(code) {
  if (!code) return null;
  return h('span', {
    class: ['badge', 'badge-' + (URGENCY_VARIANT[code] || 'neutral'), 'badge-urgency', 'urgency-' + code],
    dataset: { urgency: code },
    text: label('urg', code),
  });
}

/** The dossier state as the API names it ({code,label_vi,label_en}), else from our labels. */
export function stateBadge(state) {
  if (!state) return null;
  if (typeof state === 'string') return statusBadge({ code: state, label_vi: t('state.' + state), label_en: t('state.' + state) });
  return statusBadge(state.label_vi || state.label_en ? state : { ...state, label_vi: label('state', state.code), label_en: label('state', state.code) });
}

export function channelText(ch) {
  if (!ch) return '';
  if (typeof ch === 'string') return label('channel', ch);
  return apiLabel(ch) || label('channel', ch.code);
}

export { badge };

// ---- Problems ----------------------------------------------------------------

/** Title (Vietnamese) or detail (English) by language, with the other one as a second line. */
export function problemBox(err, { id } = {}) {
  const msg = err && typeof err.userMessage === 'function' ? err.userMessage() : t('common.error');
  const p = err && err.problem;
  const second = p ? (getLang() === 'en' ? null : p.detail) : null;
  return h('div', {
    class: 'notice notice-error problem-box', role: 'alert', id: id || null,
    dataset: { status: err && err.status ? String(err.status) : '', code: (p && p.code) || '' },
  },
  h('p', { class: 'notice-title', text: msg }),
  second && second !== msg ? h('p', { class: 'problem-detail', lang: 'en', text: second }) : null);
}

export function noticeBox(kind, text, { id } = {}) {
  return h('div', { class: ['notice', 'notice-' + kind], role: kind === 'error' ? 'alert' : 'status', id: id || null },
    h('p', { class: kind === 'error' ? 'notice-title' : null, text }));
}

/** Clear the field errors and the top message of a form. */
export function clearErrors(form) {
  form.querySelectorAll('.field-error').forEach((el) => { el.textContent = ''; });
  form.querySelectorAll('[aria-invalid="true"]').forEach((el) => el.setAttribute('aria-invalid', 'false'));
  const top = form.querySelector('.form-problem');
  if (top) clear(top);
}

/** Put a message (text or nodes) next to the control named `field` (by name or data-field); false if none. */
export function fieldError(form, field, text) {
  if (!field) return false;
  const wrap = form.querySelector(`[data-field="${CSS.escape(field)}"]`);
  const ctl = form.querySelector(`[name="${CSS.escape(field)}"]`) || (wrap && wrap.querySelector('input, select, textarea'));
  const box = (wrap && wrap.querySelector('.field-error')) ||
    (ctl && ctl.closest('.form-field') && ctl.closest('.form-field').querySelector('.field-error'));
  if (!box) return false;
  if (typeof text === 'string') box.textContent = text;
  else mount(box, text);
  if (ctl) {
    ctl.setAttribute('aria-invalid', 'true');
    ctl.focus();
  }
  return true;
}

/** Show an ApiError next to its field when the form has it, else in the form's .form-problem. */
export function showProblem(form, err) {
  const p = err && err.problem;
  const msg = err && typeof err.userMessage === 'function' ? err.userMessage() : t('common.error');
  // Next to the field: the title and, in Vietnamese, the English detail that often names
  // what is wrong (e.g. the missing documents).
  const detail = p && getLang() !== 'en' && p.detail && p.detail !== msg ? p.detail : null;
  const text = detail ? [h('span', { class: 'field-error-title', text: msg }), h('span', { class: 'field-error-detail', lang: 'en', text: detail })] : msg;
  const shown = p && p.field ? fieldError(form, p.field, text) : false;
  const top = form.querySelector('.form-problem');
  if (!shown && top) {
    mount(top, problemBox(err));
    top.scrollIntoView({ block: 'nearest' });
  }
  if (shown && top) clear(top);
}

// ---- Form fields ------------------------------------------------------------------

let uid = 0;
export function nextId(prefix = 'f') { uid += 1; return `${prefix}-${uid}`; }

/**
 * field({label, name, type, value, required, hint, attrs, control})
 * A .form-field with label, control, hint and an empty .field-error (aria-describedby).
 */
export function field(o) {
  const id = o.id || nextId(o.name || 'f');
  const errId = id + '-error';
  const hintId = o.hint ? id + '-hint' : null;
  let ctl = o.control;
  if (!ctl) {
    if (o.type === 'textarea') {
      ctl = h('textarea', { rows: o.rows || 3 });
      if (o.value) ctl.value = o.value;
    } else if (o.type === 'select') {
      ctl = h('select', null, o.options || []);
    } else {
      ctl = h('input', { type: o.type || 'text', value: o.value ?? null });
    }
  }
  ctl.id = id;
  if (o.name) ctl.name = o.name;
  if (o.required) ctl.required = true;
  ctl.setAttribute('aria-describedby', [hintId, errId].filter(Boolean).join(' '));
  for (const [k, v] of Object.entries(o.attrs || {})) if (v !== null && v !== undefined && v !== false) ctl.setAttribute(k, v === true ? '' : String(v));
  if (o.type === 'select' && o.value !== undefined) ctl.value = o.value;
  return h('div', { class: ['form-field', o.class], dataset: o.name ? { field: o.name } : null },
    h('label', { for: id },
      o.label,
      o.required ? h('span', { class: 'req', 'aria-hidden': 'true', text: ' *' }) : null),
    ctl,
    o.hint ? h('p', { class: 'field-hint', id: hintId, text: o.hint }) : null,
    h('p', { class: 'field-error', id: errId, 'aria-live': 'polite' }));
}

/** Check required controls that are empty; shows "required" next to each. True if all set. */
export function checkRequired(form) {
  let ok = true;
  for (const ctl of form.querySelectorAll('[required]')) {
    if (ctl.type === 'checkbox' || ctl.type === 'radio') continue;
    if (String(ctl.value || '').trim() === '') {
      const box = ctl.closest('.form-field') && ctl.closest('.form-field').querySelector('.field-error');
      if (box) box.textContent = t('o.field_required');
      ctl.setAttribute('aria-invalid', 'true');
      if (ok) ctl.focus();
      ok = false;
    }
  }
  return ok;
}

// ---- Dialogs -----------------------------------------------------------------------

/**
 * A modal <dialog> with a title, a body and a footer; removed from the page when closed.
 * Returns {dialog, close}. onClose runs once.
 */
export function openDialog({ title, body, footer, className, onClose, id }) {
  const titleId = nextId('dlg-title');
  const dlg = h('dialog', { class: ['o-dialog', className], 'aria-labelledby': titleId, id: id || null },
    h('div', { class: 'o-dialog-head' },
      h('h2', { class: 'o-dialog-title', id: titleId, text: title }),
      h('button', { type: 'button', class: 'o-dialog-x', 'aria-label': t('o.close'), text: '×', on: { click: () => close() } })),
    h('div', { class: 'o-dialog-body' }, body),
    footer ? h('div', { class: 'o-dialog-foot' }, footer) : null);
  let closed = false;
  function close() {
    if (closed) return;
    closed = true;
    if (dlg.open) dlg.close();
    dlg.remove();
    if (onClose) onClose();
  }
  dlg.addEventListener('cancel', (ev) => { ev.preventDefault(); close(); });
  document.body.appendChild(dlg);
  dlg.showModal();
  const first = dlg.querySelector('.o-dialog-body input:not([type=hidden]), .o-dialog-body select, .o-dialog-body textarea, .o-dialog-foot .btn-primary');
  if (first) first.focus();
  return { dialog: dlg, close };
}

// ---- Pager -------------------------------------------------------------------------

function pageList(cur, last) {
  const pages = new Set([1, last, cur - 2, cur - 1, cur, cur + 1, cur + 2]);
  const sorted = [...pages].filter((p) => p >= 1 && p <= last).sort((a, b) => a - b);
  const out = [];
  let prev = 0;
  for (const p of sorted) {
    if (p - prev > 1) out.push(null);
    out.push(p);
    prev = p;
  }
  return out;
}

/** hrefFor(page) gives the link; go(page) handles the click. */
export function pager(total, perPage, page, hrefFor, go) {
  const last = Math.max(1, Math.ceil(total / perPage));
  if (last <= 1) return null;
  const link = (p, text, { rel, current, disabled } = {}) => {
    if (disabled) return h('span', { class: 'page-link disabled', 'aria-disabled': 'true', text });
    return h('a', {
      class: ['page-link', current ? 'current' : null], href: hrefFor(p), rel,
      'aria-current': current ? 'page' : null, dataset: { page: String(p) },
      on: { click: (ev) => { ev.preventDefault(); go(p); } },
      text,
    });
  };
  return h('nav', { class: 'pager', 'aria-label': t('search.pagination') },
    h('ul', null,
      h('li', null, link(page - 1, '‹ ' + t('search.prev'), { rel: 'prev', disabled: page <= 1 })),
      pageList(page, last).map((p) => h('li', null, p === null
        ? h('span', { class: 'page-gap', 'aria-hidden': 'true', text: '…' })
        : link(p, formatNumber(p), { current: p === page }))),
      h('li', null, link(page + 1, t('search.next') + ' ›', { rel: 'next', disabled: page >= last }))));
}

/** Keep a button from double submits while a request runs. */
export async function busy(btn, textKey, fn) {
  const old = Array.from(btn.childNodes);
  btn.disabled = true;
  btn.setAttribute('aria-busy', 'true');
  if (textKey) mount(btn, h('span', { class: 'spinner spinner-sm', 'aria-hidden': 'true' }), t(textKey));
  try {
    return await fn();
  } finally {
    btn.disabled = false;
    btn.removeAttribute('aria-busy');
    if (textKey) mount(btn, ...old);
  }
}
