// Phản ánh, kiến nghị: send feedback (about a procedure, a dossier, an officer's conduct or
// anything else), keep its code and secret, read one's own answer (?code=&secret=), and
// the public list of answered, published ones.

import { addStrings, t, formatDate, formatDateTime } from '../i18n.js';
import { h, mount, clear, multiline } from '../dom.js';
import { initLayout, onLang } from '../layout.js';
import { getJSON, ApiError } from '../api.js';
import { loadingBox, errorBox, emptyBox } from '../ui.js';
import { sendFeedback } from '../services-api.js';

addStrings({
  'fb.title': ['Phản ánh, kiến nghị', 'Feedback'],
  'fb.lead': ['Gửi phản ánh, kiến nghị về thủ tục hành chính, hồ sơ hoặc thái độ, hành vi của cán bộ. Cơ quan có thẩm quyền trả lời trong 10 ngày làm việc.',
    'Report a problem with a procedure, a dossier or an officer\'s conduct. The competent office answers within 10 working days.'],
  'fb.send_title': ['Gửi phản ánh, kiến nghị', 'Send feedback'],
  'fb.kind': ['Nội dung phản ánh về', 'About'],
  'fb.kind.procedure': ['Thủ tục hành chính', 'A procedure'],
  'fb.kind.dossier': ['Hồ sơ đã nộp', 'A dossier'],
  'fb.kind.officer': ['Thái độ, hành vi của cán bộ', 'An officer\'s conduct'],
  'fb.kind.other': ['Nội dung khác', 'Something else'],
  'fb.procedure': ['Mã thủ tục', 'Procedure code'],
  'fb.dossier': ['Mã hồ sơ', 'Dossier code'],
  'fb.officer': ['Tên cán bộ (nếu biết)', 'Officer\'s name (if known)'],
  'fb.unit': ['Cơ quan, đơn vị', 'Office'],
  'fb.unit_any': ['Không rõ (chuyển UBND tỉnh)', 'Not sure (the province handles it)'],
  'fb.content': ['Nội dung', 'Your feedback'],
  'fb.name': ['Họ và tên', 'Full name'],
  'fb.email': ['Thư điện tử', 'E-mail'],
  'fb.phone': ['Số điện thoại', 'Phone'],
  'fb.submit': ['Gửi phản ánh', 'Send'],
  'fb.required': ['Vui lòng nhập thông tin này.', 'Please fill this in.'],
  'fb.created': ['Đã tiếp nhận phản ánh, kiến nghị của bạn.', 'Your feedback has been received.'],
  'fb.code': ['Mã phản ánh', 'Feedback code'],
  'fb.secret': ['Mã bí mật để xem trả lời', 'Secret to read the answer'],
  'fb.keep': ['Hãy lưu lại mã phản ánh và mã bí mật: mã bí mật chỉ hiện một lần.', 'Keep the code and the secret: the secret is shown only once.'],
  'fb.due': ['Hạn trả lời', 'Answer due by'],
  'fb.open_mine': ['Xem phản ánh của tôi', 'View my feedback'],
  'fb.public_title': ['Phản ánh, kiến nghị đã được trả lời', 'Answered feedback'],
  'fb.public_empty': ['Chưa có phản ánh, kiến nghị nào được công khai.', 'No answered feedback has been published yet.'],
  'fb.sent_by': ['Người gửi', 'From'],
  'fb.received': ['Ngày gửi', 'Sent'],
  'fb.answer': ['Trả lời', 'Answer'],
  'fb.answered_at': ['Ngày trả lời', 'Answered'],
  'fb.handled_by': ['Đơn vị xử lý', 'Handled by'],
  'fb.no_answer': ['Chưa có trả lời. Hạn trả lời: {d}.', 'No answer yet. Due by {d}.'],
  'fb.mine_title': ['Phản ánh của bạn', 'Your feedback'],
  'fb.prev': ['Trang trước', 'Previous'],
  'fb.next': ['Trang sau', 'Next'],
});

const form = document.getElementById('fb-form');
const PER_PAGE = 10;
let page = 1;

function showFor(kind) {
  for (const el of form.querySelectorAll('[data-for]')) el.hidden = el.dataset.for !== kind;
}

function fieldError(name, text) {
  const el = document.getElementById(`fb-${name}-error`) || document.getElementById('fb-form-error');
  el.textContent = text;
}

function clearErrors() {
  for (const el of form.querySelectorAll('.field-error')) el.textContent = '';
}

