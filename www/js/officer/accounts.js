// Officer accounts (role admin): GET /api/v1/officers[?unused_days=N], create (POST),
// edit and lock/unlock (PATCH /api/v1/officers/{username}).

import './strings.js';
import { h, mount, clear } from '../dom.js';
import { t, label, formatDateTime, formatNumber } from '../i18n.js';
import { seg } from '../api.js';
import { loadingBox, emptyBox } from '../ui.js';
import { initOfficerPage, roleLabel } from './frame.js';
import { api } from './client.js';
import { field, openDialog, clearErrors, showProblem, checkRequired, fieldError, busy, problemBox, badge } from './widgets.js';
import { certificateBadges, openCertificates } from './certificates.js';

const ROLES = ['desk', 'specialist', 'leader', 'clerk', 'admin', 'monitor'];

const listBox = document.getElementById('accounts');
const countEl = document.getElementById('ac-count');
const flash = document.getElementById('ac-flash');
const filter = document.getElementById('ac-filter');
const unusedInput = document.getElementById('ac-unused');
const headActions = document.getElementById('ac-head-actions');

let me = null;
let items = null;
let error = null;
let units = [];
let unitsReady = Promise.resolve();
let unusedDays = readUnused();

function readUnused() {
  const n = parseInt(new URLSearchParams(window.location.search).get('unused_days') || '', 10);
  return Number.isFinite(n) && n > 0 ? n : null;
}

function say(kind, text) {
  mount(flash, h('div', { class: ['notice', 'notice-' + kind], role: 'status', id: 'ac-message' }, h('p', { class: 'notice-title', text })));
}

async function load() {
  items = null; error = null;
  render();
  try {
    const res = await api.get('/officers', unusedDays ? { unused_days: unusedDays } : null);
    items = Array.isArray(res.items) ? res.items : [];
  } catch (e) {
    error = e;
  }
  render();
}

function roleChips(roles) {
  return h('span', { class: 'officer-roles-cell' }, (Array.isArray(roles) ? roles : []).map((r) => h('span', { class: 'role-chip role-chip-light', dataset: { role: r }, text: roleLabel(r) })));
}

function render() {
  if (error) { countEl.textContent = ''; mount(listBox, problemBox(error)); return; }
  if (!items) { countEl.textContent = ''; mount(listBox, loadingBox()); return; }
  countEl.textContent = t('o.ac.count', { n: formatNumber(items.length) });
  if (!items.length) { mount(listBox, emptyBox(t('o.ac.empty'))); return; }
  const cols = ['o.ac.col_username', 'o.ac.col_name', 'o.ac.col_roles', 'o.ac.col_unit', 'o.ac.col_contact', 'o.ac.col_status', 'o.ac.col_last_login', 'o.ac.col_actions'];
  mount(listBox, h('div', { class: 'table-wrap' }, h('table', { class: 'data-table accounts-table', id: 'accounts-table' },
    h('thead', null, h('tr', null, cols.map((k) => h('th', { scope: 'col', text: t(k) })))),
    h('tbody', null, items.map((o) => h('tr', { class: ['account-row', o.active ? null : 'is-inactive'], dataset: { username: o.username } },
      h('td', { 'data-label': t('o.ac.col_username') }, h('span', { class: 'code', text: o.username })),
      h('td', { 'data-label': t('o.ac.col_name'), text: o.full_name || '' }),
      h('td', { 'data-label': t('o.ac.col_roles') }, roleChips(o.roles)),
      h('td', { 'data-label': t('o.ac.col_unit') },
        h('span', { text: o.unit ? o.unit.name || '' : '' }),
        o.unit ? h('span', { class: 'cell-sub code-sub', text: o.unit.code }) : null),
      h('td', { 'data-label': t('o.ac.col_contact') },
        o.email ? h('span', { class: 'cell-line', text: o.email }) : null,
        o.phone ? h('span', { class: 'cell-line', text: o.phone }) : null,
        !o.email && !o.phone ? h('span', { class: 'muted', text: '—' }) : null),
      h('td', { 'data-label': t('o.ac.col_status') }, o.active ? badge(t('o.ac.active'), 'success') : badge(t('o.ac.inactive'), 'danger'),
        certificateBadges(o)),
      h('td', { class: 'nowrap', 'data-label': t('o.ac.col_last_login'), text: o.last_login_at ? formatDateTime(o.last_login_at) : t('o.ac.never') }),
      h('td', { class: 'nowrap account-actions', 'data-label': t('o.ac.col_actions') },
        h('button', { type: 'button', class: 'btn btn-outline btn-sm', dataset: { edit: o.username }, on: { click: () => openEdit(o) }, text: t('o.edit') }),
        h('button', { type: 'button', class: 'btn btn-outline btn-sm', dataset: { certs: o.username }, on: { click: () => { clear(flash); openCertificates(o, load); } }, text: t('o.cert.button') }),
        me && o.username === me.username ? null : h('button', {
          type: 'button', class: ['btn', 'btn-sm', o.active ? 'btn-outline-danger' : 'btn-outline'], dataset: { toggle: o.username },
          on: { click: (ev) => toggleActive(o, ev.currentTarget) }, text: o.active ? t('o.ac.deactivate') : t('o.ac.activate'),
        }))))))));
}

