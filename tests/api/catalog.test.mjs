// The public catalog: fields, the unit tree, procedure search with its filters and
// pagination, one procedure in full, and how bad input is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request, getJson, assertProblem, fold, UNIT_CODE_RE } from './helpers.mjs';

const enc = encodeURIComponent;

async function search(query) {
  return getJson(`/api/v1/procedures${query ? `?${query}` : ''}`);
}

/** Every procedure of the catalog, through the paginated search. */
async function allProcedures() {
  const first = await search('per_page=100');
  const items = [...first.items];
  for (let page = 2; items.length < first.total; page++) {
    const r = await search(`per_page=100&page=${page}`);
    assert.ok(r.items.length > 0, `page ${page} is empty before the total (${first.total}) was reached`);
    items.push(...r.items);
  }
  assert.equal(items.length, first.total);
  assert.ok(items.length > 0, 'the catalog is empty');
  return items;
}

test('fields: at least 25, each with a Vietnamese name, counts adding up to the catalog', async () => {
  const { items } = await getJson('/api/v1/fields');
  assert.ok(items.length >= 25, `only ${items.length} fields`);
  const codes = new Set();
  for (const f of items) {
    assert.match(f.code, /^[A-Za-z0-9._-]{1,32}$/, `field code ${f.code}`);
    assert.ok(!codes.has(f.code), `field ${f.code} listed twice`);
    codes.add(f.code);
    assert.ok(typeof f.name === 'string' && f.name.trim().length > 1, `field ${f.code} has no name`);
    assert.ok(Number.isInteger(f.procedure_count) && f.procedure_count >= 0, `field ${f.code} count`);
  }
  assert.ok(items.some((f) => /[À-ỹĐđ]/u.test(f.name)), 'no field name has Vietnamese letters');
  const sum = items.reduce((n, f) => n + f.procedure_count, 0);
  const { total } = await search('per_page=1');
  assert.ok(total > 0, 'the catalog is empty');
  assert.equal(sum, total, 'the fields\' procedure counts do not add up to the number of procedures');
});

test('fields: each count is the number of procedures the field filter finds', async () => {
  const { items } = await getJson('/api/v1/fields');
  for (const f of items.filter((x) => x.procedure_count > 0).slice(0, 8)) {
    const r = await search(`field=${enc(f.code)}&per_page=100`);
    assert.equal(r.total, f.procedure_count, `field ${f.code} (${f.name})`);
    for (const p of r.items) assert.equal(p.field.code, f.code, `${p.code} listed under ${f.code}`);
  }
});

test('units: a tree province → districts → communes with consistent codes and parents', async () => {
  const { items } = await getJson('/api/v1/units');
  assert.ok(items.length >= 3, `only ${items.length} units`);
  const byCode = new Map();
  const roots = items.filter((u) => u.parent_code === null);
  assert.equal(roots.length, 1, `expected one root, got ${roots.map((u) => u.code)}`);
  const root = roots[0];
  assert.equal(root.level, 'province');
  assert.equal(root.depth, 0);
  assert.match(root.code, /^000\.00\.00\.[A-Z]\d{2}$/, `province code ${root.code}`);
  const provinceSuffix = root.code.split('.')[3];
  const levelsSeen = new Set();
  for (const u of items) {
    assert.match(u.code, UNIT_CODE_RE, `unit code ${u.code}`);
    assert.ok(!byCode.has(u.code), `unit ${u.code} listed twice`);
    assert.equal(u.code.split('.')[3], provinceSuffix, `${u.code} is not in province ${provinceSuffix}`);
    assert.ok(u.name && u.level_label, `${u.code}: name and level label`);
    levelsSeen.add(u.level);
    if (u !== root) {
      const parent = byCode.get(u.parent_code);
      assert.ok(parent, `${u.code}: parent ${u.parent_code} is not listed before it`);
      assert.equal(u.depth, parent.depth + 1, `${u.code}: depth`);
      if (u.level === 'district') assert.equal(parent.level, 'province', `${u.code}: a district under ${parent.level}`);
      if (u.level === 'commune') {
        assert.ok(['district', 'province'].includes(parent.level), `${u.code}: a commune under ${parent.level}`);
        if (parent.level === 'district') {
          // 000.CC.DD.H45 under 000.00.DD.H45: the district's group is kept
          assert.equal(u.code.split('.')[2], parent.code.split('.')[2], `${u.code} under district ${parent.code}`);
          assert.match(parent.code, /^000\.00\.\d{2}\./, `district code ${parent.code}`);
        }
      }
    }
    byCode.set(u.code, u);
  }
  for (const level of ['province', 'district', 'commune']) assert.ok(levelsSeen.has(level), `no ${level} unit`);
  const labels = new Set(items.map((u) => u.level_label));
  assert.ok([...labels].some((l) => /^(Xã|Phường|Thị trấn)$/.test(l)), `commune labels: ${[...labels]}`);
});

