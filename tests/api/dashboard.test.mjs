// The managers' dashboard, GET /api/v1/reports/dashboard: its numbers agree with Form 06
// for the same period (received online + direct + postal, resolved, on time, overdue), a
// commune whose online dossiers triple, fall to a third or stop is flagged on that month,
// only monitors, leaders and admins may read it and only for their own units, bad input is
// a 400 naming the parameter. Also: the chart library the page loads is the one the lock
// file pins, and it needs no eval (the CSP forbids it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { assertProblem, ROOT } from './helpers.mjs';
import { login, receive, call, raw, sql, q, UNITS } from './lib/officer.mjs';

const enc = encodeURIComponent;

function dashboard(session, query) {
  return call(session, 'GET', `/api/v1/reports/dashboard?${new URLSearchParams(query)}`);
}

async function dashboardOk(session, query) {
  const r = await dashboard(session, query);
  assert.equal(r.status, 200, `dashboard ${JSON.stringify(query)}: ${r.status} ${r.text.slice(0, 300)}`);
  return r.json;
}

/** The last complete quarter before today (local days), where the demo data is dense. */
function lastQuarter() {
  const now = new Date(Date.now() + 7 * 3600 * 1000);
  let y = now.getUTCFullYear();
  let qn = Math.floor(now.getUTCMonth() / 3);          // the current quarter, 0-based
  if (qn === 0) { qn = 4; y -= 1; }
  const m1 = 3 * qn - 2;
  const last = new Date(Date.UTC(y, 3 * qn, 0)).getUTCDate();
  const p = (n) => String(n).padStart(2, '0');
  return { from: `${y}-${p(m1)}-01`, to: `${y}-${p(3 * qn)}-${p(last)}`, months: [m1, m1 + 1, m1 + 2].map((m) => `${y}-${p(m)}`) };
}

const sum = (xs, f) => xs.reduce((a, x) => a + f(x), 0);

test('the dashboard has every month of the period and the agreed shape', async () => {
  const s = await login('giolinh.giamsat');
  const period = lastQuarter();
  const d = await dashboardOk(s, { unit: UNITS.gioLinh, from: period.from, to: period.to });
  assert.deepEqual(d.unit.code, UNITS.gioLinh);
  assert.equal(d.from, period.from);
  assert.equal(d.to, period.to);
  assert.deepEqual(d.months.map((m) => m.month), period.months);
  for (const m of d.months) {
    for (const k of ['online', 'direct', 'postal']) assert.ok(Number.isInteger(m[k]) && m[k] >= 0, `${m.month}.${k}`);
    const all = m.online + m.direct + m.postal;
    assert.ok(all > 0, `demo data has dossiers in ${m.month}`);
    assert.equal(m.online_share, Math.floor((m.online * 1000) / all) / 10, `${m.month} online share`);
  }
  assert.ok(d.units.length >= 2, 'the district and its communes');
  for (const u of d.units) {
    assert.match(u.unit.code, /\.24\.H45$|^000\.\d\d\.24\.H45$/, `${u.unit.code} is in Gio Linh`);
    assert.deepEqual(u.months.map((m) => m.month), period.months);
    for (const m of u.months) assert.ok(m.flag === null || ['jump', 'drop', 'zero'].includes(m.flag));
  }
  // per-unit months add up to the totals
  d.months.forEach((m, i) => {
    for (const k of ['online', 'direct', 'postal']) assert.equal(sum(d.units, (u) => u.months[i][k]), m[k], `${m.month}.${k} summed over units`);
  });
  assert.deepEqual(d.on_time_rate.map((m) => m.month), period.months);
  for (const m of d.on_time_rate) assert.ok(m.rate === null || (m.rate >= 0 && m.rate <= 100));
  assert.ok(Array.isArray(d.overdue_by_unit));
  assert.ok(d.most_late_procedures.length <= 10);
  for (let i = 1; i < d.most_late_procedures.length; i++) {
    assert.ok(d.most_late_procedures[i - 1].late >= d.most_late_procedures[i].late, 'most late first');
  }
  for (const p of d.most_late_procedures) assert.ok(p.late > 0 && p.late <= p.resolved);
  const sat = d.satisfaction;
  assert.equal(sat.ratings, sat.very_satisfied + sat.satisfied + sat.not_satisfied);
});