async function toggleActive(o, btn) {
  clear(flash);
  await busy(btn, null, async () => {
    try {
      await api.patch('/officers/' + seg(o.username), { active: !o.active });
      say('success', t(o.active ? 'o.ac.locked' : 'o.ac.unlocked', { u: o.username }));
      await load();
    } catch (e) {
      mount(flash, problemBox(e));
    }
  });
}

function unitOptions(selected) {
  return units.map((u) => h('option', {
    value: u.code, selected: u.code === selected,
    text: '\u00a0\u00a0\u00a0'.repeat(Math.max(0, Number(u.depth) || 0)) + (u.name || u.code) + ' (' + u.code + ')',
  }));
}

function rolesField(current) {
  const set = new Set(current || []);
  return h('fieldset', { class: 'form-field roles-field', dataset: { field: 'roles' } },
    h('legend', null, t('o.ac.f_roles'), h('span', { class: 'req', 'aria-hidden': 'true', text: ' *' })),
    h('div', { class: 'check-grid' }, ROLES.map((r) => h('label', { class: 'check' },
      h('input', { type: 'checkbox', name: 'roles', value: r, checked: set.has(r) }), label('role', r)))),
    h('p', { class: 'field-error', 'aria-live': 'polite' }));
}

function accountForm(o) {
  const create = !o;
  const form = h('form', { class: 'account-form', id: 'account-form', novalidate: true },
    h('div', { class: 'form-problem', 'aria-live': 'assertive' }),
    h('div', { class: 'rc-grid' },
      create ? field({ label: t('o.ac.f_username'), name: 'username', required: true, hint: t('o.ac.f_username_hint'), attrs: { maxlength: 64, autocomplete: 'off', spellcheck: 'false', autocapitalize: 'none', pattern: '[a-z0-9._\\-]+' } }) : null,
      field({ label: t('o.ac.f_name'), name: 'full_name', required: true, value: o ? o.full_name : '', attrs: { maxlength: 255, autocomplete: 'off' } }),
      field({ label: t('o.ac.f_unit'), name: 'unit', type: 'select', required: true, class: 'span-2', options: unitOptions(o && o.unit ? o.unit.code : (me && me.unit ? me.unit.code : '')) }),
      field({ label: t('o.ac.f_email'), name: 'email', type: 'email', value: o ? o.email : '', attrs: { maxlength: 255, autocomplete: 'off' } }),
      field({ label: t('o.ac.f_phone'), name: 'phone', type: 'tel', value: o ? o.phone : '', attrs: { maxlength: 32, autocomplete: 'off' } }),
      field({
        label: create ? t('o.ac.f_password') : t('o.ac.f_password_new'), name: 'password', type: 'password', required: create,
        hint: t('o.ac.f_password_hint'), attrs: { minlength: 10, maxlength: 256, autocomplete: 'new-password' },
      })),
    rolesField(o ? o.roles : []),
    o ? h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'active', checked: !!o.active }), t('o.ac.f_active')) : null);
  return form;
}

