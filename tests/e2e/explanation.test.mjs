// The tracking page explains, on request, how the dossier's due date was computed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';

const BASE = (process.env.MOTCUA_URL || 'http://127.0.0.1:8080').replace(/\/+$/, '');
const VAR = process.env.MOTCUA_VAR;
let browser;
let page;
const errors = [];

function openDossier() {
  const rows = readFileSync(`${VAR}/demo-dossiers.tsv`, 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t'));
  const row = rows.find((r) => r[2] === 'processing');
  assert.ok(row, 'a demo dossier in processing');
  return row[0];
}

before(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
  page = await context.newPage();
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (/Content Security Policy|Refused to/i.test(m.text())) errors.push(m.text()); });
});

after(async () => { if (browser) await browser.close(); });

test('opening "Cách tính hạn giải quyết" shows the calendar\'s explanation for this dossier', async () => {
  const code = openDossier();
  await page.goto(`${BASE}/tra-cuu.html?code=${encodeURIComponent(code)}`);
  const summary = page.locator('#due-explanation summary');
  await summary.waitFor({ timeout: 15000 });
  assert.equal((await summary.textContent()).trim(), 'Cách tính hạn giải quyết');
  await summary.click();
  const text = page.locator('#due-explanation .explain-text');
  await text.waitFor({ timeout: 15000 });
  const content = await text.textContent();
  assert.match(content, /hạn giải quyết/i, content);
  assert.match(content, /\d{2}\/\d{2}\/\d{4}/, 'it names dates dd/mm/yyyy');
  assert.deepEqual(errors, []);
});
