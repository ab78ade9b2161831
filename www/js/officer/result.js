// The result of a dossier on the officer's page (api/results.c): the current file with its
// stage and stored verification, the upload (specialist, leader; at the last step), how a
// leader signs it (motcua-sign, the local signer, through the two-step API), and the
// clerk's seal. The panel loads its own data and redraws itself. Each upload, signature
// and seal is an event of the dossier's history and a new version: after one, onChanged
// lets the page reload the dossier (its timeline, its version for the next action).

import { h, mount } from '../dom.js';
import { t, addStrings, formatDateTime, getLang } from '../i18n.js';
import { API_BASE, ApiError, seg } from '../api.js';
import { badge, loadingBox } from '../ui.js';
import { api, hasRole } from './client.js';
import { problemBox } from './widgets.js';

addStrings({
  'o.res.title': ['Kết quả giải quyết', 'Result'],
  'o.res.none': ['Hồ sơ chưa có tệp kết quả.', 'The dossier has no result file yet.'],
  'o.res.stage': ['Trạng thái', 'Stage'],
  'o.res.stage.uploaded': ['Đã tải lên, chưa ký', 'Uploaded, not signed'],
  'o.res.stage.signed': ['Đã ký số', 'Signed'],
  'o.res.stage.sealed': ['Đã ký số và đóng dấu', 'Signed and sealed'],
  'o.res.file': ['Tệp', 'File'],
  'o.res.by': ['Người cập nhật', 'By'],
  'o.res.at': ['Lúc', 'At'],
  'o.res.sha256': ['Mã băm SHA-256', 'SHA-256'],
  'o.res.download': ['Tải tệp kết quả', 'Download the result'],
  'o.res.verify_page': ['Trang xác minh công khai', 'Public verification page'],
  'o.res.slip': ['In phiếu xác minh (mã QR)', 'Print the verification slip (QR code)'],
  'o.res.required': ['Kết quả trả trực tuyến: lãnh đạo phải ký số trước khi duyệt.', 'An online result: a leader must sign it before approving.'],
  'o.res.signatures': ['Chữ ký số', 'Signatures'],
  'o.res.registered_to': ['chứng thư của {n}', 'certificate of {n}'],
  'o.res.unregistered': ['chứng thư chưa đăng ký cho cán bộ nào', 'certificate not registered to an officer'],
  'o.res.approval_ok': ['Bạn có thể duyệt kết quả (chữ ký hợp lệ, đúng chứng thư đã đăng ký).', 'You may approve the result (a valid signature with your registered certificate).'],
  'o.res.approval_no': ['Chưa thể duyệt: {r}', 'Cannot approve yet: {r}'],
  'o.res.upload': ['Tải lên tệp kết quả (PDF)', 'Upload the result file (PDF)'],
  'o.res.upload_btn': ['Tải lên', 'Upload'],
  'o.res.uploaded': ['Đã tải lên tệp kết quả.', 'The result file was uploaded.'],
  'o.res.sign_how': ['Ký số bằng USB token hoặc tệp PKCS#12 trên máy của bạn với công cụ motcua-sign:', 'Sign with your USB token or PKCS#12 file on your own machine with motcua-sign:'],
  'o.res.seal': ['Đóng dấu (chữ ký số của cơ quan)', 'Apply the seal (the organization\'s signature)'],
  'o.res.sealed': ['Đã đóng dấu kết quả.', 'The seal was applied.'],
  'o.res.verdict.valid': ['Hợp lệ', 'Valid'],
  'o.res.verdict.valid_with_warnings': ['Hợp lệ, có cảnh báo', 'Valid, with warnings'],
  'o.res.verdict.invalid': ['Không hợp lệ', 'Invalid'],
  'o.res.reason.no_result': ['chưa có tệp kết quả', 'no result file'],
  'o.res.reason.not_signed': ['kết quả chưa được ký số', 'the result is not signed'],
  'o.res.reason.signature_invalid': ['chữ ký số không hợp lệ', 'a signature does not verify'],
  'o.res.reason.not_registered': ['chứng thư đã ký chưa được đăng ký cho bạn', 'the signing certificate is not registered to you'],
  'o.res.reason.registered_to_other': ['kết quả được ký bằng chứng thư của cán bộ khác', 'signed with another officer\'s certificate'],
});

