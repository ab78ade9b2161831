// The small form each dossier action opens, and the request it sends:
//   POST /api/v1/dossiers/{code}/actions/{action}
//   headers If-Match: "<version>", X-CSRF-Token; body only what the action needs.
// 200 gives the updated dossier; 412 (someone changed it) reloads; any other problem is
// shown next to its field or at the top of the form.

import './strings.js';
import { h, mount } from '../dom.js';
import { t, label, formatDateTime } from '../i18n.js';
import { seg } from '../api.js';
import { api } from './client.js';
import { field, openDialog, clearErrors, showProblem, checkRequired, fieldError, busy } from './widgets.js';

/** Buttons in this order (the usual path first, then the exceptions). */
export const ACTION_ORDER = ['accept', 'assign', 'forward', 'resolve', 'return', 'request_supplement', 'supplement',
  'request_payment', 'pay', 'transfer', 'transfer_back', 'send_back', 'suspend', 'resume', 'apology',
  'not_accept', 'refuse', 'withdraw'];

const VARIANT = {
  accept: 'primary', forward: 'primary', resolve: 'primary', return: 'primary', transfer_back: 'primary',
  supplement: 'primary', pay: 'primary', resume: 'primary',
  not_accept: 'danger', refuse: 'danger', withdraw: 'danger',
};
export function actionVariant(a) { return VARIANT[a] || 'outline'; }

const NEEDS_REASON = new Set(['not_accept', 'send_back', 'suspend', 'refuse']);

/** What the action's form asks for. */
function needs(action, d) {
  const rc = d.result_channel && (d.result_channel.code || d.result_channel);
  return {
    reason: NEEDS_REASON.has(action),
    items: action === 'request_supplement',
    assignee: action === 'assign',
    unit: action === 'transfer',
    waybill: action === 'return' && rc === 'postal',
    new_date: action === 'apology',
  };
}

let unitsCache = null;
async function loadUnits() {
  if (unitsCache) return unitsCache;
  const res = await api.get('/units');
  unitsCache = Array.isArray(res.items) ? res.items : [];
  return unitsCache;
}

/** A list of text rows, added and removed freely, sent all at once. */
function itemsEditor() {
  const list = h('ol', { class: 'items-list', id: 'action-items' });
  const addRow = (value = '') => {
    const n = list.children.length + 1;
    const input = h('input', { type: 'text', class: 'item-input', maxlength: '1000', value, 'aria-label': t('act.f.item_n', { n }) });
    const row = h('li', { class: 'item-row' },
      input,
      h('button', {
        type: 'button', class: 'btn btn-icon item-remove', 'aria-label': t('act.f.remove_item'), title: t('act.f.remove_item'), text: '×',
        on: { click: () => { row.remove(); if (!list.children.length) addRow(); renumber(); } },
      }));
    list.appendChild(row);
    return input;
  };
  const renumber = () => {
    [...list.querySelectorAll('.item-input')].forEach((inp, i) => inp.setAttribute('aria-label', t('act.f.item_n', { n: i + 1 })));
  };
  addRow();
  const wrap = h('div', { class: 'form-field', dataset: { field: 'items' } },
    h('p', { class: 'label-like', id: 'action-items-label' }, t('act.f.items'), h('span', { class: 'req', 'aria-hidden': 'true', text: ' *' })),
    h('p', { class: 'field-hint', text: t('act.f.items_hint') }),
    list,
    h('button', { type: 'button', class: 'btn btn-link add-item', id: 'action-add-item', on: { click: () => addRow().focus() } }, '+ ', t('act.f.add_item')),
    h('p', { class: 'field-error', 'aria-live': 'polite' }));
  list.setAttribute('aria-labelledby', 'action-items-label');
  return { wrap, values: () => [...list.querySelectorAll('.item-input')].map((i) => i.value.trim()).filter(Boolean) };
}

function unitSelect(d) {
  const sel = h('select', null, h('option', { value: '', text: t('act.f.unit_pick') }));
  loadUnits().then((units) => {
    const here = d.current_unit ? d.current_unit.code : null;
    for (const u of units) {
      if (u.code === here) continue;
      sel.appendChild(h('option', {
        value: u.code,
        text: '\u00a0\u00a0\u00a0'.repeat(Math.max(0, Number(u.depth) || 0)) + (u.name || u.short_name || u.code) + ' (' + u.code + ')',
      }));
    }
  }).catch(() => { /* the problem shows when sending without a unit */ });
  return sel;
}