test('search without diacritics finds "Đăng ký khai sinh" first', async () => {
  const r = await search(`q=${enc('dang ky khai sinh')}`);
  assert.ok(r.total >= 1, 'nothing found');
  assert.equal(r.items[0].name, 'Đăng ký khai sinh', `first results: ${r.items.slice(0, 3).map((p) => p.name)}`);
  for (const p of r.items) {
    assert.ok(fold(`${p.name} ${p.code}`).includes('dang ky khai sinh'), `"${p.name}" does not match the query`);
  }
});

test('search in capitals with diacritics finds the same procedures', async () => {
  const plain = await search(`q=${enc('dang ky khai sinh')}&per_page=100`);
  const upper = await search(`q=${enc('ĐĂNG KÝ KHAI SINH')}&per_page=100`);
  assert.equal(upper.items[0].name, 'Đăng ký khai sinh');
  assert.equal(upper.total, plain.total);
  assert.deepEqual(upper.items.map((p) => p.code), plain.items.map((p) => p.code));
  // and decomposed Unicode (combining marks) too
  const nfd = await search(`q=${enc('Đăng ký khai sinh'.normalize('NFD'))}&per_page=100`);
  assert.deepEqual(nfd.items.map((p) => p.code), plain.items.map((p) => p.code));
});

test('search by procedure code finds it first', async () => {
  const r = await search(`q=${enc('1.001193')}`);
  assert.ok(r.total >= 1);
  assert.equal(r.items[0].code, '1.001193');
  assert.equal(r.items[0].name, 'Đăng ký khai sinh');
});

test('a search that matches nothing answers an empty page, not an error', async () => {
  const r = await search(`q=${enc('xyzzy khong ton tai qwerty')}`);
  assert.equal(r.total, 0);
  assert.deepEqual(r.items, []);
  // SQL LIKE wildcards in the query are not wildcards: "kh_i" and "kh%i" do not find "khai"
  for (const q of ['kh_i sinh', 'kh%i sinh', 'dang%sinh']) {
    const w = await search(`q=${enc(q)}`);
    assert.equal(w.total, 0, `q=${q} matched ${w.items.slice(0, 3).map((p) => p.name)}: a wildcard leaks into the search`);
  }
});

test('filter by field: every item is of that field', async () => {
  const { items } = await getJson('/api/v1/fields');
  const f = items.find((x) => x.procedure_count >= 2);
  assert.ok(f, 'no field with two procedures');
  const r = await search(`field=${enc(f.code)}&per_page=100`);
  assert.equal(r.total, f.procedure_count);
  assert.ok(r.items.length >= 2);
  for (const p of r.items) assert.deepEqual(p.field, { code: f.code, name: f.name });
  // an unknown field finds nothing (it is not an error: the field list may change)
  const none = await search('field=KHONG-CO');
  assert.equal(none.total, 0);
});

test('filter by level: every item is implemented at that level', async () => {
  const totals = {};
  for (const level of ['province', 'district', 'commune']) {
    const r = await search(`level=${level}&per_page=100`);
    totals[level] = r.total;
    assert.ok(r.total > 0, `no ${level} procedure`);
    for (const p of r.items) assert.ok(p.levels.includes(level), `${p.code} (${p.levels}) under level=${level}`);
  }
  const all = await search('per_page=1');
  for (const level of Object.keys(totals)) assert.ok(totals[level] < all.total, `level=${level} does not filter`);
});

