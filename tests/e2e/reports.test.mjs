// Browser test of the report pages: the managers' dashboard (can-bo/thong-ke.html) draws
// its charts (canvases with pixels on them, under the strict CSP), flags and indicators;
// Form 06 (can-bo/bao-cao.html) shows the form's table for the demo district, every number
// opens the list of the dossiers behind it (as many as the number says), the print layout
// is the sheet alone on A4 landscape, and the CSV download starts with a UTF-8 BOM.
// Runs against a started stack with the demo data:
//   MOTCUA_URL   base URL (default http://127.0.0.1:8080)
// Run: node --test tests/e2e/reports.test.mjs
// Screenshots (1280x900, full page): docs/screenshot-officer-dashboard.png,
// docs/screenshot-officer-form06.png.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../..');
const SHOTS = join(ROOT, 'docs');
const BASE = (process.env.MOTCUA_URL || 'http://127.0.0.1:8080').replace(/\/+$/, '');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const PASSWORD = process.env.MOTCUA_DEMO_PASSWORD || 'motcua-demo-2025';
const GIO_LINH = '000.00.24.H45';

let browser;
let context;
let page;
const pageErrors = [];

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
  context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh', acceptDownloads: true });
  context.setDefaultTimeout(15_000);
  page = watch(await context.newPage());
  await page.goto(BASE + '/can-bo/dang-nhap.html', { waitUntil: 'domcontentloaded' });
  await page.fill('#l-username', 'giolinh.giamsat');
  await page.fill('#l-password', PASSWORD);
  await Promise.all([page.waitForURL((u) => !/dang-nhap\.html/.test(u.pathname)), page.click('#l-submit')]);
  await page.locator('#officer-name').waitFor();
});

after(async () => {
  if (browser) await browser.close();
});

async function shot(name) {
  await page.evaluate(() => document.fonts && document.fonts.ready);
  await page.screenshot({ path: join(SHOTS, `screenshot-officer-${name}.png`), fullPage: true });
}

/** How many pixels of the canvas are painted, and in how many distinct colours. */
function paint(selector) {
  return page.locator(selector).evaluate((c) => {
    const { width, height } = c;
    const px = c.getContext('2d').getImageData(0, 0, width, height).data;
    let painted = 0;
    const colours = new Set();
    for (let i = 0; i < px.length; i += 4) {
      if (px[i + 3] === 0) continue;
      painted += 1;
      colours.add((px[i] >> 4) * 256 + (px[i + 1] >> 4) * 16 + (px[i + 2] >> 4));
    }
    return { width, height, painted, colours: colours.size };
  });
}

/** The last whole month before today, in Vietnam. */
function lastMonth() {
  const now = new Date(Date.now() + 7 * 3600 * 1000);
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  return { year: d.getUTCFullYear(), n: d.getUTCMonth() + 1 };
}

test('the officer menu links both report pages for a monitor', async () => {
  await page.goto(BASE + '/can-bo/index.html', { waitUntil: 'domcontentloaded' });
  await page.locator('#nav-dashboard').waitFor();
  assert.equal(await page.locator('#nav-dashboard').getAttribute('href'), 'thong-ke.html');
  assert.equal(await page.locator('#nav-form06').getAttribute('href'), 'bao-cao.html');

  // a desk officer has neither the links nor the page
  const other = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
  try {
    const p = watch(await other.newPage());
    await p.goto(BASE + '/can-bo/dang-nhap.html', { waitUntil: 'domcontentloaded' });
    await p.fill('#l-username', 'giomy.motcua');
    await p.fill('#l-password', PASSWORD);
    await Promise.all([p.waitForURL((u) => !/dang-nhap\.html/.test(u.pathname)), p.click('#l-submit')]);
    await p.locator('#nav-reception').waitFor();
    assert.equal(await p.locator('#nav-dashboard').count(), 0, 'no dashboard link for the desk');
    assert.equal(await p.locator('#nav-form06').count(), 0, 'no Form 06 link for the desk');
    await p.goto(BASE + '/can-bo/thong-ke.html', { waitUntil: 'domcontentloaded' });
    await p.locator('#no-permission').waitFor();
  } finally {
    await other.close();
  }
});

test('the dashboard draws its charts, flags and indicators', async () => {
  await page.goto(BASE + '/can-bo/thong-ke.html', { waitUntil: 'domcontentloaded' });
  await page.locator('body[data-dashboard="ready"]').waitFor();
  assert.equal(await page.locator('#nav-dashboard').getAttribute('aria-current'), 'page');
  for (const id of ['#chart-received', '#chart-on-time', '#chart-overdue']) {
    const p = await paint(id);
    assert.ok(p.width > 200 && p.height > 150, `${id} has a size: ${JSON.stringify(p)}`);
    assert.ok(p.painted > p.width * p.height * 0.02, `${id} is not blank: ${JSON.stringify(p)}`);
    assert.ok(p.colours >= 3, `${id} draws in colours: ${JSON.stringify(p)}`);
  }
  // twelve months of the district and its three communes in the flags table
  assert.equal(await page.locator('#db-flags thead th').count(), 13);
  assert.equal(await page.locator('#db-flags tbody tr').count(), 4);
  assert.ok(await page.locator('#db-late-table tbody tr').count() >= 1, 'procedures most often late');
  assert.equal(await page.locator('#db-sat li').count(), 3, 'the three satisfaction levels');
  // the 766 indicators, each with its formula
  await page.locator('#db-indicator-list li').first().waitFor();
  const formulas = await page.locator('#db-indicator-list .db-ind-formula').allInnerTexts();
  assert.ok(formulas.length >= 7, `${formulas.length} indicators`);
  for (const f of formulas) assert.match(f, /Cách tính: .+ = [\d.]+ \/ [\d.]+$/);
  // the warnings panel (js/officer/warnings.js) for the same unit
  await page.locator('#warnings #warnings-heading').waitFor();
  assert.equal(await page.locator('#warnings').getAttribute('data-unit'), GIO_LINH);
  // one commune alone on the chart: it is drawn again
  const before = await paint('#chart-received');
  await page.selectOption('#db-chart-unit', '000.22.24.H45');
  const after = await paint('#chart-received');
  assert.ok(after.painted > 0 && after.painted !== before.painted, 'the chart shows the commune');
  await page.selectOption('#db-chart-unit', '');
  await shot('dashboard');
  // in English
  await page.click('#lang-switch');
  await page.locator('#db-received-title').filter({ hasText: 'Dossiers received per month' }).waitFor();
  assert.ok((await paint('#chart-on-time')).painted > 0, 'the charts are drawn again in English');
  await page.click('#lang-switch');
  assert.deepEqual(pageErrors, [], 'page errors or CSP violations');
});

