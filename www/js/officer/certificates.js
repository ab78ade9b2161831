// Officers' signing certificates: the badges of the accounts list ("certificates" of
// GET /api/v1/officers: expired, revoked), the dialog of one account on the accounts page,
// and the officer's own page (can-bo/chung-thu-so.html): GET/POST
// /api/v1/officers/{username}/certificates, DELETE …/{id}.

import './strings.js';
import { h, mount } from '../dom.js';
import { addStrings, t, formatDate } from '../i18n.js';
import { seg } from '../api.js';
import { badge, loadingBox } from '../ui.js';
import { api } from './client.js';
import { field, openDialog, clearErrors, showProblem, checkRequired, busy, problemBox } from './widgets.js';

addStrings({
  'o.cert.expired': ['Chứng thư số hết hạn', 'Certificate expired'],
  'o.cert.revoked': ['Chứng thư số bị thu hồi', 'Certificate revoked'],
  'o.cert.count': ['{n} chứng thư số', '{n} certificate(s)'],
  'o.cert.button': ['Chứng thư số', 'Certificates'],
  'o.cert.title': ['Chứng thư số của {u}', 'Signing certificates of {u}'],
  'o.cert.none': ['Chưa đăng ký chứng thư số nào.', 'No certificate registered yet.'],
  'o.cert.col_cn': ['Người được cấp', 'Subject'],
  'o.cert.col_issuer': ['Tổ chức cấp', 'Issuer'],
  'o.cert.col_valid': ['Hiệu lực', 'Validity'],
  'o.cert.col_status': ['Tình trạng', 'Status'],
  'o.cert.ok': ['Hợp lệ', 'Valid'],
  'o.cert.withdrawn': ['Đã hủy đăng ký', 'Withdrawn'],
  'o.cert.untrusted': ['Không do tổ chức được tin cậy cấp', 'Not from a trusted CA'],
  'o.cert.withdraw': ['Hủy đăng ký', 'Withdraw'],
  'o.cert.withdrawn_msg': ['Đã hủy đăng ký chứng thư số.', 'The certificate was withdrawn.'],
  'o.cert.pem': ['Chứng thư số (PEM), có thể kèm chứng thư trung gian', 'Certificate (PEM), intermediates may follow'],
  'o.cert.pem_hint': ['Dán nội dung tệp .pem/.crt bắt đầu bằng -----BEGIN CERTIFICATE-----', 'Paste the .pem/.crt file starting with -----BEGIN CERTIFICATE-----'],
  'o.cert.register': ['Đăng ký chứng thư số', 'Register the certificate'],
  'o.cert.registered': ['Đã đăng ký chứng thư số.', 'The certificate was registered.'],
});

/** The badges of an account's certificates in the accounts list (nothing when none). */
export function certificateBadges(o) {
  const c = o && o.certificates;
  if (!c) return null;
  return h('span', { class: 'cert-badges' },
    c.expired ? badge(t('o.cert.expired'), 'danger', 'badge-cert-expired') : null,
    c.revoked ? badge(t('o.cert.revoked'), 'danger', 'badge-cert-revoked') : null);
}

function statusCell(c) {
  if (!c.active) return badge(t('o.cert.withdrawn'), 'neutral');
  const s = c.status || {};
  const out = [];
  if (s.expired) out.push(badge(t('o.cert.expired'), 'danger', 'badge-cert-expired'));
  if (s.revoked) out.push(badge(t('o.cert.revoked'), 'danger', 'badge-cert-revoked'));
  if (s.untrusted && !s.expired && !s.revoked) out.push(badge(t('o.cert.untrusted'), 'warning'));
  if (!out.length) out.push(s.ok ? badge(t('o.cert.ok'), 'success') : badge(s.label_vi || s.reason || '?', 'warning'));
  return h('span', { class: 'cert-badges' }, out);
}