function item(f) {
  return h('li', { class: 'card feedback-item', dataset: { code: f.code } },
    h('p', { class: 'feedback-meta' },
      `${f.code} · ${t(`fb.kind.${f.kind}`)} · ${t('fb.handled_by')}: ${f.unit ? f.unit.name : ''} · ${t('fb.received')}: ${formatDate(f.received_at)}`,
      f.sender_masked ? ` · ${t('fb.sent_by')}: ${f.sender_masked}` : ''),
    multiline(f.content),
    f.answer
      ? h('div', { class: 'feedback-answer' },
        h('p', { class: 'notice-title', text: `${t('fb.answer')} (${formatDate(f.answered_at)})` }),
        multiline(f.answer))
      : h('p', { class: 'muted', text: t('fb.no_answer', { d: formatDateTime(f.due_at) }) }));
}

async function loadPublic() {
  const box = document.getElementById('fb-public');
  const pagerBox = document.getElementById('fb-pager');
  mount(box, loadingBox());
  clear(pagerBox);
  let r;
  try {
    r = await getJSON('/feedback/public', { page, per_page: PER_PAGE });
  } catch (e) {
    mount(box, errorBox(e));
    return;
  }
  if (!r.items.length) {
    mount(box, emptyBox(t('fb.public_empty')));
    return;
  }
  mount(box, h('ul', { class: 'feedback-list', id: 'fb-public-list' }, r.items.map(item)));
  const prev = h('button', { type: 'button', class: 'btn btn-outline', text: t('fb.prev'), disabled: page <= 1 });
  const next = h('button', { type: 'button', class: 'btn btn-outline', text: t('fb.next'), disabled: page * PER_PAGE >= r.total });
  prev.addEventListener('click', () => { page -= 1; loadPublic(); });
  next.addEventListener('click', () => { page += 1; loadPublic(); });
  mount(pagerBox, h('div', { class: 'filters-actions' }, prev, next));
}

async function loadMine(code, secret) {
  const box = document.getElementById('fb-mine');
  mount(box, loadingBox());
  try {
    const f = await getJSON(`/feedback/${encodeURIComponent(code)}`, { secret });
    mount(box, h('h2', { text: t('fb.mine_title') }), h('ul', { class: 'feedback-list', id: 'fb-mine-item' }, item(f)));
  } catch (e) {
    mount(box, errorBox(e));
  }
}

async function loadUnits() {
  try {
    const r = await getJSON('/units');
    const sel = document.getElementById('fb-unit');
    for (const u of r.items || []) sel.append(h('option', { value: u.code, text: u.name }));
  } catch (e) {
    /* the province handles it when no unit is chosen */
  }
}

form.addEventListener('change', (ev) => { if (ev.target.name === 'kind') showFor(ev.target.value); });
form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  clearErrors();
  const data = Object.fromEntries(new FormData(form));
  const body = {};
  for (const [k, v] of Object.entries(data)) if (String(v).trim() !== '') body[k] = String(v).trim();
  for (const k of ['procedure', 'dossier_code', 'officer_name']) {
    const wanted = { procedure: 'procedure', dossier_code: 'dossier', officer_name: 'officer' }[k];
    if (body.kind !== wanted) delete body[k];
  }
  let missing = false;
  for (const k of ['content', 'name']) if (!body[k]) { fieldError(k, t('fb.required')); missing = true; }
  if (missing) return;
  const btn = form.querySelector('button[type=submit]');
  btn.disabled = true;
  try {
    const r = await sendFeedback(body);
    form.reset();
    showFor(form.kind.value);
    const link = `phan-anh.html?code=${encodeURIComponent(r.code)}&secret=${encodeURIComponent(r.secret)}`;
    mount(document.getElementById('fb-created'),
      h('div', { class: 'notice notice-info feedback-created', role: 'status', id: 'fb-created-notice' },
        h('p', { class: 'notice-title', text: t('fb.created') }),
        h('p', null, `${t('fb.code')}: `, h('code', { id: 'fb-code', text: r.code })),
        h('p', null, `${t('fb.secret')}: `, h('code', { id: 'fb-secret', text: r.secret })),
        h('p', { text: `${t('fb.due')}: ${formatDateTime(r.due_at)}` }),
        h('p', { text: t('fb.keep') }),
        h('p', null, h('a', { href: link, text: t('fb.open_mine') }))));
  } catch (e) {
    if (e instanceof ApiError && e.problem && e.problem.field) fieldError(e.problem.field, e.userMessage());
    else fieldError('form', e.userMessage ? e.userMessage() : t('common.error'));
  } finally {
    btn.disabled = false;
  }
});

initLayout({ page: 'feedback', title: 'fb.title' });
showFor(form.kind.value);
loadUnits();
loadPublic();
onLang(loadPublic);
const q = new URLSearchParams(window.location.search);
if (q.get('code') && q.get('secret')) loadMine(q.get('code'), q.get('secret'));
