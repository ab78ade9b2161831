// The public due-date calculator (tính hạn giải quyết): reception date and time, the
// processing time and its unit -> the due date by the working calendar the offices use,
// with the service's own explanation and the days off it skipped. The query string
// (?start=&amount=&unit=) holds the question, so a result can be linked to.

import { addStrings, getLang, t, apiLabel, formatDate, formatDateTime } from '../i18n.js';
import { h, mount, clear } from '../dom.js';
import { initLayout, onLang } from '../layout.js';
import { loadingBox, errorBox, badge } from '../ui.js';
import { fetchDueDate, parseVnDate, parseTime, parseAmount, vnInstant, nowInVietnam, UNITS } from '../calendar-api.js';

addStrings({
  'due.title': ['Tính hạn giải quyết', 'Due-date calculator'],
  'due.lead': ['Nhập thời điểm tiếp nhận hồ sơ và thời hạn giải quyết của thủ tục để biết ngày hẹn trả kết quả theo lịch làm việc (trừ ngày nghỉ hằng tuần, ngày nghỉ lễ, Tết; có tính ngày làm bù).',
    'Enter when the dossier was received and the procedure\'s processing time to get the due date by the working calendar (weekly days off and public holidays skipped, make-up working days counted).'],
  'due.date_label': ['Ngày tiếp nhận', 'Reception date'],
  'due.date_hint': ['Ngày/tháng/năm, ví dụ 24/01/2025.', 'Day/month/year, e.g. 24/01/2025.'],
  'due.time_label': ['Giờ tiếp nhận', 'Reception time'],
  'due.time_hint': ['Giờ:phút, ví dụ 10:00 (giờ Việt Nam).', 'Hours:minutes, e.g. 10:00 (Vietnam time).'],
  'due.amount_label': ['Thời hạn giải quyết', 'Processing time'],
  'due.amount_hint': ['Có thể là số lẻ, ví dụ 0,5 (tối đa 1000).', 'Fractions allowed, e.g. 0.5 (at most 1000).'],
  'due.unit_label': ['Đơn vị tính', 'Unit'],
  'due.unit.working_days': ['Ngày làm việc', 'Working days'],
  'due.unit.calendar_days': ['Ngày (theo lịch)', 'Calendar days'],
  'due.unit.hours': ['Giờ làm việc', 'Working hours'],
  'due.now': ['Lấy thời điểm hiện tại', 'Use the current time'],
  'due.submit': ['Tính hạn', 'Calculate'],
  'due.err_date': ['Nhập ngày dạng ngày/tháng/năm, từ năm 2000 đến 2100.', 'Enter a real date as day/month/year, 2000 to 2100.'],
  'due.err_time': ['Nhập giờ dạng giờ:phút, ví dụ 14:30.', 'Enter the time as hours:minutes, e.g. 14:30.'],
  'due.err_amount': ['Nhập một số lớn hơn 0, tối đa 1000, nhiều nhất 2 chữ số thập phân.', 'Enter a number above 0, at most 1000, with at most 2 decimals.'],
  'due.result_title': ['Kết quả tính hạn', 'Result'],
  'due.due_at': ['Hạn giải quyết (ngày hẹn trả kết quả)', 'Due date (return of the result)'],
  'due.received': ['Thời điểm tiếp nhận', 'Received'],
  'due.effective_start': ['Bắt đầu tính thời hạn', 'Time counted from'],
  'due.duration': ['Thời hạn', 'Processing time'],
  'due.explanation': ['Cách tính', 'How it was computed'],
  'due.skipped': ['Các ngày nghỉ không tính', 'Days off not counted'],
  'due.skipped_calendar': ['Các ngày nghỉ liên quan', 'Days off involved'],
  'due.makeup': ['Ngày làm bù được tính', 'Make-up working days counted'],
  'due.truncated': ['Danh sách quá dài nên chỉ hiện một phần.', 'The list is long: only part of it is shown.'],
  'due.col_date': ['Ngày', 'Date'],
  'due.col_weekday': ['Thứ', 'Weekday'],
  'due.col_kind': ['Loại ngày', 'Kind'],
  'due.col_name': ['Tên', 'Name'],
  'due.disclaimer': ['Kết quả tính theo lịch làm việc hiện hành của hệ thống; thời gian hồ sơ phải bổ sung, chờ thực hiện nghĩa vụ tài chính hoặc tạm dừng không được tính và sẽ làm ngày hẹn lùi lại.',
    'Computed with the system\'s current working calendar; time while a dossier awaits a supplement or a payment, or is suspended, does not count and moves the date later.'],
  'due.wd.0': ['Chủ nhật', 'Sunday'],
  'due.wd.1': ['Thứ Hai', 'Monday'],
  'due.wd.2': ['Thứ Ba', 'Tuesday'],
  'due.wd.3': ['Thứ Tư', 'Wednesday'],
  'due.wd.4': ['Thứ Năm', 'Thursday'],
  'due.wd.5': ['Thứ Sáu', 'Friday'],
  'due.wd.6': ['Thứ Bảy', 'Saturday'],
});