/**
 * The list of an account's certificates with the registration form: { msg, listBox, form,
 * submit, load }. inForm: the submit button goes inside the form (a page) rather than
 * being left for a dialog's footer.
 */
export function certificatesPanel(username, onChange, inForm = false) {
  const base = '/officers/' + seg(username) + '/certificates';
  const listBox = h('div', { id: 'cert-list' }, loadingBox());
  const msg = h('div', { 'aria-live': 'polite', id: 'cert-message' });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', id: 'cert-submit', form: 'cert-form', text: t('o.cert.register') });
  const form = h('form', { class: 'cert-form', id: 'cert-form', novalidate: true },
    h('div', { class: 'form-problem', 'aria-live': 'assertive' }),
    field({ label: t('o.cert.pem'), name: 'pem', type: 'textarea', rows: 6, required: true, hint: t('o.cert.pem_hint'),
      attrs: { maxlength: 60000, spellcheck: 'false', autocomplete: 'off' } }),
    inForm ? h('div', { class: 'form-actions' }, submit) : null);

  async function load() {
    try {
      const res = await api.get(base);
      const items = Array.isArray(res.items) ? res.items : [];
      if (!items.length) { mount(listBox, h('p', { class: 'muted', text: t('o.cert.none') })); return; }
      mount(listBox, h('div', { class: 'table-wrap' }, h('table', { class: 'data-table cert-table' },
        h('thead', null, h('tr', null, ['o.cert.col_cn', 'o.cert.col_issuer', 'o.cert.col_valid', 'o.cert.col_status', 'o.ac.col_actions']
          .map((k) => h('th', { scope: 'col', text: t(k) })))),
        h('tbody', null, items.map((c) => h('tr', { class: 'cert-row', dataset: { id: String(c.id) } },
          h('td', null, h('span', { text: c.cn || c.subject }), h('span', { class: 'cell-sub code-sub', text: c.serial })),
          h('td', { text: c.issuer }),
          h('td', { class: 'nowrap', text: formatDate(c.not_before) + ' – ' + formatDate(c.not_after) }),
          h('td', null, statusCell(c)),
          h('td', null, c.active ? h('button', {
            type: 'button', class: 'btn btn-sm btn-outline-danger', dataset: { withdraw: String(c.id) },
            on: { click: (ev) => withdraw(c, ev.currentTarget) }, text: t('o.cert.withdraw'),
          }) : null)))))));
    } catch (e) {
      mount(listBox, problemBox(e));
    }
  }

  async function withdraw(c, btn) {
    await busy(btn, null, async () => {
      try {
        await api.del(base + '/' + c.id);
        mount(msg, h('div', { class: 'notice notice-success', role: 'status' }, h('p', { text: t('o.cert.withdrawn_msg') })));
        await load();
        if (onChange) onChange();
      } catch (e) {
        mount(msg, problemBox(e));
      }
    });
  }

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    if (!checkRequired(form)) return;
    await busy(submit, null, async () => {
      try {
        await api.post(base, { pem: form.elements.namedItem('pem').value });
        form.elements.namedItem('pem').value = '';
        mount(msg, h('div', { class: 'notice notice-success', role: 'status' }, h('p', { text: t('o.cert.registered') })));
        await load();
        if (onChange) onChange();
      } catch (e) {
        showProblem(form, e);
      }
    });
  });
  load();
  return { msg, listBox, form, submit, load };
}

/** The dialog of one account's certificates; onChange after a registration or withdrawal. */
export function openCertificates(o, onChange) {
  const p = certificatesPanel(o.username, onChange);
  const dlg = openDialog({
    title: t('o.cert.title', { u: o.username }), id: 'cert-dialog', className: 'cert-dialog',
    body: [p.msg, p.listBox, p.form],
    footer: [h('button', { type: 'button', class: 'btn btn-outline', on: { click: () => dlg.close() }, text: t('o.close') }), p.submit],
  });
  return dlg;
}