test('Form 06 for the demo district: numbers, drill-down, print layout and CSV', async () => {
  const { year, n } = lastMonth();
  await page.goto(`${BASE}/can-bo/bao-cao.html?unit=${GIO_LINH}&period=month&year=${year}&n=${n}`, { waitUntil: 'domcontentloaded' });
  await page.locator('body[data-report="ready"]').waitFor();
  const table = page.locator(`#f06-table-${GIO_LINH.replace(/\./g, '\\.')}`);
  await table.waitFor();
  // the numbered columns (1)…(11) and the title block
  assert.deepEqual(await table.locator('tr.f06-colno th').allInnerTexts(), ['(A)', '(B)', ...Array.from({ length: 11 }, (_, i) => `(${i + 1})`)]);
  assert.match(await page.locator('.f06-title').innerText(), /TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH/i);
  assert.ok(await table.locator('tr.f06-level').count() >= 1, 'rows grouped by level');
  const totals = await table.locator('tr.f06-total td.num').allInnerTexts();
  assert.equal(totals.length, 11);
  const received = Number(totals[0].replace(/\D/g, ''));
  assert.ok(received > 0, `the district received dossiers: ${totals}`);
  assert.equal(received, ['1', '2', '3'].reduce((a, i) => a + Number(totals[i].replace(/\D/g, '')), 0), '(1) = (2) + (3) + (4)');
  await shot('form06');

  // a number opens the list of its dossiers: as many in all as the number says
  const link = table.locator('tr.f06-total a.f06-n[data-cell="online"]');
  const count = Number(await link.getAttribute('data-n'));
  assert.ok(count > 0);
  await link.click();
  const total = page.locator('#f06-drill-total');
  await total.waitFor();
  assert.equal(Number(await total.getAttribute('data-total')), count, 'the list has as many dossiers as the cell');
  assert.equal(await page.locator('#f06-drill-table tbody tr').count(), Math.min(count, 20), 'the first page');

  // printed: the sheet alone, on A4 landscape
  await page.emulateMedia({ media: 'print' });
  const shown = (sel) => page.locator(sel).first().evaluate((el) => getComputedStyle(el).display !== 'none');
  assert.equal(await shown('#site-header'), false, 'no site header on paper');
  assert.equal(await shown('#f06-filters'), false, 'no filters on paper');
  assert.equal(await shown('#f06-actions'), false, 'no buttons on paper');
  assert.equal(await shown('#f06-drill'), false, 'no drill-down on paper');
  assert.equal(await shown('#f06-sheet'), true, 'the sheet');
  const pdf = (await page.pdf({ preferCSSPageSize: true })).toString('latin1');
  const box = /\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/.exec(pdf);
  assert.ok(box, 'the PDF has a page');
  assert.ok(Math.abs(Number(box[1]) - 842) < 3 && Math.abs(Number(box[2]) - 595) < 3, `A4 landscape: ${box[1]} x ${box[2]}`);
  await page.emulateMedia({ media: 'screen' });

  // the CSV download: UTF-8 with its BOM, so that spreadsheets read the diacritics
  const href = await page.locator('#f06-csv').getAttribute('href');
  assert.match(href, /format=csv/);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#f06-csv')]);
  const bytes = readFileSync(await download.path());
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'starts with the UTF-8 BOM');
  assert.match(bytes.toString('utf8'), /Gio Linh/);

  // a commune chosen in the form: one level, so every field's numbers open their dossiers
  await page.selectOption('#rp-unit', '000.22.24.H45');
  await Promise.all([page.waitForURL(/unit=000\.22\.24\.H45/), page.click('#f06-show')]);
  await page.locator('body[data-report="ready"]').waitFor();
  const commune = page.locator('#f06-table-000\\.22\\.24\\.H45');
  await commune.waitFor();
  assert.equal(await commune.locator('tr.f06-level').count(), 1, 'a commune has one level');
  const fieldLink = commune.locator('tr.f06-row a.f06-n[data-cell="received"]').first();
  const fieldCount = Number(await fieldLink.getAttribute('data-n'));
  const field = await fieldLink.getAttribute('data-field');
  assert.ok(fieldCount > 0 && field);
  await fieldLink.click();
  await page.locator(`#f06-drill-total[data-total="${fieldCount}"]`).waitFor();
  assert.deepEqual(pageErrors, [], 'page errors or CSP violations');
});