test('filter by service level: every item has that service level', async () => {
  let sum = 0;
  for (const sl of ['full', 'partial', 'info']) {
    const r = await search(`service_level=${sl}&per_page=100`);
    sum += r.total;
    for (const p of r.items) assert.equal(p.service_level, sl, `${p.code} under service_level=${sl}`);
  }
  const all = await search('per_page=1');
  assert.equal(sum, all.total, 'the service levels do not partition the catalog');
});

test('filter by unit: the procedures of the unit\'s level', async () => {
  const { items: units } = await getJson('/api/v1/units');
  for (const level of ['province', 'district', 'commune']) {
    const unit = units.find((u) => u.level === level);
    const byUnit = await search(`unit=${enc(unit.code)}&per_page=100`);
    const byLevel = await search(`level=${level}&per_page=100`);
    assert.equal(byUnit.total, byLevel.total, `unit=${unit.code} (${level})`);
    assert.deepEqual(byUnit.items.map((p) => p.code), byLevel.items.map((p) => p.code));
    for (const p of byUnit.items) assert.ok(p.levels.includes(level), `${p.code} offered by ${unit.code}`);
  }
  // a unit and a different level contradict each other: nothing matches
  const commune = units.find((u) => u.level === 'commune');
  const none = await search(`unit=${enc(commune.code)}&level=province`);
  assert.equal(none.total, 0);
  // an unknown unit is refused
  assertProblem(await request('/api/v1/procedures?unit=999.99.99.Z99'), 400, { field: 'unit' });
});

test('filters combine: field + level + q', async () => {
  const r = await search(`q=${enc('khai sinh')}&level=commune&per_page=100`);
  assert.ok(r.total >= 1);
  for (const p of r.items) {
    assert.ok(p.levels.includes('commune'));
    assert.ok(fold(`${p.name} ${p.code}`).includes('khai sinh'), p.name);
  }
  const f = r.items[0].field.code;
  const r2 = await search(`q=${enc('khai sinh')}&level=commune&field=${enc(f)}&per_page=100`);
  assert.ok(r2.total >= 1 && r2.total <= r.total);
  for (const p of r2.items) assert.equal(p.field.code, f);
});

test('pagination: pages differ, the total is stable, every procedure appears once', async () => {
  const p1 = await search('per_page=5&page=1');
  const p2 = await search('per_page=5&page=2');
  assert.ok(p1.total > 10, `only ${p1.total} procedures`);
  assert.equal(p1.page, 1);
  assert.equal(p2.page, 2);
  assert.equal(p1.per_page, 5);
  assert.equal(p1.items.length, 5);
  assert.equal(p2.items.length, 5);
  assert.equal(p2.total, p1.total);
  const c1 = p1.items.map((p) => p.code);
  const c2 = p2.items.map((p) => p.code);
  assert.deepEqual(c1.filter((c) => c2.includes(c)), [], 'page 2 repeats page 1');
  // the concatenation of small pages is the big page
  const p12 = await search('per_page=10&page=1');
  assert.deepEqual(p12.items.map((p) => p.code), [...c1, ...c2]);
  // the whole catalog, page by page, lists each procedure once
  const all = await allProcedures();
  assert.equal(new Set(all.map((p) => p.code)).size, all.length, 'a procedure appears on two pages');
  // past the end: an empty page with the same total
  const last = await search(`per_page=100&page=${Math.ceil(p1.total / 100) + 1}`);
  assert.deepEqual(last.items, []);
  assert.equal(last.total, p1.total);
  // defaults
  const d = await search('');
  assert.equal(d.page, 1);
  assert.equal(d.per_page, 20);
  assert.equal(d.items.length, Math.min(20, d.total));
});

test('per_page bounds: 1 and 100 accepted, 0 and 101 refused', async () => {
  assert.equal((await search('per_page=1')).items.length, 1);
  const hundred = await search('per_page=100');
  assert.equal(hundred.items.length, Math.min(100, hundred.total));
  for (const v of ['0', '101', '-1', '1000']) {
    assertProblem(await request(`/api/v1/procedures?per_page=${v}`), 400, { field: 'per_page', where: `per_page=${v}` });
  }
});

