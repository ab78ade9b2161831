// The feedback inbox of the officer's units (GET /api/v1/feedback?state=&page=): open ones
// first, nearest due first, each with its sender's contact and an answer form
// (POST /api/v1/feedback/{code}/answer {answer, publish}).

import './strings.js';
import { h, mount, clear, multiline } from '../dom.js';
import { t, addStrings, formatDateTime, formatNumber } from '../i18n.js';
import { loadingBox, emptyBox } from '../ui.js';
import { initOfficerPage } from './frame.js';
import { api } from './client.js';
import { urgencyBadge, badge, problemBox, showProblem, clearErrors, field, pager, busy } from './widgets.js';

addStrings({
  'o.fb.title': ['Phản ánh, kiến nghị', 'Feedback'],
  'o.fb.lead': ['Phản ánh, kiến nghị do đơn vị của bạn xử lý: chưa trả lời trước, gần hạn nhất trước.', 'Feedback handled by your units: unanswered first, nearest due first.'],
  'o.fb.state': ['Trạng thái', 'Status'],
  'o.fb.state.open': ['Chưa trả lời', 'Unanswered'],
  'o.fb.state.answered': ['Đã trả lời', 'Answered'],
  'o.fb.state.all': ['Tất cả', 'All'],
  'o.fb.count': ['{n} phản ánh, kiến nghị', '{n} items'],
  'o.fb.empty': ['Không có phản ánh, kiến nghị nào.', 'Nothing here.'],
  'o.fb.kind.procedure': ['Thủ tục hành chính', 'Procedure'],
  'o.fb.kind.dossier': ['Hồ sơ', 'Dossier'],
  'o.fb.kind.officer': ['Cán bộ', 'Officer'],
  'o.fb.kind.other': ['Khác', 'Other'],
  'o.fb.sender': ['Người gửi', 'Sender'],
  'o.fb.received': ['Nhận lúc', 'Received'],
  'o.fb.due': ['Hạn trả lời', 'Due'],
  'o.fb.answer': ['Nội dung trả lời', 'Answer'],
  'o.fb.publish': ['Công khai trả lời trên Cổng', 'Publish the answer on the portal'],
  'o.fb.send': ['Gửi trả lời', 'Send the answer'],
  'o.fb.sending': ['Đang gửi…', 'Sending…'],
  'o.fb.answered': ['Đã trả lời lúc {d} ({who})', 'Answered {d} ({who})'],
  'o.fb.on_time': ['Đúng hạn', 'On time'],
  'o.fb.late': ['Quá hạn', 'Late'],
  'o.fb.published': ['Đã công khai', 'Published'],
  'o.fb.dossier': ['Hồ sơ', 'Dossier'],
  'o.fb.officer': ['Cán bộ bị phản ánh', 'Officer concerned'],
  'o.fb.unit': ['Đơn vị xử lý', 'Handling unit'],
});

const PER_PAGE = 20;
const form = document.getElementById('fb-filters');
const stateSel = document.getElementById('fb-state');
const q = new URLSearchParams(window.location.search);
let state = q.get('state') || 'open';
let page = Number(q.get('page')) || 1;

function answerForm(f) {
  const text = field({ label: t('o.fb.answer'), name: 'answer', type: 'textarea', required: true, rows: 5, attrs: { maxlength: 10000 } });
  const publish = h('input', { type: 'checkbox', name: 'publish', id: `pub-${f.code}` });
  const btn = h('button', { type: 'submit', class: 'btn btn-primary', text: t('o.fb.send') });
  const frm = h('form', { class: 'feedback-answer-form', novalidate: true, dataset: { code: f.code } },
    text,
    h('div', { class: 'form-field' }, h('label', { for: `pub-${f.code}` }, publish, ' ', t('o.fb.publish'))),
    h('div', { class: 'form-problem', 'aria-live': 'polite' }),
    h('div', { class: 'filters-actions' }, btn));
  frm.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(frm);
    const answer = frm.answer.value.trim();
    try {
      await busy(btn, 'o.fb.sending', () => api.post(`/feedback/${encodeURIComponent(f.code)}/answer`, { answer, publish: publish.checked }));
      load();
    } catch (e) {
      showProblem(frm, e);
    }
  });
  return frm;
}

