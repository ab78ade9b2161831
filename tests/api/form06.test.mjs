// Form 06 (Biểu số 06): the figures of a province, district or commune for any period, on
// the demo data. They must be exact (the same as counting the dossiers table by the rules
// of DOMAIN.md "Statistics", done here independently in SQL), add up (carried over + new =
// resolved + in process in every row), be explained by the drill-down lists cell by cell,
// move at once when a dossier moves, and stay put for a closed month, whose recompute
// names the dossier that changed. Monitors, leaders and admins only, in their subtree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertProblem, ROOT, VAR } from './helpers.mjs';
import { login, call, raw, receive, getDossier, actOk, sql, q, UNITS, vnDate } from './lib/officer.mjs';

const enc = encodeURIComponent;
const CELLS = ['carried_over', 'online', 'direct_postal', 'before', 'on_time', 'late', 'within', 'overdue'];
const TODAY = vnDate();

let adminSession;
async function admin() {
  adminSession ??= await login('admin');
  return adminSession;
}

function query(o) {
  return Object.entries(o).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${enc(v)}`).join('&');
}

async function form(params, session) {
  const r = await call(session || await admin(), 'GET', `/api/v1/reports/form06?${query(params)}`);
  assert.equal(r.status, 200, r.text.slice(0, 400));
  return r.json;
}

/** The eight cells of a {received, resolved, in_process} object. */
function flat(x) {
  return {
    carried_over: x.received.carried_over, online: x.received.online, direct_postal: x.received.direct_postal,
    before: x.resolved.before, on_time: x.resolved.on_time, late: x.resolved.late,
    within: x.in_process.within, overdue: x.in_process.overdue,
  };
}

function assertAddsUp(x, where) {
  const c = flat(x);
  assert.equal(x.received.total, c.carried_over + c.online + c.direct_postal, `${where}: received total`);
  assert.equal(x.resolved.total, c.before + c.on_time + c.late, `${where}: resolved total`);
  assert.equal(x.in_process.total, c.within + c.overdue, `${where}: in process total`);
  assert.equal(x.received.total, x.resolved.total + x.in_process.total,
    `${where}: carried over + new (${x.received.total}) = resolved + in process (${x.resolved.total} + ${x.in_process.total})`);
}

function sum(list) {
  const s = Object.fromEntries(CELLS.map((c) => [c, 0]));
  for (const x of list) for (const c of CELLS) s[c] += flat(x)[c];
  return s;
}

/** Checks the identity in every row, subtotal and total, and that they add up. */
function assertWholeForm(f, where) {
  for (const t of f.tables) {
    for (const g of t.groups) {
      for (const row of g.rows) assertAddsUp(row, `${where} ${t.unit.code} ${g.level} ${row.field.code}`);
      assertAddsUp(g.subtotal, `${where} ${t.unit.code} ${g.level} subtotal`);
      assert.deepEqual(flat(g.subtotal), sum(g.rows), `${where}: subtotal of ${g.level} = sum of its rows`);
    }
    assertAddsUp(t.total, `${where} ${t.unit.code} total`);
    assert.deepEqual(flat(t.total), sum(t.groups.map((g) => g.subtotal)), `${where}: total = sum of the subtotals`);
  }
}

/** Codes of the direct sub-units of a unit, sorted. */
async function children(code) {
  const r = await raw('GET', '/api/v1/units');
  const list = Array.isArray(r.json) ? r.json : r.json.units || r.json.items;
  return list.filter((u) => u.parent_code === code)
    .map((u) => u.code).sort();
}

function grandTotal(f) {
  return sum(f.tables.map((t) => t.total));
}

/* Counting the dossiers table directly, by the rules, for one subtree and period: the
 * yardstick the aggregates are held to. */
function counted(unitCode, from, to) {
  const asof = to < TODAY ? to : TODAY;
  const local = (c) => `DATE(CONVERT_TZ(${c}, '+00:00', '+07:00'))`;
  const rows = sql(`
    SELECT fl.code,
      SUM(rd < ${q(from)} AND (fd IS NULL OR fd >= ${q(from)})),
      SUM(rd BETWEEN ${q(from)} AND ${q(to)} AND channel = 'online'),
      SUM(rd BETWEEN ${q(from)} AND ${q(to)} AND channel <> 'online'),
      SUM(fd BETWEEN ${q(from)} AND ${q(to)} AND state <> 'withdrawn' AND fd < dd),
      SUM(fd BETWEEN ${q(from)} AND ${q(to)} AND (state = 'withdrawn' OR fd = dd)),
      SUM(fd BETWEEN ${q(from)} AND ${q(to)} AND state <> 'withdrawn' AND fd > dd),
      SUM(rd <= ${q(to)} AND (fd IS NULL OR fd > ${q(to)}) AND NOT ov),
      SUM(rd <= ${q(to)} AND (fd IS NULL OR fd > ${q(to)}) AND ov)
    FROM (
      SELECT x.*, (dd IS NOT NULL AND dd < ${q(asof)} AND NOT (fd IS NULL AND pd IS NOT NULL AND dd >= pd)) ov
      FROM (
        SELECT d.field_id, d.channel, d.state, ${local('d.received_at')} rd, ${local('d.due_at')} dd,
          IF(d.state IN ('resolved', 'returned', 'withdrawn'),
             GREATEST(${local('d.finished_at')}, ${local('d.received_at')}), NULL) fd,
          IF(d.state IN ('awaiting_supplement', 'awaiting_payment', 'suspended'),
             (SELECT ${local('MAX(p.from_at)')} FROM dossier_pauses p WHERE p.dossier_id = d.id AND p.to_at IS NULL),
             NULL) pd
        FROM dossiers d JOIN units u ON u.id = d.unit_id
        JOIN units top ON top.code = ${q(unitCode)} AND u.path LIKE CONCAT(top.path, '%')
        WHERE d.received_at IS NOT NULL AND d.state NOT IN ('refused', 'submitted', 'not_accepted')
      ) x
    ) y JOIN fields fl ON fl.id = y.field_id
    GROUP BY fl.code`);
  const out = {};
  for (const [code, ...v] of rows) {
    const c = Object.fromEntries(CELLS.map((k, i) => [k, Number(v[i])]));
    if (Object.values(c).some((n) => n !== 0)) out[code] = c;
  }
  return out;
}

function byField(f) {
  const out = {};
  for (const g of f.tables[0].groups) {
    for (const row of g.rows) {
      const c = flat(row);
      const prev = out[row.field.code];
      out[row.field.code] = prev ? Object.fromEntries(CELLS.map((k) => [k, prev[k] + c[k]])) : c;
    }
  }
  return out;
}

/** A month of the demo data that is over, not the current one: YYYY-MM. */
function pastMonth(back) {
  const d = new Date(Date.now() + 7 * 3600 * 1000);
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() - back);
  return d.toISOString().slice(0, 7);
}

function monthBounds(m) {
  const [y, mo] = m.split('-').map(Number);
  const last = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  return { from: `${m}-01`, to: `${m}-${String(last).padStart(2, '0')}` };
}

test('only monitors, leaders and admins see Form 06, and only for their own subtree', async () => {
  const p = query({ from: '2026-01-01', to: TODAY });
  assertProblem(await raw('GET', `/api/v1/reports/form06?${p}`), 401);
  const desk = await login('giomy.motcua');
  assertProblem(await call(desk, 'GET', `/api/v1/reports/form06?${p}`), 403);
  const monitor = await login('giolinh.giamsat');
  const own = await call(monitor, 'GET', `/api/v1/reports/form06?${p}`);
  assert.equal(own.status, 200, own.text);
  assert.equal(own.json.unit.code, UNITS.gioLinh, 'without unit: the officer\'s own');
  assert.equal((await call(monitor, 'GET', `/api/v1/reports/form06?${p}&unit=${UNITS.gioMy}`)).status, 200);
  assertProblem(await call(monitor, 'GET', `/api/v1/reports/form06?${p}&unit=${UNITS.province}`), 404, { field: 'unit' });
  assertProblem(await call(monitor, 'GET', `/api/v1/reports/form06?${p}&unit=${UNITS.dongHa}`), 404, { field: 'unit' });
  assertProblem(await call(monitor, 'GET', `/api/v1/reports/form06/dossiers?${p}&unit=${UNITS.dongHa}&cell=online`), 404);
  assertProblem(await call(monitor, 'GET', `/api/v1/reports/months/${pastMonth(2)}/recompute?unit=${UNITS.dongHa}`), 404);
  const leader = await login('giomy.lanhdao');
  assert.equal((await call(leader, 'GET', `/api/v1/reports/form06?${p}`)).status, 200);
  assertProblem(await call(monitor, 'POST', `/api/v1/reports/months/${pastMonth(2)}/close`), 403);
});

test('bad dates, a period that ends before it starts and unknown codes are 400s naming the field', async () => {
  const a = await admin();
  const bad = async (qs, field) => assertProblem(await call(a, 'GET', `/api/v1/reports/form06?${qs}`), 400, { field });
  await bad('from=2026-02-30&to=2026-03-31', 'from');
  await bad('from=2026-01-01&to=31/03/2026', 'to');
  await bad('from=2026-01-01', 'to');
  await bad('from=2026-04-01&to=2026-03-31', 'to');
  await bad('from=2026-01-01&to=2026-03-31&unit=999.99.99.H99', 'unit');
  await bad('from=2026-01-01&to=2026-03-31&field=KHONGCO', 'field');
  await bad('from=2026-01-01&to=2026-03-31&procedure=9.999999', 'procedure');
  await bad('from=2026-01-01&to=2026-03-31&subunits=tree', 'subunits');
  await bad('from=2026-01-01&to=2026-03-31&format=xlsx', 'format');
  await bad('from=2026-01-01&to=2026-03-31&bogus=1', 'bogus');
  assertProblem(await call(a, 'GET', '/api/v1/reports/form06/dossiers?from=2026-01-01&to=2026-03-31&cell=everything'), 400, { field: 'cell' });
  assertProblem(await call(a, 'GET', '/api/v1/reports/form06/dossiers?from=2026-01-01&to=2026-03-31'), 400, { field: 'cell' });
  assertProblem(await call(a, 'GET', '/api/v1/reports/months/2026-13/recompute'), 400, { field: 'month' });
});

test('every row adds up (carried over + new = resolved + in process) for any period and grouping', async () => {
  const periods = [
    { from: '2025-01-01', to: '2025-12-31' }, { from: '2026-01-01', to: TODAY },
    { from: '2026-03-15', to: '2026-04-10' }, { from: pastMonth(3) + '-01', to: '2027-06-30' },
    monthBounds(pastMonth(1)), { from: TODAY, to: TODAY },
  ];
  for (const p of periods) {
    for (const subunits of ['rollup', 'list']) {
      const f = await form({ ...p, subunits });
      assert.equal(f.from, p.from);
      assert.equal(f.as_of, p.to < TODAY ? p.to : TODAY);
      assertWholeForm(f, `${p.from}..${p.to} ${subunits}`);
      if (subunits === 'list') {
        assert.equal(f.tables[0].unit.code, UNITS.province, 'the unit\'s own dossiers first');
        assert.deepEqual(f.tables.slice(1).map((t) => t.unit.code).sort(), await children(UNITS.province));
        const rollup = await form({ ...p });
        assert.deepEqual(grandTotal(f), flat(rollup.tables[0].total), 'the listed tables add up to the roll-up');
      }
    }
  }
  const f = await form({ from: '2026-01-01', to: TODAY });
  const levels = f.tables[0].groups.map((g) => g.level);
  const order = ['province', 'district', 'commune', 'department', 'other'];
  assert.deepEqual(levels.slice(0, 3), ['province', 'district', 'commune'], 'groups by the receiving unit\'s level');
  assert.deepEqual([...levels].sort((x, y) => order.indexOf(x) - order.indexOf(y)), levels, 'in the form\'s order');
});

test('the figures equal a direct count of the dossiers table by the rules', async () => {
  const cases = [
    [UNITS.province, '2025-07-02', '2026-06-30'], [UNITS.province, '2025-05-01', TODAY], [UNITS.province, '2026-02-10', TODAY],
    [UNITS.gioLinh, '2026-01-01', '2026-12-31'], [UNITS.gioMy, monthBounds(pastMonth(2)).from, monthBounds(pastMonth(2)).to.replace(/..$/, '20')],
  ];
  for (const [unit, from, to] of cases) {
    const f = await form({ unit, from, to });
    assert.equal(f.frozen, false);
    assert.deepEqual(byField(f), counted(unit, from, to), `${unit} ${from}..${to}`);
  }
  // a field filter keeps that field's row only
  const f = await form({ from: '2026-01-01', to: TODAY, field: 'DD' });
  assert.deepEqual(Object.keys(byField(f)), ['DD']);
  assert.deepEqual(byField(f).DD, counted(UNITS.province, '2026-01-01', TODAY).DD);
});

test('every cell is the length of its drill-down list, and the list shows the dossiers behind it', async () => {
  const a = await admin();
  const p = { unit: UNITS.gioLinh, from: '2026-01-01', to: TODAY };
  const f = await form(p);
  const cells = flat(f.tables[0].total);
  const sums = {
    ...cells,
    received: f.tables[0].total.received.total,
    resolved: f.tables[0].total.resolved.total,
    in_process: f.tables[0].total.in_process.total,
  };
  for (const [cell, want] of Object.entries(sums)) {
    const r = await call(a, 'GET', `/api/v1/reports/form06/dossiers?${query({ ...p, cell, per_page: 500 })}`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.total, want, `cell ${cell}`);
    assert.equal(r.json.items.length, Math.min(want, 500), `cell ${cell}: items`);
    for (const it of r.json.items) {
      assert.ok(it.code.startsWith('000.') && it.procedure.code && it.unit.code, JSON.stringify(it));
      if (cell === 'online') assert.equal(it.channel, 'online');
      if (cell === 'direct_postal') assert.notEqual(it.channel, 'online');
      if (['before', 'on_time', 'late', 'resolved'].includes(cell)) assert.ok(['resolved', 'returned', 'withdrawn'].includes(it.state), it.state);
    }
  }
  // paging walks the same list
  const one = await call(a, 'GET', `/api/v1/reports/form06/dossiers?${query({ ...p, cell: 'received', per_page: 3, page: 2 })}`);
  const all = await call(a, 'GET', `/api/v1/reports/form06/dossiers?${query({ ...p, cell: 'received', per_page: 6 })}`);
  assert.deepEqual(one.json.items.map((i) => i.code), all.json.items.slice(3, 6).map((i) => i.code));
  assert.equal(one.json.page, 2);
  // per field as well
  const row = f.tables[0].groups.flatMap((g) => g.rows).find((x) => x.received.total > 0);
  const byF = await call(a, 'GET', `/api/v1/reports/form06/dossiers?${query({ ...p, field: row.field.code, cell: 'received' })}`);
  const sameField = f.tables[0].groups.flatMap((g) => g.rows).filter((x) => x.field.code === row.field.code)
    .reduce((n, x) => n + x.received.total, 0);
  assert.equal(byF.json.total, sameField);
});

test('a level\'s subtotal and a row within a level are the lengths of their drill-down lists', async () => {
  const a = await admin();
  const p = { unit: UNITS.province, from: '2026-01-01', to: TODAY };
  const f = await form(p);
  const groups = f.tables[0].groups;
  assert.ok(groups.length >= 3, `the province has several levels: ${groups.map((g) => g.level)}`);
  const drill = async (extra, cell) => {
    const r = await call(a, 'GET', `/api/v1/reports/form06/dossiers?${query({ ...p, ...extra, cell, per_page: 500 })}`);
    assert.equal(r.status, 200, r.text.slice(0, 300));
    return r.json;
  };
  const levelOf = new Map(sql('SELECT code, level FROM units').map(([code, level]) => [code, ['province', 'district', 'commune', 'department'].includes(level) ? level : 'other']));
  for (const g of groups) {
    const x = g.subtotal;
    const cells = { ...flat(x), received: x.received.total, resolved: x.resolved.total, in_process: x.in_process.total };
    for (const [cell, want] of Object.entries(cells)) {
      const r = await drill({ level: g.level }, cell);
      assert.equal(r.total, want, `${g.level} subtotal, cell ${cell}`);
      for (const it of r.items) assert.equal(levelOf.get(it.unit.code), g.level, `${it.code} was received at the ${g.level} level`);
    }
  }
  // a field counted at two levels: each level's row is its own list, and they make the field's
  const twice = groups[0].rows.map((r) => r.field.code).find((code) => groups.slice(1).some((g) => g.rows.some((r) => r.field.code === code)));
  assert.ok(twice, 'a field counted at two levels');
  let all = 0;
  for (const g of groups) {
    const row = g.rows.find((r) => r.field.code === twice);
    const n = row ? row.received.total : 0;
    assert.equal((await drill({ level: g.level, field: twice }, 'received')).total, n, `${twice} at the ${g.level} level`);
    all += n;
  }
  assert.equal((await drill({ field: twice }, 'received')).total, all, `${twice} at every level`);
  // a level with no dossiers lists none; a level that is not one is a 400 naming it
  if (!groups.some((g) => g.level === 'department')) assert.equal((await drill({ level: 'department' }, 'received')).total, 0);
  assertProblem(await call(a, 'GET', `/api/v1/reports/form06/dossiers?${query({ ...p, cell: 'received', level: 'ward' })}`), 400, { field: 'level' });
  assertProblem(await call(a, 'GET', `/api/v1/reports/form06?${query({ ...p, level: 'commune' })}`), 400, { field: 'level' });
});

test('CSV: UTF-8 with a byte-order mark, the form\'s Vietnamese headers, the same totals, as an attachment', async () => {
  const a = await admin();
  const p = { from: '2026-01-01', to: TODAY, subunits: 'list' };
  const r = await call(a, 'GET', `/api/v1/reports/form06?${query({ ...p, format: 'csv' })}`);
  assert.equal(r.status, 200);
  assert.match(r.type, /^text\/csv; charset=utf-8/);
  assert.match(r.headers.get('content-disposition'), /^attachment; filename="bieu-06-000\.00\.00\.H45-2026-01-01-/);
  assert.deepEqual([...r.buf.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'BOM');
  const text = r.buf.subarray(3).toString('utf8');
  for (const h of ['Biểu số 06', 'Lĩnh vực giải quyết', 'Số hồ sơ nhận giải quyết', 'Số kỳ trước chuyển qua',
    'Số mới tiếp nhận trực tuyến', 'Số mới tiếp nhận trực tiếp, dịch vụ bưu chính', 'Trả trước hạn', 'Trả đúng hạn',
    'Trả quá hạn', 'Số hồ sơ đang giải quyết', 'Trong hạn', 'Quá hạn', 'Cộng cấp xã', 'Tổng cộng']) {
    assert.ok(text.includes(h), `CSV has "${h}"`);
  }
  const json = await form(p);
  const totals = text.split('\r\n').filter((l) => l.startsWith('"","Tổng cộng"'));
  assert.equal(totals.length, json.tables.length, 'one total line per table');
  totals.forEach((line, i) => {
    const n = line.split(',').slice(2).map(Number);
    const t = json.tables[i].total;
    assert.deepEqual(n, [t.received.total, t.received.carried_over, t.received.online, t.received.direct_postal,
      t.resolved.total, t.resolved.before, t.resolved.on_time, t.resolved.late,
      t.in_process.total, t.in_process.within, t.in_process.overdue]);
  });
});

test('a dossier received and then withdrawn through the API moves the right cells at once', async () => {
  const desk = await login('giomy.motcua');
  const p = { unit: UNITS.gioMy, from: TODAY, to: TODAY };
  const before = flat((await form(p)).tables[0].total);
  const d = await receive(desk, { channel: 'direct' });
  const mid = flat((await form(p)).tables[0].total);
  assert.deepEqual(mid, { ...before, direct_postal: before.direct_postal + 1, within: before.within + 1 });
  const listed = await call(await admin(), 'GET', `/api/v1/reports/form06/dossiers?${query({ ...p, cell: 'within', per_page: 500 })}`);
  assert.ok(listed.json.items.some((i) => i.code === d.code), 'the new dossier is in the list behind "within"');
  const page = await getDossier(desk, d.code);
  await actOk(desk, d.code, 'withdraw', page.version, { note: 'Công dân xin rút hồ sơ' });
  const after = flat((await form(p)).tables[0].total);
  assert.deepEqual(after, { ...mid, within: mid.within - 1, on_time: mid.on_time + 1 }, 'withdrawn counts as resolved on time');
});

test('a closed month stays frozen; its recompute shows the difference cell by cell and the dossier behind it', async () => {
  const a = await admin();
  // a dossier counted in a month that is over (an open one if there is any left)
  const rows = sql(`SELECT d.code, DATE_FORMAT(CONVERT_TZ(d.received_at, '+00:00', '+07:00'), '%Y-%m'), u.code, f.code
    FROM dossiers d JOIN units u ON u.id = d.unit_id JOIN fields f ON f.id = d.field_id
    WHERE d.state IN ('processing', 'awaiting_supplement', 'resolved', 'returned')
      AND d.received_at < ${q(pastMonth(1) + '-01')}
    ORDER BY d.state = 'processing' DESC, d.received_at DESC LIMIT 1`);
  assert.equal(rows.length, 1, 'the demo data has a dossier counted in an earlier month');
  const [code, month, unit, field] = rows[0];
  const close = await call(a, 'POST', `/api/v1/reports/months/${month}/close`);
  assert.ok([200, 201].includes(close.status), close.text);
  assert.equal(close.json.month, month);
  assert.ok(close.json.closed_at);
  const months = await call(a, 'GET', '/api/v1/reports/months');
  assert.ok(months.json.months.some((m) => m.month === month && m.closed_at), 'listed as closed');
  assert.equal(months.json.months.at(-1).closed_at, null, 'the current month is open');
  assertProblem(await call(a, 'POST', `/api/v1/reports/months/${TODAY.slice(0, 7)}/close`), 409, { code: 'month_not_over' });

  const p = { unit, ...monthBounds(month) };
  const frozen = await form(p);
  assert.equal(frozen.frozen, true);
  assertWholeForm(frozen, 'frozen');
  const clean = await call(a, 'GET', `/api/v1/reports/months/${month}/recompute?unit=${unit}`);
  assert.equal(clean.status, 200, clean.text);
  assert.ok(!clean.json.dossiers.some((x) => x.code === code), 'nothing to explain yet for that dossier');

  // the dossier is refused later: it leaves every cell of its month
  sql(`UPDATE dossiers SET state = 'refused', finished_at = UTC_TIMESTAMP() WHERE code = ${q(code)}`);
  const still = await form(p);
  assert.equal(still.frozen, true);
  assert.deepEqual(still.tables, frozen.tables, 'a closed month does not change silently');

  const r = await call(a, 'GET', `/api/v1/reports/months/${month}/recompute?unit=${unit}`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.differs, true);
  const x = r.json.dossiers.find((d) => d.code === code);
  assert.ok(x, `the recompute names ${code}: ${JSON.stringify(r.json.dossiers).slice(0, 300)}`);
  assert.deepEqual(x.cells_now, []);
  assert.ok(x.cells_then.length >= 2, 'it counted as received and in process then');
  const cellDiff = r.json.cells.find((c) => c.unit.code === unit && c.field.code === field);
  assert.ok(cellDiff, 'a cell of its unit differs');
  for (const name of x.cells_then) {
    assert.equal(cellDiff.stored[name] - cellDiff.recomputed[name] >= 1, true, `${name}: stored ${cellDiff.stored[name]}, recomputed ${cellDiff.recomputed[name]}`);
  }
  // the stored figures are still what the form answers
  assert.deepEqual((await form(p)).tables, frozen.tables);
  assertProblem(await call(a, 'GET', `/api/v1/reports/months/${TODAY.slice(0, 7)}/recompute`), 409, { code: 'month_open' });
});

test('recounting everything (motcua-admin stats-rebuild) gives the figures kept up to date change by change', async () => {
  const periods = [{ from: '2025-05-01', to: TODAY }, { from: '2026-02-03', to: '2026-09-17' }, { from: TODAY, to: TODAY }];
  const desk = await login('giomy.motcua');
  const d = await receive(desk, { channel: 'postal', waybill: 'EB123456789VN' });
  const page = await getDossier(desk, d.code);
  await actOk(desk, d.code, 'withdraw', page.version, { note: 'Rút hồ sơ' });
  const before = [];
  for (const p of periods) before.push(await form({ ...p, subunits: 'list' }));
  const env = Object.fromEntries(readFileSync(join(VAR, 'env'), 'utf8').split('\n')
    .map((l) => /^\s*([A-Z_][A-Z0-9_]*)=(.*)$/.exec(l)).filter(Boolean)
    .map((m) => [m[1], m[2].replace(/^['"]|['"]$/g, '')]));
  execFileSync(join(ROOT, 'build/motcua-admin'), ['stats-rebuild'], { env: { ...process.env, ...env }, stdio: 'pipe' });
  for (const [i, p] of periods.entries()) {
    assert.deepEqual((await form({ ...p, subunits: 'list' })).tables, before[i].tables, `${p.from}..${p.to}`);
  }
});

test('when months end, their roll-ups are built from the days and give the same figures', async () => {
  const periods = [{ from: '2025-05-01', to: TODAY }, { from: pastMonth(5) + '-01', to: monthBounds(pastMonth(1)).to },
    { from: pastMonth(4) + '-10', to: pastMonth(2) + '-20' }];
  const before = [];
  for (const p of periods) before.push(await form({ ...p, procedure: undefined }));
  // forget the last four month roll-ups, as if those months had not ended yet
  sql(`START TRANSACTION; SELECT horizon FROM stats_meta WHERE id = 1 FOR UPDATE;
       UPDATE stats_meta SET horizon = DATE_SUB(horizon, INTERVAL 4 MONTH) WHERE id = 1;
       DELETE FROM stats_month WHERE month > (SELECT horizon FROM stats_meta WHERE id = 1);
       DELETE FROM stats_month_procedure WHERE month > (SELECT horizon FROM stats_meta WHERE id = 1); COMMIT`);
  for (const [i, p] of periods.entries()) {
    assert.deepEqual((await form(p)).tables, before[i].tables, `${p.from}..${p.to}`);
  }
  const [[h]] = sql('SELECT horizon FROM stats_meta WHERE id = 1');
  assert.equal(h, `${pastMonth(1)}-01`, 'the roll-ups reach the last complete month again');
  // the finishes per month, unit and procedure (the dashboard's late procedures) are the days' sums
  const days = `SELECT day - INTERVAL (DAYOFMONTH(day) - 1) DAY, unit_id, procedure_id, SUM(fin_before), SUM(fin_on_time), SUM(fin_late)
    FROM stats_day WHERE day <= LAST_DAY((SELECT horizon FROM stats_meta WHERE id = 1)) GROUP BY 1, 2, 3
    HAVING SUM(fin_before) <> 0 OR SUM(fin_on_time) <> 0 OR SUM(fin_late) <> 0`;
  const months = `SELECT month, unit_id, procedure_id, fin_before, fin_on_time, fin_late FROM stats_month_procedure
    WHERE fin_before <> 0 OR fin_on_time <> 0 OR fin_late <> 0`;
  const [[n]] = sql(`SELECT COUNT(*) FROM (${months}) m`);
  assert.ok(Number(n) > 0, 'month rows per procedure exist');
  assert.deepEqual(sql(`(${days}) EXCEPT (${months})`), [], 'every month of the days is rolled up');
  assert.deepEqual(sql(`(${months}) EXCEPT (${days})`), [], 'no roll-up without its days');
});
