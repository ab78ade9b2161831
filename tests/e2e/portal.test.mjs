// Browser test of the public portal (www/): home, search, procedure, language switch,
// dossier tracking. Runs against a started stack:
//   MOTCUA_URL        base URL (default http://127.0.0.1:8080)
//   MOTCUA_DEMO_CODE  a dossier code present in the demo data (default: first row of
//                     var/demo-dossiers.tsv written by `make run`, see demoDossier())
//   MOTCUA_DEMO_PIN   optional: that dossier's receipt secret (then the private part is checked)
// Run: node --test tests/e2e/portal.test.mjs
// Screenshots (1280x900, full page) go to docs/screenshot-*.png.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../..');
const WWW = join(ROOT, 'www');
const SHOTS = join(ROOT, 'docs');
const BASE = (process.env.MOTCUA_URL || 'http://127.0.0.1:8080').replace(/\/+$/, '');
const DEMO = demoDossier();
const DEMO_CODE = DEMO.code;
const DEMO_PIN = DEMO.pin;
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const TIMEOUT = 60_000;

/**
 * The dossier to track: MOTCUA_DEMO_CODE (and MOTCUA_DEMO_PIN), else the first row of the
 * demo data's list written by `make run` ($MOTCUA_VAR or var/, demo-dossiers.tsv: a header
 * line naming the columns, "code" and "pin"/"secret"), else a fixed code.
 */
function demoDossier() {
  if (process.env.MOTCUA_DEMO_CODE) {
    return { code: process.env.MOTCUA_DEMO_CODE, pin: process.env.MOTCUA_DEMO_PIN || '' };
  }
  const codeRe = /^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}-\d{6}-\d{4,7}$/;
  for (const dir of [process.env.MOTCUA_VAR, join(ROOT, 'var'), join(ROOT, 'var-test')].filter(Boolean)) {
    let text;
    try { text = readFileSync(join(dir, 'demo-dossiers.tsv'), 'utf8'); } catch { continue; }
    const lines = text.split('\n').filter((l) => l.trim() && !l.startsWith('#'));
    const head = lines[0].split('\t').map((c) => c.trim().toLowerCase());
    const pinCol = head.findIndex((c) => c === 'pin' || c === 'secret');
    for (const line of lines) {
      const cols = line.split('\t').map((c) => c.trim());
      const i = cols.findIndex((c) => codeRe.test(c));
      if (i >= 0) return { code: cols[i], pin: pinCol >= 0 && cols[pinCol] ? cols[pinCol] : (process.env.MOTCUA_DEMO_PIN || '') };
    }
  }
  return { code: '000.21.21.H45-250304-0001', pin: process.env.MOTCUA_DEMO_PIN || '' };
}

let browser;
let context;
let page;
const pageErrors = [];   // uncaught exceptions and CSP violations seen in any page

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
  context.setDefaultTimeout(15_000);
  page = await context.newPage();
  page.on('pageerror', (err) => pageErrors.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    const text = msg.text();
    if (/Content Security Policy|Refused to (execute|apply|load)/i.test(text)) pageErrors.push(`csp: ${text}`);
  });
});

after(async () => {
  if (browser) await browser.close();
});

function assertNoPageErrors(where) {
  assert.deepEqual(pageErrors, [], `${where}: page errors or CSP violations`);
}

async function shot(name) {
  // Let fonts and layout settle; the pages have no animation but the spinner.
  await page.evaluate(() => document.fonts && document.fonts.ready);
  await page.screenshot({ path: join(SHOTS, `screenshot-${name}.png`), fullPage: true });
}

async function api(path) {
  const res = await page.request.get(BASE + '/api/v1' + path, { failOnStatusCode: false });
  return { status: res.status(), body: await res.json().catch(() => null) };
}

