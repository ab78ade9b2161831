// The Decision 766 indicators, late attribution and modernisation figures
// (GET /api/v1/reports/indicators, /late, /modernisation). Each figure is checked against
// the same count made here, independently, in SQL: over the demo data, over the exactness
// fixture (whose on-time rate DOMAIN.md's figures give), and over a case built step by
// step through the API (receptions, an online and a desk payment, a result handed over and
// rated, feedback answered and overdue, a step finished late); the on-time rate and the
// online share are also Form 06's own cells for the same unit and days (they are read from
// its statistics); then roles, scope and bad input.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { VAR, assertProblem } from './helpers.mjs';
import { login, call, raw, sql, q, receive, actOk, getDossier, vnDate, UNITS } from './lib/officer.mjs';
import { DISTRICT, COMMUNES, FROM, TO, EXPECTED, MONITOR, load } from './lib/fixture.mjs';

const enc = encodeURIComponent;
const KEYS = ['on_time_rate', 'online_submission_share', 'online_procedures_used_share', 'online_payment_share',
  'digitization_share', 'satisfaction_rate', 'feedback_on_time_rate'];
let admin;

before(async () => {
  load();
  admin = await login('admin');
});

/** YYYY-MM-DD of the local day `days` from today. */
function day(days) {
  return vnDate(Date.now() + days * 86400000);
}

async function report(session, what, query) {
  const r = await call(session, 'GET', `/api/v1/reports/${what}?${query}`);
  assert.equal(r.status, 200, `${what}?${query}: ${r.status} ${r.text.slice(0, 300)}`);
  return r.json;
}

async function indicators(session, query) {
  const body = await report(session, 'indicators', query);
  assert.deepEqual(body.indicators.map((i) => i.key), KEYS, 'the indicators, in order');
  for (const i of body.indicators) {
    for (const k of ['name_vi', 'name_en', 'formula_vi', 'formula_en']) {
      assert.equal(typeof i[k], 'string', `${i.key}.${k}`);
      assert.ok(i[k].length > 10, `${i.key}.${k} is empty`);
    }
    assert.match(i.formula_vi, /[À-ỹĐđ]/u, `${i.key}: the Vietnamese formula`);
    assert.match(i.formula_en, /×\s*100/, `${i.key}: the English formula`);
    const want = i.denominator > 0 ? Math.floor((i.numerator * 1000) / i.denominator) / 10 : null;
    assert.equal(i.value, want, `${i.key}: value of ${i.numerator}/${i.denominator}`);
  }
  return Object.fromEntries(body.indicators.map((i) => [i.key, i]));
}

/* ---------------------------------------------------------------- the same counts in SQL */

/** [from, to) in UTC for local days from..to (both included), as SQL expressions. */
function bounds(from, to) {
  return [`(TIMESTAMP(${q(from)}) - INTERVAL 7 HOUR)`, `(TIMESTAMP(${q(to)}) + INTERVAL 17 HOUR)`];
}

const SCOPE = (alias, unit) => `${alias}.unit_id IN (SELECT id FROM units WHERE path LIKE CONCAT((SELECT path FROM units WHERE code = ${q(unit)}), '%'))`;

function pair(query) {
  const [[a, b]] = sql(query);
  return [Number(a || 0), Number(b || 0)];
}

