// The applicant's own copy of the receipt (Giấy tiếp nhận hồ sơ và hẹn trả kết quả), and
// the online submitter's e-mail with the code and the secret.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BASE, sleep, trackingRequest } from './helpers.mjs';
import { login, receive, raw, sql, dossierId, UNITS } from './lib/officer.mjs';

let desk;
before(async () => { desk = await login('giomy.motcua'); });

function pdfText(buf) {
  const dir = mkdtempSync(join(tmpdir(), 'motcua-receipt-'));
  try {
    writeFileSync(join(dir, 'r.pdf'), buf);
    return execFileSync('pdftotext', [join(dir, 'r.pdf'), '-'], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('with the secret the applicant downloads the receipt of a received dossier', async () => {
  const { code, pin } = await receive(desk, { applicant_name: 'Trần Thị Mai Anh' });
  await sleep(150);   // the tracking endpoints share nginx's rate limit
  const r = await fetch(`${BASE}/api/v1/tracking/${code}/receipt.pdf?pin=${pin}`);
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^application\/pdf/);
  const buf = Buffer.from(await r.arrayBuffer());
  assert.equal(buf.subarray(0, 5).toString(), '%PDF-');
  const text = pdfText(buf);
  assert.match(text, /GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ/);
  assert.ok(text.includes(code), 'the receipt names the dossier');
  assert.ok(text.includes('Trần Thị Mai Anh'));
  assert.ok(text.includes(pin), 'the secret is on the receipt');
});

test('a wrong secret or an unknown code: the same 404; no secret: 400', async () => {
  const { code } = await receive(desk);
  const wrong = await trackingRequest(`/api/v1/tracking/${code}/receipt.pdf?pin=ABCDEFGHJK`);
  const unknown = await trackingRequest('/api/v1/tracking/000.22.24.H45-250101-9999/receipt.pdf?pin=ABCDEFGHJK');
  assert.equal(wrong.status, 404);
  assert.equal(unknown.status, 404);
  assert.equal(wrong.text, unknown.text);
  const none = await trackingRequest(`/api/v1/tracking/${code}/receipt.pdf`);
  assert.equal(none.status, 400);
});

test('an online submission: the e-mail carries the code and the secret; no receipt before reception', async () => {
  const f = new FormData();
  const fields = { procedure: '2.000884', unit: UNITS.gioMy, applicant_name: 'Lê Văn Bình',
    applicant_email: 'binh.le@example.vn', result_channel: 'online' };
  for (const [k, v] of Object.entries(fields)) f.append(k, v);
  const pdf = Buffer.from(`%PDF-1.4\n% ${Date.now()}\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n`);
  f.append('doc_1', new Blob([pdf], { type: 'application/pdf' }), 'to-khai.pdf');
  f.append('doc_2', new Blob([Buffer.concat([pdf, Buffer.from('%2\n')])], { type: 'application/pdf' }), 'giay-to.pdf');
  const r = await raw('POST', '/api/v1/submissions', { body: f });
  assert.equal(r.status, 201, r.text);
  const { code, pin } = r.json;
  // (bodies span lines: ask MariaDB rather than read them back through the client)
  const [[count, subject, hasPin]] = sql(`SELECT COUNT(*), MAX(subject), MAX(LOCATE('${pin}', body) > 0) ` +
    `FROM outbox WHERE dossier_id = ${dossierId(code)} AND kind = 'submitted' AND channel = 'email'`);
  assert.equal(count, '1', 'one e-mail about the submission');
  assert.ok(subject.includes(code), 'the subject names the dossier');
  assert.equal(hasPin, '1', 'the body carries the secret');
  const early = await trackingRequest(`/api/v1/tracking/${code}/receipt.pdf?pin=${pin}`);
  assert.equal(early.status, 409);
});
