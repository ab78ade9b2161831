// E-mail verification landing (xac-thuc.html?token=…): the link in the verification mail
// opens this page, which calls GET /api/v1/citizens/verify?token= and says how it went.
// The token is taken out of the address bar at once so it does not stay in the history.

import './strings.js';
import { h, mount } from '../dom.js';
import { t } from '../i18n.js';
import { initLayout } from '../layout.js';
import { request } from './client.js';
import { problemBox } from './widgets.js';

const box = document.getElementById('verify-page');
const token = (new URLSearchParams(window.location.search).get('token') || '').trim();
let outcome = null;   // null: checking; {ok: true} or {ok: false, err}

function render() {
  const login = h('p', null, h('a', { class: 'btn btn-primary', id: 'go-login', href: 'tai-khoan.html', text: t('c.ver.go_login') }));
  if (!token) {
    mount(box, h('div', { class: 'card verify-card', id: 'verify-result', dataset: { ok: 'false' } },
      h('p', { class: 'notice notice-error', text: t('c.ver.no_token') }), login));
    return;
  }
  if (!outcome) {
    mount(box, h('div', { class: 'card verify-card' }, h('p', { class: 'notice notice-loading', role: 'status' },
      h('span', { class: 'spinner', 'aria-hidden': 'true' }), t('c.ver.checking'))));
    return;
  }
  mount(box, h('div', { class: 'card verify-card', id: 'verify-result', dataset: { ok: outcome.ok ? 'true' : 'false' } },
    outcome.ok ? h('p', { class: 'notice notice-success', role: 'status', text: t('c.ver.ok') })
      : [problemBox(outcome.err), h('p', { class: 'muted', text: t('c.ver.failed_help') })],
    login));
}

initLayout({ page: 'account', title: 'c.ver.title' });
document.addEventListener('langchange', render);
if (token) window.history.replaceState(null, '', window.location.pathname);
render();
if (token) {
  request('GET', '/citizens/verify', { params: { token } })
    .then(() => { outcome = { ok: true }; })
    .catch((err) => { outcome = { ok: false, err }; })
    .finally(render);
}
