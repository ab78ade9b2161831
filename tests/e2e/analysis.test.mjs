// Browser test of the late attribution and modernisation page (can-bo/phan-tich.html): for
// the province over the last twelve months, every number shown equals what
// GET /api/v1/reports/late and GET /api/v1/reports/modernisation answer for the same query
// (fetched with the page's own session), the late list pages through the dossiers and a
// dossier's code opens its page; the menu entry is there for an administrator and not for a
// desk officer; no page errors or CSP violations.
// Runs against a started stack with the demo data:
//   MOTCUA_URL   base URL (default http://127.0.0.1:8080)
// Run: node --test tests/e2e/analysis.test.mjs
// Screenshot (1280x900, full page): docs/screenshot-officer-analysis.png.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../..');
const SHOTS = join(ROOT, 'docs');
const BASE = (process.env.MOTCUA_URL || 'http://127.0.0.1:8080').replace(/\/+$/, '');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const PASSWORD = process.env.MOTCUA_DEMO_PASSWORD || 'motcua-demo-2025';
const PROVINCE = '000.00.00.H45';
const PER_PAGE = 20;

let browser;
let context;
let page;
const pageErrors = [];

function watch(p) {
  p.on('pageerror', (err) => pageErrors.push(`pageerror: ${err.message}`));
  p.on('console', (msg) => {
    const text = msg.text();
    if (msg.type() === 'error' || /Content Security Policy|Refused to (execute|apply|load)/i.test(text)) pageErrors.push(`console: ${text}`);
  });
  return p;
}

async function signIn(ctx, username) {
  const p = await ctx.newPage();   // watched once signed in: the sign-in page's 401 for /auth/me is expected
  await p.goto(BASE + '/can-bo/dang-nhap.html', { waitUntil: 'domcontentloaded' });
  await p.fill('#l-username', username);
  await p.fill('#l-password', PASSWORD);
  await Promise.all([p.waitForURL((u) => !/dang-nhap\.html/.test(u.pathname)), p.click('#l-submit')]);
  await p.locator('#officer-name').waitFor();
  return watch(p);
}

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
  context.setDefaultTimeout(20_000);
  page = await signIn(context, 'admin');
});

after(async () => {
  if (browser) await browser.close();
});

/** "1.234" (vi-VN) -> 1234; "62,7 %" -> 62.7; "–" -> null. */
function num(text) {
  const s = String(text).replace(/[\s%]/g, '').replace(/\./g, '').replace(',', '.');
  return s === '–' || s === '' ? null : Number(s);
}

/** The last twelve months up to today, in Vietnam: the page's default period. */
function lastTwelveMonths() {
  const now = new Date(Date.now() + 7 * 3600 * 1000);
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth() + 1;
  const start = new Date(Date.UTC(y, m - 12, 1));
  const iso = (d) => d.toISOString().slice(0, 10);
  return { from: iso(start), to: iso(now) };
}

/** Done minus due as the page words it in Vietnamese: "2 ngày 3 giờ", "5 giờ 12 phút", "40 phút". */
function lateBy(dueAt, doneAt) {
  const min = Math.floor((Date.parse(doneAt) - Date.parse(dueAt)) / 60000);
  if (min <= 0) return '';
  const d = Math.floor(min / 1440);
  const hh = Math.floor((min % 1440) / 60);
  return d > 0 ? `${d} ngày ${hh} giờ` : hh > 0 ? `${hh} giờ ${min % 60} phút` : `${min % 60} phút`;
}

async function apiGet(path, q) {
  const r = await page.request.get(`${BASE}/api/v1${path}?${new URLSearchParams(q)}`);
  assert.equal(r.status(), 200, `${path}: ${await r.text()}`);
  return r.json();
}

const rowsOf = (sel) => page.locator(`${sel} tbody tr`).evaluateAll((trs) => trs.map((tr) => ({
  key: tr.dataset.unit || tr.dataset.officer || tr.dataset.procedure || '',
  steps: tr.dataset.steps ? Number(tr.dataset.steps) : null,
  cells: Array.from(tr.cells).map((c) => c.innerText.trim()),
  bar: tr.querySelector('meter') ? { value: tr.querySelector('meter').value, max: tr.querySelector('meter').max, width: tr.querySelector('meter').getBoundingClientRect().width } : null,
})));

