// All user-facing strings of the public portal, Vietnamese first, English second,
// plus the formatting helpers (dates in Asia/Ho_Chi_Minh as dd/mm/yyyy HH:MM, numbers,
// money) that depend on the language.

const STORAGE_KEY = 'motcua.lang';
export const LANGS = ['vi', 'en'];
export const TIME_ZONE = 'Asia/Ho_Chi_Minh';

const STRINGS = {
  // Site frame
  'site.title': ['Cổng Dịch vụ công', 'Public Service Portal'],
  'site.subtitle': ['Hệ thống thông tin giải quyết thủ tục hành chính', 'Administrative procedure information system'],
  'site.topbar': ['Một cửa điện tử – Dịch vụ công trực tuyến', 'Electronic one-stop shop – Online public services'],
  'site.skip': ['Bỏ qua, đến nội dung chính', 'Skip to main content'],
  'site.lang_switch': ['English', 'Tiếng Việt'],
  'site.lang_switch_label': ['Chuyển sang tiếng Anh', 'Switch to Vietnamese'],
  'site.menu': ['Danh mục', 'Menu'],
  'nav.home': ['Trang chủ', 'Home'],
  'nav.procedures': ['Thủ tục hành chính', 'Procedures'],
  'nav.tracking': ['Tra cứu hồ sơ', 'Track a dossier'],
  'nav.main_label': ['Điều hướng chính', 'Main navigation'],
  'nav.officer': ['Dành cho cán bộ', 'Officer sign-in'],
  'footer.about': ['Cổng Dịch vụ công – hệ thống một cửa điện tử mã nguồn mở motcua.', 'Public Service Portal – the open-source motcua electronic one-stop shop.'],
  'footer.hours': ['Thời gian làm việc: sáng 07:30–11:30, chiều 13:00–17:00, từ thứ Hai đến thứ Sáu (trừ ngày nghỉ lễ, Tết).', 'Working hours: 07:30–11:30 and 13:00–17:00, Monday to Friday (except public holidays).'],
  'footer.links': ['Liên kết', 'Links'],
  'footer.tz': ['Giờ hiển thị: giờ Việt Nam (UTC+7).', 'Times shown in Vietnam time (UTC+7).'],

  // Generic
  'common.loading': ['Đang tải…', 'Loading…'],
  'common.search': ['Tìm kiếm', 'Search'],
  'common.all': ['Tất cả', 'All'],
  'common.none': ['Không', 'None'],
  'common.not_specified': ['Không quy định', 'Not specified'],
  'common.error': ['Đã có lỗi xảy ra', 'Something went wrong'],
  'common.network_error': ['Không kết nối được với máy chủ. Vui lòng thử lại sau.', 'Could not reach the server. Please try again later.'],
  'common.retry': ['Thử lại', 'Try again'],
  'common.back_to_list': ['Quay lại danh sách', 'Back to the list'],
  'common.download': ['Tải về', 'Download'],
  'common.yes': ['Có', 'Yes'],
  'common.no': ['Chưa', 'Not yet'],
  'common.currency': ['đồng', 'VND'],

  // Home
  'home.title': ['Trang chủ', 'Home'],
  'home.hero_title': ['Tìm kiếm thủ tục hành chính', 'Search administrative procedures'],
  'home.hero_lead': ['Tra cứu thông tin, thành phần hồ sơ, thời hạn giải quyết và nộp hồ sơ trực tuyến.', 'Look up requirements, documents, processing times and apply online.'],
  'home.search_label': ['Từ khóa tìm kiếm', 'Search keywords'],
  'home.search_placeholder': ['Nhập tên hoặc mã thủ tục, ví dụ: đăng ký khai sinh', 'Procedure name or code, e.g. birth registration'],
  'home.search_hint': ['Có thể gõ không dấu: “dang ky khai sinh”.', 'Diacritics are optional: “dang ky khai sinh”.'],
  'home.levels_title': ['Dịch vụ công theo mức độ', 'Services by online level'],
  'home.level_full_desc': ['Nộp hồ sơ, thanh toán và nhận kết quả hoàn toàn trực tuyến.', 'Apply, pay and receive the result entirely online.'],
  'home.level_partial_desc': ['Nộp hồ sơ trực tuyến, một số bước thực hiện trực tiếp.', 'Apply online; some steps need a visit.'],
  'home.level_info_desc': ['Thông tin thủ tục, biểu mẫu để nộp trực tiếp hoặc qua bưu chính.', 'Information and forms to apply in person or by post.'],
  'home.fields_title': ['Lĩnh vực', 'Fields'],
  'home.fields_lead': ['Danh sách thủ tục hành chính theo lĩnh vực.', 'Procedures grouped by field.'],
  'home.fields_empty': ['Chưa có lĩnh vực nào được công bố.', 'No fields have been published yet.'],
  'home.procedure_count': ['{n} thủ tục', '{n} procedures'],
  'home.total_procedures': ['{n} thủ tục hành chính trong {f} lĩnh vực', '{n} procedures in {f} fields'],
  'home.view_all': ['Xem tất cả thủ tục', 'View all procedures'],
  'home.track_title': ['Tra cứu hồ sơ', 'Track a dossier'],
  'home.track_lead': ['Nhập mã hồ sơ in trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả.', 'Enter the dossier code printed on your receipt.'],

  // Search
  'search.title': ['Danh sách thủ tục hành chính', 'Administrative procedures'],
  'search.filters': ['Bộ lọc', 'Filters'],
  'search.q_label': ['Từ khóa', 'Keywords'],
  'search.field_label': ['Lĩnh vực', 'Field'],
  'search.level_label': ['Cấp thực hiện', 'Level'],
  'search.unit_label': ['Cơ quan, đơn vị', 'Unit'],
  'search.service_level_label': ['Mức độ dịch vụ công', 'Online service level'],
  'search.apply': ['Tìm kiếm', 'Search'],
  'search.reset': ['Xóa bộ lọc', 'Clear filters'],
  'search.result_count': ['Tìm thấy {n} thủ tục', '{n} procedures found'],
  'search.result_range': ['Hiển thị {from}–{to} trên {n}', 'Showing {from}–{to} of {n}'],
  'search.empty': ['Không tìm thấy thủ tục phù hợp. Hãy thử từ khóa khác hoặc bỏ bớt bộ lọc.', 'No procedure matches. Try other keywords or fewer filters.'],
  'search.col_no': ['STT', 'No.'],
  'search.col_code': ['Mã thủ tục', 'Code'],
  'search.col_name': ['Tên thủ tục', 'Procedure'],
  'search.col_field': ['Lĩnh vực', 'Field'],
  'search.col_level': ['Cấp thực hiện', 'Level'],
  'search.col_service_level': ['Mức độ', 'Online level'],
  'search.col_time': ['Thời hạn giải quyết', 'Processing time'],
  'search.pagination': ['Phân trang', 'Pagination'],
  'search.prev': ['Trang trước', 'Previous'],
  'search.next': ['Trang sau', 'Next'],
  'search.page_n': ['Trang {n}', 'Page {n}'],

  // Procedure
  'proc.title': ['Chi tiết thủ tục hành chính', 'Procedure details'],
  'proc.missing_code': ['Thiếu mã thủ tục trong đường dẫn.', 'The address has no procedure code.'],
  'proc.submit_online': ['Nộp hồ sơ trực tuyến', 'Apply online'],
  'proc.code': ['Mã thủ tục', 'Procedure code'],
  'proc.name': ['Tên thủ tục', 'Procedure name'],
  'proc.field': ['Lĩnh vực', 'Field'],
  'proc.levels': ['Cấp thực hiện', 'Implementing level'],
  'proc.agency': ['Cơ quan thực hiện', 'Implementing agency'],
  'proc.applicants': ['Đối tượng thực hiện', 'Applicants'],
  'proc.service_level': ['Mức độ dịch vụ công', 'Online service level'],
  'proc.processing_time': ['Thời hạn giải quyết', 'Processing time'],
  'proc.channels': ['Cách thức thực hiện', 'How to apply'],
  'proc.ch_channel': ['Hình thức nộp', 'Channel'],
  'proc.ch_time': ['Thời hạn giải quyết', 'Processing time'],
  'proc.ch_fees': ['Phí, lệ phí', 'Fees and charges'],
  'proc.ch_desc': ['Mô tả', 'Description'],
  'proc.documents': ['Thành phần hồ sơ', 'Required documents'],
  'proc.doc_no': ['STT', 'No.'],
  'proc.doc_name': ['Tên giấy tờ', 'Document'],
  'proc.doc_template': ['Mẫu đơn, tờ khai', 'Form'],
  'proc.doc_count': ['Số lượng', 'Copies'],
  'proc.doc_originals': ['Bản chính: {n}', 'Originals: {n}'],
  'proc.doc_copies': ['Bản sao: {n}', 'Copies: {n}'],
  'proc.doc_optional': ['(nếu có)', '(if any)'],
  'proc.doc_case_default': ['Hồ sơ gồm', 'The dossier contains'],
  'proc.steps': ['Trình tự thực hiện', 'Steps'],
  'proc.conditions': ['Yêu cầu, điều kiện', 'Requirements and conditions'],
  'proc.legal_bases': ['Căn cứ pháp lý', 'Legal basis'],
  'proc.lb_number': ['Số ký hiệu', 'Number'],
  'proc.lb_title': ['Trích yếu', 'Title'],
  'proc.lb_date': ['Ngày ban hành', 'Issued on'],
  'proc.result': ['Kết quả thực hiện', 'Result'],
  'proc.process': ['Quy trình nội bộ', 'Internal process'],
  'proc.pr_seq': ['Bước', 'Step'],
  'proc.pr_name': ['Nội dung công việc', 'Task'],
  'proc.pr_role': ['Người thực hiện', 'Performed by'],
  'proc.pr_unit': ['Đơn vị', 'Unit'],
  'proc.pr_share': ['Thời gian', 'Time'],
  'proc.pr_total': ['Tổng thời gian', 'Total time'],
  'proc.fee_free': ['Miễn phí', 'Free'],
  'proc.empty_section': ['Không có thông tin.', 'No information.'],
  'proc.contents': ['Nội dung', 'Contents'],

  // Tracking
  'track.title': ['Tra cứu hồ sơ', 'Track a dossier'],
  'track.lead': ['Nhập mã hồ sơ in trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả. Nhập thêm mã bí mật để xem thông tin cá nhân và thành phần hồ sơ.', 'Enter the dossier code printed on your receipt. Add the secret code to see your personal details and documents.'],
  'track.code_label': ['Mã hồ sơ', 'Dossier code'],
  'track.code_placeholder': ['Ví dụ: 000.21.21.H45-250304-0001', 'e.g. 000.21.21.H45-250304-0001'],
  'track.pin_label': ['Mã bí mật trên giấy tiếp nhận (không bắt buộc)', 'Secret code on the receipt (optional)'],
  'track.pin_hint': ['Chỉ cần khi muốn xem thông tin cá nhân và thành phần hồ sơ.', 'Only needed to see personal details and documents.'],
  'track.submit': ['Tra cứu', 'Track'],
  'track.code_required': ['Vui lòng nhập mã hồ sơ.', 'Please enter the dossier code.'],
  'track.result_title': ['Thông tin hồ sơ', 'Dossier information'],
  'track.code': ['Mã hồ sơ', 'Dossier code'],
  'track.status': ['Trạng thái', 'Status'],
  'track.procedure': ['Thủ tục', 'Procedure'],
  'track.unit': ['Cơ quan tiếp nhận', 'Receiving unit'],
  'track.channel': ['Hình thức nộp', 'Channel'],
  'track.applicant': ['Người nộp', 'Applicant'],
  'track.submitted_at': ['Ngày nộp trực tuyến', 'Submitted online'],
  'track.received_at': ['Ngày tiếp nhận', 'Received'],
  'track.due_at': ['Ngày hẹn trả', 'Due date'],
  'track.promised_at': ['Ngày hẹn trả mới', 'New promised date'],
  'track.finished_at': ['Ngày có kết quả', 'Result issued'],
  'track.returned_at': ['Ngày trả kết quả', 'Result returned'],
  'track.deadline': ['Tiến độ', 'Deadline'],
  'track.timeline': ['Quá trình xử lý', 'Processing history'],
  'track.timeline_empty': ['Chưa có bước xử lý nào.', 'No steps yet.'],
  'track.private_title': ['Thông tin người nộp và thành phần hồ sơ', 'Applicant and documents'],
  'track.private_hint': ['Nhập mã bí mật trên giấy tiếp nhận để xem thông tin người nộp và thành phần hồ sơ.', 'Enter the secret code on the receipt to see the applicant and the documents.'],
  'track.enter_pin': ['Nhập mã bí mật', 'Enter the secret code'],
  'track.ap_name': ['Họ và tên', 'Name'],
  'track.ap_phone': ['Điện thoại', 'Phone'],
  'track.ap_email': ['Thư điện tử', 'E-mail'],
  'track.ap_address': ['Địa chỉ', 'Address'],
  'track.documents': ['Thành phần hồ sơ', 'Documents'],
  'track.doc_name': ['Tên giấy tờ', 'Document'],
  'track.doc_count': ['Số lượng', 'Count'],
  'track.doc_form': ['Hình thức', 'Form'],
  'track.doc_digitized': ['Đã số hóa', 'Digitized'],
  'track.doc_paper': ['Bản giấy', 'Paper'],
  'track.result_ready': ['Kết quả', 'Result'],
  'track.result_ready_yes': ['Đã có kết quả', 'The result is ready'],
  'track.result_ready_no': ['Chưa có kết quả', 'The result is not ready yet'],
  'track.not_found_help': ['Kiểm tra lại mã hồ sơ (và mã bí mật, nếu có) trên giấy tiếp nhận.', 'Check the dossier code (and the secret code, if entered) on your receipt.'],
  'track.pin_help': ['Mã bí mật in trên giấy tiếp nhận hồ sơ, gồm ít nhất 8 ký tự.', 'The secret code is printed on the receipt and has at least 8 characters.'],
  'track.rate_limited': ['Bạn tra cứu quá nhiều lần. Vui lòng đợi một lát rồi thử lại.', 'Too many look-ups. Please wait a moment and try again.'],

  // Labels of catalog codes
  'sl.full': ['Toàn trình', 'Full online'],
  'sl.partial': ['Một phần', 'Partly online'],
  'sl.info': ['Cung cấp thông tin', 'Information only'],
  'sl_long.full': ['Dịch vụ công trực tuyến toàn trình', 'Fully online public service'],
  'sl_long.partial': ['Dịch vụ công trực tuyến một phần', 'Partly online public service'],
  'sl_long.info': ['Dịch vụ cung cấp thông tin trực tuyến', 'Online information only'],
  'level.province': ['Cấp Tỉnh', 'Province'],
  'level.district': ['Cấp Huyện', 'District'],
  'level.commune': ['Cấp Xã', 'Commune'],
  'unit.working_days': ['ngày làm việc', 'working days'],
  'unit.working_day': ['ngày làm việc', 'working day'],
  'unit.calendar_days': ['ngày', 'days'],
  'unit.calendar_day': ['ngày', 'day'],
  'unit.hours': ['giờ', 'hours'],
  'unit.hour': ['giờ', 'hour'],
  'unit.minutes': ['phút', 'minutes'],
  'unit.minute': ['phút', 'minute'],
  'unit.working_hours': ['giờ làm việc', 'working hours'],
  'unit.working_hour': ['giờ làm việc', 'working hour'],
  'channel.direct': ['Trực tiếp', 'In person'],
  'channel.online': ['Trực tuyến', 'Online'],
  'channel.postal': ['Dịch vụ bưu chính', 'By post'],
  'fee.fee': ['Phí', 'Fee'],
  'fee.charge': ['Lệ phí', 'Charge'],
  'role.desk': ['Cán bộ một cửa', 'One-stop desk officer'],
  'role.specialist': ['Chuyên viên', 'Specialist'],
  'role.leader': ['Lãnh đạo', 'Leader'],
  'role.clerk': ['Văn thư', 'Clerk'],
  'ul.receiving': ['Bộ phận tiếp nhận và trả kết quả', 'Reception and result desk'],
  'ul.province': ['Cấp tỉnh', 'Province'],
  'ul.district': ['Cấp huyện', 'District'],
  'ul.commune': ['Cấp xã', 'Commune'],
  'ul.department': ['Cơ quan chuyên môn', 'Specialised department'],
  'o.reg.title': ['Sổ theo dõi hồ sơ', 'Dossier register'],
  'o.reg.lead': ['In sổ theo dõi hồ sơ đơn vị đã tiếp nhận (Mẫu số 06, tối đa 31 ngày).', 'Print the register of the dossiers your unit received (form 06, at most 31 days).'],
  'o.reg.from': ['Từ ngày', 'From'],
  'o.reg.to': ['Đến ngày', 'To'],
  'o.reg.print': ['In sổ theo dõi', 'Print the register'],
};

