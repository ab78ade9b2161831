// Citizen account (tai-khoan.html): sign in, register, and once signed in the list of
// the citizen's own dossiers (GET /api/v1/citizens/me/dossiers) linking to tracking.
// ?next=nop-ho-so.html?code=… sends the citizen back to the form after signing in.

import './strings.js';
import { h, mount } from '../dom.js';
import { t, formatDateTime, label } from '../i18n.js';
import { initLayout } from '../layout.js';
import { loadingBox, errorBox, statusBadge, badge } from '../ui.js';
import { request, currentCitizen, login, logout, citizenName } from './client.js';
import { field, showProblem, clearErrors, fieldError, noticeBox } from './widgets.js';

const box = document.getElementById('account-page');
const params = new URLSearchParams(window.location.search);
let citizen = null;
let dossiers = null;     // null: loading; [] or the list; an ApiError
let flash = null;        // {kind, text} shown above the forms

const arr = (x) => (Array.isArray(x) ? x : []);

/** Only a page of this site may be a ?next= target (no open redirect). */
function safeNext(next) {
  if (typeof next !== 'string') return null;
  return /^[a-z0-9-]+\.html(\?[^#\s]*)?$/i.test(next) && !/^tai-khoan\.html/.test(next) ? next : null;
}

function tx(key, tag = 'span', attrs = {}) {
  return h(tag, { ...attrs, dataset: { ...(attrs.dataset || {}), i18n: key }, text: t(key) });
}

function busy(form, on) {
  form.setAttribute('aria-busy', on ? 'true' : 'false');
  for (const el of form.querySelectorAll('button, input')) el.disabled = on;
}

function unavailable(e) { return e && (e.status === 404 || e.status === 405) && !(e.problem && e.problem.field); }

// ---- Signed out -----------------------------------------------------------------------------

function loginForm() {
  const form = h('form', { class: 'acc-form', id: 'login-form', novalidate: true },
    h('div', { class: 'form-problem', id: 'login-problem', 'aria-live': 'assertive' }),
    field({ label: tx('c.acc.login_id'), name: 'login', id: 'cl-login', required: true, attrs: { autocomplete: 'username', maxlength: 255 } }),
    field({ label: tx('c.acc.password'), name: 'password', type: 'password', id: 'cl-password', required: true, attrs: { autocomplete: 'current-password', maxlength: 200 } }),
    h('p', null, h('button', { type: 'submit', class: 'btn btn-primary', id: 'cl-submit' }, tx('c.acc.login_submit'))));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const id = form.elements.namedItem('login').value.trim();
    const pw = form.elements.namedItem('password').value;
    if (!id) { fieldError(form, 'login', t('c.required')); return; }
    if (!pw) { fieldError(form, 'password', t('c.required')); return; }
    busy(form, true);
    try {
      citizen = await login(id, pw);
      const next = safeNext(params.get('next'));
      if (next) { window.location.assign(next); return; }
      flash = null;
      await loadDossiers();
    } catch (e) {
      busy(form, false);
      form.elements.namedItem('password').value = '';
      if (unavailable(e)) { mount(form.querySelector('.form-problem'), noticeBox('warning', t('c.acc.unavailable'))); return; }
      showProblem(form, e);
    }
  });
  return form;
}

function registerForm() {
  const form = h('form', { class: 'acc-form', id: 'register-form', novalidate: true },
    h('div', { class: 'form-problem', id: 'register-problem', 'aria-live': 'assertive' }),
    tx('c.acc.register_lead', 'p', { class: 'field-hint' }),
    field({ label: tx('c.acc.full_name'), name: 'full_name', id: 'cr-name', required: true, attrs: { autocomplete: 'name', maxlength: 255 } }),
    field({ label: tx('c.sub.email'), name: 'email', type: 'email', id: 'cr-email', attrs: { autocomplete: 'email', maxlength: 255 } }),
    field({ label: tx('c.sub.phone'), name: 'phone', type: 'tel', id: 'cr-phone', hint: t('c.sub.contact_hint'), attrs: { autocomplete: 'tel', maxlength: 32 } }),
    field({ label: tx('c.acc.password'), name: 'password', type: 'password', id: 'cr-password', required: true, hint: t('c.acc.password_hint'), attrs: { autocomplete: 'new-password', maxlength: 200 } }),
    field({ label: tx('c.acc.password2'), name: 'password2', type: 'password', id: 'cr-password2', required: true, attrs: { autocomplete: 'new-password', maxlength: 200 } }),
    h('p', null, h('button', { type: 'submit', class: 'btn btn-accent', id: 'cr-submit' }, tx('c.acc.register_submit'))));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const v = (n) => form.elements.namedItem(n).value.trim();
    const body = { full_name: v('full_name'), password: form.elements.namedItem('password').value };
    if (v('email')) body.email = v('email');
    if (v('phone')) body.phone = v('phone');
    let ok = true;
    let first = null;
    const bad = (n, key) => { fieldError(form, n, t(key)); if (!first) first = n; ok = false; };
    if (!body.full_name) bad('full_name', 'c.required');
    if (!body.email && !body.phone) bad('email', 'c.sub.contact_required');
    if (body.email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(body.email)) bad('email', 'c.sub.email_bad');
    if (body.password.length < 10) bad('password', 'c.acc.password_short');
    else if (body.password !== form.elements.namedItem('password2').value) bad('password2', 'c.acc.password_mismatch');
    if (!ok) { form.elements.namedItem(first).focus(); return; }
    busy(form, true);
    try {
      await request('POST', '/citizens', { body });
      flash = { kind: 'success', text: body.email ? t('c.acc.registered', { email: body.email }) : t('c.acc.registered_phone', { phone: body.phone }) };
      render();
      const id = document.getElementById('cl-login');
      if (id) id.value = body.email || body.phone;
    } catch (e) {
      busy(form, false);
      if (unavailable(e)) { mount(form.querySelector('.form-problem'), noticeBox('warning', t('c.acc.unavailable'))); return; }
      showProblem(form, e);
    }
  });
  return form;
}