/** The current month up to today (local days): a period no month-closing has frozen. */
function thisMonth() {
  const now = new Date(Date.now() + 7 * 3600 * 1000).toISOString().slice(0, 10);
  return { from: `${now.slice(0, 8)}01`, to: now };
}

for (const [name, periodOf] of [['the last quarter', lastQuarter], ['this month so far', thisMonth]]) {
  test(`received, resolved, on time and overdue agree with Form 06 (${name})`, async () => {
    const s = await login('giolinh.giamsat');
    const { from, to } = periodOf();
    const d = await dashboardOk(s, { unit: UNITS.gioLinh, from, to });
    const query = `unit=${enc(UNITS.gioLinh)}&from=${from}&to=${to}`;
    const f = await call(s, 'GET', `/api/v1/reports/form06?${query}`);
    assert.equal(f.status, 200, f.text.slice(0, 300));
    assert.equal(f.json.tables.length, 1, 'rolled up: one table');
    const total = f.json.tables[0].total;
    assert.equal(sum(d.months, (m) => m.online), total.received.online, 'online');
    assert.equal(sum(d.months, (m) => m.direct + m.postal), total.received.direct_postal, 'direct and postal');
    assert.equal(sum(d.on_time_rate, (m) => m.resolved), total.resolved.total, 'resolved');
    assert.equal(sum(d.on_time_rate, (m) => m.in_time), total.resolved.before + total.resolved.on_time, 'before or on time');
    assert.ok(sum(d.most_late_procedures, (p) => p.late) <= total.resolved.late, 'late per procedure within late');
    // overdue at the end of the period: the dossiers Form 06 lists in that cell
    const list = await call(s, 'GET', `/api/v1/reports/form06/dossiers?${query}&cell=overdue&per_page=100`);
    assert.equal(list.status, 200, list.text.slice(0, 300));
    assert.equal(sum(d.overdue_by_unit, (u) => u.overdue), list.json.total, 'overdue, as Form 06 lists them');
    if (!f.json.frozen) assert.equal(sum(d.overdue_by_unit, (u) => u.overdue), total.in_process.overdue, 'overdue, as Form 06 counts them');
    // each procedure most often late: its late and finished dossiers as Form 06 counts them for it
    for (const p of d.most_late_procedures.slice(0, 3)) {
      const fp = await call(s, 'GET', `/api/v1/reports/form06?${query}&procedure=${enc(p.procedure.code)}`);
      assert.equal(fp.status, 200, fp.text.slice(0, 300));
      assert.equal(p.late, fp.json.tables[0].total.resolved.late, `${p.procedure.code} late`);
      assert.equal(p.resolved, fp.json.tables[0].total.resolved.total, `${p.procedure.code} finished`);
    }
  });
}