/** "2025-03-10T16:00" (datetime-local, Vietnam time) -> "2025-03-10T16:00:00+07:00". */
function isoVietnam(local) {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(local)) return null;
  return local + ':00+07:00';
}

/**
 * Open the action's form. cb.onDone(dossier) after 200; cb.onStale(err) after 412;
 * cb.onRefresh() after other refusals (the dossier may have moved on).
 */
export function openActionForm(action, d, cb) {
  const need = needs(action, d);
  const problemBox = h('div', { class: 'form-problem', id: 'action-problem', 'aria-live': 'assertive' });
  const form = h('form', { class: 'action-form', id: 'action-form', novalidate: true, dataset: { action } });
  const parts = [problemBox,
    h('p', { class: 'action-target muted' }, h('span', { class: 'code', text: d.code }), ' · ', d.procedure ? d.procedure.name || '' : '')];
  let items = null;
  if (need.reason) parts.push(field({ label: t('act.f.reason'), name: 'reason', type: 'textarea', required: true, rows: 3, attrs: { maxlength: 2000 } }));
  if (need.items) { items = itemsEditor(); parts.push(items.wrap); }
  if (need.assignee) parts.push(field({ label: t('act.f.assignee'), name: 'assignee', required: true, attrs: { maxlength: 64, autocomplete: 'off', spellcheck: 'false', autocapitalize: 'none' } }));
  if (need.unit) parts.push(field({ label: t('act.f.unit'), name: 'unit', required: true, control: unitSelect(d) }));
  if (need.waybill) parts.push(field({ label: t('act.f.waybill'), name: 'waybill', required: true, attrs: { maxlength: 64, autocomplete: 'off', spellcheck: 'false' } }));
  if (need.new_date) {
    parts.push(field({
      label: t('act.f.new_date'), name: 'new_date', type: 'datetime-local', required: true,
      hint: d.due_at ? t('o.ds.due_at') + ': ' + formatDateTime(d.due_at) : null,
    }));
  }
  parts.push(field({ label: t('act.f.note'), name: 'note', type: 'textarea', rows: 2, attrs: { maxlength: 2000 } }));
  mount(form, ...parts);

  const submit = h('button', { type: 'submit', class: ['btn', 'btn-' + (actionVariant(action) === 'danger' ? 'danger' : 'primary')], id: 'action-submit', form: form.id }, label('act', action));
  const cancel = h('button', { type: 'button', class: 'btn btn-outline', id: 'action-cancel', on: { click: () => dlg.close() } }, t('o.cancel'));
  const dlg = openDialog({
    title: label('act', action), body: form, footer: [cancel, submit], className: 'action-dialog', id: 'action-dialog',
  });

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    if (!checkRequired(form)) return;
    const body = {};
    const val = (n) => { const el = form.elements.namedItem(n); return el ? el.value.trim() : ''; };
    if (need.reason) body.reason = val('reason');
    if (need.items) {
      body.items = items.values();
      if (!body.items.length) { fieldError(form, 'items', t('act.f.need_items')); return; }
    }
    if (need.assignee) body.assignee = val('assignee');
    if (need.unit) body.unit = val('unit');
    if (need.waybill) body.waybill = val('waybill');
    if (need.new_date) {
      body.new_date = isoVietnam(val('new_date'));
      if (!body.new_date) { fieldError(form, 'new_date', t('o.field_required')); return; }
    }
    const note = val('note');
    if (note) body.note = note;
    await busy(submit, null, async () => {
      try {
        const updated = await api.post(`/dossiers/${seg(d.code)}/actions/${seg(action)}`, body, { ifMatch: d.version });
        dlg.close();
        cb.onDone(updated);
      } catch (e) {
        if (e && e.status === 412) {
          dlg.close();
          cb.onStale(e);
          return;
        }
        showProblem(form, e);
        if (e && (e.status === 409 || e.status === 403) && cb.onRefresh) cb.onRefresh();
      }
    });
  });
  return dlg;
}
