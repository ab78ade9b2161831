// Browser test of the officer pages (www/can-bo/): a dossier's whole life through the UI.
//   desk receives "Đăng ký khai sinh" (1.001193) → forwards to the specialist → specialist
//   forwards → leader forwards (or resolves) → clerk resolves → desk returns → the public
//   tracking page shows the history and "Đã trả kết quả".
// Also: a wrong password, a stale page (412, reloaded), an action no longer allowed (409),
// the accounts and calendar pages of the administrator, the language switch.
// Runs against a started stack with the demo data (demo accounts, password below):
//   MOTCUA_URL   base URL (default http://127.0.0.1:8080)
// Run: node --test tests/e2e/desk-flow.test.mjs
// Screenshots (1280x900, full page) go to docs/screenshot-officer-*.png.

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
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const PASSWORD = process.env.MOTCUA_DEMO_PASSWORD || 'motcua-demo-2025';
const TIMEOUT = 90_000;
const PROCEDURE = '1.001193';
const APPLICANT = 'Nguyễn Thị Hồng Nhung';
const DATE_TIME = /^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/;
const CODE_RE = /^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}-\d{6}-\d{4,7}$/;

let browser;
let context;
let page;
const pageErrors = [];
const dossier = { code: '', pin: '' };

function watch(p) {
  p.on('pageerror', (err) => pageErrors.push(`pageerror: ${err.message}`));
  p.on('console', (msg) => {
    const text = msg.text();
    if (/Content Security Policy|Refused to (execute|apply|load)/i.test(text)) pageErrors.push(`csp: ${text}`);
  });
  return p;
}

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
  context.setDefaultTimeout(15_000);
  page = watch(await context.newPage());
});

after(async () => {
  if (browser) await browser.close();
});

function assertNoPageErrors(where) {
  assert.deepEqual(pageErrors, [], `${where}: page errors or CSP violations`);
}

async function shot(name, p = page) {
  await p.evaluate(() => document.fonts && document.fonts.ready);
  await p.screenshot({ path: join(SHOTS, `screenshot-officer-${name}.png`), fullPage: true });
}

async function login(username, { from = '/can-bo/index.html' } = {}) {
  await page.goto(BASE + from, { waitUntil: 'domcontentloaded' });
  if (!/dang-nhap\.html/.test(page.url())) await page.waitForURL(/\/can-bo\/dang-nhap\.html/);
  await page.fill('#l-username', username);
  await page.fill('#l-password', PASSWORD);
  await Promise.all([
    page.waitForURL((u) => !/dang-nhap\.html/.test(u.pathname)),
    page.click('#l-submit'),
  ]);
  await page.locator('#officer-name').waitFor();
}

async function logout() {
  await Promise.all([page.waitForURL(/dang-nhap\.html\?signed_out=1/), page.click('#logout')]);
  await page.locator('#login-form').waitFor();
}

/** Open the dossier from the inbox, filtered on the procedure code. */
async function openFromInbox(code) {
  await page.goto(BASE + '/can-bo/index.html', { waitUntil: 'domcontentloaded' });
  await page.locator('#inbox-filters').waitFor();
  await page.fill('#f-procedure', PROCEDURE);
  await Promise.all([page.waitForURL(/procedure=1\.001193/), page.click('#inbox-filters button[type="submit"]')]);
  const link = page.locator(`tr.inbox-row[data-code="${code}"] a.dossier-link`);
  await link.waitFor();
  await Promise.all([page.waitForURL(/ho-so\.html\?code=/), link.click()]);
  await page.locator('#ds-code').waitFor();
  assert.equal(await page.locator('#ds-code').innerText(), code);
}

async function currentStep() {
  const cur = page.locator('#ds-stepper li.is-current');
  return (await cur.count()) ? Number(await cur.getAttribute('data-seq')) : null;
}

async function allowedActions(p = page) {
  return p.locator('#action-list button[data-action]').evaluateAll((bs) => bs.map((b) => b.dataset.action));
}

