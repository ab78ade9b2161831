// Kiểm tra chữ ký số: the public signature check. The visitor picks a signed PDF, or a
// detached .p7s and the file it signs; POST /api/v1/signatures/verify answers with a
// report, shown as a verdict badge, a plain summary and a card per signature. The
// signing time is shown as what it is: claimed by the signer.

import { addStrings, getLang, t, formatDateTime } from '../i18n.js';
import { h, mount } from '../dom.js';
import { initLayout, onLang } from '../layout.js';
import { loadingBox, errorBox, badge } from '../ui.js';
import { API_BASE, ApiError } from '../api.js';

addStrings({
  'vsig.title': ['Kiểm tra chữ ký số', 'Check a digital signature'],
  'vsig.lead': ['Chọn văn bản điện tử có chữ ký số (tệp PDF đã ký, hoặc tệp chữ ký rời .p7s cùng với tệp đã được ký) để kiểm tra chữ ký có hợp lệ không. Tệp chỉ được dùng để kiểm tra, không được lưu lại.',
    'Choose an electronic document with a digital signature (a signed PDF, or a detached .p7s signature with the file it signs) to check whether the signature is valid. The files are only checked, never stored.'],
  'vsig.file_label': ['Văn bản có chữ ký (PDF) hoặc tệp chữ ký .p7s', 'Signed document (PDF) or .p7s signature'],
  'vsig.file_hint': ['Tối đa 20 MB.', 'At most 20 MB.'],
  'vsig.content_label': ['Tệp đã được ký (chỉ khi chọn tệp .p7s)', 'The signed file (only with a .p7s)'],
  'vsig.content_hint': ['Tệp gốc mà chữ ký .p7s ký lên, tối đa 20 MB.', 'The original file the .p7s signs, at most 20 MB.'],
  'vsig.submit': ['Kiểm tra', 'Check'],
  'vsig.err_file': ['Hãy chọn tệp cần kiểm tra.', 'Choose the file to check.'],
  'vsig.err_content': ['Chữ ký .p7s cần kèm tệp đã được ký.', 'A .p7s signature needs the signed file.'],
  'vsig.err_size': ['Tệp quá lớn (tối đa 20 MB).', 'The file is too large (at most 20 MB).'],
  'vsig.verdict.valid': ['Hợp lệ', 'Valid'],
  'vsig.verdict.valid_with_warnings': ['Hợp lệ, có cảnh báo', 'Valid, with warnings'],
  'vsig.verdict.invalid': ['Không hợp lệ', 'Invalid'],
  'vsig.result_title': ['Kết quả kiểm tra', 'Result'],
  'vsig.file_sha256': ['Mã băm SHA-256 của tệp', 'SHA-256 of the file'],
  'vsig.signature_n': ['Chữ ký {n}', 'Signature {n}'],
  'vsig.signer': ['Người ký', 'Signer'],
  'vsig.serial': ['Số hiệu chứng thư', 'Certificate serial'],
  'vsig.issuer': ['Tổ chức cấp chứng thư', 'Issued by'],
  'vsig.time': ['Thời điểm ký', 'Signing time'],
  'vsig.time_claimed': ['thời điểm ký do người ký tự khai', 'claimed by the signer'],
  'vsig.no_time': ['Không ghi', 'Not given'],
  'vsig.coverage': ['Phạm vi ký', 'Coverage'],
  'vsig.whole': ['Chữ ký bao trùm toàn bộ tệp.', 'The signature covers the whole file.'],
  'vsig.after': ['Có {n} byte được thêm vào sau khi ký.', '{n} bytes were added after signing.'],
  'vsig.checks': ['Các bước kiểm tra', 'Checks'],
  'vsig.status.ok': ['Đạt', 'OK'],
  'vsig.status.warning': ['Cảnh báo', 'Warning'],
  'vsig.status.fail': ['Không đạt', 'Failed'],
  'vsig.status.not_checked': ['Không kiểm tra', 'Not checked'],
  'vsig.check.coverage': ['Phạm vi ký', 'Coverage'],
  'vsig.check.integrity': ['Toàn vẹn nội dung', 'Integrity'],
  'vsig.check.chain_at_signing': ['Chứng thư tại thời điểm ký', 'Certificate at signing time'],
  'vsig.check.chain_now': ['Chứng thư hiện nay', 'Certificate now'],
  'vsig.check.revocation': ['Tình trạng thu hồi', 'Revocation'],
  'vsig.check.key_usage': ['Mục đích sử dụng khóa', 'Key usage'],
  'vsig.none': ['Tài liệu không có chữ ký số nào.', 'The document has no digital signature.'],
  'vsig.officer': ['Cán bộ', 'Officer'],
  'vsig.officer_registered': ['Chứng thư số đã đăng ký cho cán bộ {name}', 'The certificate is registered to the officer {name}'],
  'vsig.officer_none': ['Chứng thư số chưa đăng ký cho cán bộ nào của hệ thống', 'The certificate is not registered to any officer of this system'],
});