function readAccount(form, o) {
  const v = (n) => { const el = form.elements.namedItem(n); return el ? String(el.value || '').trim() : ''; };
  const roles = [...form.querySelectorAll('input[name="roles"]:checked')].map((c) => c.value);
  const body = {};
  if (!o) body.username = v('username');
  const fields = { full_name: v('full_name'), unit: v('unit'), email: v('email'), phone: v('phone') };
  for (const [k, val] of Object.entries(fields)) {
    const old = o ? (k === 'unit' ? (o.unit ? o.unit.code : '') : o[k] || '') : undefined;
    if (!o || val !== old) body[k] = val;
  }
  if (!o || roles.slice().sort().join() !== (o.roles || []).slice().sort().join()) body.roles = roles;
  const pw = form.elements.namedItem('password').value;
  if (pw) body.password = pw;
  if (o) {
    const active = form.elements.namedItem('active').checked;
    if (active !== !!o.active) body.active = active;
  }
  return { body, roles };
}

async function openAccountDialog(o) {
  await unitsReady;
  const form = accountForm(o);
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', id: 'account-submit', form: 'account-form', text: t('o.save') });
  const dlg = openDialog({
    title: o ? t('o.ac.edit_title', { u: o.username }) : t('o.ac.create_title'),
    body: form, id: 'account-dialog', className: 'account-dialog',
    footer: [h('button', { type: 'button', class: 'btn btn-outline', on: { click: () => dlg.close() }, text: t('o.cancel') }), submit],
  });
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    if (!checkRequired(form)) return;
    const { body, roles } = readAccount(form, o);
    if (!roles.length) { fieldError(form, 'roles', t('o.ac.need_role')); return; }
    await busy(submit, null, async () => {
      try {
        if (o) {
          if (Object.keys(body).length) await api.patch('/officers/' + seg(o.username), body);
          say('success', t('o.ac.saved', { u: o.username }));
        } else {
          await api.post('/officers', body);
          say('success', t('o.ac.created', { u: body.username }));
        }
        dlg.close();
        await load();
      } catch (e) {
        showProblem(form, e);
      }
    });
  });
}

function openEdit(o) { clear(flash); openAccountDialog(o); }

async function main() {
  const session = await initOfficerPage({ page: 'accounts', title: 'o.ac.title', roles: ['admin'] });
  if (!session) return;
  me = session.officer;
  filter.hidden = false;
  unusedInput.value = unusedDays ? String(unusedDays) : '';
  const drawHead = () => mount(headActions, h('button', {
    type: 'button', class: 'btn btn-accent', id: 'ac-create',
    on: { click: () => { clear(flash); openAccountDialog(null); } },
  }, '+ ', t('o.ac.create')));
  drawHead();
  filter.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const err = document.getElementById('ac-unused-error');
    err.textContent = '';
    unusedInput.setAttribute('aria-invalid', 'false');
    const raw = unusedInput.value.trim();
    const n = parseInt(raw, 10);
    if (raw && !(Number.isFinite(n) && n >= 1 && n <= 3650)) {
      err.textContent = t('o.ac.unused_invalid');
      unusedInput.setAttribute('aria-invalid', 'true');
      return;
    }
    unusedDays = raw ? n : null;
    window.history.replaceState(null, '', window.location.pathname + (unusedDays ? '?unused_days=' + unusedDays : ''));
    load();
  });
  document.getElementById('ac-unused-clear').addEventListener('click', (ev) => {
    ev.preventDefault();
    unusedDays = null;
    unusedInput.value = '';
    window.history.replaceState(null, '', window.location.pathname);
    load();
  });
  document.addEventListener('langchange', () => { drawHead(); render(); });
  unitsReady = api.get('/units').then((res) => { units = Array.isArray(res.items) ? res.items : []; }).catch(() => { /* the select stays empty */ });
  load();
}

main();
