// Xác minh kết quả: the page a result's link and QR code lead to. ?sha256= names the
// exact file; GET /api/v1/signatures/stored/{sha256} answers what the verifier said when
// the server signed, sealed or took it (api/results.c). The visitor may check the copy
// they hold: its SHA-256 is computed in the browser and compared, and the copy is checked
// again by POST /api/v1/signatures/verify (nothing is stored).

import { addStrings, getLang, t, formatDateTime } from '../i18n.js';
import { h, mount } from '../dom.js';
import { initLayout, onLang } from '../layout.js';
import { loadingBox, errorBox, badge } from '../ui.js';
import { API_BASE, ApiError, getJSON, seg } from '../api.js';

addStrings({
  'xm.title': ['Xác minh kết quả giải quyết', 'Verify a result'],
  'xm.lead': ['Mã QR và đường dẫn trên kết quả giải quyết dẫn đến trang này: trang cho biết kết quả kiểm tra chữ ký số mà hệ thống đã lưu khi ký và đóng dấu đúng tệp đó (theo mã băm SHA-256).',
    'The link and QR code of a result lead here: this page shows the signature check the system stored when it signed and sealed that exact file (by its SHA-256).'],
  'xm.sha_label': ['Mã băm SHA-256 của tệp kết quả', 'SHA-256 of the result file'],
  'xm.lookup': ['Xem kết quả xác minh', 'Show the verification'],
  'xm.err_sha': ['Mã băm gồm đúng 64 chữ số thập lục phân.', 'The SHA-256 has exactly 64 hexadecimal digits.'],
  'xm.stored_title': ['Kết quả xác minh đã lưu', 'Stored verification'],
  'xm.verified_at': ['Thời điểm hệ thống kiểm tra', 'Checked by the system at'],
  'xm.dossier': ['Hồ sơ', 'Dossier'],
  'xm.not_found': ['Không có kết quả xác minh nào được lưu cho tệp này: tệp không do hệ thống cấp, hoặc đã bị thay đổi.',
    'No verification is stored for this file: the system did not issue it, or it was changed.'],
  'xm.copy_title': ['Kiểm tra bản bạn đang giữ', 'Check the copy you hold'],
  'xm.copy_lead': ['Chọn tệp kết quả bạn đã nhận: hệ thống so mã băm của tệp với tệp đã lưu và kiểm tra lại các chữ ký số. Tệp không được lưu lại.',
    'Choose the result file you received: its hash is compared with the stored file and its signatures are checked again. The file is not stored.'],
  'xm.file_label': ['Tệp kết quả (PDF)', 'Result file (PDF)'],
  'xm.check': ['Kiểm tra tệp', 'Check the file'],
  'xm.err_file': ['Hãy chọn tệp cần kiểm tra.', 'Choose the file to check.'],
  'xm.same': ['Trùng khớp: đây đúng là tệp mà hệ thống đã cấp.', 'Identical: this is the very file the system issued.'],
  'xm.different': ['Không trùng khớp: tệp này khác với tệp đã lưu.', 'Different: this file is not the stored one.'],
  'xm.copy_sha': ['Mã băm của tệp bạn chọn', 'SHA-256 of your file'],
  'xm.copy_check': ['Kiểm tra lại chữ ký số của tệp', 'The file\'s signatures checked again'],
  'xm.verdict.valid': ['Hợp lệ', 'Valid'],
  'xm.verdict.valid_with_warnings': ['Hợp lệ, có cảnh báo', 'Valid, with warnings'],
  'xm.verdict.invalid': ['Không hợp lệ', 'Invalid'],
  'xm.signature_n': ['Chữ ký {n}', 'Signature {n}'],
  'xm.signer': ['Người ký', 'Signer'],
  'xm.officer': ['Cán bộ đã đăng ký chứng thư', 'Registered to the officer'],
  'xm.issuer': ['Tổ chức cấp chứng thư', 'Issued by'],
  'xm.serial': ['Số hiệu chứng thư', 'Certificate serial'],
  'xm.time': ['Thời điểm ký', 'Signing time'],
  'xm.time_claimed': ['thời điểm ký do người ký tự khai', 'claimed by the signer'],
  'xm.no_time': ['Không ghi', 'Not given'],
  'xm.coverage': ['Phạm vi ký', 'Coverage'],
  'xm.whole': ['Chữ ký bao trùm toàn bộ tệp.', 'The signature covers the whole file.'],
  'xm.later_sigs': ['Sau chữ ký này chỉ có thêm chữ ký khác (đóng dấu).', 'Only other signatures (the seal) were added after it.'],
  'xm.after': ['Có {n} byte được thêm vào sau khi ký.', '{n} bytes were added after signing.'],
});

const VARIANT = { valid: 'success', valid_with_warnings: 'warning', invalid: 'danger' };
const MAX = 20 * 1024 * 1024;
const HEX = /^[0-9a-fA-F]{64}$/;

const lookupForm = document.getElementById('xm-lookup');
const shaInput = document.getElementById('xm-sha');
const shaErr = document.getElementById('xm-sha-error');
const storedBox = document.getElementById('xm-stored');
const copyForm = document.getElementById('xm-copy');
const fileInput = document.getElementById('xm-file');
const fileErr = document.getElementById('xm-file-error');
const copyBox = document.getElementById('xm-copy-result');

const state = { sha: '', stored: null, storedErr: null, loading: false, copy: null, copyErr: null, copyLoading: false };

function item(key, ...value) {
  return h('div', { class: 'info-item' }, h('dt', { text: t(key) }), h('dd', null, ...value));
}