/** Every indicator's [numerator, denominator], counted here. */
function expectedIndicators(unit, from, to) {
  const [F, T] = bounds(from, to);
  const counted = "d.received_at IS NOT NULL AND d.state NOT IN ('refused', 'not_accepted', 'submitted')";
  const allFiles = `EXISTS (SELECT 1 FROM dossier_documents x WHERE x.dossier_id = d.id)
    AND NOT EXISTS (SELECT 1 FROM dossier_documents x WHERE x.dossier_id = d.id AND (x.file_sha256 IS NULL OR x.paper_only = 1))`;
  const hasResults = Number(sql("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'dossier_results'")[0][0]) > 0;
  const out = {};
  let [den, num] = pair(`SELECT COUNT(*), SUM(d.state = 'withdrawn' OR DATE(d.finished_at + INTERVAL 7 HOUR) <= DATE(d.due_at + INTERVAL 7 HOUR))
    FROM dossiers d WHERE ${SCOPE('d', unit)} AND ${counted} AND d.state IN ('resolved', 'returned', 'withdrawn')
    AND d.finished_at >= ${F} AND d.finished_at < ${T}`);
  out.on_time_rate = [num, den];
  [den, num] = pair(`SELECT COUNT(*), SUM(d.channel = 'online') FROM dossiers d
    WHERE ${SCOPE('d', unit)} AND ${counted} AND d.received_at >= ${F} AND d.received_at < ${T}`);
  out.online_submission_share = [num, den];
  // procedures: fully online, with an online way, at a level of the subtree's units
  const levels = sql(`SELECT DISTINCT level FROM units u WHERE ${SCOPE('u', unit).replace('u.unit_id', 'u.id')}`).map((r) => r[0]);
  const full = sql(`SELECT p.id, p.level_province, p.level_district, p.level_commune FROM procedures p
    WHERE p.published = 1 AND p.service_level = 'full'
    AND EXISTS (SELECT 1 FROM procedure_channels c WHERE c.procedure_id = p.id AND c.channel = 'online')`)
    .filter(([, lp, ld, lc]) => (levels.includes('province') && lp === '1') || (levels.includes('district') && ld === '1')
      || (levels.includes('commune') && lc === '1')).map((r) => r[0]);
  const used = new Set(sql(`SELECT DISTINCT d.procedure_id FROM dossiers d WHERE ${SCOPE('d', unit)}
    AND d.channel = 'online' AND d.submitted_at >= ${F} AND d.submitted_at < ${T}`).map((r) => r[0]));
  out.online_procedures_used_share = [full.filter((id) => used.has(id)).length, full.length];
  [den, num] = pair(`SELECT COUNT(*), SUM(EXISTS (SELECT 1 FROM payment_receipts r WHERE r.dossier_id = e.dossier_id))
    FROM dossier_events e JOIN dossiers d ON d.id = e.dossier_id
    WHERE ${SCOPE('d', unit)} AND e.action = 'pay' AND e.at >= ${F} AND e.at < ${T}`);
  out.online_payment_share = [num, den];
  [den, num] = pair(`SELECT COUNT(*), SUM(${allFiles} ${hasResults ? 'AND EXISTS (SELECT 1 FROM dossier_results r WHERE r.dossier_id = d.id)' : ''})
    FROM dossiers d WHERE ${SCOPE('d', unit)} AND ${counted} AND d.state IN ('resolved', 'returned')
    AND d.finished_at >= ${F} AND d.finished_at < ${T}`);
  out.digitization_share = [num, den];
  [den, num] = pair(`SELECT COUNT(*), SUM(r.overall IN ('very_satisfied', 'satisfied')) FROM dossier_ratings r
    WHERE ${SCOPE('r', unit)} AND r.rated_at >= ${F} AND r.rated_at < ${T}`);
  out.satisfaction_rate = [num, den];
  [den, num] = pair(`SELECT COUNT(*), SUM(f.answered_at IS NOT NULL AND f.answered_at <= f.due_at) FROM feedback f
    WHERE ${SCOPE('f', unit)} AND f.due_at >= ${F} AND f.due_at < ${T} AND (f.due_at <= UTC_TIMESTAMP() OR f.answered_at IS NOT NULL)`);
  out.feedback_on_time_rate = [num, den];
  return out;
}

function assertMatchesSql(got, unit, from, to, where) {
  const want = expectedIndicators(unit, from, to);
  for (const k of KEYS) {
    assert.deepEqual([got[k].numerator, got[k].denominator], want[k], `${where}: ${k} (numerator, denominator)`);
  }
}

/* ---------------------------------------------------------------- indicators */

