// Exactness (issue #6): Biểu số 06 must reproduce, to the dossier, the figures a district
// quoted in the seed reports (DOMAIN.md "Statistics"): the district's own dossiers 826 to
// resolve, 764 resolved before or on time, 7 late, 54 in process within the deadline, 1
// overdue; its communes together 4,231, 3,831, 29, 370, 1. The form06-seed fixture
// (fcgi/tools/fixture.h) holds such a district for 2025-01-01..2025-06-30; these tests
// check the fixture itself against the rules (in SQL, independently of the service), then
// the report, its identities, and that the drill-down lists add up to every figure.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { login, call, sql, q } from './lib/officer.mjs';
import { DISTRICT, COMMUNES, FROM, TO, EXPECTED, MONITOR, load } from './lib/fixture.mjs';

const enc = encodeURIComponent;
let admin;
let monitor;

before(async () => {
  load();
  admin = await login('admin');
  monitor = await login(MONITOR);
});

/* ---------------------------------------------------------------- the fixture itself */

// The period in UTC: local midnights of 2025-01-01 and 2025-07-01.
const P0 = '2024-12-31 17:00:00';
const P1 = '2025-06-30 17:00:00';
const LOCAL_DAY = (col) => `DATE(${col} + INTERVAL 7 HOUR)`;

/** The fixture's dossiers of a unit set, classified by the rules of DOMAIN.md in SQL. */
function classify(codes) {
  const inList = codes.map(q).join(', ');
  const fin = `(d.state IN ('resolved','returned','withdrawn') AND d.finished_at >= '${P0}' AND d.finished_at < '${P1}')`;
  const [row] = sql(`
    SELECT COUNT(*),
      SUM(d.received_at < '${P0}'),
      SUM(${fin} AND (d.state = 'withdrawn' OR ${LOCAL_DAY('d.finished_at')} <= ${LOCAL_DAY('d.due_at')})),
      SUM(${fin} AND d.state <> 'withdrawn' AND ${LOCAL_DAY('d.finished_at')} > ${LOCAL_DAY('d.due_at')}),
      SUM(NOT ${fin} AND ${LOCAL_DAY('d.due_at')} >= '2025-06-30'),
      SUM(NOT ${fin} AND ${LOCAL_DAY('d.due_at')} < '2025-06-30')
    FROM dossiers d JOIN units u ON u.id = d.unit_id
    WHERE u.code IN (${inList}) AND d.received_at IS NOT NULL AND d.received_at < '${P1}'
      AND d.state NOT IN ('refused', 'not_accepted', 'submitted')
      AND (d.finished_at IS NULL OR d.finished_at >= '${P0}')`);
  const [received, carried, inTime, late, within, overdue] = row.map(Number);
  return { received, carried, in_time: inTime, late, within, overdue };
}

test('the fixture holds the quoted figures by the rules of DOMAIN.md, counted in SQL', () => {
  const d = classify([DISTRICT]);
  const c = classify(COMMUNES);
  for (const [got, want, who] of [[d, EXPECTED.district, 'district'], [c, EXPECTED.communes, 'communes']]) {
    for (const k of Object.keys(want)) assert.equal(got[k], want[k], `${who}: ${k}`);
    assert.ok(got.carried > 0, `${who}: nothing carried over from before the period`);
  }
});

test('every classification rule is exercised inside the fixture', () => {
  const all = [DISTRICT, ...COMMUNES].map(q).join(', ');
  const n = (where) => Number(sql(`SELECT COUNT(*) FROM dossiers d JOIN units u ON u.id = d.unit_id
    WHERE u.code IN (${all}) AND ${where}`)[0][0]);
  const finInPeriod = `d.finished_at >= '${P0}' AND d.finished_at < '${P1}'`;
  const cases = {
    'resolved the day before the due date':
      `d.state IN ('resolved','returned') AND ${finInPeriod} AND ${LOCAL_DAY('d.finished_at')} = ${LOCAL_DAY('d.due_at')} - INTERVAL 1 DAY`,
    'resolved on the due date':
      `d.state IN ('resolved','returned') AND ${finInPeriod} AND ${LOCAL_DAY('d.finished_at')} = ${LOCAL_DAY('d.due_at')}`,
    'resolved the day after the due date':
      `d.state IN ('resolved','returned') AND ${finInPeriod} AND ${LOCAL_DAY('d.finished_at')} > ${LOCAL_DAY('d.due_at')}`,
    'withdrawn in the period': `d.state = 'withdrawn' AND ${finInPeriod}`,
    'refused (left out)': `d.state = 'refused' AND ${finInPeriod}`,
    'not accepted (left out)': `d.state = 'not_accepted' AND d.submitted_at < '${P1}'`,
    'submitted online and still waiting at the end (left out)':
      `d.submitted_at < '${P1}' AND (d.received_at IS NULL) AND d.finished_at >= '${P1}'`,
    'carried over across the period start': `d.received_at < '${P0}' AND d.finished_at >= '${P0}'`,
    'received and finished before the period (left out)': `d.finished_at < '${P0}'`,
    'received after the period (left out)': `d.received_at >= '${P1}'`,
    'paused across the period end': `EXISTS (SELECT 1 FROM dossier_pauses p WHERE p.dossier_id = d.id
      AND p.from_at < '${P1}' AND (p.to_at IS NULL OR p.to_at >= '${P1}'))`,
    'paused after its due date and still paused': `d.state = 'suspended' AND d.due_at < (SELECT MIN(p.from_at)
      FROM dossier_pauses p WHERE p.dossier_id = d.id)`,
    'a pause that moved the due date': `EXISTS (SELECT 1 FROM dossier_pauses p WHERE p.dossier_id = d.id
      AND p.to_at IS NOT NULL AND p.to_at < '${P1}') AND ${finInPeriod}`,
    'received online': `d.channel = 'online' AND d.received_at >= '${P0}' AND d.received_at < '${P1}'`,
    'received by post': `d.channel = 'postal' AND d.received_at >= '${P0}' AND d.received_at < '${P1}'`,
  };
  for (const [what, where] of Object.entries(cases)) assert.ok(n(where) > 0, `no dossier ${what}`);
});

