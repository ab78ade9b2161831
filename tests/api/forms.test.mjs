// The printed forms of Circular 01/2018/TT-VPCP that follow the receipt: the supplement
// request (Mẫu số 02), the refusal (Mẫu số 03), the apology with its new date (Mẫu số 04)
// for the officer and, with the receipt's secret, for the applicant; and the dossier
// register (Sổ theo dõi hồ sơ, Mẫu số 06) of a unit over a period. Read back with
// pdftotext (the facts), zbarimg (the QR code) and the signature check (the seal).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trackingRequest } from './helpers.mjs';
import { login, receive, raw, call, getDossier, actOk, sql, q, UNITS, vnDate } from './lib/officer.mjs';

const enc = encodeURIComponent;
let desk, specialist, leader, monitor, admin;

before(async () => {
  desk = await login('giomy.motcua');
  specialist = await login('giomy.chuyenvien');
  leader = await login('giomy.lanhdao');
  monitor = await login('giolinh.giamsat');
  admin = await login('admin');
});

/** Runs fn(dir, file) with the PDF written to a throw-away directory. */
function withPdf(buf, fn) {
  const dir = mkdtempSync(join(tmpdir(), 'motcua-forms-'));
  try {
    writeFileSync(join(dir, 'f.pdf'), buf);
    return fn(dir, join(dir, 'f.pdf'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function pdfText(buf, args = []) {
  // (poppler warns about libharu's ToUnicode maps on stderr; the text is right)
  return withPdf(buf, (dir, file) => execFileSync('pdftotext', [...args, file, '-'],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
}

function pdfPages(buf) {
  const info = withPdf(buf, (dir, file) => execFileSync('pdfinfo', [file],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
  return { pages: Number(/Pages:\s+(\d+)/.exec(info)[1]), size: /Page size:\s+(.*)/.exec(info)[1] };
}

let zbar = true;
try { execFileSync('zbarimg', ['--version'], { stdio: 'pipe' }); } catch { zbar = false; }

/** The QR code of the first page, decoded; null when zbarimg is missing. */
function qrOf(buf) {
  if (!zbar) return null;
  return withPdf(buf, (dir, file) => {
    execFileSync('pdftoppm', ['-r', '150', '-png', '-singlefile', '-f', '1', '-l', '1', file, join(dir, 'p')],
      { stdio: 'ignore' });
    return execFileSync('zbarimg', ['-q', '--raw', join(dir, 'p.png')],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  });
}

/** dd/mm/yyyy of an ISO time, in Vietnam. */
function vnDmy(iso) {
  const d = new Date(Date.parse(iso) + 7 * 3600e3);
  const p = (n) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${p(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`;
}

/** Every form the server issues is sealed when the stack has a seal (demo PKI). */
async function assertSealed(buf, what) {
  const form = new FormData();
  form.append('file', new Blob([buf], { type: 'application/pdf' }), 'form.pdf');
  const v = await raw('POST', '/api/v1/signatures/verify', { body: form });
  assert.equal(v.status, 200, v.text);
  assert.equal(v.json.verdict, 'valid', `${what}: ${v.text.slice(0, 300)}`);
  assert.match(v.json.signatures[0].signer.cn, /con dấu/, what);
}

function officerPdf(session, code, name) {
  return call(session, 'GET', `/api/v1/dossiers/${enc(code)}${name}`);
}

async function applicantPdf(code, pin, name) {
  const r = await trackingRequest(`/api/v1/tracking/${enc(code)}${name}?pin=${enc(pin)}`);
  return r;
}

/** The applicant's copy as bytes (trackingRequest reads text: fetch again for the bytes). */
async function applicantBytes(code, pin, name) {
  await trackingRequest('/api/v1/procedures?per_page=1');   // keeps under the rate limit
  return raw('GET', `/api/v1/tracking/${enc(code)}${name}?pin=${enc(pin)}`);
}

/** Checks what both copies share: a PDF, the form's title, the code, the QR code. */
async function assertLetter(r, { title, code, what }) {
  assert.equal(r.status, 200, `${what}: ${r.status} ${r.text.slice(0, 300)}`);
  assert.match(r.type, /^application\/pdf/);
  assert.equal(r.buf.subarray(0, 5).toString(), '%PDF-');
  const text = pdfText(r.buf);
  assert.ok(text.includes(title), `${what}: the title ${title}:\n${text}`);
  assert.ok(text.replace(/\s+/g, '').includes(code), `${what}: the dossier's code`);
  assert.match(text, /CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM/);
  assert.match(text, /Độc lập - Tự do - Hạnh phúc/);
  assert.match(text, /ỦY BAN NHÂN DÂN XÃ GIO MỸ/);
  const qr = qrOf(r.buf);
  if (qr !== null) assert.match(qr, new RegExp(`/tra-cuu\\.html\\?code=${code.replace(/\./g, '\\.')}$`), `${what}: QR`);
  await assertSealed(r.buf, what);
  return text;
}

test('supplement request: every item asked for, who asked and when, for the officer and the applicant', async () => {
  const items = ['Bản sao Giấy khai sinh có chứng thực', 'Tờ khai đã ký, ghi rõ họ tên người khai',
    'Giấy xác nhận nơi cư trú do Công an xã cấp'];
  const { code, pin } = await receive(desk, { applicant_name: 'Phạm Thị Hồng Nhung' });
  const none = await officerPdf(desk, code, '/supplement-request.pdf');
  assert.equal(none.status, 409, 'no request yet: nothing to print');
  assert.equal(none.json.code, 'no_supplement_request');
  const d = await getDossier(desk, code);
  const after = await actOk(desk, code, 'request_supplement', d.version, { items, note: 'Nộp bổ sung tại Bộ phận một cửa' });
  const asked = after.history.at(-1).at;

  const officer = await officerPdf(desk, code, '/supplement-request.pdf');
  const text = await assertLetter(officer, { title: 'PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ', code, what: 'officer copy' });
  const flat = text.replace(/\s+/g, ' ');
  items.forEach((item, i) => assert.ok(flat.includes(`${i + 1}. ${item}`), `item ${i + 1} printed: ${item}`));
  assert.ok(flat.includes('Nộp bổ sung tại Bộ phận một cửa'), 'the note');
  assert.ok(flat.includes('Phạm Thị Hồng Nhung'), 'the applicant');
  assert.ok(flat.includes(desk.officer.full_name), `who asked: ${desk.officer.full_name}`);
  assert.ok(flat.includes(`Ngày ${vnDmy(asked)}`), 'the day it was asked');
  assert.match(flat, /Mẫu số 02/);

  const applicant = await applicantBytes(code, pin, '/supplement-request.pdf');
  const atext = await assertLetter(applicant, { title: 'PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ', code, what: 'applicant copy' });
  items.forEach((item) => assert.ok(atext.replace(/\s+/g, ' ').includes(item), `applicant copy: ${item}`));

  // a second request replaces the first on the form, once the first is answered
  const cur = await getDossier(desk, code);
  assert.equal(cur.state.code, 'awaiting_supplement');
});

test('refusal: the written reason, for a dossier refused in processing and one not accepted', async () => {
  const reason = 'Hồ sơ không thuộc thẩm quyền giải quyết của Ủy ban nhân dân xã theo quy định hiện hành';
  const { code, pin } = await receive(desk, { applicant_name: 'Đỗ Văn Khánh' });
  assert.equal((await officerPdf(desk, code, '/refusal.pdf')).status, 409, 'not refused: no letter');
  let d = await actOk(desk, code, 'forward', 1);
  d = await actOk(specialist, code, 'forward', d.version);
  d = await actOk(leader, code, 'refuse', d.version, { reason });
  assert.equal(d.state.code, 'refused');

  const text = await assertLetter(await officerPdf(desk, code, '/refusal.pdf'), { title: 'PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ', code, what: 'refusal' });
  const flat = text.replace(/\s+/g, ' ');
  assert.ok(flat.includes(reason), `the reason:\n${text}`);
  assert.ok(flat.includes('Đỗ Văn Khánh'));
  assert.ok(flat.includes(leader.officer.full_name), 'who refused');
  assert.match(flat, /Mẫu số 03/);
  assert.match(flat, /từ chối giải quyết/);
  const applicant = await applicantBytes(code, pin, '/refusal.pdf');
  assert.ok(pdfText(applicant.buf).replace(/\s+/g, ' ').includes(reason), 'the applicant reads the reason');

  // an online submission the desk does not accept
  const f = new FormData();
  for (const [k, v] of Object.entries({ procedure: '2.000884', unit: UNITS.gioMy, applicant_name: 'Lê Thị Thu',
    applicant_email: 'thu.le@example.vn', result_channel: 'online' })) f.append(k, v);
  const pdf = Buffer.from(`%PDF-1.4\n% ${Date.now()}\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n`);
  f.append('doc_1', new Blob([pdf], { type: 'application/pdf' }), 'to-khai.pdf');
  f.append('doc_2', new Blob([Buffer.concat([pdf, Buffer.from('%2\n')])], { type: 'application/pdf' }), 'giay-to.pdf');
  const sub = await raw('POST', '/api/v1/submissions', { body: f });
  assert.equal(sub.status, 201, sub.text);
  const why = 'Tệp tờ khai không đọc được, đề nghị nộp lại hồ sơ mới';
  const s = await getDossier(desk, sub.json.code);
  await actOk(desk, sub.json.code, 'not_accept', s.version, { reason: why });
  const na = await applicantBytes(sub.json.code, sub.json.pin, '/refusal.pdf');
  const ntext = await assertLetter(na, { title: 'PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ', code: sub.json.code, what: 'not accepted' });
  assert.ok(ntext.replace(/\s+/g, ' ').includes(why), 'the reason it was not accepted');
  assert.match(ntext.replace(/\s+/g, ' '), /không tiếp nhận/);
});

test('apology: the reason, the original due date and the new date, once a leader has approved it', async () => {
  const { code, pin } = await receive(desk, { applicant_name: 'Hoàng Minh Tuấn' });
  assert.equal((await officerPdf(desk, code, '/apology.pdf')).status, 409, 'no letter yet');
  let d = await actOk(desk, code, 'forward', 1);
  d = await actOk(specialist, code, 'forward', d.version);
  const newDate = new Date(Date.parse(d.due_at) + 7 * 86400e3).toISOString().slice(0, 19) + 'Z';
  const reason = 'Cần xác minh thêm thông tin với cơ quan liên quan';
  d = await actOk(leader, code, 'apology', d.version, { new_date: newDate, reason });
  try {
    const r = await officerPdf(desk, code, '/apology.pdf');
    const text = await assertLetter(r, { title: 'PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ', code, what: 'apology' });
    const flat = text.replace(/\s+/g, ' ');
    assert.ok(flat.includes(reason), 'the reason');
    assert.ok(flat.includes(`Thời gian hẹn trả kết quả giải quyết hồ sơ: ngày ${vnDmy(d.due_at)}`), `the original due date ${vnDmy(d.due_at)}:\n${text}`);
    assert.ok(flat.includes(`vào ngày ${vnDmy(newDate)}`), `the new date ${vnDmy(newDate)}`);
    assert.ok(flat.includes(leader.officer.full_name), 'signed by the approving leader');
    assert.match(flat, /Mẫu số 04/);
    const applicant = await applicantBytes(code, pin, '/apology.pdf');
    assert.equal(applicant.status, 200);
    assert.ok(pdfText(applicant.buf).replace(/\s+/g, ' ').includes(`vào ngày ${vnDmy(newDate)}`));
  } finally {
    const cur = await getDossier(leader, code);
    await actOk(leader, code, 'refuse', cur.version, { reason: 'Kết thúc hồ sơ thử nghiệm' });
  }
});

test('the applicant needs the secret; officers only see the dossiers of their units', async () => {
  const { code, pin } = await receive(desk);
  const d = await getDossier(desk, code);
  await actOk(desk, code, 'request_supplement', d.version, { items: ['Bản chính Tờ khai'] });
  for (const name of ['/supplement-request.pdf', '/refusal.pdf', '/apology.pdf']) {
    const wrong = await trackingRequest(`/api/v1/tracking/${enc(code)}${name}?pin=ABCDEFGHJK`);
    const unknown = await trackingRequest(`/api/v1/tracking/000.22.24.H45-250101-9999${name}?pin=ABCDEFGHJK`);
    assert.equal(wrong.status, 404, `${name}: a wrong secret`);
    assert.equal(unknown.status, 404, `${name}: an unknown code`);
    assert.equal(wrong.text, unknown.text, `${name}: told apart`);
    const none = await trackingRequest(`/api/v1/tracking/${enc(code)}${name}`);
    assert.equal(none.status, 400, `${name}: no secret`);
    assert.equal(none.json.field, 'pin');
    const anon = await raw('GET', `/api/v1/dossiers/${enc(code)}${name}`);
    assert.equal(anon.status, 401, `${name}: no session`);
  }
  assert.equal((await applicantPdf(code, pin, '/refusal.pdf')).status, 409, 'not refused');
  assert.equal((await applicantPdf(code, pin, '/apology.pdf')).status, 409, 'no apology');
  // an officer of another district: the dossier is not in scope
  const other = await login('giolinh.giamsat');
  assert.equal((await officerPdf(other, code, '/supplement-request.pdf')).status, 200, 'Gio Mỹ is under Gio Linh');
  const outside = sql(`SELECT d.code FROM dossiers d JOIN units u ON u.id = d.unit_id
    WHERE u.code = ${q(UNITS.dongHaWard)} LIMIT 1`);
  assert.equal(outside.length, 1, 'a demo dossier of Đông Hà');
  const r = await officerPdf(desk, outside[0][0], '/refusal.pdf');
  assert.equal(r.status, 404, 'another unit\'s dossier');
  assert.equal(r.json.code, 'dossier_not_found');
});

/** The dossiers the unit received over local days from..to, as the database has them. */
function receivedIn(unit, from, to) {
  return sql(`SELECT d.code FROM dossiers d JOIN units u ON u.id = d.unit_id
    WHERE u.code = ${q(unit)} AND d.received_at >= ${q(from)} - INTERVAL 7 HOUR
    AND d.received_at < ${q(to)} + INTERVAL 17 HOUR ORDER BY d.received_at, d.id`).map((r) => r[0]);
}

test('register: one row per dossier received in the period, landscape, header on every page', async () => {
  await receive(desk, { applicant_name: 'Vũ Thị Sổ Sách' });
  const to = vnDate();
  const from = vnDate(Date.now() - 30 * 86400e3);
  const r = await call(desk, 'GET', `/api/v1/reports/register.pdf?unit=${UNITS.gioMy}&from=${from}&to=${to}`);
  assert.equal(r.status, 200, r.text);
  assert.match(r.type, /^application\/pdf/);
  const codes = receivedIn(UNITS.gioMy, from, to);
  assert.ok(codes.length > 0, 'the demo data has dossiers in the last 31 days');
  const text = pdfText(r.buf);
  const flat = text.replace(/\s+/g, '');
  assert.match(text, /SỔ THEO DÕI HỒ SƠ/);
  assert.match(text, /Mẫu số 06/);
  assert.ok(text.replace(/\s+/g, ' ').includes(`Tổng số hồ sơ tiếp nhận: ${codes.length}`), `the total is ${codes.length}`);
  for (const c of codes) assert.ok(flat.includes(c), `row for ${c}`);
  assert.ok(text.includes('Vũ Thị Sổ Sách'), 'the applicant\'s full name, for officers');
  const { pages, size } = pdfPages(r.buf);
  assert.match(size, /^841\.89 x 595\.27/, 'A4 landscape');
  if (pages > 1) {
    for (let p = 1; p <= pages; p++) {
      const pt = pdfText(r.buf, ['-f', String(p), '-l', String(p)]);
      assert.match(pt, /Tên thủ tục hành chính/, `the header on page ${p}`);
      assert.match(pt, new RegExp(`Trang ${p}/${pages}`), `page ${p} numbered`);
    }
  }
  await assertSealed(r.buf, 'register');

  // a quiet period: the register is there, with no rows
  const empty = await call(desk, 'GET', `/api/v1/reports/register.pdf?unit=${UNITS.gioMy}&from=2001-01-01&to=2001-01-31`);
  assert.equal(empty.status, 200);
  assert.match(pdfText(empty.buf), /Tổng số hồ sơ tiếp nhận: 0/);
});

test('register: who may print it, for which unit, and the period\'s bounds', async () => {
  const to = vnDate();
  const from = vnDate(Date.now() - 6 * 86400e3);
  const path = (unit, f = from, t = to) => `/api/v1/reports/register.pdf?unit=${enc(unit)}&from=${f}&to=${t}`;
  // roles: desk, leader, monitor, admin; a specialist may not
  assert.equal((await call(specialist, 'GET', path(UNITS.gioMy))).status, 403);
  assert.equal((await call(leader, 'GET', path(UNITS.gioMy))).status, 200);
  assert.equal((await call(monitor, 'GET', path(UNITS.gioMy))).status, 200, 'a district monitor, for a commune below');
  assert.equal((await call(admin, 'GET', path(UNITS.dongHaWard))).status, 200);
  assert.equal((await raw('GET', path(UNITS.gioMy))).status, 401);
  // scope: another district's commune is not among the desk's units
  const out = await call(desk, 'GET', path(UNITS.dongHaWard));
  assert.equal(out.status, 404);
  assert.equal(out.json.field, 'unit');
  // without unit: the officer's own
  const own = await call(desk, 'GET', `/api/v1/reports/register.pdf?from=${from}&to=${to}`);
  assert.equal(own.status, 200);
  assert.match(pdfText(own.buf), /ỦY BAN NHÂN DÂN XÃ GIO MỸ/);
  // bad input: 400 naming the field
  const bad = async (query, field) => {
    const r = await call(desk, 'GET', `/api/v1/reports/register.pdf?${query}`);
    assert.equal(r.status, 400, `${query}: ${r.status}`);
    assert.equal(r.json.field, field, query);
  };
  await bad(`from=${from}`, 'to');
  await bad(`to=${to}`, 'from');
  await bad(`from=2026-02-30&to=${to}`, 'from');
  await bad(`from=${to}&to=${from}`, 'to');
  await bad('from=2026-01-01&to=2026-02-01', 'to');          // 32 days
  await bad(`unit=000.99.99.H99&from=${from}&to=${to}`, 'unit');
  await bad(`from=${from}&to=${to}&page=2`, 'page');
  assert.equal((await call(desk, 'GET', '/api/v1/reports/register.pdf?from=2026-01-01&to=2026-01-31')).status, 200, '31 days');
});
