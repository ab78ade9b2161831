// Browser test of the warnings panel (www/js/officer/warnings.js) on the officer inbox: a
// dossier made overdue (API + SQL) shows in the panel under "Quá hạn" with a link that opens
// the dossier page; the tabs filter by kind; the digest switch turns the daily e-mail off
// and on; the language switch relabels the panel; no page error, no CSP violation.
//   MOTCUA_URL, MOTCUA_VAR  the running stack (tests/api/lib/officer.mjs)
// Screenshot: docs/screenshot-officer-warnings.png.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { login as apiLogin, receive, sql, dossierId } from '../api/lib/officer.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SHOTS = join(ROOT, 'docs');
const BASE = (process.env.MOTCUA_URL || 'http://127.0.0.1:8080').replace(/\/+$/, '');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const PASSWORD = process.env.MOTCUA_DEMO_PASSWORD || 'motcua-demo-2025';
const TIMEOUT = 90_000;

let browser, page;
const pageErrors = [];
let code;

before(async () => {
  // an overdue dossier at the Gio Mỹ desk
  const desk = await apiLogin('giomy.motcua');
  code = (await receive(desk)).code;
  sql(`UPDATE dossiers SET due_at = UTC_TIMESTAMP() - INTERVAL 1 HOUR WHERE id = ${dossierId(code)}`);

  mkdirSync(SHOTS, { recursive: true });
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
});

test('the inbox shows the warnings panel; an overdue dossier links to its page', { timeout: TIMEOUT }, async () => {
  await page.goto(`${BASE}/can-bo/index.html`, { waitUntil: 'domcontentloaded' });
  await page.waitForURL(/\/can-bo\/dang-nhap\.html/);
  await page.fill('#l-username', 'giomy.motcua');
  await page.fill('#l-password', PASSWORD);
  await Promise.all([page.waitForURL((u) => !/dang-nhap\.html/.test(u.pathname)), page.click('#l-submit')]);

  const panel = page.locator('#warnings');
  await panel.locator('.warning-tab[data-kind="overdue"]').waitFor();
  assert.equal((await panel.locator('#warnings-heading').textContent()).trim(), 'Cảnh báo');
  const all = Number((await panel.locator('.warning-tab[data-kind="all"] .warning-count').textContent()).replace(/\D/g, ''));
  assert.ok(all >= 1, `the "all" tab counts the warnings: ${all}`);

  await panel.locator('.warning-tab[data-kind="overdue"]').click();
  await panel.locator('.warning-tab[data-kind="overdue"][aria-selected="true"]').waitFor();
  // every item shown is an overdue one; ours is among them (more pages if needed)
  const ours = panel.locator(`.warning-item[data-code="${code}"]`);
  for (let i = 0; i < 20 && !(await ours.count()); i++) {
    const more = panel.locator('.warnings-more');
    if (!(await more.count())) break;
    await more.click();
    await page.waitForTimeout(300);
  }
  assert.equal(await ours.count(), 1, 'the overdue dossier is listed');
  const kinds = await panel.locator('.warning-item').evaluateAll((els) => els.map((e) => e.dataset.kind));
  assert.ok(kinds.every((k) => k === 'overdue'), `only overdue items: ${kinds}`);
  assert.match(await ours.locator('.warning-kind').textContent(), /Quá hạn/);
  await page.evaluate(() => document.fonts && document.fonts.ready);
  await page.screenshot({ path: join(SHOTS, 'screenshot-officer-warnings.png'), fullPage: false });

  await Promise.all([page.waitForURL(/\/can-bo\/ho-so\.html\?code=/), ours.locator('a.warning-code').click()]);
  assert.match(decodeURIComponent(page.url()), new RegExp(`code=${code.replace(/\./g, '\\.')}`));
  assert.deepEqual(pageErrors, []);
});

test('the daily digest switch turns the e-mail off and on', { timeout: TIMEOUT }, async () => {
  await page.goto(`${BASE}/can-bo/index.html`, { waitUntil: 'domcontentloaded' });
  const box = page.locator('#warnings .warnings-digest input[type="checkbox"]');
  await box.waitFor();
  assert.equal(await box.isChecked(), true, 'subscribed by default');
  await box.uncheck();
  await page.waitForFunction(() => !document.querySelector('#warnings .warnings-digest input').disabled);
  const id = sql("SELECT id FROM officers WHERE username = 'giomy.motcua'")[0][0];
  assert.equal(sql(`SELECT COUNT(*) FROM warning_digest_optout WHERE officer_id = ${id}`)[0][0], '1');
  await page.reload({ waitUntil: 'domcontentloaded' });
  await box.waitFor();
  assert.equal(await box.isChecked(), false, 'the choice is kept');
  await box.check();
  await page.waitForFunction(() => !document.querySelector('#warnings .warnings-digest input').disabled);
  assert.equal(sql(`SELECT COUNT(*) FROM warning_digest_optout WHERE officer_id = ${id}`)[0][0], '0');
  assert.deepEqual(pageErrors, []);
});

test('the language switch relabels the panel', { timeout: TIMEOUT }, async () => {
  await page.locator('#warnings .warning-tab').first().waitFor();
  await page.click('#lang-switch');
  await page.locator('#warnings-heading', { hasText: 'Warnings' }).waitFor();
  assert.match(await page.locator('#warnings .warning-tab[data-kind="all"]').textContent(), /All/);
  await page.click('#lang-switch');
  await page.locator('#warnings-heading', { hasText: 'Cảnh báo' }).waitFor();
  assert.deepEqual(pageErrors, []);
});

test('a feedback warning opens the feedback page on that feedback, its answer form focused', { timeout: TIMEOUT }, async () => {
  const r = await fetch(`${BASE}/api/v1/feedback`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ kind: 'other', content: 'Phản ánh cần trả lời trong ngày (kiểm thử cảnh báo).', name: 'Lê Thị Cảnh Báo', email: 'canhbao@example.com', unit: '000.22.24.H45' }),
  });
  assert.equal(r.status, 201, await r.clone().text());
  const fb = (await r.json()).code;
  sql(`UPDATE feedback SET due_at = UTC_TIMESTAMP() + INTERVAL 1 HOUR WHERE code = '${fb}'`);

  await page.goto(`${BASE}/can-bo/index.html`, { waitUntil: 'domcontentloaded' });
  const panel = page.locator('#warnings');
  await panel.locator('.warning-tab[data-kind="feedback_due"]').click();
  const link = panel.locator(`a[href*="phan-anh.html?code=${fb}"]`);
  await link.waitFor();
  await Promise.all([page.waitForURL(/\/can-bo\/phan-anh\.html\?code=/), link.click()]);
  const item = page.locator(`.feedback-item[data-code="${fb}"]`);
  await item.waitFor();
  assert.match(await item.getAttribute('class'), /\bis-target\b/, 'the linked feedback is marked');
  assert.equal(await page.evaluate(() => document.activeElement && document.activeElement.closest('.feedback-item')?.dataset.code), fb,
    'focus is in the linked feedback\'s answer form');
  assert.deepEqual(pageErrors, []);
});