test('the fixture histories are hash-chained and intact, as the service reads them', async () => {
  const codes = sql(`SELECT d.code FROM dossiers d JOIN units u ON u.id = d.unit_id
    WHERE u.code IN (${[DISTRICT, ...COMMUNES].map(q).join(', ')})
    AND d.id % 97 = 0 ORDER BY d.id LIMIT 12`).map((r) => r[0]);
  assert.ok(codes.length >= 5);
  for (const code of codes) {
    const r = await call(admin, 'GET', `/api/v1/dossiers/${enc(code)}/history`);
    assert.equal(r.status, 200, `${code}: ${r.text.slice(0, 200)}`);
    assert.equal(r.json.intact, true, `${code}: history chain broken`);
    assert.ok(r.json.items.length >= 2, `${code}: ${r.json.items.length} events`);
  }
});

/* ---------------------------------------------------------------- Biểu số 06 */

const base = (unit, extra = '') => `unit=${enc(unit)}&from=${FROM}&to=${TO}${extra}`;

async function form06(session, unit, extra = '') {
  const r = await call(session, 'GET', `/api/v1/reports/form06?${base(unit, extra)}`);
  assert.equal(r.status, 200, `form06 ${unit}${extra}: ${r.status} ${r.text.slice(0, 300)}`);
  return r.json;
}

/** The five quoted figures of a {received, resolved, in_process} block. */
function figures(b) {
  return {
    received: b.received.total,
    in_time: b.resolved.before + b.resolved.on_time,
    late: b.resolved.late,
    within: b.in_process.within,
    overdue: b.in_process.overdue,
  };
}

function assertIdentities(b, where) {
  assert.equal(b.received.total, b.received.carried_over + b.received.online + b.received.direct_postal,
    `${where}: received = carried over + online + direct/postal`);
  assert.equal(b.resolved.total, b.resolved.before + b.resolved.on_time + b.resolved.late,
    `${where}: resolved = before + on time + late`);
  assert.equal(b.in_process.total, b.in_process.within + b.in_process.overdue,
    `${where}: in process = within + overdue`);
  assert.equal(b.received.total, b.resolved.total + b.in_process.total,
    `${where}: every dossier to resolve is resolved or in process at the end`);
}

test('Form 06 of the district, sub-units rolled up: the district level and the commune level give the quoted figures', async () => {
  for (const session of [admin, monitor]) {
    const f = await form06(session, DISTRICT, '&subunits=rollup');
    assert.equal(f.tables.length, 1);
    const groups = Object.fromEntries(f.tables[0].groups.map((g) => [g.level, g]));
    assert.deepEqual(Object.keys(groups).sort(), ['commune', 'district']);
    assert.deepEqual(figures(groups.district.subtotal), EXPECTED.district, 'the district\'s own dossiers');
    assert.deepEqual(figures(groups.commune.subtotal), EXPECTED.communes, 'the communes together');
    const total = figures(f.tables[0].total);
    for (const k of Object.keys(total)) {
      assert.equal(total[k], EXPECTED.district[k] + EXPECTED.communes[k], `total ${k}`);
    }
  }
});

test('Form 06 with sub-units listed: the district\'s own table and the communes\' tables', async () => {
  const f = await form06(admin, DISTRICT, '&subunits=list');
  const byUnit = Object.fromEntries(f.tables.map((t) => [t.unit.code, t]));
  assert.deepEqual(Object.keys(byUnit).sort(), [DISTRICT, ...COMMUNES].sort());
  assert.deepEqual(figures(byUnit[DISTRICT].total), EXPECTED.district);
  const sum = { received: 0, in_time: 0, late: 0, within: 0, overdue: 0 };
  for (const c of COMMUNES) {
    const fc = figures(byUnit[c].total);
    for (const k of Object.keys(sum)) sum[k] += fc[k];
    // a commune asked alone gives its own table's figures
    const alone = await form06(admin, c);
    assert.deepEqual(figures(alone.tables[0].total), fc, `${c} alone`);
  }
  assert.deepEqual(sum, EXPECTED.communes);
});

