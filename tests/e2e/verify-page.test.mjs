// Browser test of the public signature check (www/kiem-tra-chu-ky.html): in Chromium, a
// visitor uploads a signed PDF and reads "Hợp lệ", the signer and the officer the
// certificate is registered to; then a copy changed inside the signed range, and reads
// the invalid verdict and why, in Vietnamese; then a PDF without a signature. A fresh test
// PKI (tests/sig/make-fixtures.sh) whose root CA this test trusts and removes at the end.
// Also the accounts page (www/can-bo/tai-khoan.html): the badge of an expired signing
// certificate, and a certificate registered through the account's dialog.
// Runs against a started stack:
//   MOTCUA_URL, MOTCUA_VAR   as for tests/api
// Screenshot: docs/screenshot-verify-result.png.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { login, call, createOfficer, uniq, sql, q, UNITS } from '../api/lib/officer.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../..');
const SHOTS = join(ROOT, 'docs');
const BASE = (process.env.MOTCUA_URL || 'http://127.0.0.1:8080').replace(/\/+$/, '');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const TIMEOUT = 90_000;

let fx;
let admin;
let caId;
let officer;
let browser;
let page;
const pageErrors = [];

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  fx = mkdtempSync(join(tmpdir(), 'motcua-verify-e2e-'));
  execFileSync('bash', [join(ROOT, 'tests/sig/make-fixtures.sh'), fx], { stdio: 'ignore' });
  admin = await login('admin');
  const ca = await call(admin, 'POST', '/api/v1/trust/cas', { name: 'CA gốc thử nghiệm (trang kiểm tra)', pem: readFileSync(join(fx, 'root.pem'), 'utf8') });
  assert.ok(ca.status === 201 || ca.status === 200, ca.text);
  caId = ca.json.id;
  officer = uniq('vpage');
  await createOfficer(admin, { username: officer, unit: UNITS.gioMy, roles: ['leader'], full_name: 'Nguyễn Văn An' });
  const pem = readFileSync(join(fx, 'officer.pem'), 'utf8') + readFileSync(join(fx, 'inter.pem'), 'utf8');
  const crl = await call(admin, 'POST', '/api/v1/trust/crls', { pem: readFileSync(join(fx, 'inter-crl.pem'), 'utf8') });
  assert.equal(crl.status, 201, crl.text);
  const c = await call(admin, 'POST', `/api/v1/officers/${officer}/certificates`, { pem });
  assert.equal(c.status, 201, c.text);
  // a copy changed inside the signed range: one letter of the page's text
  const pdf = readFileSync(join(fx, 'signed.pdf'));
  const at = pdf.indexOf('Ket qua giai quyet');
  assert.ok(at > 0);
  const bad = Buffer.from(pdf);
  bad[at] = 'L'.charCodeAt(0);
  writeFileSync(join(fx, 'tampered.pdf'), bad);

  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
  context.setDefaultTimeout(15_000);
  page = await context.newPage();
  page.on('pageerror', (err) => pageErrors.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (/Content Security Policy|Refused to (execute|apply|load)/i.test(msg.text())) pageErrors.push(`csp: ${msg.text()}`);
  });
});

after(async () => {
  if (browser) await browser.close();
  if (caId && admin) await call(admin, 'DELETE', `/api/v1/trust/cas/${caId}`);
  if (fx && !process.env.MOTCUA_KEEP_FIXTURES) rmSync(fx, { recursive: true, force: true });
});

async function check(file) {
  await page.goto(`${BASE}/kiem-tra-chu-ky.html`);
  await page.setInputFiles('#vsig-file', join(fx, file));
  await page.click('#vsig-form button[type=submit]');
  await page.waitForSelector('#vsig-result h2 .badge');
  return page.locator('#vsig-result');
}

test('a signed PDF: "Hợp lệ", the signer, and the officer the certificate is registered to', { timeout: TIMEOUT }, async () => {
  let result;
  let text = '';
  for (let i = 0; i < 10; i++) {       // the service's verifier sees the new CA within 3 s
    result = await check('signed.pdf');
    text = await result.innerText();
    if (/Hợp lệ/.test(await result.locator('h2 .badge').innerText()) && /đã đăng ký/.test(text)) break;
    await page.waitForTimeout(500);
  }
  assert.equal((await result.locator('h2 .badge').innerText()).trim(), 'Hợp lệ', text);
  assert.match(text, /Hợp lệ: 1 chữ ký số đều đúng/);
  assert.match(text, /Người ký\s*Nguyễn Văn An/);
  assert.match(text, /Motcua Test Issuing CA/);
  assert.match(text, /thời điểm ký do người ký tự khai/);
  assert.match(text, /Chứng thư số đã đăng ký cho cán bộ Nguyễn Văn An \(.*Gio Mỹ.*\)/);
  assert.equal(await result.locator('article .badge-danger').count(), 0);
  await page.screenshot({ path: join(SHOTS, 'screenshot-verify-result.png'), fullPage: true });
  // the English switch redraws the report
  await page.click('#lang-switch');
  await page.waitForSelector('html[lang=en]');
  assert.match(await result.innerText(), /The certificate is registered to the officer Nguyễn Văn An/);
  await page.click('#lang-switch');
  await page.waitForSelector('html[lang=vi]');
});