const MAX = 20 * 1024 * 1024;
const VERDICT_VARIANT = { valid: 'success', valid_with_warnings: 'warning', invalid: 'danger' };
const STATUS_VARIANT = { ok: 'success', warning: 'warning', fail: 'danger', not_checked: 'neutral' };

const form = document.getElementById('vsig-form');
const fileInput = document.getElementById('vsig-file');
const contentInput = document.getElementById('vsig-content');
const box = document.getElementById('vsig-result');
const fileErr = document.getElementById('vsig-file-error');
const contentErr = document.getElementById('vsig-content-error');

let report = null;
let error = null;
let loading = false;
let fieldErrors = {};

function item(key, ...value) {
  return h('div', { class: 'info-item' }, h('dt', { text: t(key) }), h('dd', null, ...value));
}

function officerText(o) {
  if (!o) return h('span', { class: 'muted registered-officer', text: t('vsig.officer_none') });
  const name = o.full_name || o.name || o.username;
  const unit = o.unit && o.unit.name ? ` (${o.unit.name})` : '';
  return h('span', { class: 'registered-officer', text: t('vsig.officer_registered', { name: name + unit }) });
}

function signatureCard(s) {
  const en = getLang() === 'en';
  const signer = s.signer || {};
  const time = s.claimed_signing_time;
  return h('article', { class: 'card' },
    h('h3', null, t('vsig.signature_n', { n: s.index + 1 }), ' ',
      badge(t('vsig.verdict.' + s.verdict), VERDICT_VARIANT[s.verdict] || 'neutral')),
    h('dl', { class: 'info-grid' },
      item('vsig.signer', signer.cn || '—'),
      item('vsig.serial', signer.serial || '—'),
      item('vsig.issuer', signer.issuer || '—'),
      s.signer ? item('vsig.officer', officerText(s.registered_officer)) : null,
      item('vsig.time', time ? `${formatDateTime(time.time)} (${t('vsig.time_claimed')})` : t('vsig.no_time')),
      item('vsig.coverage', s.covers_whole_file ? t('vsig.whole') : t('vsig.after', { n: s.bytes_after }))),
    h('h4', { text: t('vsig.checks') }),
    h('ul', { class: 'plain-list' }, (s.checks || []).map((c) => h('li', null,
      badge(t('vsig.status.' + c.status), STATUS_VARIANT[c.status] || 'neutral'), ' ',
      h('strong', { text: t('vsig.check.' + c.check) }),
      c.status === 'ok' || c.reason === 'ok' ? null : ` — ${en ? (c.reason_en || c.reason) : (c.reason_vi || c.reason)}`))));
}

function render() {
  fileErr.textContent = fieldErrors.file ? t(fieldErrors.file) : '';
  contentErr.textContent = fieldErrors.content ? t(fieldErrors.content) : '';
  fileInput.setAttribute('aria-invalid', fieldErrors.file ? 'true' : 'false');
  contentInput.setAttribute('aria-invalid', fieldErrors.content ? 'true' : 'false');
  if (loading) return mount(box, loadingBox());
  if (error) return mount(box, errorBox(error));
  if (!report) return mount(box);
  const r = report;
  mount(box, h('div', { class: 'card' },
    h('h2', null, t('vsig.result_title'), ' ',
      badge(t('vsig.verdict.' + r.verdict), VERDICT_VARIANT[r.verdict] || 'neutral')),
    h('p', { class: 'notice-title', text: getLang() === 'en' ? r.summary_en : r.summary_vi }),
    h('dl', { class: 'info-grid' }, item('vsig.file_sha256', h('code', { text: r.sha256 }))),
    r.signatures.length ? null : h('p', { text: t('vsig.none') })),
  ...r.signatures.map(signatureCard));
}

async function submit(ev) {
  ev.preventDefault();
  const f = fileInput.files[0];
  const c = contentInput.files[0];
  fieldErrors = {};
  if (!f) fieldErrors.file = 'vsig.err_file';
  else if (f.size > MAX) fieldErrors.file = 'vsig.err_size';
  else if (/\.p7[sm]$/i.test(f.name) && !c) fieldErrors.content = 'vsig.err_content';
  if (c && c.size > MAX) fieldErrors.content = 'vsig.err_size';
  if (Object.keys(fieldErrors).length) { render(); return; }
  const body = new FormData();
  body.append('file', f, f.name);
  if (c && !/\.pdf$/i.test(f.name)) body.append('content', c, c.name);
  loading = true; error = null; report = null;
  render();
  try {
    const res = await fetch(`${API_BASE}/signatures/verify`, { method: 'POST', body });
    const data = await res.json().catch(() => null);
    if (!res.ok) throw new ApiError(res.status, data);
    report = data;
  } catch (e) {
    error = e instanceof ApiError ? e : new ApiError(0, null, true);
  } finally {
    loading = false;
    render();
  }
}

form.addEventListener('submit', submit);
initLayout({ page: 'verify-signature', title: 'vsig.title' });
onLang(render);