test('a commune whose online dossiers triple, fall to a third or stop is flagged that month', async () => {
  // Ten dossiers received at Gio Mỹ, moved by SQL to early 2023 (no demo data there) as
  // online ones, finished the next day so that they weigh on no later period:
  // December 2022 none, January 2, February 6 (x3: jump), March 2 (a third: drop),
  // April none (zero), May none (nothing to flag).
  const desk = await login('giomy.motcua');
  const months = { '2023-01': 2, '2023-02': 6, '2023-03': 2 };
  // a dossier left in the period by an earlier run goes away first (to 2001)
  sql(`UPDATE dossiers d JOIN units u ON u.id = d.unit_id SET d.received_at = '2001-01-15 02:00:00', d.finished_at = '2001-01-16 02:00:00', d.due_at = '2001-01-20 02:00:00' WHERE u.code = ${q(UNITS.gioMy)} AND d.received_at >= '2022-11-30 17:00:00' AND d.received_at < '2023-05-31 17:00:00'`);
  for (const [month, n] of Object.entries(months)) {
    for (let i = 0; i < n; i++) {
      const r = await receive(desk);
      const at = `${month}-${String(10 + i).padStart(2, '0')} 02:00:00`;
      sql(`UPDATE dossiers SET channel = 'online', state = 'withdrawn', received_at = ${q(at)}, submitted_at = ${q(at)}, due_at = ${q(at)} + INTERVAL 5 DAY, finished_at = ${q(at)} + INTERVAL 1 DAY WHERE code = ${q(r.code)}`);
    }
  }
  const s = await login('giolinh.giamsat');
  const d = await dashboardOk(s, { unit: UNITS.gioLinh, from: '2023-01-01', to: '2023-05-31' });
  const u = d.units.find((x) => x.unit.code === UNITS.gioMy);
  assert.ok(u, 'Gio Mỹ has a series');
  assert.deepEqual(u.months.map((m) => [m.month, m.online, m.flag]), [
    ['2023-01', 2, null],
    ['2023-02', 6, 'jump'],
    ['2023-03', 2, 'drop'],
    ['2023-04', 0, 'zero'],
    ['2023-05', 0, null],
  ]);
  assert.deepEqual(d.months.map((m) => m.online_share), [100, 100, 100, null, null]);
  // withdrawn counts as on time
  assert.deepEqual(d.on_time_rate.map((m) => m.rate), [100, 100, 100, null, null]);
  // the same period seen from Gio Mỹ alone: the same flags
  const own = await dashboardOk(s, { unit: UNITS.gioMy, from: '2023-01-01', to: '2023-05-31' });
  assert.deepEqual(own.units.map((x) => x.unit.code), [UNITS.gioMy]);
  assert.deepEqual(own.units[0].months.map((m) => m.flag), [null, 'jump', 'drop', 'zero', null]);
  // from the 15th, January has no whole month before it to compare with: no flag there
  const mid = await dashboardOk(s, { unit: UNITS.gioMy, from: '2023-02-15', to: '2023-03-31' });
  assert.deepEqual(mid.units[0].months.map((m) => [m.month, m.online, m.flag]), [['2023-02', 1, null], ['2023-03', 2, null]]);
});

test('direct and postal receptions are told apart, and a correction shows at once', async () => {
  // Three dossiers received at Gio Mỹ, moved by SQL into June 2021 (no other dossier
  // there), finished the next day: two by post, one at the desk.
  const desk = await login('giomy.motcua');
  sql(`UPDATE dossiers d JOIN units u ON u.id = d.unit_id SET d.received_at = '2001-02-15 02:00:00', d.finished_at = '2001-02-16 02:00:00', d.due_at = '2001-02-20 02:00:00' WHERE u.code = ${q(UNITS.gioMy)} AND d.received_at >= '2021-05-31 17:00:00' AND d.received_at < '2021-06-30 17:00:00'`);
  const codes = [];
  for (const [i, channel] of ['postal', 'postal', 'direct'].entries()) {
    const r = await receive(desk);
    const at = `2021-06-${String(10 + i).padStart(2, '0')} 02:00:00`;
    sql(`UPDATE dossiers SET channel = ${q(channel)}, state = 'withdrawn', received_at = ${q(at)}, submitted_at = ${q(at)}, due_at = ${q(at)} + INTERVAL 5 DAY, finished_at = ${q(at)} + INTERVAL 1 DAY WHERE code = ${q(r.code)}`);
    codes.push(r.code);
  }
  const s = await login('giolinh.giamsat');
  const june = async (from) => {
    const d = await dashboardOk(s, { unit: UNITS.gioLinh, from, to: '2021-06-30' });
    const u = d.units.find((x) => x.unit.code === UNITS.gioMy);
    assert.ok(u, 'Gio Mỹ has a series');
    const m = u.months[0];
    assert.deepEqual([d.months[0].online, d.months[0].direct, d.months[0].postal], [m.online, m.direct, m.postal], 'Gio Mỹ is the district\'s only unit with dossiers then');
    return [m.online, m.direct, m.postal];
  };
  // the whole month (month totals) and from the 2nd (day totals)
  assert.deepEqual(await june('2021-06-01'), [0, 1, 2], 'one direct, two by post');
  assert.deepEqual(await june('2021-06-02'), [0, 1, 2], 'the same from the day totals');
  // a reception corrected from post to the desk moves at once (nothing is cached)
  sql(`UPDATE dossiers SET channel = 'direct' WHERE code = ${q(codes[0])}`);
  assert.deepEqual(await june('2021-06-01'), [0, 2, 1], 'corrected: two direct, one by post');
  assert.deepEqual(await june('2021-06-02'), [0, 2, 1], 'corrected, from the day totals');
  // a refused dossier counts nowhere
  sql(`UPDATE dossiers SET state = 'refused' WHERE code = ${q(codes[1])}`);
  assert.deepEqual(await june('2021-06-01'), [0, 2, 0], 'the refused postal dossier is gone');
});