function card(f) {
  const facts = [
    [t('o.fb.sender'), [f.sender.name, f.sender.email, f.sender.phone].filter(Boolean).join(' · ')],
    [t('o.fb.received'), formatDateTime(f.received_at)],
    [t('o.fb.due'), formatDateTime(f.due_at)],
    [t('o.fb.unit'), f.unit ? f.unit.name : ''],
  ];
  if (f.procedure) facts.push([t(`o.fb.kind.procedure`), `${f.procedure.code} – ${f.procedure.name}`]);
  if (f.dossier_code) facts.push([t('o.fb.dossier'), f.dossier_code]);
  if (f.officer_name) facts.push([t('o.fb.officer'), f.officer_name]);
  return h('li', { class: 'card feedback-item', dataset: { code: f.code } },
    h('p', { class: 'feedback-meta' },
      h('strong', { text: f.code }), ' · ', t(`o.fb.kind.${f.kind}`), ' ',
      f.answered_at ? badge(f.answered_on_time ? t('o.fb.on_time') : t('o.fb.late'), f.answered_on_time ? 'success' : 'danger')
        : urgencyBadge(f.urgency),
      f.published ? badge(t('o.fb.published'), 'info') : null),
    h('dl', { class: 'facts' }, facts.flatMap(([k, v]) => [h('dt', { text: k }), h('dd', { text: v })])),
    multiline(f.content),
    f.answered_at
      ? h('div', { class: 'feedback-answer' },
        h('p', { class: 'notice-title', text: t('o.fb.answered', { d: formatDateTime(f.answered_at), who: f.answered_by || '' }) }),
        multiline(f.answer))
      : answerForm(f));
}

async function load() {
  const box = document.getElementById('fb-results');
  const count = document.getElementById('fb-count');
  mount(box, loadingBox());
  clear(document.getElementById('fb-pager'));
  let r;
  try {
    r = await api.get('/feedback', { state, page, per_page: PER_PAGE });
  } catch (e) {
    mount(box, problemBox(e));
    return;
  }
  count.textContent = t('o.fb.count', { n: formatNumber(r.total) });
  if (!r.items.length) {
    mount(box, emptyBox(t('o.fb.empty')));
    return;
  }
  mount(box, h('ul', { class: 'feedback-list', id: 'fb-list' }, r.items.map(card)));
  // ?code= (a warning's link): bring that feedback into view, its answer form focused
  const wanted = q.get('code');
  const target = wanted ? [...box.querySelectorAll('.feedback-item')].find((li) => li.dataset.code === wanted) : null;
  if (target) {
    target.classList.add('is-target');
    target.scrollIntoView({ block: 'start' });
    const ta = target.querySelector('textarea');
    if (ta) ta.focus({ preventScroll: true });
  }
  const p = pager(r.total, PER_PAGE, page, (n) => `phan-anh.html?state=${state}&page=${n}`, (n) => { page = n; syncUrl(); load(); });
  if (p) mount(document.getElementById('fb-pager'), p);
}

function syncUrl() {
  history.replaceState(null, '', `phan-anh.html?state=${encodeURIComponent(state)}${page > 1 ? `&page=${page}` : ''}`);
}

async function main() {
  const session = await initOfficerPage({ page: 'feedback', title: 'o.fb.title' });
  if (!session) return;
  form.hidden = false;
  stateSel.value = state;
  stateSel.addEventListener('change', () => { state = stateSel.value; page = 1; syncUrl(); load(); });
  form.addEventListener('submit', (ev) => ev.preventDefault());
  document.addEventListener('langchange', load);
  load();
}

main();