test('indicators over the demo data: each is the count made independently in SQL', async () => {
  for (const [unit, from, to] of [[UNITS.province, day(-365), day(0)], [UNITS.gioLinh, day(-200), day(-20)],
    [UNITS.gioMy, day(-90), day(0)]]) {
    const got = await indicators(admin, `unit=${unit}&from=${from}&to=${to}`);
    assertMatchesSql(got, unit, from, to, `${unit} ${from}..${to}`);
    assert.ok(got.on_time_rate.denominator > 0, `${unit}: no dossier resolved in the period`);
    assert.ok(got.online_submission_share.denominator > 0, `${unit}: no dossier received in the period`);
  }
});

test('the fixture district: the on-time rate is the seed report\'s (764 + 3,831) / (771 + 3,860)', async () => {
  const got = await indicators(admin, `unit=${DISTRICT}&from=${FROM}&to=${TO}`);
  const inTime = EXPECTED.district.in_time + EXPECTED.communes.in_time;
  const resolved = inTime + EXPECTED.district.late + EXPECTED.communes.late;
  assert.equal(got.on_time_rate.numerator, inTime);
  assert.equal(got.on_time_rate.denominator, resolved);
  assert.equal(got.on_time_rate.value, 99.2);
  assertMatchesSql(got, DISTRICT, FROM, TO, 'fixture district');
  // a commune alone: its own dossiers only
  const commune = await indicators(admin, `unit=${COMMUNES[1]}&from=${FROM}&to=${TO}`);
  assert.ok(commune.on_time_rate.denominator < got.on_time_rate.denominator);
  assertMatchesSql(commune, COMMUNES[1], FROM, TO, 'fixture commune');
});

test('the on-time rate and the online share are Form 06\'s figures for the same unit and period', async () => {
  const periods = [[UNITS.province, day(-365), day(0)], [UNITS.gioLinh, day(-200), day(-20)], [UNITS.gioMy, day(-31), day(0)],
    [DISTRICT, FROM, TO], [COMMUNES[1], '2025-02-03', '2025-05-17']];
  for (const [unit, from, to] of periods) {
    const got = await indicators(admin, `unit=${unit}&from=${from}&to=${to}`);
    const r = await call(admin, 'GET', `/api/v1/reports/form06?unit=${unit}&from=${from}&to=${to}`);
    assert.equal(r.status, 200, r.text.slice(0, 300));
    const t = r.json.tables[0].total;
    const where = `${unit} ${from}..${to}`;
    assert.equal(got.on_time_rate.numerator, t.resolved.before + t.resolved.on_time, `${where}: before + on time`);
    assert.equal(got.on_time_rate.denominator, t.resolved.total, `${where}: resolved`);
    assert.equal(got.on_time_rate.value,
      t.resolved.total ? Math.floor(((t.resolved.before + t.resolved.on_time) * 1000) / t.resolved.total) / 10 : null,
      `${where}: the rate is Form 06's (before + on time) / resolved`);
    assert.equal(got.online_submission_share.numerator, t.received.online, `${where}: received online`);
    assert.equal(got.online_submission_share.denominator, t.received.online + t.received.direct_postal,
      `${where}: received in the period (online, direct or postal)`);
  }
});

const SECRET = (() => {
  const m = /^MOTCUA_PAYMENT_SECRET=(.*)$/m.exec(readFileSync(join(VAR, 'env'), 'utf8'));
  assert.ok(m, `${VAR}/env has no MOTCUA_PAYMENT_SECRET`);
  return m[1].trim();
})();

/** The test gateway's signed "paid" notification for an order (tests/api/payments.test.mjs). */
function paidNotification(order, amountVnd) {
  const params = { vnp_TmnCode: 'MOTCUA01', vnp_Amount: String(amountVnd * 100), vnp_TxnRef: order,
    vnp_ResponseCode: '00', vnp_TransactionNo: '14000766', vnp_PayDate: '20261122103000' };
  const text = Object.keys(params).sort().map((k) => `${k}=${params[k]}`).join('&');
  return { ...params, vnp_SecureHash: createHmac('sha256', SECRET).update(text, 'utf8').digest('hex') };
}