test('procedure 1.001193 in full: documents, channels with fees, legal bases, process', async () => {
  const p = await getJson('/api/v1/procedures/1.001193');
  assert.equal(p.code, '1.001193');
  assert.equal(p.name, 'Đăng ký khai sinh');
  assert.ok(p.field && p.field.code && p.field.name);
  assert.ok(p.levels.length >= 1);
  assert.ok(['full', 'partial', 'info'].includes(p.service_level));
  assert.ok(typeof p.processing_time === 'number' && p.processing_time >= 0);
  assert.ok(['working_days', 'calendar_days', 'hours'].includes(p.time_unit));
  assert.ok(p.agency.length > 0, 'no agency');

  assert.ok(p.documents.length >= 1, 'no documents');
  const docs = p.documents.flatMap((c) => c.items);
  assert.ok(docs.length >= 1, 'document cases without documents');
  for (const d of docs) {
    assert.ok(d.name.length > 0);
    assert.ok(Number.isInteger(d.originals) && Number.isInteger(d.copies));
    assert.equal(typeof d.required, 'boolean');
  }
  assert.ok(docs.some((d) => /khai sinh|chứng sinh/i.test(d.name)), `documents: ${docs.map((d) => d.name)}`);

  assert.ok(p.channels.length >= 1, 'no channels');
  for (const c of p.channels) {
    assert.ok(['direct', 'online', 'postal'].includes(c.channel), c.channel);
    assert.ok(Array.isArray(c.fees), `${c.channel}: fees`);
    for (const f of c.fees) {
      assert.ok(['fee', 'charge'].includes(f.kind));
      assert.ok(Number.isInteger(f.amount_vnd) && f.amount_vnd >= 0);
      assert.equal(typeof f.description, 'string');
    }
    assert.ok(!('seq' in c), 'internal channel seq leaked');
  }
  assert.ok(p.channels.some((c) => c.fees.length > 0), 'no channel lists a fee or charge (even a free one)');

  assert.ok(p.legal_bases.length >= 1, 'no legal basis');
  for (const l of p.legal_bases) {
    assert.ok(l.number.length > 0 && l.title.length > 0);
    if (l.issued_on !== null) assert.match(l.issued_on, /^\d{4}-\d{2}-\d{2}$/);
  }
  assert.ok(p.legal_bases.some((l) => /Hộ tịch/i.test(l.title) || /QH13/.test(l.number)), 'Luật Hộ tịch not cited');

  assert.ok(p.steps.length >= 1 && p.steps.every((s) => typeof s === 'string' && s.length > 0), 'steps');

  assert.ok(p.process.length >= 2, 'internal process');
  assert.equal(p.process.reduce((n, s) => n + s.share_permille, 0), 1000, 'process shares do not add to 1000');
  p.process.forEach((s, i) => {
    assert.equal(s.seq, i + 1, 'process steps out of order');
    assert.ok(['desk', 'specialist', 'leader', 'clerk'].includes(s.role));
  });
});

test('every procedure\'s detail agrees with its list entry, and its process adds to 1000', async () => {
  const all = await allProcedures();
  const bad = [];
  for (const s of all) {
    const r = await request(`/api/v1/procedures/${enc(s.code)}`);
    assert.equal(r.status, 200, `${s.code}: ${r.status} ${r.text.slice(0, 200)}`);
    const p = r.json;
    for (const k of ['code', 'name', 'field', 'levels', 'service_level', 'processing_time', 'time_unit', 'agency']) {
      assert.deepEqual(p[k], s[k], `${s.code}: ${k} differs between the list and the detail`);
    }
    const shares = p.process.reduce((n, x) => n + x.share_permille, 0);
    if (p.process.length > 0 && shares !== 1000) bad.push(`${s.code}: ${shares}`);
  }
  assert.deepEqual(bad, [], 'procedures whose process shares do not add to 1000');
});