test('the menu has the page for an administrator and not for a desk officer', async () => {
  await page.goto(BASE + '/can-bo/index.html', { waitUntil: 'domcontentloaded' });
  await page.locator('#nav-analysis').waitFor();
  assert.equal(await page.locator('#nav-analysis').getAttribute('href'), 'phan-tich.html');
  assert.equal(await page.locator('#nav-analysis').innerText(), 'Trễ hạn, hiện đại hóa');

  const other = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
  try {
    const p = await signIn(other, 'giomy.motcua');
    await p.locator('#nav-reception').waitFor();
    assert.equal(await p.locator('#nav-analysis').count(), 0, 'no analysis link for the desk');
    await p.goto(BASE + '/can-bo/phan-tich.html', { waitUntil: 'domcontentloaded' });
    await p.locator('#no-permission').waitFor();
    assert.equal(await p.locator('#an-result table').count(), 0, 'no figures for the desk');
  } finally {
    await other.close();
  }
});

test('late attribution and modernisation for the province over twelve months equal the APIs', async () => {
  await page.goto(BASE + '/can-bo/phan-tich.html', { waitUntil: 'domcontentloaded' });
  await page.locator('body[data-analysis="ready"]').waitFor();
  assert.equal(await page.locator('#nav-analysis').getAttribute('aria-current'), 'page');

  // the default query: the officer's unit (the province) over the last twelve months
  const scope = page.locator('#an-scope');
  const q = { unit: await scope.getAttribute('data-unit'), from: await scope.getAttribute('data-from'), to: await scope.getAttribute('data-to') };
  assert.equal(q.unit, PROVINCE);
  assert.deepEqual({ from: q.from, to: q.to }, lastTwelveMonths());
  const [from, to] = [q.from, q.to].map((d) => d.split('-').reverse().join('/'));
  assert.match(await scope.innerText(), new RegExp(`Quảng Trị · ${from} – ${to}$`), 'the period in dd/mm/yyyy');
  assert.equal(await page.locator('#rp-unit').inputValue(), PROVINCE);

  const late = await apiGet('/reports/late', { ...q, page: 1, per_page: PER_PAGE });
  const mod = await apiGet('/reports/modernisation', q);
  assert.ok(late.total > PER_PAGE, `enough late dossiers to page through: ${late.total}`);
  assert.ok(late.by_officer.length > 10, 'more officers than the first ten');

  // totals by unit: every unit of the API, in its order (most late steps first), with a bar
  const byUnit = await rowsOf('#an-by-unit');
  assert.equal(byUnit.length, Math.min(late.by_unit.length, 10));
  byUnit.forEach((r, i) => {
    assert.equal(r.key, late.by_unit[i].unit.code);
    assert.equal(r.cells[1], late.by_unit[i].unit.name);
    assert.equal(num(r.cells[2]), late.by_unit[i].late_steps, `late steps of ${r.key}`);
    if (i > 0) assert.ok(r.steps <= byUnit[i - 1].steps, 'sorted by late steps');
  });
  // the bars: each a <meter> worth its late steps out of the first row's
  byUnit.forEach((r, i) => {
    assert.deepEqual([r.bar.value, r.bar.max], [late.by_unit[i].late_steps, late.by_unit[0].late_steps], `bar of ${r.key}`);
    assert.ok(r.bar.width > 50, `the bar of ${r.key} is drawn: ${r.bar.width}px`);
  });

  // totals by officer: the first ten, then all of them
  let byOfficer = await rowsOf('#an-by-officer');
  assert.equal(byOfficer.length, 10);
  await page.click('#an-more-officer');
  byOfficer = await rowsOf('#an-by-officer');
  assert.equal(byOfficer.length, late.by_officer.length, 'all the officers');
  byOfficer.forEach((r, i) => {
    const o = late.by_officer[i];
    assert.equal(r.key, o.officer.username);
    assert.ok(r.cells[1].startsWith(o.officer.full_name || o.officer.username), `officer ${r.cells[1]}`);
    assert.equal(r.cells[2], o.unit.name);
    assert.equal(num(r.cells[3]), o.late_steps);
  });

  // the late list: the first page, one row per late step, as the API gives them
  assert.equal(Number(await page.locator('#an-late-total').getAttribute('data-total')), late.total);
  const steps = await page.locator('#an-late tbody tr').evaluateAll((trs) => trs.map((tr) => ({ code: tr.dataset.code, step: tr.dataset.step, cells: Array.from(tr.cells).map((c) => c.innerText.trim()) })));
  // a dossier late as a whole with no step past its own due time has one row saying so
  const expected = late.items.flatMap((d) => (d.late_steps.length ? d.late_steps.map((s) => ({ code: d.code, s })) : [{ code: d.code, s: null, d }]));
  assert.equal(steps.length, expected.length, 'a row per late step');
  const fmt = (iso) => new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    .format(new Date(iso)).replace(',', '');
  steps.forEach((r, i) => {
    const { code, s, d: whole } = expected[i];
    assert.equal(r.code, code);
    if (!s) {
      assert.equal(r.step, '');
      assert.match(r.cells.at(-2), /Không bước nào trễ so với hạn của bước/);
      assert.equal(r.cells.at(-1), lateBy(whole.due_at, whole.finished_at), `late by, ${code}`);
      return;
    }
    assert.equal(r.step, String(s.step_seq));
    const c = r.cells.slice(-6);   // the dossier's own cells only on its first row
    assert.equal(c[0], `${s.step_seq}. ${s.step_name}`);
    assert.equal(c[1], s.unit.name);
    assert.equal(c[2], s.officer.full_name || s.officer.username);
    assert.equal(c[3], s.due_at ? fmt(s.due_at) : '–');
    assert.equal(c[4], fmt(s.done_at));
    if (s.due_at) assert.equal(c[5], lateBy(s.due_at, s.done_at), `late by, ${code} step ${s.step_seq}`);
  });
  const codes = await page.locator('#an-late a.an-code').allInnerTexts();
  assert.deepEqual(codes, late.items.map((d) => d.code), 'each dossier once, in the API order');

  // modernisation figures
  const text = (id) => page.locator(`#${id} .an-figure-value`).innerText();
  assert.equal(num(await text('an-sig-made')), mod.signatures.made);
  assert.equal(num(await text('an-sig-results')), mod.signatures.results);
  assert.equal(num(await text('an-sig-signed')), mod.signatures.results_signed);
  assert.equal(num(await text('an-sig-share')), mod.signatures.share);
  assert.equal(num(await text('an-postal-received')), mod.postal.received);
  assert.equal(num(await text('an-postal-returned')), mod.postal.returned);
  assert.equal(num(await text('an-dig-dossiers')), mod.digitized.dossiers);
  assert.equal(num(await text('an-dig-received')), mod.digitized.received);
  assert.equal(num(await text('an-dig-share')), mod.digitized.share);
  assert.ok(mod.digitized.received > 0 && mod.online_by_procedure.length > 20, 'the demo data has figures');

  // online submissions per procedure: the first twenty, then all, sorted by the online count
  assert.equal((await rowsOf('#an-online')).length, 20);
  await page.click('#an-more-online');
  const online = await rowsOf('#an-online');
  const byProc = new Map(mod.online_by_procedure.map((x) => [x.procedure.code, x]));
  assert.equal(online.length, mod.online_by_procedure.length);
  online.forEach((r, i) => {
    const x = byProc.get(r.key);
    assert.ok(x, `procedure ${r.key} is in the API's answer`);
    assert.equal(num(r.cells[2]), x.online);
    assert.equal(num(r.cells[3]), x.total);
    assert.equal(num(r.cells[4]), x.total ? Math.round((x.online * 1000) / x.total) / 10 : null, `share of ${r.key}`);
    assert.equal(r.bar.value, x.total ? Math.round((x.online * 1000) / x.total) / 10 : 0, `bar of ${r.key}`);
    assert.equal(r.bar.max, 100);
    if (i > 0) assert.ok(x.online <= num(online[i - 1].cells[2]), 'sorted by the online count');
  });
  await page.click('#an-more-officer');   // the screenshot with the short lists
  await page.click('#an-more-online');
  await page.evaluate(() => document.fonts && document.fonts.ready);
  await page.screenshot({ path: join(SHOTS, 'screenshot-officer-analysis.png'), fullPage: true });
  assert.deepEqual(pageErrors, [], 'page errors or CSP violations');
});