test('a copy changed after signing: "Không hợp lệ" and why, in Vietnamese', { timeout: TIMEOUT }, async () => {
  const result = await check('tampered.pdf');
  const text = await result.innerText();
  assert.equal((await result.locator('h2 .badge').innerText()).trim(), 'Không hợp lệ', text);
  assert.match(text, /Không hợp lệ: nội dung tài liệu đã bị thay đổi sau khi ký\./);
  assert.match(text, /Toàn vẹn nội dung\s*—\s*nội dung tài liệu đã bị thay đổi sau khi ký/);
});

test('accounts page: an expired certificate is flagged; the dialog registers one and refuses a bad one', { timeout: TIMEOUT }, async () => {
  // an earlier registration whose certificate has expired since (judged when listed)
  const pemOf = (n) => readFileSync(join(fx, `${n}.pem`), 'utf8');
  const der = execFileSync('openssl', ['x509', '-in', join(fx, 'expired.pem'), '-outform', 'DER']);
  const chain = Buffer.from(pemOf('expired') + pemOf('inter')).toString('hex');
  sql(`INSERT INTO officer_certificates (officer_id, der, sha256, subject, issuer, serial_hex, not_before, not_after,
    added_at, active, chain_pem) SELECT id, UNHEX('${der.toString('hex')}'), SHA2(UNHEX('${der.toString('hex')}'), 256),
    'CN=Lê Văn Hết Hạn', 'CN=Motcua Test Issuing CA', '01', '2020-01-01', '2020-01-02', UTC_TIMESTAMP(), 1,
    CONVERT(UNHEX('${chain}') USING utf8mb4) FROM officers WHERE username = ${q(officer)}`);
  await page.goto(`${BASE}/can-bo/dang-nhap.html`);
  await page.fill('#l-username', 'admin');
  await page.fill('input[name=password]', process.env.MOTCUA_DEMO_PASSWORD || 'motcua-demo-2025');
  await page.click('button[type=submit]');
  await page.waitForURL(/\/can-bo\/(index\.html)?(\?.*)?$/);
  await page.goto(`${BASE}/can-bo/tai-khoan.html`);
  const row = page.locator(`tr.account-row[data-username="${officer}"]`);
  await row.waitFor();
  assert.equal((await row.locator('.badge-cert-expired').innerText()).trim(), 'Chứng thư số hết hạn');
  assert.equal(await row.locator('.badge-cert-revoked').count(), 0);

  await row.locator('button[data-certs]').click();
  const dlg = page.locator('#cert-dialog');
  await dlg.locator('.cert-table').waitFor();
  assert.equal(await dlg.locator('tr.cert-row').count(), 2);
  assert.match(await dlg.innerText(), /Lê Văn Hết Hạn[\s\S]*Chứng thư số hết hạn/);
  // a certificate that may not sign: refused, the reason next to the field
  await dlg.locator('textarea[name=pem]').fill(pemOf('wrongku') + pemOf('inter'));
  await dlg.locator('#cert-submit').click();
  await dlg.locator('[data-field=pem] .field-error:not(:empty), .form-problem:not(:empty)').first().waitFor();
  assert.match(await dlg.innerText(), /Chứng thư số không dùng để ký/);
  // a document-signing certificate: registered, listed as valid
  await dlg.locator('textarea[name=pem]').fill(pemOf('docsign') + pemOf('inter'));
  await dlg.locator('#cert-submit').click();
  await dlg.locator('#cert-message .notice-success').waitFor();
  await page.waitForFunction(() => document.querySelectorAll('#cert-dialog tr.cert-row').length === 3);
  assert.match(await dlg.innerText(), /Văn Thư Đóng Dấu[\s\S]*Hợp lệ/);
  await page.screenshot({ path: join(SHOTS, 'screenshot-officer-certificates.png') });
  await dlg.locator('.o-dialog-x').click();
  assert.deepEqual(pageErrors, []);
});

test("the officer's own page lists their certificates with the same flags", { timeout: TIMEOUT }, async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
  context.setDefaultTimeout(15_000);
  const own = await context.newPage();
  own.on('pageerror', (err) => pageErrors.push(`pageerror: ${err.message}`));
  await own.goto(`${BASE}/can-bo/dang-nhap.html`);
  await own.fill('#l-username', officer);
  await own.fill('input[name=password]', 'mat-khau-thu-nghiem-1');
  await own.click('button[type=submit]');
  await own.waitForURL(/\/can-bo\/(index\.html)?(\?.*)?$/);
  await own.click('#nav-certificates');
  await own.waitForURL(/chung-thu-so\.html/);
  await own.locator('#cert-list .cert-table').waitFor();
  const text = await own.locator('#page').innerText();
  assert.match(text, /Lê Văn Hết Hạn[\s\S]*Chứng thư số hết hạn/);
  assert.match(text, /Nguyễn Văn An[\s\S]*Hợp lệ/);
  assert.equal(await own.locator('#cert-list tr.cert-row').count(), 3);
  await own.screenshot({ path: join(SHOTS, 'screenshot-officer-own-certificates.png'), fullPage: true });
  await context.close();
});

test('a PDF without a signature, and no file at all', { timeout: TIMEOUT }, async () => {
  const result = await check('base.pdf');
  const text = await result.innerText();
  assert.equal((await result.locator('h2 .badge').innerText()).trim(), 'Không hợp lệ', text);
  assert.match(text, /Tài liệu không có chữ ký số nào/);
  await page.goto(`${BASE}/kiem-tra-chu-ky.html`);
  await page.click('#vsig-form button[type=submit]');
  assert.equal((await page.locator('#vsig-file-error').innerText()).trim(), 'Hãy chọn tệp cần kiểm tra.');
  assert.deepEqual(pageErrors, []);
});