// The page draws a new panel when it reloads after a change: the note of what was just
// done passes to that panel of the same dossier.
let carried = null;

const VARIANT = { valid: 'success', valid_with_warnings: 'warning', invalid: 'danger' };
const STAGE_VARIANT = { uploaded: 'neutral', signed: 'info', sealed: 'success' };

function item(key, ...value) {
  return h('div', { class: 'info-item' }, h('dt', { text: t(key) }), h('dd', null, ...value));
}

function reasonText(reason) {
  const code = String(reason || '').split(':')[0];
  return t('o.res.reason.' + code) + (reason && reason.includes(':') ? ` (${reason.split(':')[1]})` : '');
}

/** The result panel of dossier d for the signed-in session ({officer, csrf_token}). */
export function resultPanel(d, session, { onChanged } = {}) {
  const officer = session && session.officer;
  const box = h('section', { class: 'card ds-card', id: 'ds-result', 'aria-labelledby': 'ds-result-title' });
  const state = d.state && (d.state.code || d.state);
  let data = null;
  let err = null;
  let note = carried && carried.code === d.code ? carried.note : null;
  let busy = false;
  carried = null;

  async function load() {
    try {
      data = await api.get('/dossiers/' + seg(d.code) + '/result');
      err = null;
    } catch (e) { err = e; }
    draw();
  }

  async function upload(ev) {
    ev.preventDefault();
    const input = ev.target.querySelector('input[type=file]');
    if (!input.files[0] || busy) return;
    const body = new FormData();
    body.append('file', input.files[0], input.files[0].name);
    busy = true; draw();
    try {
      const res = await fetch(`${API_BASE}/dossiers/${seg(d.code)}/result`, {
        method: 'POST', body, credentials: 'same-origin', headers: { 'X-CSRF-Token': session.csrf_token || '' },
      });
      const json = await res.json().catch(() => null);
      if (!res.ok) throw new ApiError(res.status, json);
      note = { kind: 'success', text: t('o.res.uploaded') };
      err = null;
    } catch (e) { err = e instanceof ApiError ? e : new ApiError(0, null, true); }
    busy = false;
    await changed();
  }

  async function seal() {
    if (busy) return;
    busy = true; draw();
    try {
      await api.post('/dossiers/' + seg(d.code) + '/result/seal');
      note = { kind: 'success', text: t('o.res.sealed'), id: 'result-sealed' };
      err = null;
    } catch (e) { err = e; }
    busy = false;
    await changed();
  }

  // After a stored change the page reloads the dossier and draws a new panel (with the
  // note); after a refusal, or without onChanged, this panel reloads its own data.
  async function changed() {
    if (onChanged && !err) {
      carried = { code: d.code, note };
      await onChanged();
      return;
    }
    await load();
  }

  function signatures(v) {
    const sigs = (v && v.signatures) || [];
    if (!sigs.length) return null;
    return h('div', null,
      h('h3', { class: 'sub-title', text: t('o.res.signatures') }, ' ', badge(t('o.res.verdict.' + v.verdict), VARIANT[v.verdict] || 'neutral')),
      h('p', { class: 'muted', text: getLang() === 'en' ? v.summary_en : v.summary_vi }),
      h('ol', { class: 'plain-list', id: 'result-signatures' }, sigs.map((s) => h('li', null,
        badge(t('o.res.verdict.' + s.verdict), VARIANT[s.verdict] || 'neutral'), ' ',
        h('strong', { text: (s.signer && s.signer.cn) || '—' }), ' — ',
        s.registered_officer ? t('o.res.registered_to', { n: s.registered_officer.full_name }) : t('o.res.unregistered'),
        s.claimed_signing_time ? ` · ${formatDateTime(s.claimed_signing_time.time)}` : ''))));
  }

  function draw() {
    const parts = [h('h2', { class: 'card-title', id: 'ds-result-title', text: t('o.res.title') })];
    if (note) parts.push(h('div', { class: ['notice', 'notice-' + note.kind], role: 'status', id: note.id || 'result-note' }, h('p', { text: note.text })));
    if (err) parts.push(problemBox(err, { id: 'result-error' }));
    if (!data && !err) { mount(box, ...parts, loadingBox()); return; }
    if (data) {
      const r = data.result;
      if (data.signature_required) parts.push(h('p', { class: 'muted', text: t('o.res.required') }));
      if (!r) parts.push(h('p', { class: 'muted', id: 'result-none', text: t('o.res.none') }));
      else {
        parts.push(h('dl', { class: 'info-grid' },
          item('o.res.stage', h('span', { id: 'result-stage', dataset: { stage: r.stage } }, badge(t('o.res.stage.' + r.stage), STAGE_VARIANT[r.stage]))),
          item('o.res.file', r.file_name || '—'),
          item('o.res.by', r.created_by || '—'),
          item('o.res.at', formatDateTime(r.created_at)),
          item('o.res.sha256', h('code', { text: r.sha256 }))),
        h('p', null,
          h('a', { class: 'btn btn-outline', id: 'result-download', href: `${API_BASE}/dossiers/${seg(d.code)}/result.pdf`, text: t('o.res.download') }), ' ',
          h('a', { class: 'btn btn-outline', id: 'result-verify-page', target: '_blank', rel: 'noopener', href: '/xac-minh.html?sha256=' + r.sha256, text: t('o.res.verify_page') }), ' ',
          h('a', { class: 'btn btn-outline', id: 'result-slip', target: '_blank', rel: 'noopener', href: `${API_BASE}/dossiers/${seg(d.code)}/result-slip.pdf`, text: t('o.res.slip') })),
        signatures(data.verification));
        if (hasRole(officer, 'leader') && data.signature_required && state === 'processing') {
          parts.push(h('p', { id: 'result-approval', class: data.approval.ok ? 'text-success' : 'muted',
            text: data.approval.ok ? t('o.res.approval_ok') : t('o.res.approval_no', { r: reasonText(data.approval.reason) }) }));
        }
      }
      if (state === 'processing' && (hasRole(officer, 'specialist') || hasRole(officer, 'leader'))) {
        const id = 'result-file-input';
        parts.push(h('form', { class: 'result-upload', id: 'result-upload', on: { submit: upload } },
          h('label', { for: id, text: t('o.res.upload') }), ' ',
          h('input', { id, type: 'file', name: 'file', accept: '.pdf,application/pdf' }), ' ',
          h('button', { type: 'submit', class: 'btn btn-primary', disabled: busy, text: t('o.res.upload_btn') })));
      }
      if (r && state === 'processing' && hasRole(officer, 'leader')) {
        parts.push(h('p', { class: 'muted', text: t('o.res.sign_how') }),
          h('pre', { class: 'code-block', id: 'result-sign-cmd',
            text: `motcua-sign remote --p12 KEY.p12 --url ${window.location.origin} --user ${officer.username} --dossier ${d.code}` }));
      }
      if (r && r.stage === 'signed' && (state === 'processing' || state === 'resolved') && hasRole(officer, 'clerk')) {
        parts.push(h('p', null, h('button', { type: 'button', class: 'btn btn-primary', id: 'result-seal', disabled: busy,
          on: { click: seal }, text: t('o.res.seal') })));
      }
    }
    mount(box, ...parts);
  }

  draw();
  load();
  return box;
}