test('the procedures most often late come alike from whole months and from days, and a correction shows at once', async () => {
  // Three dossiers of one procedure received at Gio Mỹ, moved by SQL into March 2021 (no
  // other dossier there) and resolved: two long after their due day, one before it.
  const desk = await login('giomy.motcua');
  sql(`UPDATE dossiers d JOIN units u ON u.id = d.unit_id SET d.received_at = '2001-02-15 02:00:00', d.finished_at = '2001-02-16 02:00:00', d.due_at = '2001-02-20 02:00:00' WHERE u.code = ${q(UNITS.gioMy)} AND d.received_at >= '2021-02-28 17:00:00' AND d.received_at < '2021-03-31 17:00:00'`);
  const codes = [];
  for (const [i, late] of [true, true, false].entries()) {
    const r = await receive(desk);
    const at = `2021-03-${String(10 + i).padStart(2, '0')} 02:00:00`;
    sql(`UPDATE dossiers SET state = 'resolved', received_at = ${q(at)}, submitted_at = ${q(at)}, due_at = ${q(at)} + INTERVAL 3 DAY, finished_at = ${q(at)} + INTERVAL ${late ? 9 : 1} DAY WHERE code = ${q(r.code)}`);
    codes.push(r.code);
  }
  const procs = sql(`SELECT DISTINCT p.code FROM dossiers d JOIN procedures p ON p.id = d.procedure_id WHERE d.code IN (${codes.map(q).join(', ')})`);
  assert.equal(procs.length, 1, 'the desk receives one procedure by default');
  const code = procs[0][0];
  const s = await login('giolinh.giamsat');
  const march = async (from) => {
    const d = await dashboardOk(s, { unit: UNITS.gioLinh, from, to: '2021-03-31' });
    return d.most_late_procedures.map((p) => [p.procedure.code, p.late, p.resolved]);
  };
  // the whole month (month totals per procedure) and from the 2nd (day totals)
  assert.deepEqual(await march('2021-03-01'), [[code, 2, 3]], 'two of three late');
  assert.deepEqual(await march('2021-03-02'), [[code, 2, 3]], 'the same from the day totals');
  // a finish corrected to before the due day moves at once
  sql(`UPDATE dossiers SET finished_at = received_at + INTERVAL 1 DAY WHERE code = ${q(codes[0])}`);
  assert.deepEqual(await march('2021-03-01'), [[code, 1, 3]], 'corrected: one late');
  assert.deepEqual(await march('2021-03-02'), [[code, 1, 3]], 'corrected, from the day totals');
  // a withdrawn dossier is finished on time, not late; none late leaves the list empty
  sql(`UPDATE dossiers SET state = 'withdrawn' WHERE code = ${q(codes[1])}`);
  assert.deepEqual(await march('2021-03-01'), [], 'no procedure late any more');
  assert.deepEqual(await march('2021-03-02'), [], 'none from the day totals either');
});

