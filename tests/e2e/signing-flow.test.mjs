// Browser test of the signing flow (api/results.c, www/js/officer/result.js,
// www/xac-minh.html): a dossier with an electronic result reaches its last step, the
// specialist uploads the result, the leader signs it remotely (the two-step API, the
// signature made here with the demo PKI's leader key as a token would) and approves it;
// then in Chromium the clerk seals it on the dossier page, the citizen opens the tracking
// page with the receipt's secret, downloads the result, follows the link to the public
// verification page, which shows "Hợp lệ", and checks the copy they hold there. The
// upload, the signature and the seal are on the dossier page's timeline (the seal appears
// there as soon as it is done, and the page holds the new version); the public timeline
// says only "Kết quả đã được ký số".
// Runs against a started stack with the demo data and the demo PKI (scripts/demo-pki.sh):
//   MOTCUA_URL, MOTCUA_VAR   as for tests/api
// Screenshots go to docs/screenshot-officer-result.png and docs/screenshot-verification.png.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, sign as cryptoSign } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { VAR } from '../api/helpers.mjs';
import { login, call, raw, actOk, getDossier, receive } from '../api/lib/officer.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../..');
const SHOTS = join(ROOT, 'docs');
const BASE = (process.env.MOTCUA_URL || 'http://127.0.0.1:8080').replace(/\/+$/, '');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const PASSWORD = process.env.MOTCUA_DEMO_PASSWORD || 'motcua-demo-2025';
const TIMEOUT = 90_000;
const PKI = join(VAR, 'pki');
const enc = encodeURIComponent;
const sha256 = (b) => createHash('sha256').update(b).digest('hex');

let browser;
let tmp;
const pageErrors = [];
let dossier;

function watch(p) {
  p.on('pageerror', (err) => pageErrors.push(`pageerror: ${err.message}`));
  p.on('console', (msg) => {
    const text = msg.text();
    if (/Content Security Policy|Refused to (execute|apply|load)/i.test(text)) pageErrors.push(`csp: ${text}`);
  });
  return p;
}

async function newPage() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN',
    timezoneId: 'Asia/Ho_Chi_Minh', acceptDownloads: true });
  context.setDefaultTimeout(15_000);
  return watch(await context.newPage());
}

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  tmp = mkdtempSync(join(tmpdir(), 'motcua-signing-e2e-'));
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  if (browser) await browser.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

test('at the last step the specialist uploads the result; the leader signs it remotely and approves', { timeout: TIMEOUT }, async () => {
  const [desk, specialist, leader] = await Promise.all(['giomy.motcua', 'giomy.chuyenvien', 'giomy.lanhdao'].map((u) => login(u)));
  dossier = await receive(desk, { result_channel: 'online', applicant_email: 'nhan.ket.qua@example.vn' });
  for (const s of [desk, specialist, leader]) {
    await actOk(s, dossier.code, 'forward', (await getDossier(s, dossier.code)).version, { note: 'Chuyển bước' });
  }
  // the result document: a PDF the server made (the process-control sheet) stands in for it
  const sheet = await raw('GET', `/api/v1/dossiers/${enc(dossier.code)}/control-sheet.pdf`, { headers: { Cookie: specialist.cookie } });
  assert.equal(sheet.status, 200);
  const form = new FormData();
  form.append('file', new Blob([sheet.buf], { type: 'application/pdf' }), 'quyet-dinh.pdf');
  const up = await raw('POST', `/api/v1/dossiers/${enc(dossier.code)}/result`,
    { headers: { Cookie: specialist.cookie, 'X-CSRF-Token': specialist.csrf }, body: form });
  assert.equal(up.status, 201, up.text.slice(0, 300));

  const cert = readFileSync(join(PKI, 'leader.pem'), 'utf8');
  const key = readFileSync(join(PKI, 'leader.key'), 'utf8');
  const p = await call(leader, 'POST', `/api/v1/dossiers/${enc(dossier.code)}/result/sign/prepare`,
    { certificate: cert, chain: [readFileSync(join(PKI, 'inter.pem'), 'utf8')] });
  assert.equal(p.status, 200, p.text.slice(0, 300));
  const signature = cryptoSign('sha256', Buffer.from(p.json.to_be_signed, 'base64'), key).toString('base64');
  const c = await call(leader, 'POST', `/api/v1/dossiers/${enc(dossier.code)}/result/sign/complete`, { session: p.json.session, signature });
  assert.equal(c.status, 200, c.text.slice(0, 300));
  assert.equal(c.json.verification.verdict, 'valid');
  const d = await actOk(leader, dossier.code, 'resolve', (await getDossier(leader, dossier.code)).version, { note: 'Phê duyệt kết quả' });
  assert.equal(d.state.code, 'resolved');
});