const form = document.getElementById('due-form');
const dateInput = document.getElementById('d-date');
const timeInput = document.getElementById('d-time');
const amountInput = document.getElementById('d-amount');
const unitSelect = document.getElementById('d-unit');
const box = document.getElementById('due-result');
const FIELDS = {
  date: [dateInput, document.getElementById('d-date-error'), 'due.err_date'],
  time: [timeInput, document.getElementById('d-time-error'), 'due.err_time'],
  amount: [amountInput, document.getElementById('d-amount-error'), 'due.err_amount'],
};

let result = null;
let error = null;
let loading = false;
let invalid = [];          // field names refused by the form or by the service
let controller = null;

const arr = (x) => (Array.isArray(x) ? x : []);

function item(key, ...value) {
  return h('div', { class: 'info-item' }, h('dt', { text: t(key) }), h('dd', null, ...value));
}

/** "05/02/2025 10:00 (Thứ Tư)" for an ISO instant. */
function withWeekday(iso) {
  const wd = new Date(Date.parse(iso) + 7 * 3600 * 1000).getUTCDay();
  return `${formatDateTime(iso)} (${t('due.wd.' + wd)})`;
}

function daysTable(id, days) {
  return h('div', { class: 'table-wrap' }, h('table', { class: 'data-table', id },
    h('thead', null, h('tr', null,
      ['due.col_date', 'due.col_weekday', 'due.col_kind', 'due.col_name'].map((k) => h('th', { scope: 'col', text: t(k) })))),
    h('tbody', null, days.map((d) => h('tr', { dataset: { date: d.date, kind: d.kind } },
      h('td', { class: 'nowrap', 'data-label': t('due.col_date'), text: formatDate(d.date) }),
      h('td', { 'data-label': t('due.col_weekday'), text: t('due.wd.' + d.weekday) }),
      h('td', { 'data-label': t('due.col_kind') },
        badge(apiLabel(d), d.kind === 'holiday' ? 'danger' : d.kind === 'makeup_workday' ? 'success' : 'neutral')),
      h('td', { 'data-label': t('due.col_name'), text: d.kind === 'weekend' ? '' : d.name || '' }))))));
}