function verdictBadge(v) { return badge(t('xm.verdict.' + v), VARIANT[v] || 'neutral'); }

function signatureCard(s) {
  const signer = s.signer || {};
  const time = s.claimed_signing_time;
  const officer = s.registered_officer;
  const coverage = s.covers_whole_file ? t('xm.whole') : s.later_only_signatures ? t('xm.later_sigs') : t('xm.after', { n: s.bytes_after });
  const en = getLang() === 'en';
  const problems = (s.checks || []).filter((c) => c.status !== 'ok');
  return h('article', { class: 'card' },
    h('h3', null, t('xm.signature_n', { n: s.index + 1 }), ' ', verdictBadge(s.verdict)),
    h('dl', { class: 'info-grid' },
      item('xm.signer', signer.cn || '—'),
      officer !== undefined ? item('xm.officer', officer ? officer.full_name : '—') : null,
      item('xm.issuer', signer.issuer || '—'),
      item('xm.serial', signer.serial || '—'),
      item('xm.time', time ? `${formatDateTime(time.time)} (${t('xm.time_claimed')})` : t('xm.no_time')),
      item('xm.coverage', coverage)),
    problems.length ? h('ul', { class: 'plain-list' }, problems.map((c) => h('li', null,
      h('strong', { text: c.label_vi && !en ? c.label_vi : c.check }), ` — ${en ? c.reason_en : c.reason_vi}`))) : null);
}

function renderStored() {
  if (state.loading) return mount(storedBox, loadingBox());
  if (state.storedErr) {
    return mount(storedBox, state.storedErr.status === 404
      ? h('div', { class: 'notice notice-error', id: 'xm-not-found' }, h('p', { text: t('xm.not_found') }))
      : errorBox(state.storedErr));
  }
  const s = state.stored;
  if (!s) return mount(storedBox);
  const v = s.verification || {};
  mount(storedBox, h('div', { class: 'card', id: 'xm-stored-card' },
    h('h2', null, t('xm.stored_title'), ' ', verdictBadge(s.verdict)),
    h('p', { class: 'notice-title', text: getLang() === 'en' ? v.summary_en : v.summary_vi }),
    h('dl', { class: 'info-grid' },
      item('xm.sha_label', h('code', { text: s.sha256 })),
      item('xm.verified_at', formatDateTime(s.verified_at)),
      s.dossier_code ? item('xm.dossier', h('a', { href: 'tra-cuu.html?code=' + encodeURIComponent(s.dossier_code), text: s.dossier_code })) : null)),
  ...(v.signatures || []).map(signatureCard));
}

function renderCopy() {
  if (state.copyLoading) return mount(copyBox, loadingBox());
  if (state.copyErr) return mount(copyBox, errorBox(state.copyErr));
  const c = state.copy;
  if (!c) return mount(copyBox);
  const same = state.stored && c.sha256 === state.stored.sha256;
  mount(copyBox, h('div', { class: 'card', id: 'xm-copy-card' },
    state.stored ? h('p', { class: `notice ${same ? 'notice-success' : 'notice-error'}`, id: 'xm-compare', text: t(same ? 'xm.same' : 'xm.different') }) : null,
    h('dl', { class: 'info-grid' }, item('xm.copy_sha', h('code', { text: c.sha256 }))),
    h('h3', null, t('xm.copy_check'), ' ', verdictBadge(c.report.verdict)),
    h('p', { text: getLang() === 'en' ? c.report.summary_en : c.report.summary_vi })),
  ...(c.report.signatures || []).map(signatureCard));
}

function render() { renderStored(); renderCopy(); }

async function lookup(sha) {
  state.sha = sha.toLowerCase();
  state.loading = true; state.stored = null; state.storedErr = null;
  renderStored();
  try {
    state.stored = await getJSON('/signatures/stored/' + seg(state.sha));
  } catch (e) {
    state.storedErr = e instanceof ApiError ? e : new ApiError(0, null, true);
  } finally {
    state.loading = false;
    render();
  }
}

lookupForm.addEventListener('submit', (ev) => {
  ev.preventDefault();
  const sha = shaInput.value.trim();
  shaErr.textContent = HEX.test(sha) ? '' : t('xm.err_sha');
  shaInput.setAttribute('aria-invalid', HEX.test(sha) ? 'false' : 'true');
  if (!HEX.test(sha)) return;
  history.replaceState(null, '', 'xac-minh.html?sha256=' + sha.toLowerCase());
  lookup(sha);
});

copyForm.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const f = fileInput.files[0];
  fileErr.textContent = !f ? t('xm.err_file') : f.size > MAX ? t('xm.err_file') : '';
  if (!f || f.size > MAX) return;
  state.copyLoading = true; state.copy = null; state.copyErr = null;
  renderCopy();
  try {
    const bytes = await f.arrayBuffer();
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
    const sha256 = Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
    const body = new FormData();
    body.append('file', f, f.name);
    const res = await fetch(`${API_BASE}/signatures/verify`, { method: 'POST', body });
    const data = await res.json().catch(() => null);
    if (!res.ok) throw new ApiError(res.status, data);
    state.copy = { sha256, report: data };
    if (!state.stored && !state.sha) { shaInput.value = sha256; lookup(sha256); }
  } catch (e) {
    state.copyErr = e instanceof ApiError ? e : new ApiError(0, null, true);
  } finally {
    state.copyLoading = false;
    renderCopy();
  }
});

initLayout({ page: 'stored-verification', title: 'xm.title' });
onLang(render);
const initial = (new URLSearchParams(location.search).get('sha256') || '').trim();
if (HEX.test(initial)) { shaInput.value = initial.toLowerCase(); lookup(initial); }
