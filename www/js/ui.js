// Reusable pieces: badges, notices, loading and error boxes.

import { h } from './dom.js';
import { t, label, apiLabel } from './i18n.js';

export function badge(text, variant = 'neutral', extra) {
  return h('span', { class: ['badge', 'badge-' + variant, extra] , text });
}

const SL_VARIANT = { full: 'success', partial: 'info', info: 'neutral' };
export function serviceLevelBadge(code) {
  return badge(label('sl', code), SL_VARIANT[code] || 'neutral', 'badge-sl');
}

const STATUS_VARIANT = {
  submitted: 'info', processing: 'primary', awaiting_supplement: 'warning',
  awaiting_payment: 'warning', suspended: 'warning', resolved: 'success',
  returned: 'success', refused: 'danger', withdrawn: 'neutral', not_accepted: 'danger',
};
export function statusBadge(status) {
  if (!status) return null;
  return badge(apiLabel(status), STATUS_VARIANT[status.code] || 'neutral', 'badge-status');
}

const DEADLINE_VARIANT = { within: 'success', overdue: 'danger', early: 'success', on_time: 'primary', late: 'danger', none: 'neutral' };
export function deadlineBadge(deadline) {
  if (!deadline || !deadline.code || deadline.code === 'none') return null;
  return badge(apiLabel(deadline), DEADLINE_VARIANT[deadline.code] || 'neutral', 'badge-deadline');
}

export function loadingBox() {
  return h('div', { class: 'notice notice-loading', role: 'status' },
    h('span', { class: 'spinner', 'aria-hidden': 'true' }), t('common.loading'));
}

/** err: ApiError (or anything); help: optional extra line. */
export function errorBox(err, help) {
  const msg = err && typeof err.userMessage === 'function' ? err.userMessage() : t('common.error');
  return h('div', { class: 'notice notice-error', role: 'alert' },
    h('p', { class: 'notice-title', text: msg }),
    help ? h('p', { text: help }) : null);
}

export function emptyBox(text) {
  return h('div', { class: 'notice notice-empty', text });
}
