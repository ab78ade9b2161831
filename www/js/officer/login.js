// Sign-in (dang-nhap.html): POST /api/v1/auth/login, then the page named by ?next= (a path
// of the officer area only) or the inbox. An officer already signed in goes on at once.

import './strings.js';
import { t } from '../i18n.js';
import { mount, clear } from '../dom.js';
import { drawFrame, setFrame } from './frame.js';
import { login, fetchSession, safeNext } from './client.js';
import { clearErrors, fieldError, showProblem, noticeBox, busy } from './widgets.js';

const form = document.getElementById('login-form');
const user = document.getElementById('l-username');
const pass = document.getElementById('l-password');
const submit = document.getElementById('l-submit');
const status = document.getElementById('login-status');
const params = new URLSearchParams(window.location.search);
const next = safeNext(params.get('next')) || 'index.html';

setFrame(drawFrame({ page: 'login', title: 'o.login.title', officer: null }));

function showStatus() {
  if (params.get('signed_out')) mount(status, noticeBox('info', t('o.login.signed_out')));
  else clear(status);
}
showStatus();
document.addEventListener('langchange', showStatus);

form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  clearErrors(form);
  clear(status);
  const username = user.value.trim();
  const password = pass.value;
  if (!username || !password) {
    if (!username) fieldError(form, 'username', t('o.login.missing'));
    else fieldError(form, 'password', t('o.login.missing'));
    return;
  }
  await busy(submit, 'o.login.busy', async () => {
    try {
      await login(username, password);
      window.location.assign(next);
    } catch (e) {
      // invalid_credentials has no field: it goes on top; the password is cleared.
      showProblem(form, e);
      if (e && e.status === 401) {
        pass.value = '';
        pass.focus();
      }
    }
  });
});

// Already signed in (e.g. the back button): go on.
fetchSession().then((s) => {
  if (s && s.officer && !params.get('signed_out')) window.location.replace(next);
}).catch(() => { /* the form stays usable */ });

user.focus();