function postJson(path, body) {
  return raw('POST', path, { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
}

test('a case built through the API moves each indicator by exactly what it did', async () => {
  const unit = UNITS.gioMy;
  const query = `unit=${unit}&from=${day(0)}&to=${day(40)}`;
  const desk = await login('giomy.motcua');
  const specialist = await login('giomy.chuyenvien');
  const leader = await login('giomy.lanhdao');
  const clerk = await login('giomy.vanthu');
  const before = await indicators(admin, query);

  // three receptions at the desk
  const paidAtDesk = await receive(desk);
  const paidOnline = await receive(desk);
  await receive(desk);
  // one pays at the desk, one online through the test gateway
  let page = await getDossier(desk, paidAtDesk.code);
  page = await actOk(desk, paidAtDesk.code, 'request_payment', page.version, { amount_vnd: 50000 });
  await actOk(desk, paidAtDesk.code, 'pay', page.version, {});
  page = await getDossier(desk, paidOnline.code);
  await actOk(desk, paidOnline.code, 'request_payment', page.version, { amount_vnd: 30000 });
  const order = await postJson(`/api/v1/tracking/${enc(paidOnline.code)}/payments`, { pin: paidOnline.pin });
  assert.equal(order.status, 201, order.text);
  const paid = await postJson('/api/v1/payments/notify', paidNotification(order.json.order, 30000));
  assert.equal(paid.status, 200, paid.text);
  // the first is resolved (before its due date), handed over and rated satisfied
  page = await getDossier(desk, paidAtDesk.code);
  page = await actOk(desk, paidAtDesk.code, 'forward', page.version);
  page = await actOk(specialist, paidAtDesk.code, 'forward', page.version);
  page = await actOk(leader, paidAtDesk.code, 'forward', page.version);
  page = await actOk(clerk, paidAtDesk.code, 'resolve', page.version);
  await actOk(desk, paidAtDesk.code, 'return', page.version);
  const rated = await postJson(`/api/v1/tracking/${enc(paidAtDesk.code)}/rating`, { pin: paidAtDesk.pin,
    overall: 'satisfied', ease: 'satisfied', time: 'very_satisfied', attitude: 'satisfied', visits: 'not_satisfied' });
  assert.equal(rated.status, 201, rated.text);
  // two feedback for the unit: one answered (on time), one past its due date unanswered
  const fb = { kind: 'other', content: 'Đề nghị công khai thời gian trả kết quả tại bộ phận một cửa.', name: 'Lê Văn Chỉ Số', unit };
  const answered = await postJson('/api/v1/feedback', fb);
  const overdue = await postJson('/api/v1/feedback', { ...fb, name: 'Trần Thị Quá Hạn' });
  assert.equal(answered.status, 201, answered.text);
  assert.equal(overdue.status, 201, overdue.text);
  const ans = await call(leader, 'POST', `/api/v1/feedback/${answered.json.code}/answer`,
    { answer: 'Bộ phận một cửa đã niêm yết thời gian trả kết quả. Trân trọng.', publish: false });
  assert.equal(ans.status, 200, ans.text);
  sql(`UPDATE feedback SET due_at = UTC_TIMESTAMP() - INTERVAL 1 MINUTE WHERE code = ${q(overdue.json.code)}`);

  const after = await indicators(admin, query);
  const delta = (k) => [after[k].numerator - before[k].numerator, after[k].denominator - before[k].denominator];
  assert.deepEqual(delta('on_time_rate'), [1, 1], 'one dossier resolved before its due date');
  assert.deepEqual(delta('online_submission_share'), [0, 3], 'three receptions, none online');
  assert.deepEqual(delta('online_procedures_used_share'), [0, 0], 'no online submission');
  assert.deepEqual(delta('online_payment_share'), [1, 2], 'two payments, one online');
  assert.deepEqual(delta('digitization_share'), [0, 1], 'a result issued, its documents on paper');
  assert.deepEqual(delta('satisfaction_rate'), [1, 1], 'one rating, satisfied');
  assert.deepEqual(delta('feedback_on_time_rate'), [1, 2], 'one answered on time, one overdue');
  assertMatchesSql(after, unit, day(0), day(40), 'built case');
  // the unit's district sees the same dossiers among its own
  assertMatchesSql(await indicators(admin, `unit=${UNITS.gioLinh}&from=${day(0)}&to=${day(40)}`),
    UNITS.gioLinh, day(0), day(40), 'Gio Linh');
});

/* ---------------------------------------------------------------- late attribution */

/** Every page of the late report. */
async function lateAll(session, query) {
  let items = [];
  let first;
  for (let page = 1; page < 200; page++) {
    const body = await report(session, 'late', `${query}&page=${page}&per_page=200`);
    first ??= body;
    assert.equal(body.total, first.total, 'the total changed between pages');
    items = items.concat(body.items);
    if (body.items.length < 200) break;
  }
  assert.equal(items.length, first.total, 'the pages hold the total');
  return { ...first, items };
}

test('late attribution: a step forwarded after its due time is pinned on its unit and officer', async () => {
  const desk = await login('giomy.motcua');
  const query = `unit=${UNITS.gioMy}&from=${day(0)}&to=${day(0)}`;
  const before = await lateAll(admin, query);
  const d = await receive(desk);
  // the first step's time ran out an hour ago
  sql(`UPDATE dossiers SET step_due_at = UTC_TIMESTAMP() - INTERVAL 1 HOUR WHERE code = ${q(d.code)}`);
  const page = await getDossier(desk, d.code);
  await actOk(desk, d.code, 'forward', page.version);

  const after = await lateAll(admin, query);
  assert.equal(after.total, before.total + 1, 'one more dossier with a late step');
  const item = after.items.find((i) => i.code === d.code);
  assert.ok(item, 'the dossier is listed');
  assert.equal(item.procedure.code, '1.004746');
  assert.equal(item.late_steps.length, 1);
  const [s] = item.late_steps;
  assert.equal(s.step_seq, 1);
  assert.equal(s.unit.code, UNITS.gioMy);
  assert.equal(s.officer.username, 'giomy.motcua');
  assert.equal(s.officer.full_name, 'Lê Thị Thu Hà');
  assert.match(s.done_at, /\+07:00$/);
  assert.ok(s.step_name.length > 0, 'the step is named');
  const count = (body, pick) => (body.by_officer.find(pick) || { late_steps: 0 }).late_steps;
  const mine = (o) => o.officer.username === 'giomy.motcua' && o.unit.code === UNITS.gioMy;
  assert.equal(count(after, mine), count(before, mine) + 1, 'by officer');
  const unitCount = (body) => (body.by_unit.find((u) => u.unit.code === UNITS.gioMy) || { late_steps: 0 }).late_steps;
  assert.equal(unitCount(after), unitCount(before) + 1, 'by unit');
  // the totals are the steps listed
  const listed = after.items.reduce((n, i) => n + i.late_steps.length, 0);
  assert.equal(after.by_unit.reduce((n, u) => n + u.late_steps, 0), listed);
  assert.equal(after.by_officer.reduce((n, o) => n + o.late_steps, 0), listed);
  // the district's monitor sees it among its communes; another district's monitor does not
  const district = await lateAll(await login('giolinh.giamsat'), `from=${day(0)}&to=${day(0)}`);
  assert.ok(district.items.some((i) => i.code === d.code), 'Gio Linh\'s monitor sees its commune\'s dossier');
  const other = await lateAll(await login(MONITOR), `from=${day(0)}&to=${day(0)}`);
  assert.ok(!other.items.some((i) => i.code === d.code), 'another district\'s monitor sees it');
});

test('late attribution over the fixture: every dossier resolved late is listed, and each late step is the history\'s', async () => {
  const body = await lateAll(admin, `unit=${DISTRICT}&from=${FROM}&to=${TO}`);
  const all = [DISTRICT, ...COMMUNES].map(q).join(', ');
  const late = sql(`SELECT d.code FROM dossiers d JOIN units u ON u.id = d.unit_id WHERE u.code IN (${all})
    AND d.state IN ('resolved','returned') AND d.finished_at >= '2024-12-31 17:00:00' AND d.finished_at < '2025-06-30 17:00:00'
    AND DATE(d.finished_at + INTERVAL 7 HOUR) > DATE(d.due_at + INTERVAL 7 HOUR)`).map((r) => r[0]);
  assert.equal(late.length, EXPECTED.district.late + EXPECTED.communes.late);
  const codes = new Set(body.items.map((i) => i.code));
  for (const c of late) assert.ok(codes.has(c), `${c}, resolved late, is not listed`);
  // the forwards the history notes late, in the period, are the listed steps that are not the last
  const [[noted]] = sql(`SELECT COUNT(*) FROM dossier_events e JOIN dossiers d ON d.id = e.dossier_id
    JOIN units u ON u.id = d.unit_id WHERE u.code IN (${all}) AND e.action = 'forward'
    AND e.note LIKE '%hoàn thành quá hạn%' AND e.at >= '2024-12-31 17:00:00' AND e.at < '2025-06-30 17:00:00'`);
  const forwards = body.items.flatMap((i) => i.late_steps).filter((s) => s.due_at === null || s.done_at > s.due_at);
  assert.ok(forwards.length >= Number(noted), `${forwards.length} steps listed, ${noted} noted late in the history`);
  for (const i of body.items) {
    for (const s of i.late_steps) {
      assert.ok(s.due_at === null || Date.parse(s.done_at) > Date.parse(s.due_at), `${i.code} step ${s.step_seq}: not late`);
      assert.ok([DISTRICT, ...COMMUNES].includes(s.unit.code), `${i.code}: step at ${s.unit.code}`);
      assert.match(s.officer.username, /^[a-z]+\.[a-z]+$/);
      assert.ok(s.officer.full_name, `${i.code}: officer ${s.officer.username} has no name`);
    }
  }
  // by unit: sorted, most late steps first
  const counts = body.by_unit.map((u) => u.late_steps);
  assert.deepEqual(counts, [...counts].sort((a, b) => b - a));
});

/* ---------------------------------------------------------------- modernisation */

test('modernisation figures: postal, digitized, signatures and online submissions per procedure, counted in SQL', async () => {
  for (const [unit, from, to] of [[UNITS.province, day(-365), day(0)], [DISTRICT, FROM, TO]]) {
    const body = await report(admin, 'modernisation', `unit=${unit}&from=${from}&to=${to}`);
    const [F, T] = bounds(from, to);
    const scope = SCOPE('d', unit);
    const counted = "d.received_at IS NOT NULL AND d.state NOT IN ('refused', 'not_accepted', 'submitted')";
    const [[received, postal]] = sql(`SELECT COUNT(*), SUM(d.channel = 'postal') FROM dossiers d
      WHERE ${scope} AND ${counted} AND d.received_at >= ${F} AND d.received_at < ${T}`);
    const [[returned]] = sql(`SELECT COUNT(*) FROM dossiers d WHERE ${scope} AND d.state = 'returned'
      AND d.result_channel = 'postal' AND d.returned_at >= ${F} AND d.returned_at < ${T}`);
    const [[results]] = sql(`SELECT COUNT(*) FROM dossiers d WHERE ${scope} AND ${counted}
      AND d.state IN ('resolved', 'returned') AND d.finished_at >= ${F} AND d.finished_at < ${T}`);
    assert.equal(body.postal.received, Number(postal || 0), `${unit}: postal received`);
    assert.equal(body.postal.returned, Number(returned), `${unit}: postal returned`);
    assert.equal(body.digitized.received, Number(received), `${unit}: received`);
    assert.equal(body.signatures.results, Number(results), `${unit}: results issued`);
    assert.ok(body.signatures.results_signed <= body.signatures.results);
    assert.ok(body.digitized.dossiers <= body.digitized.received);
    const arrivals = sql(`SELECT p.code, SUM(d.channel = 'online'), COUNT(*) FROM dossiers d
      JOIN procedures p ON p.id = d.procedure_id WHERE ${scope}
      AND COALESCE(d.submitted_at, d.received_at) >= ${F} AND COALESCE(d.submitted_at, d.received_at) < ${T}
      GROUP BY p.code`);
    const want = Object.fromEntries(arrivals.map(([c, on, n]) => [c, [Number(on), Number(n)]]));
    const got = Object.fromEntries(body.online_by_procedure.map((x) => [x.procedure.code, [x.online, x.total]]));
    assert.deepEqual(got, want, `${unit}: online submissions per procedure`);
    const online = body.online_by_procedure.map((x) => x.online);
    assert.deepEqual(online, [...online].sort((a, b) => b - a), 'most online first');
  }
});

test('a digitized dossier with a signed electronic result: documents, results and signatures count', async () => {
  const desk = await login('giomy.motcua');
  const query = `unit=${UNITS.gioMy}&from=${day(0)}&to=${day(0)}`;
  const before = await report(admin, 'modernisation', query);
  const indBefore = await indicators(admin, query);
  const d = await receive(desk);
  // the scans as the desk attaches them: every document a file, none left on paper only
  sql(`UPDATE dossier_documents SET file_sha256 = UNHEX(SHA2(CONCAT(dossier_id, '-', seq), 256)), paper_only = 0
    WHERE dossier_id = (SELECT id FROM dossiers WHERE code = ${q(d.code)})`);
  const paper = await receive(desk);
  sql(`UPDATE dossier_documents SET file_sha256 = UNHEX(SHA2(CONCAT(dossier_id, '-', seq), 256)), paper_only = (seq = 1)
    WHERE dossier_id = (SELECT id FROM dossiers WHERE code = ${q(paper.code)})`);
  let after = await report(admin, 'modernisation', query);
  assert.equal(after.digitized.received, before.digitized.received + 2);
  assert.equal(after.digitized.dossiers, before.digitized.dossiers + 1, 'the paper document keeps the other out');

  // the digitized one is resolved, and its result signed by the leader and sealed by the
  // clerk (as sql/011_results.sql keeps the revisions; the signing itself is tested elsewhere)
  let page = await getDossier(desk, d.code);
  page = await actOk(desk, d.code, 'forward', page.version);
  page = await actOk(await login('giomy.chuyenvien'), d.code, 'forward', page.version);
  page = await actOk(await login('giomy.lanhdao'), d.code, 'forward', page.version);
  await actOk(await login('giomy.vanthu'), d.code, 'resolve', page.version);
  const hasResults = Number(sql("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'dossier_results'")[0][0]) > 0;
  if (hasResults) {
    for (const stage of ['uploaded', 'signed', 'sealed']) {
      sql(`INSERT INTO dossier_results (dossier_id, file_sha256, file_name, size, stage, created_at)
        SELECT id, UNHEX(SHA2(CONCAT(code, ${q(stage)}), 256)), 'ket-qua.pdf', 1000, ${q(stage)}, UTC_TIMESTAMP()
        FROM dossiers WHERE code = ${q(d.code)}`);
    }
  }
  after = await report(admin, 'modernisation', query);
  assert.equal(after.signatures.results, before.signatures.results + 1, 'one result issued');
  if (hasResults) {
    assert.equal(after.signatures.made, before.signatures.made + 2, 'a signature and a seal');
    assert.equal(after.signatures.results_signed, before.signatures.results_signed + 1);
    assert.equal(after.signatures.note, undefined);
  } else {
    assert.match(after.signatures.note, /not stored/);
  }
  const ind = await indicators(admin, query);
  assert.deepEqual([ind.digitization_share.numerator - indBefore.digitization_share.numerator,
    ind.digitization_share.denominator - indBefore.digitization_share.denominator], [1, 1],
  'a result issued with every document a file and an electronic result');
  assertMatchesSql(ind, UNITS.gioMy, day(0), day(0), 'digitized case');
});

/* ---------------------------------------------------------------- roles, scope, input */

test('roles and scope: monitors, leaders and admins of the unit\'s subtree only', async () => {
  const period = `from=${FROM}&to=${TO}`;
  for (const what of ['indicators', 'late', 'modernisation']) {
    assertProblem(await raw('GET', `/api/v1/reports/${what}?${period}`), 401, { where: `${what} anonymous` });
    const desk = await login('giomy.motcua');
    assertProblem(await call(desk, 'GET', `/api/v1/reports/${what}?${period}`), 403, { where: `${what} as desk` });
    const monitor = await login('giolinh.giamsat');
    // own unit by default
    const own = await report(monitor, what, period);
    assert.equal(own.unit.code, UNITS.gioLinh);
    assert.equal((await report(monitor, what, `unit=${UNITS.gioMy}&${period}`)).unit.code, UNITS.gioMy);
    // another district, the province above, an unknown unit: the same 404
    for (const unit of [UNITS.dongHa, UNITS.province, DISTRICT, '000.99.99.H45']) {
      assertProblem(await call(monitor, 'GET', `/api/v1/reports/${what}?unit=${unit}&${period}`), 404,
        { field: 'unit', code: 'unit_not_found', where: `${what} ${unit}` });
    }
    const leader = await login('giomy.lanhdao');
    assert.equal((await report(leader, what, period)).unit.code, UNITS.gioMy);
    assertProblem(await call(leader, 'GET', `/api/v1/reports/${what}?unit=${UNITS.gioLinh}&${period}`), 404);
    // the fixture's monitor sees its district and communes
    const fixtureMonitor = await login(MONITOR);
    assert.equal((await report(fixtureMonitor, what, `unit=${COMMUNES[2]}&${period}`)).unit.code, COMMUNES[2]);
  }
  // the same figures whoever asks, for the same unit
  const a = await indicators(admin, `unit=${DISTRICT}&from=${FROM}&to=${TO}`);
  const m = await indicators(await login(MONITOR), `unit=${DISTRICT}&from=${FROM}&to=${TO}`);
  assert.deepEqual(m, a);
});

test('bad input is refused with a problem naming the parameter', async () => {
  for (const what of ['indicators', 'late', 'modernisation']) {
    const bad = async (query, field, code) => assertProblem(await call(admin, 'GET', `/api/v1/reports/${what}?${query}`),
      400, { field, code, where: `${what}?${query}` });
    await bad(`to=${TO}`, 'from', 'missing_parameter');
    await bad(`from=${FROM}`, 'to', 'missing_parameter');
    await bad(`from=2025-02-30&to=${TO}`, 'from');
    await bad(`from=2025-1-01&to=${TO}`, 'from');
    await bad(`from=01/01/2025&to=${TO}`, 'from');
    await bad(`from=${FROM}&to=2025-06-31`, 'to');
    await bad(`from=${FROM}&to=2024-12-31`, 'to');
    await bad(`from=2010-01-01&to=${TO}`, 'to');
    await bad(`unit=a%20b&from=${FROM}&to=${TO}`, 'unit');
    await bad(`from=${FROM}&to=${TO}&from=${FROM}`, 'from');
    await bad(`from=${FROM}&to=${TO}&bogus=1`, 'bogus', 'unknown_parameter');
  }
  const late = async (query, field) => assertProblem(await call(admin, 'GET', `/api/v1/reports/late?from=${FROM}&to=${TO}&${query}`),
    400, { field, where: query });
  await late('page=0', 'page');
  await late('per_page=201', 'per_page');
  await late('per_page=abc', 'per_page');
  // the indicators take no paging
  assertProblem(await call(admin, 'GET', `/api/v1/reports/indicators?from=${FROM}&to=${TO}&page=1`), 400, { field: 'page' });
  // a one-day period and a ten-year one are fine
  await report(admin, 'indicators', `from=${TO}&to=${TO}`);
  await report(admin, 'indicators', 'from=2016-07-01&to=2026-06-30');
});