function resultCard(r) {
  const en = getLang() === 'en';
  const skipped = arr(r.skipped_days);
  const makeup = arr(r.makeup_days);
  return h('article', { class: 'card dossier-card', id: 'due-card', 'aria-labelledby': 'due-result-title' },
    h('header', { class: 'dossier-head' },
      h('div', null,
        h('p', { class: 'dossier-kicker', id: 'due-result-title', text: t('due.result_title') }),
        h('h2', { class: 'dossier-code' },
          h('span', { class: 'sub-title', text: t('due.due_at') + ': ' }),
          h('time', { class: 'code code-lg', id: 'due-at', datetime: r.due_at, text: withWeekday(r.due_at) })))),
    h('dl', { class: 'info-grid' },
      item('due.received', withWeekday(r.start)),
      item('due.effective_start', withWeekday(r.effective_start), h('br'),
        h('span', { class: 'muted', text: apiLabel(r.start_reason) })),
      item('due.duration', en ? r.duration_en : r.duration_vi)),
    h('section', { class: 'proc-section', 'aria-labelledby': 'due-expl-title' },
      h('h3', { class: 'sub-title', id: 'due-expl-title', text: t('due.explanation') }),
      h('p', { class: 'prose', id: 'due-explanation', text: en ? r.explanation_en : r.explanation_vi })),
    skipped.length ? h('section', { 'aria-labelledby': 'due-skipped-title' },
      h('h3', { class: 'sub-title', id: 'due-skipped-title', text: t(r.unit === 'calendar_days' ? 'due.skipped_calendar' : 'due.skipped') }),
      daysTable('due-skipped', skipped)) : null,
    makeup.length ? h('section', { 'aria-labelledby': 'due-makeup-title' },
      h('h3', { class: 'sub-title', id: 'due-makeup-title', text: t('due.makeup') }),
      daysTable('due-makeup', makeup)) : null,
    r.days_truncated ? h('p', { class: 'muted', text: t('due.truncated') }) : null,
    h('p', { class: 'field-hint', text: t('due.disclaimer') }));
}

function render() {
  for (const [name, [input, err, key]] of Object.entries(FIELDS)) {
    const bad = invalid.includes(name);
    input.setAttribute('aria-invalid', bad ? 'true' : 'false');
    err.textContent = bad ? t(key) : '';
  }
  if (loading) { mount(box, loadingBox()); return; }
  if (error) { mount(box, errorBox(error)); return; }
  if (!result) { clear(box); return; }
  mount(box, resultCard(result));
}

/** The form's question for the API, or null after marking what is wrong. */
function readForm() {
  const date = parseVnDate(dateInput.value);
  const time = parseTime(timeInput.value);
  const amount = parseAmount(amountInput.value);
  invalid = [];
  if (!date) invalid.push('date');
  if (!time) invalid.push('time');
  if (!amount) invalid.push('amount');
  if (invalid.length) return null;
  return { start: vnInstant(date, time), amount, unit: unitSelect.value };
}

function fillForm({ start, amount, unit }) {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(start || '');
  if (m) {
    dateInput.value = `${m[3]}/${m[2]}/${m[1]}`;
    timeInput.value = `${m[4]}:${m[5]}`;
  }
  if (amount) amountInput.value = getLang() === 'en' ? amount : String(amount).replace('.', ',');
  if (UNITS.includes(unit)) unitSelect.value = unit;
}

async function compute(q) {
  if (controller) controller.abort();
  controller = new AbortController();
  loading = true; error = null; result = null;
  render();
  try {
    result = await fetchDueDate(q, { signal: controller.signal });
  } catch (e) {
    if (e && e.name === 'AbortError') return;
    error = e;
    const field = e && e.problem ? e.problem.field : null;
    if (field === 'start') invalid = ['date', 'time'];
    else if (field === 'amount') invalid = ['amount'];
  }
  loading = false;
  render();
}

form.addEventListener('submit', (ev) => {
  ev.preventDefault();
  const q = readForm();
  if (!q) {
    result = null; error = null;
    render();
    FIELDS[invalid[0]][0].focus();
    return;
  }
  const url = `${window.location.pathname}?start=${encodeURIComponent(q.start)}&amount=${q.amount}&unit=${q.unit}`;
  window.history.replaceState(null, '', url);
  compute(q);
});

document.getElementById('d-now').addEventListener('click', () => {
  const now = nowInVietnam();
  fillForm({ start: `${now.date}T${now.time}` });
  dateInput.focus();
});

initLayout({ page: 'due-date', title: 'due.title' });
onLang(render);

const params = new URLSearchParams(window.location.search);
const initial = { start: params.get('start') || '', amount: params.get('amount') || '', unit: params.get('unit') || '' };
if (initial.start && initial.amount && initial.unit) {
  fillForm(initial);
  compute(initial);
} else {
  const now = nowInVietnam();
  fillForm({ start: `${now.date}T${now.time}` });
}