test('every row, subtotal and total of the report keeps the identities of the form', async () => {
  for (const mode of ['rollup', 'list']) {
    const f = await form06(admin, DISTRICT, `&subunits=${mode}`);
    for (const t of f.tables) {
      for (const g of t.groups) {
        for (const row of g.rows) assertIdentities(row, `${mode} ${t.unit.code} ${g.level} ${row.field.code}`);
        assertIdentities(g.subtotal, `${mode} ${t.unit.code} ${g.level} subtotal`);
        const sums = g.rows.reduce((a, row) => a + row.received.total, 0);
        assert.equal(sums, g.subtotal.received.total, `${mode} ${g.level}: rows add up to the subtotal`);
      }
      assertIdentities(t.total, `${mode} ${t.unit.code} total`);
    }
  }
});

/* ---------------------------------------------------------------- drill-down */

/** Every dossier behind one cell, through all the pages. */
async function cellDossiers(unit, cell) {
  const codes = [];
  let total = null;
  for (let page = 1; page < 100; page++) {
    const r = await call(admin, 'GET',
      `/api/v1/reports/form06/dossiers?${base(unit)}&cell=${cell}&page=${page}&per_page=500`);
    assert.equal(r.status, 200, `${cell} page ${page}: ${r.status} ${r.text.slice(0, 300)}`);
    total ??= r.json.total;
    assert.equal(r.json.total, total, `${cell}: the total changed between pages`);
    codes.push(...r.json.items.map((i) => i.code));
    if (r.json.items.length < 500) break;
  }
  assert.equal(codes.length, total, `${cell}: the pages hold ${codes.length} dossiers, total says ${total}`);
  assert.equal(new Set(codes).size, codes.length, `${cell}: a dossier listed twice`);
  return codes;
}

const CELLS = {
  carried_over: (b) => b.received.carried_over, online: (b) => b.received.online,
  direct_postal: (b) => b.received.direct_postal, received: (b) => b.received.total,
  before: (b) => b.resolved.before, on_time: (b) => b.resolved.on_time, late: (b) => b.resolved.late,
  resolved: (b) => b.resolved.total, within: (b) => b.in_process.within,
  overdue: (b) => b.in_process.overdue, in_process: (b) => b.in_process.total,
};

test('the drill-down lists add up to every figure of the report, and to the quoted ones', async () => {
  for (const unit of [DISTRICT, COMMUNES[0]]) {
    const total = (await form06(admin, unit)).tables[0].total;
    const lists = {};
    for (const [cell, pick] of Object.entries(CELLS)) {
      lists[cell] = await cellDossiers(unit, cell);
      assert.equal(lists[cell].length, pick(total), `${unit} ${cell}: list vs figure`);
    }
    // the parts are disjoint and make up their wholes
    const union = (...cs) => new Set(cs.flatMap((c) => lists[c]));
    assert.deepEqual(union('carried_over', 'online', 'direct_postal'), new Set(lists.received));
    assert.deepEqual(union('before', 'on_time', 'late'), new Set(lists.resolved));
    assert.deepEqual(union('within', 'overdue'), new Set(lists.in_process));
    assert.deepEqual(union('resolved', 'in_process'), new Set(lists.received));
  }
  // rolled up over the district and its communes, the lists give the quoted figures
  const inTime = (await cellDossiers(DISTRICT, 'before')).length + (await cellDossiers(DISTRICT, 'on_time')).length;
  assert.equal(inTime, EXPECTED.district.in_time + EXPECTED.communes.in_time);
  assert.equal((await cellDossiers(DISTRICT, 'late')).length, EXPECTED.district.late + EXPECTED.communes.late);
  assert.equal((await cellDossiers(DISTRICT, 'overdue')).length, EXPECTED.district.overdue + EXPECTED.communes.overdue);
});

test('the late and overdue lists name exactly the dossiers the rules make late and overdue', async () => {
  const all = [DISTRICT, ...COMMUNES].map(q).join(', ');
  const want = (where) => sql(`SELECT d.code FROM dossiers d JOIN units u ON u.id = d.unit_id
    WHERE u.code IN (${all}) AND d.received_at < '${P1}' AND ${where} ORDER BY d.code`).map((r) => r[0]);
  const late = want(`d.state IN ('resolved','returned') AND d.finished_at >= '${P0}' AND d.finished_at < '${P1}'
    AND ${LOCAL_DAY('d.finished_at')} > ${LOCAL_DAY('d.due_at')}`);
  const overdue = want(`d.state NOT IN ('refused','not_accepted','submitted')
    AND (d.finished_at IS NULL OR d.finished_at >= '${P1}') AND ${LOCAL_DAY('d.due_at')} < '2025-06-30'`);
  assert.deepEqual((await cellDossiers(DISTRICT, 'late')).sort(), late);
  assert.deepEqual((await cellDossiers(DISTRICT, 'overdue')).sort(), overdue);
});