test('the clerk seals the result on the dossier page', { timeout: TIMEOUT }, async () => {
  const page = await newPage();
  await page.goto(`${BASE}/can-bo/ho-so.html?code=${enc(dossier.code)}`, { waitUntil: 'domcontentloaded' });
  await page.waitForURL(/dang-nhap\.html/);
  await page.fill('#l-username', 'giomy.vanthu');
  await page.fill('#l-password', PASSWORD);
  await Promise.all([page.waitForURL(/ho-so\.html\?code=/), page.click('#l-submit')]);
  await page.locator('#ds-result #result-stage[data-stage="signed"]').waitFor();
  assert.match(await page.locator('#result-signatures').innerText(), /Hợp lệ/);
  const sealP = page.waitForResponse((r) => r.url().endsWith('/result/seal') && r.request().method() === 'POST');
  await page.click('#result-seal');
  const res = await sealP;
  assert.equal(res.status(), 200, await res.text().catch(() => ''));
  assert.ok((res.request().headers()['x-csrf-token'] || '').length >= 20, 'X-CSRF-Token is sent');
  await page.locator('#result-sealed').waitFor();
  await page.locator('#result-stage[data-stage="sealed"]').waitFor();
  // the stand-in document (a form the server issued) carries a seal of its own already
  const sigs = await page.locator('#result-signatures li').allInnerTexts();
  assert.ok(sigs.length >= 2, `the leader's signature and the seal: ${sigs}`);
  assert.match(sigs.at(-2), /Lãnh đạo xã Gio Mỹ \(demo\).*chứng thư của/);
  assert.match(sigs.at(-1), /con dấu demo/);
  assert.equal(await page.locator('#result-seal').count(), 0, 'no second seal');
  // the page reloaded the dossier: the seal is on its timeline, and its version is current
  const sealRow = page.locator('.history-row[data-action="result_seal"]');
  await sealRow.waitFor();
  assert.match(await sealRow.innerText(), /giomy\.vanthu/);
  assert.match(await sealRow.innerText(), /SHA-256/);
  assert.equal(await page.locator('.history-row[data-action="result_upload"]').count(), 1);
  assert.equal(await page.locator('.history-row[data-action="result_sign"]').count(), 1);
  const desk = await login('giomy.motcua');
  assert.equal(await page.evaluate(() => document.body.dataset.version),
    String((await getDossier(desk, dossier.code)).version), 'the page holds the version after the seal');
  assert.deepEqual(pageErrors, [], 'page errors or CSP violations');
  await page.evaluate(() => document.fonts && document.fonts.ready);
  await page.screenshot({ path: join(SHOTS, 'screenshot-officer-result.png'), fullPage: true });
  await page.context().close();
});

test('the citizen downloads the result from the tracking page and verifies it: "Hợp lệ"', { timeout: TIMEOUT }, async () => {
  const page = await newPage();
  await page.goto(`${BASE}/tra-cuu.html?code=${enc(dossier.code)}&pin=${enc(dossier.pin)}`, { waitUntil: 'domcontentloaded' });
  const link = page.locator('#result-download');
  await link.waitFor();
  const labels = await page.locator('.timeline-label').allInnerTexts();
  assert.ok(labels.includes('Kết quả đã được ký số'), `the public timeline: ${labels.join(' | ')}`);
  assert.ok(!/giomy\.|con dấu/.test(await page.locator('.timeline').innerText()), 'no officer on the public timeline');
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  const slip = await page.request.get(BASE + await page.locator('#result-slip').getAttribute('href'));
  assert.equal(slip.status(), 200, 'the verification slip with its QR code');
  assert.match(slip.headers()['content-type'] || '', /application\/pdf/);
  const file = join(tmp, 'ket-qua.pdf');
  await download.saveAs(file);
  const bytes = readFileSync(file);
  assert.equal(bytes.subarray(0, 5).toString(), '%PDF-');
  const hex = sha256(bytes);

  await Promise.all([page.waitForURL(/xac-minh\.html\?sha256=/), page.click('#result-verify')]);
  assert.ok(page.url().endsWith(hex), 'the link names the downloaded file');
  const card = page.locator('#xm-stored-card');
  await card.waitFor();
  assert.match(await card.locator('h2 .badge').innerText(), /^Hợp lệ$/);
  assert.match(await card.innerText(), new RegExp(dossier.code.replace(/\./g, '\\.')));
  assert.match(await page.locator('#xm-stored').innerText(), /Lãnh đạo xã Gio Mỹ/);

  // the copy they hold: the same bytes, checked again
  await page.setInputFiles('#xm-file', file);
  const verifyP = page.waitForResponse((r) => r.url().endsWith('/api/v1/signatures/verify'));
  await page.click('#xm-copy button[type="submit"]');
  assert.equal((await verifyP).status(), 200);
  await page.locator('#xm-compare').waitFor();
  assert.match(await page.locator('#xm-compare').innerText(), /Trùng khớp/);
  assert.match(await page.locator('#xm-copy-card h3 .badge').innerText(), /^Hợp lệ$/);

  // a changed copy is told apart
  const changed = join(tmp, 'ban-sua.pdf');
  writeFileSync(changed, Buffer.concat([bytes, Buffer.from('\n% sửa\n')]));
  await page.setInputFiles('#xm-file', changed);
  await page.click('#xm-copy button[type="submit"]');
  await page.locator('#xm-compare.notice-error').waitFor();
  assert.match(await page.locator('#xm-compare').innerText(), /Không trùng khớp/);
  assert.deepEqual(pageErrors, [], 'page errors or CSP violations');
  await page.evaluate(() => document.fonts && document.fonts.ready);
  await page.screenshot({ path: join(SHOTS, 'screenshot-verification.png'), fullPage: true });
  await page.context().close();
});