// ---- Signed in ------------------------------------------------------------------------------

function dossierTable() {
  if (dossiers === null) return loadingBox();
  if (!Array.isArray(dossiers)) return errorBox(dossiers);
  if (!dossiers.length) {
    return h('div', { class: 'notice notice-empty', id: 'no-dossiers' }, tx('c.acc.no_dossiers', 'p'),
      h('p', null, h('a', { href: 'thu-tuc.html' }, tx('c.acc.find_procedure'))));
  }
  const cols = ['c.acc.col_code', 'c.acc.col_procedure', 'c.acc.col_submitted', 'c.acc.col_due', 'c.acc.col_status'];
  return h('div', { class: 'table-wrap' }, h('table', { class: 'data-table my-dossiers-table', id: 'my-dossiers' },
    h('thead', null, h('tr', null, cols.map((k) => h('th', { scope: 'col' }, tx(k))))),
    h('tbody', null, dossiers.map((d) => {
      const proc = d.procedure || {};
      const status = d.status && typeof d.status === 'object' ? d.status
        : { code: d.status || d.state, label_vi: label('state', d.status || d.state), label_en: label('state', d.status || d.state) };
      return h('tr', { class: 'my-dossier', dataset: { code: d.code } },
        h('td', { 'data-label': t('c.acc.col_code') }, h('a', { class: 'code', href: 'tra-cuu.html?code=' + encodeURIComponent(d.code), text: d.code })),
        h('td', { 'data-label': t('c.acc.col_procedure'), text: proc.name || proc.code || '' }),
        h('td', { class: 'nowrap', 'data-label': t('c.acc.col_submitted'), text: formatDateTime(d.submitted_at || d.created_at) }),
        h('td', { class: 'nowrap', 'data-label': t('c.acc.col_due'), text: d.due_at ? formatDateTime(d.due_at) : '—' }),
        h('td', { 'data-label': t('c.acc.col_status') }, statusBadge(status)));
    }))));
}

function signedIn() {
  const verified = citizen.email_verified_at || citizen.email_verified || citizen.verified;
  return [
    h('section', { class: 'card acc-card', id: 'account-card' },
      h('div', { class: 'acc-head' },
        h('div', { class: 'acc-who' },
          h('h2', { class: 'card-title', id: 'account-name', text: t('c.acc.welcome', { name: citizenName(citizen) }) }),
          citizen.email ? h('p', null, citizen.email, ' ', verified ? badge(t('c.acc.verified'), 'success') : badge(t('c.acc.not_verified'), 'warning')) : null,
          citizen.phone ? h('p', { text: citizen.phone }) : null),
        h('button', {
          type: 'button', class: 'btn btn-outline', id: 'citizen-logout',
          on: { click: async () => { await logout().catch(() => {}); citizen = null; dossiers = null; flash = { kind: 'info', text: t('c.acc.signed_out') }; render(); } },
        }, tx('c.acc.logout')))),
    h('section', { class: 'card acc-card my-dossiers', 'aria-labelledby': 'my-dossiers-title' },
      h('h2', { class: 'card-title', id: 'my-dossiers-title' }, tx('c.acc.my_dossiers')),
      dossierTable()),
  ];
}

function render() {
  if (citizen) { mount(box, signedIn()); return; }
  mount(box,
    flash ? h('div', { class: ['notice', 'notice-' + flash.kind], id: 'account-flash', role: 'status' }, h('p', { text: flash.text })) : null,
    h('div', { class: 'acc-grid' },
      h('section', { class: 'card', 'aria-labelledby': 'login-title' }, h('h2', { class: 'card-title', id: 'login-title' }, tx('c.acc.login_title')), loginForm()),
      h('section', { class: 'card', 'aria-labelledby': 'register-title' }, h('h2', { class: 'card-title', id: 'register-title' }, tx('c.acc.register_title')), registerForm())));
}

async function loadDossiers() {
  dossiers = null;
  render();
  try {
    const res = await request('GET', '/citizens/me/dossiers');
    dossiers = arr(res && (res.items || res));
  } catch (e) { dossiers = e; }
  render();
}

async function start() {
  initLayout({ page: 'account', title: 'c.acc.title' });
  mount(box, loadingBox());
  try { citizen = await currentCitizen(); } catch (e) { citizen = null; }
  if (citizen) await loadDossiers(); else render();
}

start();