/** Register more strings (e.g. the officer pages' in js/officer/strings.js); same shape as above. */
export function addStrings(more) {
  Object.assign(STRINGS, more);
}

let current = null;

export function getLang() {
  if (current) return current;
  let stored = null;
  try { stored = window.localStorage.getItem(STORAGE_KEY); } catch (e) { /* storage blocked */ }
  current = LANGS.includes(stored) ? stored : 'vi';
  return current;
}

export function setLang(lang) {
  if (!LANGS.includes(lang)) return;
  current = lang;
  try { window.localStorage.setItem(STORAGE_KEY, lang); } catch (e) { /* storage blocked */ }
  document.documentElement.lang = lang;
  document.dispatchEvent(new CustomEvent('langchange', { detail: { lang } }));
}

/** Translate a key; {name} placeholders are filled from vars. Unknown keys show as-is. */
export function t(key, vars) {
  const entry = STRINGS[key];
  let s = entry ? entry[getLang() === 'en' ? 1 : 0] : key;
  if (vars) {
    s = s.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
  }
  return s;
}

/** Label for a catalog code under a prefix ("sl", "level", ...), falling back to the code. */
export function label(prefix, code) {
  const key = prefix + '.' + code;
  return key in STRINGS ? t(key) : String(code ?? '');
}