test('only monitors, leaders and admins, and only for their own units', async () => {
  const anon = await raw('GET', '/api/v1/reports/dashboard');
  assertProblem(anon, 401, { where: 'no session' });
  const desk = await login('giomy.motcua');
  assertProblem(await dashboard(desk, {}), 403, { where: 'desk officer' });
  const specialist = await login('giomy.chuyenvien');
  assertProblem(await dashboard(specialist, {}), 403, { where: 'specialist' });

  const leader = await login('giomy.lanhdao');
  const own = await dashboardOk(leader, {});
  assert.equal(own.unit.code, UNITS.gioMy, 'without unit: the officer\'s own');
  assert.equal(own.months.length, 12, 'without a period: the last twelve months');
  assertProblem(await dashboard(leader, { unit: UNITS.gioLinh }), 404, { field: 'unit', where: 'the leader\'s parent unit' });

  const monitor = await login('giolinh.giamsat');
  assertProblem(await dashboard(monitor, { unit: UNITS.dongHa }), 404, { field: 'unit', where: 'another district' });
  assertProblem(await dashboard(monitor, { unit: '999.99.99.H99' }), 404, { field: 'unit', where: 'no such unit' });
  const admin = await login('admin');
  const all = await dashboardOk(admin, { unit: UNITS.province });
  assert.ok(all.units.some((u) => u.unit.code === UNITS.dongHaWard) && all.units.some((u) => u.unit.code === UNITS.gioMy), 'the whole province');
});

test('bad input is a 400 naming the parameter', async () => {
  const s = await login('giolinh.giamsat');
  const cases = [
    [{ from: '2026-02-30' }, 'from'],
    [{ from: '2026-1-01' }, 'from'],
    [{ to: '2026-01-01T00:00' }, 'to'],
    [{ from: '2026-03-01', to: '2026-02-28' }, 'to'],
    [{ from: '2020-01-01', to: '2025-12-31' }, 'from'],
    [{ unit: "x' OR 1=1" }, 'unit'],
    [{ colour: 'red' }, 'colour'],
  ];
  for (const [query, field] of cases) {
    assertProblem(await dashboard(s, query), 400, { field, where: JSON.stringify(query) });
  }
});

test('the page loads the Chart.js the lock file pins, served under the strict CSP', async () => {
  const vendored = join(ROOT, 'www/vendor/chart.umd.js');
  const pinned = join(ROOT, 'node_modules/chart.js/dist/chart.umd.js');
  assert.ok(existsSync(vendored), 'www/vendor/chart.umd.js');
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8'));
  const version = lock.packages['node_modules/chart.js'].version;
  const body = readFileSync(vendored, 'utf8');
  assert.match(body.slice(0, 200), new RegExp(`Chart\\.js v${version.replace(/\./g, '\\.')}`), 'the vendored copy is the locked version');
  if (existsSync(pinned)) assert.equal(body, readFileSync(pinned, 'utf8'), 'the vendored copy is node_modules\' (make build copies it)');
  assert.ok(!/\beval\(|new Function\(/.test(body), 'no eval: script-src \'self\' forbids it');
  const r = await raw('GET', '/vendor/chart.umd.js');
  assert.equal(r.status, 200);
  assert.match(r.type, /javascript/);
  assert.match(r.headers.get('content-security-policy') || '', /script-src 'self'/);
  const page = await raw('GET', '/can-bo/thong-ke.html');
  assert.equal(page.status, 200);
  assert.match(page.text, /<script src="\.\.\/vendor\/chart\.umd\.js" defer><\/script>/);
  assert.match(page.text, /<section id="warnings"[^>]*><\/section>/);
  assert.match(page.text, /<script type="module" src="\.\.\/js\/officer\/warnings\.js"><\/script>/);
});