test('the late list pages through the dossiers and a code opens the dossier', async () => {
  await page.goto(BASE + '/can-bo/phan-tich.html', { waitUntil: 'domcontentloaded' });
  await page.locator('body[data-analysis="ready"]').waitFor();
  const scope = page.locator('#an-scope');
  const q = { unit: await scope.getAttribute('data-unit'), from: await scope.getAttribute('data-from'), to: await scope.getAttribute('data-to') };
  const second = await apiGet('/reports/late', { ...q, page: 2, per_page: PER_PAGE });
  const firstCodes = await page.locator('#an-late a.an-code').allInnerTexts();

  await page.locator('#an-list .pager a[data-page="2"]').first().click();
  await page.locator('#an-list .pager a.current[data-page="2"]').waitFor();
  await page.locator('body[data-analysis="ready"]').waitFor();
  const codes = await page.locator('#an-late a.an-code').allInnerTexts();
  assert.deepEqual(codes, second.items.map((d) => d.code), 'the second page is the API\'s second page');
  assert.ok(!codes.some((c) => firstCodes.includes(c)), 'no dossier on both pages');
  assert.equal(await page.locator('#an-late tbody tr td.num').first().innerText(), String(PER_PAGE + 1), 'numbered on from the first page');
  assert.match(page.url(), /[?&]page=2(&|$)/, 'the page is in the URL');

  // the page kept in the URL is shown again after a reload
  await page.reload({ waitUntil: 'domcontentloaded' });
  await page.locator('body[data-analysis="ready"]').waitFor();
  assert.deepEqual(await page.locator('#an-late a.an-code').allInnerTexts(), codes);

  const code = codes[0];
  const link = page.locator('#an-late a.an-code').first();
  assert.equal(await link.getAttribute('href'), `ho-so.html?code=${encodeURIComponent(code)}`);
  await Promise.all([page.waitForURL(/\/can-bo\/ho-so\.html\?code=/), link.click()]);
  await page.locator('#ds-code').waitFor();
  assert.equal(await page.locator('#ds-code').innerText(), code, 'the dossier page of that code');

  // a dossier late as a whole though no step went past its own due time: its page says so
  let whole = null;
  for (let p = 1, seen = 0; !whole; p += 1) {
    const r = await apiGet('/reports/late', { ...q, page: p, per_page: 200 });
    const i = r.items.findIndex((d) => d.late_steps.length === 0);
    if (i >= 0) whole = { d: r.items[i], page: Math.floor((seen + i) / PER_PAGE) + 1 };
    seen += r.items.length;
    if (!r.items.length || seen >= r.total) break;
  }
  if (whole) {
    await page.goto(`${BASE}/can-bo/phan-tich.html?page=${whole.page}`, { waitUntil: 'domcontentloaded' });
    await page.locator('body[data-analysis="ready"]').waitFor();
    const row = page.locator(`#an-late tbody tr[data-code="${whole.d.code}"]`);
    assert.equal(await row.count(), 1, 'one row for the dossier');
    assert.match(await row.locator('td.an-no-step').innerText(), /Không bước nào trễ so với hạn của bước/);
    assert.equal(await row.locator('td.an-late-by').innerText(), lateBy(whole.d.due_at, whole.d.finished_at));
  }
  assert.deepEqual(pageErrors, [], 'page errors or CSP violations');
});

test('in English, then back to Vietnamese', async () => {
  await page.goto(BASE + '/can-bo/phan-tich.html', { waitUntil: 'domcontentloaded' });
  await page.locator('body[data-analysis="ready"]').waitFor();
  assert.equal(await page.locator('#an-late-title').innerText(), 'Trễ hạn do đâu');
  await page.click('#lang-switch');
  await page.locator('#an-late-title').filter({ hasText: 'Where the time was lost' }).waitFor();
  assert.equal(await page.locator('#an-mod-title').innerText(), 'Modernisation');
  assert.equal(await page.locator('#nav-analysis').innerText(), 'Lateness, modernisation');
  await page.click('#lang-switch');
  await page.locator('#an-late-title').filter({ hasText: 'Trễ hạn do đâu' }).waitFor();
  assert.deepEqual(pageErrors, [], 'page errors or CSP violations');
});