/** Pick label_vi / label_en from an API object. */
export function apiLabel(obj) {
  if (!obj) return '';
  if (getLang() === 'en') return obj.label_en || obj.label_vi || obj.code || '';
  return obj.label_vi || obj.label_en || obj.code || '';
}

/** Fill [data-i18n], [data-i18n-placeholder], [data-i18n-aria-label], [data-i18n-title]. */
export function applyI18n(root = document) {
  root.querySelectorAll('[data-i18n]').forEach((el) => { el.textContent = t(el.dataset.i18n); });
  root.querySelectorAll('[data-i18n-placeholder]').forEach((el) => { el.placeholder = t(el.dataset.i18nPlaceholder); });
  root.querySelectorAll('[data-i18n-aria-label]').forEach((el) => { el.setAttribute('aria-label', t(el.dataset.i18nAriaLabel)); });
  root.querySelectorAll('[data-i18n-title]').forEach((el) => { el.title = t(el.dataset.i18nTitle); });
}

// ---- Formatting -----------------------------------------------------------

const dtParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit',
  hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
});

function parts(date) {
  const out = {};
  for (const p of dtParts.formatToParts(date)) out[p.type] = p.value;
  return out;
}

function toDate(value) {
  if (value === null || value === undefined || value === '') return null;
  const d = value instanceof Date ? value : new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** "2025-03-04T08:00:00+07:00" -> "04/03/2025" (Vietnam time). A bare "YYYY-MM-DD" is taken as is. */
export function formatDate(value) {
  if (typeof value === 'string') {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    if (m) return `${m[3]}/${m[2]}/${m[1]}`;
  }
  const d = toDate(value);
  if (!d) return '';
  const p = parts(d);
  return `${p.day}/${p.month}/${p.year}`;
}

/** "2025-03-04T08:00:00+07:00" -> "04/03/2025 08:00" (Vietnam time). */
export function formatDateTime(value) {
  const d = toDate(value);
  if (!d) return typeof value === 'string' ? formatDate(value) : '';
  const p = parts(d);
  return `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}`;
}

export function formatNumber(n, opts) {
  const x = Number(n);
  if (!Number.isFinite(x)) return String(n ?? '');
  return new Intl.NumberFormat(getLang() === 'en' ? 'en-US' : 'vi-VN', { maximumFractionDigits: 2, ...opts }).format(x);
}

export function formatMoney(amount) {
  return `${formatNumber(amount, { maximumFractionDigits: 0 })} ${t('common.currency')}`;
}

/** 1, "working_days" -> "1 ngày làm việc"; 0.5 -> "0,5 ngày làm việc". */
export function formatDuration(amount, unit) {
  const n = Number(amount);
  const one = n === 1 && getLang() === 'en';
  const key = one ? String(unit).replace(/s$/, '') : unit;
  return `${formatNumber(amount)} ${label('unit', key)}`;
}