test('pages carry no inline script, inline style or event-handler attribute (CSP)', () => {
  for (const f of readdirSync(WWW).filter((n) => n.endsWith('.html'))) {
    const html = readFileSync(join(WWW, f), 'utf8');
    assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/i, `${f}: inline <script>`);
    assert.doesNotMatch(html, /<style[\s>]/i, `${f}: <style> element`);
    assert.doesNotMatch(html, /\sstyle\s*=/i, `${f}: style attribute`);
    assert.doesNotMatch(html, /\son[a-z]+\s*=/i, `${f}: event-handler attribute`);
  }
  const jsDir = join(WWW, 'js');
  const files = [...readdirSync(jsDir).map((n) => join(jsDir, n)), ...readdirSync(join(jsDir, 'pages')).map((n) => join(jsDir, 'pages', n))]
    .filter((p) => p.endsWith('.js'));
  for (const p of files) {
    const js = readFileSync(p, 'utf8');
    assert.doesNotMatch(js, /\.innerHTML\s*=|insertAdjacentHTML|document\.write/, `${p}: HTML injection sink`);
    assert.doesNotMatch(js, /\.style\.|setAttribute\(\s*['"]style/, `${p}: inline style`);
  }
});

test('home page lists the fields with their procedure counts', { timeout: TIMEOUT }, async () => {
  await page.goto(BASE + '/', { waitUntil: 'domcontentloaded' });
  await page.locator('.field-item').first().waitFor();
  assert.ok(await page.locator('.field-item').count() > 0, 'at least one field');
  const first = page.locator('.field-item').first();
  assert.match(await first.locator('.field-count').innerText(), /\d+ thủ tục/);
  assert.match(await first.getAttribute('href'), /thu-tuc\.html\?field=/);
  assert.equal(await page.locator('h1').innerText(), 'Tìm kiếm thủ tục hành chính');
  assert.equal(await page.locator('html').getAttribute('lang'), 'vi');
  assert.equal(await page.locator('a.level-card').count(), 3, 'three service-level shortcuts');
  assert.ok(await page.locator('#home-track-code').isVisible(), 'tracking box');
  assertNoPageErrors('home');
  await shot('home');
});

test('search without diacritics finds "Đăng ký khai sinh"', { timeout: TIMEOUT }, async () => {
  await page.fill('#home-q', 'dang ky khai sinh');
  await Promise.all([page.waitForURL(/thu-tuc\.html\?/), page.press('#home-q', 'Enter')]);
  assert.match(page.url(), /[?&]q=dang(\+|%20)ky(\+|%20)khai(\+|%20)sinh/);
  const link = page.locator('.results-table a.proc-link', { hasText: /^Đăng ký khai sinh$/ });
  await link.first().waitFor();
  assert.equal(await page.inputValue('#f-q'), 'dang ky khai sinh', 'query kept in the form');
  assert.match(await page.locator('#results-title').innerText(), /Tìm thấy \d+ thủ tục/);
  assertNoPageErrors('search');
  await shot('search');
});

test('filters are written to and read from the URL', { timeout: TIMEOUT }, async () => {
  await page.selectOption('#f-level', 'commune');
  await page.waitForURL(/level=commune/);
  await page.locator('.results-table, .notice-empty').first().waitFor();
  await page.reload({ waitUntil: 'domcontentloaded' });
  assert.equal(await page.inputValue('#f-level'), 'commune');
  assert.equal(await page.inputValue('#f-q'), 'dang ky khai sinh');
  await page.goBack();
  await page.waitForURL((u) => !/level=commune/.test(u.toString()));
  assert.equal(await page.inputValue('#f-level'), '');
  assertNoPageErrors('filters');
});

test('procedure page shows the catalog sections', { timeout: TIMEOUT }, async () => {
  const link = page.locator('.results-table a.proc-link', { hasText: /^Đăng ký khai sinh$/ }).first();
  await link.waitFor();
  await Promise.all([page.waitForURL(/thu-tuc-chi-tiet\.html\?code=/), link.click()]);
  await page.locator('#proc-code').waitFor();
  assert.equal(await page.locator('#proc-code').innerText(), '1.001193');
  assert.equal(await page.locator('h1').innerText(), 'Đăng ký khai sinh');
  for (const title of ['Cách thức thực hiện', 'Thành phần hồ sơ', 'Trình tự thực hiện', 'Yêu cầu, điều kiện',
    'Căn cứ pháp lý', 'Kết quả thực hiện', 'Quy trình nội bộ']) {
    assert.ok(await page.getByRole('heading', { name: title, exact: true }).isVisible(), `section ${title}`);
  }
  for (const label of ['Mã thủ tục', 'Tên thủ tục', 'Lĩnh vực', 'Cấp thực hiện', 'Cơ quan thực hiện',
    'Đối tượng thực hiện', 'Mức độ dịch vụ công']) {
    assert.ok(await page.locator('.summary-table th', { hasText: new RegExp(`^${label}$`) }).count() === 1, `row ${label}`);
  }
  assert.ok(await page.locator('#sec-documents tbody tr').count() > 0, 'at least one document');
  const detail = await api('/procedures/1.001193');
  if (detail.body && (detail.body.service_level === 'full' || detail.body.service_level === 'partial')) {
    assert.equal(await page.locator('#submit-online').getAttribute('href'), 'nop-ho-so.html?code=1.001193');
  } else {
    assert.equal(await page.locator('#submit-online').count(), 0);
  }
  assertNoPageErrors('procedure');
  await shot('procedure');
});

test('language switch to English and back, remembered across pages', { timeout: TIMEOUT }, async () => {
  await page.click('#lang-switch');
  await page.getByRole('heading', { name: 'Required documents', exact: true }).waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  assert.equal(await page.locator('.site-nav a[aria-current="page"]').innerText(), 'Procedures');
  assert.equal(await page.evaluate(() => localStorage.getItem('motcua.lang')), 'en');
  await page.reload({ waitUntil: 'domcontentloaded' });
  await page.getByRole('heading', { name: 'Required documents', exact: true }).waitFor();
  await page.click('#lang-switch');
  await page.getByRole('heading', { name: 'Thành phần hồ sơ', exact: true }).waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'vi');
  assert.equal(await page.evaluate(() => localStorage.getItem('motcua.lang')), 'vi');
  assertNoPageErrors('language');
});

async function checkDossier(expected) {
  const card = page.locator('.dossier-card');
  await card.waitFor();
  assert.equal(await card.locator('.dossier-code').innerText(), expected.code);
  assert.equal(await card.locator('.badge-status').first().innerText(), expected.status.label_vi);
  const masked = await card.locator('.applicant-masked').innerText();
  assert.match(masked, /\*\*/, 'applicant name is masked');
  assert.equal(masked, expected.applicant_masked);
  assert.ok(await card.locator('.timeline-item').count() >= 2, 'timeline has at least 2 steps');
  assert.match(await card.locator('.timeline-time').first().innerText(), /^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/);
  assert.match(await card.locator('.info-item', { hasText: 'Ngày tiếp nhận' }).locator('dd').innerText(), /^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/);
}

test('tracking a dossier by ?code= in the URL (receipt QR)', { timeout: TIMEOUT }, async () => {
  const expected = await api('/tracking/' + encodeURIComponent(DEMO_CODE));
  assert.equal(expected.status, 200, `demo dossier ${DEMO_CODE} must exist (set MOTCUA_DEMO_CODE)`);
  await page.goto(`${BASE}/tra-cuu.html?code=${encodeURIComponent(DEMO_CODE)}`, { waitUntil: 'domcontentloaded' });
  await checkDossier(expected.body);
  assert.equal(await page.inputValue('#t-code'), DEMO_CODE);
  assert.equal(await page.locator('.private-card').count(), 0, 'no personal data without the secret');
  assertNoPageErrors('tracking (URL)');
  if (!DEMO_PIN) await shot('tracking');
});

test('tracking a dossier by typing into the form', { timeout: TIMEOUT }, async () => {
  const expected = await api('/tracking/' + encodeURIComponent(DEMO_CODE));
  await page.goto(`${BASE}/tra-cuu.html`, { waitUntil: 'domcontentloaded' });
  assert.equal(await page.locator('.dossier-card').count(), 0);
  await page.fill('#t-code', `  ${DEMO_CODE} `);
  await page.click('#track-form button[type="submit"]');
  await checkDossier(expected.body);
  assert.match(page.url(), new RegExp(`\\?code=${encodeURIComponent(DEMO_CODE).replace(/\./g, '\\.')}$`));
  if (DEMO_PIN) {
    await page.fill('#t-pin', DEMO_PIN);
    await page.click('#track-form button[type="submit"]');
    await page.locator('.private-card').waitFor();
    assert.ok(await page.locator('.private-card tbody tr').count() > 0, 'documents listed with the secret');
    assert.doesNotMatch(page.url(), /pin=/, 'the secret is not left in the address bar');
    await shot('tracking');
  }
  assertNoPageErrors('tracking (form)');
});

test('a wrong dossier code shows the not-found message', { timeout: TIMEOUT }, async () => {
  const wrong = '000.00.00.H00-000101-9999';
  const problem = await api('/tracking/' + encodeURIComponent(wrong));
  assert.equal(problem.status, 404);
  await page.fill('#t-code', wrong);
  await page.fill('#t-pin', '');
  await page.click('#track-form button[type="submit"]');
  const alert = page.locator('#tracking .notice-error');
  await alert.waitFor();
  assert.equal(await alert.getAttribute('data-status'), '404');
  assert.equal(await alert.locator('.notice-title').innerText(), problem.body.title, 'shows the problem title (Vietnamese)');
  assert.match(await alert.innerText(), /Kiểm tra lại mã hồ sơ/);
  assert.equal(await page.locator('.dossier-card').count(), 0);
  // A malformed code: the API answers 404 (contract) or 400 (field "code"); either way its
  // title is shown with the same help line.
  const malformed = 'khong-phai-ma-ho-so';
  const bad = await api('/tracking/' + encodeURIComponent(malformed));
  assert.ok([400, 404].includes(bad.status), `malformed code gives ${bad.status}`);
  await page.fill('#t-code', malformed);
  await page.click('#track-form button[type="submit"]');
  await page.locator(`#tracking .notice-error[data-status="${bad.status}"]`).waitFor();
  assert.equal(await alert.locator('.notice-title').innerText(), bad.body.title);
  assert.match(await alert.innerText(), /Kiểm tra lại mã hồ sơ/);
  // An empty code is caught before any request.
  await page.fill('#t-code', '');
  await page.click('#track-form button[type="submit"]');
  assert.equal(await page.locator('#t-code-error').innerText(), 'Vui lòng nhập mã hồ sơ.');
  assertNoPageErrors('tracking (not found)');
});