/** Click the action's button, fill the form (fill(dialog) optional), confirm, wait for the result. */
async function act(action, fill, p = page) {
  await p.click(`#action-${action}`);
  const dlg = p.locator('#action-dialog');
  await dlg.waitFor();
  assert.equal(await dlg.getAttribute('open'), '', 'the form opens as a modal dialog');
  if (fill) await fill(dlg);
  const done = p.waitForResponse((r) => r.url().includes(`/actions/${action}`) && r.request().method() === 'POST');
  await p.click('#action-submit');
  const res = await done;
  assert.equal(res.status(), 200, `${action}: ${await res.text().catch(() => '')}`);
  const headers = res.request().headers();
  assert.match(headers['if-match'] || '', /^"\d+"$/, 'If-Match carries the version');
  assert.ok((headers['x-csrf-token'] || '').length >= 20, 'X-CSRF-Token is sent');
  await p.locator('#action-done').waitFor();
  assert.equal(await p.locator('#action-dialog').count(), 0, 'the dialog closes');
}

// ---------------------------------------------------------------------------------------

test('officer pages carry no inline script, style or handler, and no HTML sink (CSP)', () => {
  const dir = join(WWW, 'can-bo');
  const pages = readdirSync(dir).filter((n) => n.endsWith('.html'));
  for (const f of ['dang-nhap.html', 'index.html', 'ho-so.html', 'tiep-nhan.html', 'tai-khoan.html', 'lich-lam-viec.html']) {
    assert.ok(pages.includes(f), `www/can-bo/${f} exists`);
  }
  for (const f of pages) {
    const html = readFileSync(join(dir, f), 'utf8');
    assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/i, `${f}: inline <script>`);
    assert.doesNotMatch(html, /<style[\s>]/i, `${f}: <style> element`);
    assert.doesNotMatch(html, /\sstyle\s*=/i, `${f}: style attribute`);
    assert.doesNotMatch(html, /\son[a-z]+\s*=/i, `${f}: event-handler attribute`);
  }
  const jsDir = join(WWW, 'js', 'officer');
  for (const n of readdirSync(jsDir).filter((x) => x.endsWith('.js'))) {
    const js = readFileSync(join(jsDir, n), 'utf8');
    assert.doesNotMatch(js, /\.innerHTML\s*=|outerHTML\s*=|insertAdjacentHTML|document\.write/, `${n}: HTML injection sink`);
    assert.doesNotMatch(js, /\.style\.|setAttribute\(\s*['"]style/, `${n}: inline style`);
  }
});

test('without a session the officer pages send to the sign-in page; a wrong password shows the error', { timeout: TIMEOUT }, async () => {
  await page.goto(BASE + '/can-bo/index.html', { waitUntil: 'domcontentloaded' });
  await page.waitForURL(/\/can-bo\/dang-nhap\.html\?next=%2Fcan-bo%2Findex\.html/);
  await page.locator('#login-form').waitFor();
  assert.equal(await page.locator('h1').innerText(), 'Đăng nhập');
  await page.fill('#l-username', 'giomy.motcua');
  await page.fill('#l-password', 'sai-mat-khau-roi');
  const resP = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login'));
  await page.click('#l-submit');
  const res = await resP;
  assert.equal(res.status(), 401);
  const problem = await res.json();
  assert.equal(problem.code, 'invalid_credentials');
  const alert = page.locator('#login-problem .notice-error');
  await alert.waitFor();
  assert.equal(await alert.getAttribute('data-status'), '401');
  assert.equal(await alert.locator('.notice-title').innerText(), problem.title, 'the Vietnamese title is shown');
  assert.equal(await page.inputValue('#l-password'), '', 'the password is cleared');
  assert.match(page.url(), /next=/, 'still on the sign-in page');
  assertNoPageErrors('login');
  await shot('login');
});

test('the desk officer signs in: header, role links, inbox sorted by urgency', { timeout: TIMEOUT }, async () => {
  await page.fill('#l-username', 'giomy.motcua');
  await page.fill('#l-password', PASSWORD);
  await Promise.all([page.waitForURL(/\/can-bo\/index\.html$/), page.click('#l-submit')]);
  await page.locator('#officer-name').waitFor();
  assert.equal(await page.locator('#officer-unit').innerText(), 'Ủy ban nhân dân xã Gio Mỹ');
  assert.deepEqual(await page.locator('#officer-roles .role-chip').allInnerTexts(), ['Cán bộ một cửa']);
  assert.equal(await page.locator('#nav-reception').count(), 1, 'desk: reception link');
  assert.equal(await page.locator('#nav-accounts').count(), 0, 'no accounts link without admin');
  assert.equal(await page.locator('#nav-calendar').count(), 0, 'no calendar link without admin');
  await page.locator('.inbox-table, .notice-empty').first().waitFor();
  const rows = page.locator('tr.inbox-row');
  const urgencies = await rows.evaluateAll((rs) => rs.map((r) => r.dataset.urgency));
  const rank = { overdue: 0, due_soon: 1, within: 2, none: 3 };
  const ranks = urgencies.map((u) => rank[u] ?? 3);
  assert.deepEqual(ranks, ranks.slice().sort((a, b) => a - b), `rows in urgency order: ${urgencies}`);
  for (const u of new Set(urgencies)) {
    const badge = page.locator(`tr.inbox-row[data-urgency="${u}"] .badge-urgency`).first();
    const cls = await badge.getAttribute('class');
    if (u === 'overdue') assert.match(cls, /badge-danger/);
    if (u === 'due_soon') assert.match(cls, /badge-warning/);
    if (u === 'within') assert.match(cls, /badge-success/);
  }
  // Filters go to the URL and the API.
  const resP = page.waitForResponse((r) => r.url().includes('/api/v1/dossiers?') && r.url().includes('state=processing'));
  await page.selectOption('#f-state', 'processing');
  const res = await resP;
  assert.equal(res.status(), 200);
  await page.waitForURL(/state=processing/);
  await page.locator('.inbox-table, .notice-empty').first().waitFor();
  for (const s of await page.locator('tr.inbox-row .badge-status').allInnerTexts()) assert.equal(s, 'Đang xử lý');
  const allP = page.waitForResponse((r) => r.url().includes('/api/v1/dossiers?') && !r.url().includes('state='));
  await Promise.all([page.waitForURL(/\/can-bo\/index\.html$/), page.click('#f-reset')]);
  await allP;
  await page.locator('#results:not(.is-loading) .inbox-table, #results .notice-empty').first().waitFor();
  await page.mouse.move(0, 0);
  assertNoPageErrors('inbox');
  await shot('inbox');
});

test('the language switch relabels the officer pages', { timeout: TIMEOUT }, async () => {
  await page.click('#lang-switch');
  await page.getByRole('heading', { name: 'Dossier inbox', exact: true }).waitFor();
  assert.equal(await page.locator('#logout').innerText(), 'Sign out');
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  await page.click('#lang-switch');
  await page.getByRole('heading', { name: 'Hộp hồ sơ', exact: true }).waitFor();
  assert.equal(await page.locator('#logout').innerText(), 'Đăng xuất');
  assertNoPageErrors('language');
});

test('reception: a birth registration is received with its documents; code, PIN, receipt', { timeout: TIMEOUT }, async (t) => {
  await Promise.all([page.waitForURL(/tiep-nhan\.html/), page.click('#nav-reception')]);
  await page.locator('#rc-q').waitFor();
  await page.fill('#rc-q', 'dang ky khai sinh');
  await page.click('#rc-search');
  const pick = page.locator(`.rc-result[data-code="${PROCEDURE}"]`);
  await pick.waitFor();
  await pick.click();
  await page.locator('#rc-proc').waitFor();
  assert.equal(await page.locator('#rc-proc').getAttribute('data-code'), PROCEDURE);
  assert.match(await page.locator('.rc-proc-name').innerText(), /^Đăng ký khai sinh$/);

  const required = page.locator('.doc-checklist input[data-required="true"]');
  assert.ok(await required.count() >= 1, 'the procedure has required documents');
  // Submitting without the documents is refused before any request, naming what is missing.
  await page.fill('#rc-ap-name', APPLICANT);
  await page.click('#rc-submit');
  await page.locator('#rc-documents-error:not(:empty)').waitFor();
  assert.match(await page.locator('#rc-documents-error').innerText(), /Còn thiếu giấy tờ bắt buộc/);
  const requiredCount = await required.count();
  for (const cb of await required.all()) await cb.check();
  await page.locator('#rc-channel-direct').check();
  await page.selectOption('#rc-result-channel', 'direct');
  await page.locator('#rc-applicant_kind-citizen').check();
  await page.fill('#rc-ap-id', '045190001234');
  await page.fill('#rc-ap-phone', '0912345678');
  await page.fill('#rc-ap-email', 'hongnhung@example.vn');
  await page.fill('#rc-ap-address', 'Thôn Gio Mỹ, xã Gio Mỹ, tỉnh Quảng Trị');
  await shot('reception');

  const resP = page.waitForResponse((r) => r.url().endsWith('/api/v1/dossiers') && r.request().method() === 'POST');
  await page.click('#rc-submit');
  const res = await resP;
  assert.equal(res.status(), 201, await res.text());
  const sent = JSON.parse(res.request().postData());
  assert.equal(sent.procedure, PROCEDURE);
  assert.equal(sent.applicant_name, APPLICANT);
  assert.equal(sent.channel, 'direct');
  assert.ok(Array.isArray(sent.documents) && sent.documents.length >= requiredCount, 'the ticked documents are sent');
  assert.ok(res.request().headers()['x-csrf-token'], 'X-CSRF-Token on POST /dossiers');
  const created = await res.json();

  await page.locator('#reception-success').waitFor();
  dossier.code = await page.locator('#new-code').innerText();
  dossier.pin = await page.locator('#new-pin').innerText();
  assert.match(dossier.code, CODE_RE);
  assert.equal(dossier.code, created.code);
  assert.equal(dossier.pin, created.pin);
  assert.ok(dossier.pin.length >= 8, 'the PIN is shown');
  assert.match(await page.locator('#new-due').innerText(), DATE_TIME);
  assert.match(await page.locator('.rc-pin-warn').innerText(), /MỘT LẦN/);

  // The receipt: POST {pin} → PDF, opened from a blob URL in a new tab.
  const receiptP = page.waitForResponse((r) => r.url().endsWith(`/dossiers/${dossier.code}/receipt`));
  const popupP = context.waitForEvent('page', { timeout: 15_000 }).catch(() => null);
  await page.click('#print-receipt');
  const receipt = await receiptP;
  assert.equal(receipt.status(), 200);
  assert.match(receipt.headers()['content-type'] || '', /application\/pdf/);
  assert.deepEqual(JSON.parse(receipt.request().postData()), { pin: dossier.pin });
  const popup = await popupP;
  if (popup) {
    assert.match(popup.url(), /^blob:/, 'the receipt opens from a blob URL');
    await popup.close();
    t.diagnostic('receipt opened in a new tab');
  } else {
    await page.locator('#receipt-link').waitFor();
    t.diagnostic('popup blocked: the receipt link is shown instead');
  }
  assertNoPageErrors('reception');
});

test('desk: the dossier page shows the process, documents, history; forward to the specialist', { timeout: TIMEOUT }, async () => {
  assert.ok(dossier.code, 'a dossier was received');
  await Promise.all([page.waitForURL(/ho-so\.html\?code=/), page.click('#open-dossier')]);
  await page.locator('#ds-code').waitFor();
  assert.equal(await page.locator('#ds-code').innerText(), dossier.code);
  assert.equal(await page.locator('#ds-applicant-name').innerText(), APPLICANT);
  assert.equal(await page.locator('#ds-state .badge-status').innerText(), 'Đang xử lý');
  assert.equal(await currentStep(), 1, 'at the reception step');
  assert.match(await page.locator('#ds-stepper li.is-current .step-due').innerText(), /Hạn bước: \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}/);
  assert.ok(await page.locator('.ds-docs tbody tr').count() >= 3, 'the documents received');
  assert.equal(await page.locator('#history-integrity').getAttribute('data-intact'), 'true');
  assert.match(await page.locator('#history-integrity').innerText(), /Lịch sử hồ sơ toàn vẹn/);
  assert.equal(await page.locator('#ds-history tr.history-row[data-action="receive"]').count(), 1);
  assert.match(await page.locator('#ds-history .history-time').first().innerText(), DATE_TIME);
  assert.match(await page.locator('#print-control-sheet').getAttribute('href'), new RegExp(`/api/v1/dossiers/${dossier.code.replace(/\./g, '\\.')}/control-sheet\\.pdf$`));
  const sheet = await page.request.get(BASE + await page.locator('#print-control-sheet').getAttribute('href'));
  assert.equal(sheet.status(), 200);
  assert.match(sheet.headers()['content-type'] || '', /application\/pdf/);

  const actions = await allowedActions();
  assert.ok(actions.includes('forward'), `forward is allowed: ${actions}`);
  assert.equal(await page.locator('#action-forward').innerText(), 'Chuyển bước tiếp theo');
  // The supplement form: rows added and removed, all sent at once (opened, then cancelled).
  if (actions.includes('request_supplement')) {
    await page.click('#action-request_supplement');
    await page.locator('#action-dialog').waitFor();
    await page.click('#action-add-item');
    await page.click('#action-add-item');
    assert.equal(await page.locator('#action-items .item-row').count(), 3);
    await page.locator('#action-items .item-remove').nth(1).click();
    assert.equal(await page.locator('#action-items .item-row').count(), 2);
    await page.click('#action-submit');
    assert.match(await page.locator('[data-field="items"] .field-error').innerText(), /ít nhất một/);
    await page.click('#action-cancel');
    assert.equal(await page.locator('#action-dialog').count(), 0);
  }
  await act('forward', async (dlg) => { await dlg.locator('textarea[name="note"]').fill('Hồ sơ đầy đủ, chuyển công chức tư pháp - hộ tịch'); });
  assert.equal(await currentStep(), 2, 'now at the specialist step');
  assert.ok(!(await allowedActions()).includes('forward'), 'the desk can no longer forward');
  assert.equal(await page.locator('#ds-history tr.history-row[data-action="forward"]').count(), 1);
  assertNoPageErrors('dossier (desk)');
  await logout();
});

test('specialist: opens it from the inbox and forwards', { timeout: TIMEOUT }, async () => {
  await login('giomy.chuyenvien');
  assert.equal(await page.locator('#nav-reception').count(), 0, 'no reception link for a specialist');
  await page.goto(BASE + '/can-bo/tiep-nhan.html', { waitUntil: 'domcontentloaded' });
  await page.locator('#no-permission').waitFor();
  assert.equal(await page.locator('#reception-form').count(), 0, 'no reception form without the desk role');
  await openFromInbox(dossier.code);
  assert.equal(await currentStep(), 2);
  assert.equal(await page.locator('#ds-stepper li.is-current').getAttribute('aria-current'), 'step');
  assert.equal(await page.locator('#ds-stepper li.is-done').count(), 1);
  await shot('dossier');
  await act('forward');
  assert.equal(await currentStep(), 3, 'now at the leader step');
  assertNoPageErrors('dossier (specialist)');
  await logout();
});

test('leader: forwards to the clerk (or resolves when there is no clerk step)', { timeout: TIMEOUT }, async () => {
  await login('giomy.lanhdao');
  await openFromInbox(dossier.code);
  const steps = await page.locator('#ds-stepper li').count();
  const cur = await currentStep();
  if (cur < steps) {
    await act('forward');
    assert.equal(await currentStep(), cur + 1);
  } else {
    await act('resolve');
  }
  assertNoPageErrors('dossier (leader)');
  await logout();
});

test('clerk: resolves', { timeout: TIMEOUT }, async () => {
  await login('giomy.vanthu');
  await openFromInbox(dossier.code);
  const actions = await allowedActions();
  if (actions.includes('resolve')) {
    await act('resolve');
  }
  assert.match(await page.locator('#ds-state .badge-status').innerText(), /Đã có kết quả/);
  assertNoPageErrors('dossier (clerk)');
  await logout();
});

test('desk: returns the result; a stale page reloads (412), an action no longer allowed is refused (409)', { timeout: TIMEOUT }, async () => {
  await login('giomy.motcua', { from: `/can-bo/ho-so.html?code=${encodeURIComponent(dossier.code)}` });
  assert.match(page.url(), /ho-so\.html\?code=/, 'back to the page asked for (?next=)');
  await page.locator('#ds-code').waitFor();
  assert.ok((await allowedActions()).includes('return'), 'return is allowed');
  // Two more tabs on the same version, left behind.
  const stale = watch(await context.newPage());
  const stale409 = watch(await context.newPage());
  for (const p of [stale, stale409]) {
    await p.goto(page.url(), { waitUntil: 'domcontentloaded' });
    await p.locator('#action-return').waitFor();
  }

  await act('return');
  assert.equal(await page.locator('#ds-state .badge-status').innerText(), 'Đã trả kết quả');
  assert.equal(await page.locator('#ds-stepper li.is-current').count(), 0);

  // A stale tab sends the old version: 412, the page reloads and says so.
  await stale.bringToFront();
  await stale.click('#action-return');
  await stale.locator('#action-dialog').waitFor();
  const r412P = stale.waitForResponse((r) => r.url().includes('/actions/return'));
  await stale.click('#action-submit');
  const r412 = await r412P;
  assert.equal(r412.status(), 412);
  const p412 = await r412.json();
  const staleBox = stale.locator('#action-stale');
  await staleBox.waitFor();
  assert.equal(await staleBox.locator('.notice-title').innerText(), p412.title);
  await stale.locator('#ds-state .badge-status', { hasText: 'Đã trả kết quả' }).waitFor();
  assert.equal(await stale.locator('#action-return').count(), 0, 'the reloaded page no longer offers return');

  // The same action replayed at the current version (as a racing client would): 409,
  // shown in the form, next to nothing (field "action") so at the top.
  const current = await (await stale409.request.get(`${BASE}/api/v1/dossiers/${encodeURIComponent(dossier.code)}`)).json();
  await stale409.route('**/actions/return', (route) => route.continue({
    headers: { ...route.request().headers(), 'if-match': `"${current.version}"` },
  }));
  await stale409.bringToFront();
  await stale409.click('#action-return');
  await stale409.locator('#action-dialog').waitFor();
  const r409P = stale409.waitForResponse((r) => r.url().includes('/actions/return'));
  await stale409.click('#action-submit');
  const r409 = await r409P;
  assert.equal(r409.status(), 409);
  const p409 = await r409.json();
  assert.equal(p409.code, 'invalid_state');
  const box = stale409.locator('#action-problem .notice-error');
  await box.waitFor();
  assert.equal(await box.getAttribute('data-status'), '409');
  assert.equal(await box.locator('.notice-title').innerText(), p409.title);
  assert.equal(await box.locator('.problem-detail').innerText(), p409.detail, 'the detail names the state and the action');
  await stale.close();
  await stale409.close();
  await page.bringToFront();
  assertNoPageErrors('dossier (return)');
  await logout();
});

test('the public tracking page shows reception, the step moves, the result and the return', { timeout: TIMEOUT }, async () => {
  await page.goto(`${BASE}/tra-cuu.html?code=${encodeURIComponent(dossier.code)}&pin=${encodeURIComponent(dossier.pin)}`, { waitUntil: 'domcontentloaded' });
  const card = page.locator('.dossier-card');
  await card.waitFor();
  assert.equal(await card.locator('.dossier-code').innerText(), dossier.code);
  assert.equal(await card.locator('.badge-status').first().innerText(), 'Đã trả kết quả');
  const actions = await card.locator('.timeline-item').evaluateAll((li) => li.map((x) => x.dataset.action));
  assert.equal(actions[0], 'receive', `timeline: ${actions}`);
  assert.ok(actions.filter((a) => a === 'forward').length >= 2, `the step moves: ${actions}`);
  assert.ok(actions.includes('resolve'), `the result: ${actions}`);
  assert.equal(actions[actions.length - 1], 'return', `the return last: ${actions}`);
  const labels = await card.locator('.timeline-label').allInnerTexts();
  assert.ok(labels.some((l) => /Tiếp nhận/.test(l)), `labels: ${labels}`);
  await page.locator('.private-card').waitFor();
  assert.match(await page.locator('.private-card').innerText(), new RegExp(APPLICANT));
  assertNoPageErrors('tracking');
});

test('admin: accounts list, unused filter, create, edit and lock an account', { timeout: TIMEOUT }, async () => {
  await login('admin');
  assert.equal(await page.locator('#nav-accounts').count(), 1);
  assert.equal(await page.locator('#nav-calendar').count(), 1);
  assert.equal(await page.locator('#nav-reception').count(), 0, 'admin is not a desk officer');
  await Promise.all([page.waitForURL(/tai-khoan\.html/), page.click('#nav-accounts')]);
  await page.locator('#accounts-table').waitFor();
  assert.ok(await page.locator('tr.account-row[data-username="giomy.motcua"]').count() === 1);
  await shot('accounts');

  // Unused for 30 days: giomy.motcua signed in today, so is left out.
  const resP = page.waitForResponse((r) => r.url().includes('/api/v1/officers?unused_days=30'));
  await page.fill('#ac-unused', '30');
  await page.click('#ac-filter button[type="submit"]');
  assert.equal((await resP).status(), 200);
  await page.waitForURL(/unused_days=30/);
  await page.locator('#accounts-table, .notice-empty').first().waitFor();
  assert.equal(await page.locator('tr.account-row[data-username="giomy.motcua"]').count(), 0);
  await page.click('#ac-unused-clear');
  await page.locator('tr.account-row[data-username="giomy.motcua"]').waitFor();

  // Create.
  const username = 'ui.test' + String(Date.now()).slice(-7);
  await page.click('#ac-create');
  const dlg = page.locator('#account-dialog');
  await dlg.waitFor();
  await dlg.locator('input[name="username"]').fill(username);
  await dlg.locator('input[name="full_name"]').fill('Phạm Thị Kiểm Thử');
  await dlg.locator('select[name="unit"]').selectOption('000.22.24.H45');
  await dlg.locator('input[name="roles"][value="specialist"]').check();
  await dlg.locator('input[name="email"]').fill('kiemthu@example.vn');
  await dlg.locator('input[name="password"]').fill('Mat-khau-kiem-thu-2025');
  const createdP = page.waitForResponse((r) => r.url().endsWith('/api/v1/officers') && r.request().method() === 'POST');
  await page.click('#account-submit');
  assert.equal((await createdP).status(), 201);
  await page.locator(`tr.account-row[data-username="${username}"]`).waitFor();
  assert.match(await page.locator('#ac-message').innerText(), new RegExp(username.replace('.', '\\.')));

  // Edit: a phone number and one more role.
  await page.click(`button[data-edit="${username}"]`);
  await dlg.waitFor();
  await dlg.locator('input[name="phone"]').fill('0233 3851 234');
  await dlg.locator('input[name="roles"][value="leader"]').check();
  const patchP = page.waitForResponse((r) => r.url().endsWith(`/api/v1/officers/${username}`) && r.request().method() === 'PATCH');
  await page.click('#account-submit');
  const patch = await patchP;
  assert.equal(patch.status(), 200);
  const patchBody = JSON.parse(patch.request().postData());
  assert.deepEqual(Object.keys(patchBody).sort(), ['phone', 'roles'], 'only what changed is sent');
  const row = page.locator(`tr.account-row[data-username="${username}"]`);
  await row.locator('.cell-line', { hasText: '0233 3851 234' }).waitFor();
  assert.deepEqual(await row.locator('.role-chip').allInnerTexts(), ['Chuyên viên', 'Lãnh đạo']);

  // Lock.
  await page.click(`button[data-toggle="${username}"]`);
  await row.locator('.badge', { hasText: 'Đã khóa' }).waitFor();
  assert.match(await row.getAttribute('class'), /is-inactive/);

  // A taken username: the problem lands next to the username field.
  await page.click('#ac-create');
  await dlg.waitFor();
  await dlg.locator('input[name="username"]').fill('giomy.motcua');
  await dlg.locator('input[name="full_name"]').fill('Trùng tên đăng nhập');
  await dlg.locator('input[name="roles"][value="desk"]').check();
  await dlg.locator('input[name="password"]').fill('Mat-khau-kiem-thu-2025');
  await page.click('#account-submit');
  const err = dlg.locator('[data-field="username"] .field-error');
  await err.locator('.field-error-title').waitFor();
  assert.equal(await err.locator('.field-error-title').innerText(), 'Tên đăng nhập đã tồn tại');
  assert.equal(await dlg.locator('input[name="username"]').getAttribute('aria-invalid'), 'true');
  await dlg.locator('.o-dialog-x').click();
  assertNoPageErrors('accounts');
});

test('admin: the working calendar shows the year; a day is added and removed', { timeout: TIMEOUT }, async () => {
  await Promise.all([page.waitForURL(/lich-lam-viec\.html/), page.click('#nav-calendar')]);
  await page.locator('#cal-year-grid').waitFor();
  assert.equal(await page.locator('.cal-month').count(), 12);
  assert.match(await page.locator('#cal-recompute').innerText(), /tính lại/);
  // The page shows what the API holds for the year.
  const year = Number((await page.locator('#cal-year').innerText()).replace(/\D/g, ''));
  const api = await (await page.request.get(`${BASE}/api/v1/calendar/days?year=${year}`)).json();
  for (const d of api.items || []) {
    const cell = page.locator(`.cal-day[data-date="${d.date}"]`);
    assert.match(await cell.getAttribute('class'), d.kind === 'holiday' ? /is-holiday/ : /is-makeup/, d.date);
  }
  await page.goto(`${BASE}/can-bo/lich-lam-viec.html?year=2026`, { waitUntil: 'domcontentloaded' });
  await page.locator('#cal-year-grid').waitFor();
  await shot('calendar');

  // A far year so that no real dossier moves: add a make-up Saturday, then remove it.
  await page.goto(`${BASE}/can-bo/lich-lam-viec.html?year=2031`, { waitUntil: 'domcontentloaded' });
  await page.locator('#cal-year-grid').waitFor();
  const day = '2031-03-08';   // a Saturday
  await page.click(`.cal-day[data-date="${day}"]`);
  const dlg = page.locator('#cal-dialog');
  await dlg.waitFor();
  assert.equal(await dlg.locator('select[name="kind"]').inputValue(), 'makeup_workday', 'a Saturday proposes a make-up day');
  await dlg.locator('input[name="name"]').fill('Làm bù (kiểm thử giao diện)');
  const putP = page.waitForResponse((r) => r.url().endsWith(`/api/v1/calendar/days/${day}`) && r.request().method() === 'PUT');
  await page.click('#cal-save');
  const put = await putP;
  assert.ok([200, 201, 204].includes(put.status()), `PUT gives ${put.status()}`);
  assert.deepEqual(JSON.parse(put.request().postData()), { kind: 'makeup_workday', name: 'Làm bù (kiểm thử giao diện)' });
  await page.locator(`.cal-day.is-makeup[data-date="${day}"]`).waitFor();
  assert.match(await page.locator('#cal-message').innerText(), /tính lại trong nền/);
  const putBody = await put.json();
  if (putBody && putBody.job_id) {
    // The page follows the recompute job the change queued (motcua-worker runs it).
    await page.locator('#cal-job[data-status="finished"]').waitFor({ timeout: 30_000 });
    assert.match(await page.locator('#cal-job').innerText(), /Đã tính lại xong: \d+ hồ sơ/);
  }
  assert.equal(await page.locator(`#cal-table tr[data-date="${day}"]`).count(), 1);

  await page.click(`button[data-remove="${day}"]`);
  await dlg.waitFor();
  await page.click('#cal-delete');
  assert.match(await page.locator('#cal-delete').innerText(), /Xóa ngày đặc biệt/);
  const delP = page.waitForResponse((r) => r.url().endsWith(`/api/v1/calendar/days/${day}`) && r.request().method() === 'DELETE');
  await page.click('#cal-delete');
  const del = await delP;
  assert.ok([200, 204].includes(del.status()), `DELETE gives ${del.status()}`);
  await page.locator(`.cal-day[data-date="${day}"]:not(.is-makeup)`).waitFor();
  assert.equal(await page.locator(`#cal-table tr[data-date="${day}"]`).count(), 0);
  assertNoPageErrors('calendar');
  await logout();
});