test('an unknown procedure code answers 404 problem+json about "code"', async () => {
  for (const code of ['9.999999', '1.001193.X99']) {
    assertProblem(await request(`/api/v1/procedures/${code}`), 404,
      { field: 'code', code: 'procedure_not_found', where: code });
  }
});

test('a malformed procedure code answers 400 about "code" or the path', async () => {
  assertProblem(await request('/api/v1/procedures/1.001193%20x'), 400, { field: 'code', where: 'space' });
  assertProblem(await request('/api/v1/procedures/1.0011%3B93'), 400, { field: 'code', where: 'semicolon' });
  assertProblem(await request('/api/v1/procedures/%C3%28'), 400, { field: 'path', where: 'bad UTF-8 segment' });
  // nginx refuses a NUL in the path itself (its own HTML page), before the service sees it
  assert.equal((await request('/api/v1/procedures/a%00b')).status, 400, 'NUL in segment');
  assertProblem(await request('/api/v1/procedures/1.001193?x=1'), 400, { field: 'x', code: 'unknown_parameter' });
});

const BAD_INPUT = [
  ['unknown parameter', 'sort=name', 'sort'],
  ['repeated parameter', 'q=a&q=b', 'q'],
  ['over-long q (201 bytes)', `q=${'a'.repeat(201)}`, 'q'],
  ['over-long q (68 Vietnamese letters, 204 bytes)', `q=${enc('ệ'.repeat(68))}`, 'q'],
  ['bad UTF-8', 'q=%C3%28', 'q'],
  ['overlong UTF-8 encoding', 'q=%C0%AF', 'q'],
  ['UTF-16 surrogate', 'q=%ED%A0%80', 'q'],
  ['embedded NUL', 'q=khai%00sinh', 'q'],
  ['control character', 'q=khai%07sinh', 'q'],
  ['bad percent escape', 'q=%G1', 'q'],
  ['truncated percent escape', 'q=abc%4', 'q'],
  ['level=galaxy', 'level=galaxy', 'level'],
  ['level in capitals', 'level=COMMUNE', 'level'],
  ['service_level=4', 'service_level=4', 'service_level'],
  ['page=0', 'page=0', 'page'],
  ['page=abc', 'page=abc', 'page'],
  ['page=1.5', 'page=1.5', 'page'],
  ['page huge', 'page=99999999999999999999', 'page'],
  ['per_page=1000', 'per_page=1000', 'per_page'],
  ['field with a space', 'field=ho%20tich', 'field'],
  ['field with a plus (space)', 'field=ho+tich', 'field'],
  ['empty field', 'field=', 'field'],
  ['unit with a slash', 'unit=000.00.21.H45%2F..', 'unit'],
];

for (const [what, query, field] of BAD_INPUT) {
  test(`bad input: ${what} → 400 about "${field}"`, async () => {
    assertProblem(await request(`/api/v1/procedures?${query}`), 400, { field, where: query.slice(0, 60) });
  });
}

test('fields and units take no parameters', async () => {
  assertProblem(await request('/api/v1/fields?q=x'), 400, { field: 'q', code: 'unknown_parameter' });
  assertProblem(await request('/api/v1/units?level=commune'), 400, { field: 'level', code: 'unknown_parameter' });
});

test('a large query string (10 KB) is refused with 4xx, and the service stays healthy', async () => {
  for (const size of [5_000, 10_000, 30_000]) {
    const r = await request(`/api/v1/procedures?q=${'a'.repeat(size)}`);
    assert.ok(r.status >= 400 && r.status < 500, `q of ${size} bytes: ${r.status}`);
  }
  const many = Array.from({ length: 1500 }, (_, i) => `p${i}=1`).join('&');
  const r = await request(`/api/v1/procedures?${many}`);
  assert.ok(r.status >= 400 && r.status < 500, `1500 parameters: ${r.status}`);
  const ping = await request('/api/v1/ping');
  assert.equal(ping.status, 200);
  assert.equal(ping.text, '{"pong":true}');
  const again = await search(`q=${enc('khai sinh')}`);
  assert.ok(again.total >= 1, 'search broken after the large requests');
});
