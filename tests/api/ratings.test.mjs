// Satisfaction ratings: once per returned dossier, with the receipt's secret; officers read
// the counts per criterion and value, and the satisfaction rates, for their subtree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertProblem } from './helpers.mjs';
import { login, receive, actOk, call, raw, sql, dossierId, UNITS } from './lib/officer.mjs';

const enc = encodeURIComponent;

/** A dossier received at Gio Mỹ and taken all the way to returned. */
async function returnedDossier() {
  const desk = await login('giomy.motcua');
  const specialist = await login('giomy.chuyenvien');
  const leader = await login('giomy.lanhdao');
  const clerk = await login('giomy.vanthu');
  const d = await receive(desk);
  await actOk(desk, d.code, 'forward', 1);
  await actOk(specialist, d.code, 'forward', 2);
  await actOk(leader, d.code, 'forward', 3);
  await actOk(clerk, d.code, 'resolve', 4);
  await actOk(desk, d.code, 'return', 5);
  return d;
}

const GOOD = { overall: 'very_satisfied', ease: 'satisfied', time: 'satisfied', attitude: 'very_satisfied', visits: 'not_satisfied' };

function rate(code, body) {
  return raw('POST', `/api/v1/tracking/${enc(code)}/rating`, {
    headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
  });
}

test('a returned dossier is rated once; not before it is returned; not without its secret', async () => {
  const desk = await login('giomy.motcua');
  const open = await receive(desk);
  assertProblem(await rate(open.code, { pin: open.pin, ...GOOD }), 409, { code: 'not_returned' });

  const d = await returnedDossier();
  assertProblem(await rate(d.code, { pin: 'WRONGPIN99', ...GOOD }), 404);
  assertProblem(await rate(d.code, { pin: d.pin, ...GOOD, overall: 'great' }), 400, { field: 'overall' });
  assertProblem(await rate(d.code, { pin: d.pin, overall: 'satisfied' }), 400);
  assertProblem(await rate(d.code, { pin: d.pin, ...GOOD, stars: 5 }), 400, { field: 'stars' });

  const r = await rate(d.code, { pin: d.pin, ...GOOD, comment: 'Cán bộ nhiệt tình' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.code, d.code);
  assert.equal(r.json.overall, 'very_satisfied');
  assert.ok(r.json.rated_at);
  const [[n, comment]] = sql(`SELECT COUNT(*), MAX(comment) FROM dossier_ratings WHERE dossier_id = ${dossierId(d.code)}`);
  assert.equal(n, '1');
  assert.equal(comment, 'Cán bộ nhiệt tình');

  assertProblem(await rate(d.code, { pin: d.pin, ...GOOD, overall: 'not_satisfied' }), 409, { code: 'already_rated' });
  const [[still]] = sql(`SELECT overall FROM dossier_ratings WHERE dossier_id = ${dossierId(d.code)}`);
  assert.equal(still, 'very_satisfied', 'the second rating changed nothing');
});

test('officers read the counts and rates of their subtree, not of another one', async () => {
  const d = await returnedDossier();
  const before = (await call(await login('giolinh.giamsat'), 'GET', `/api/v1/ratings?unit=${UNITS.gioMy}`)).json;
  assert.equal((await rate(d.code, { pin: d.pin, ...GOOD })).status, 201);

  const monitor = await login('giolinh.giamsat');
  const r = await call(monitor, 'GET', `/api/v1/ratings?unit=${UNITS.gioMy}`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.unit.code, UNITS.gioMy);
  assert.equal(r.json.total, before.total + 1);
  assert.equal(r.json.criteria.overall.very_satisfied, before.criteria.overall.very_satisfied + 1);
  assert.equal(r.json.criteria.visits.not_satisfied, before.criteria.visits.not_satisfied + 1);
  for (const c of ['overall', 'ease', 'time', 'attitude', 'visits']) {
    const x = r.json.criteria[c];
    const total = x.very_satisfied + x.satisfied + x.not_satisfied;
    assert.equal(total, r.json.total, c);
    assert.equal(x.satisfaction_rate, Math.floor((x.very_satisfied + x.satisfied) * 1000 / total) / 10, c);
  }
  assert.equal(r.json.satisfaction_rate, r.json.criteria.overall.satisfaction_rate);

  // the district's own view includes its communes; a period before today counts nothing
  const district = await call(monitor, 'GET', '/api/v1/ratings');
  assert.equal(district.json.unit.code, UNITS.gioLinh);
  assert.ok(district.json.total >= r.json.total);
  const past = await call(monitor, 'GET', `/api/v1/ratings?unit=${UNITS.gioMy}&from=2020-01-01&to=2020-12-31`);
  assert.equal(past.json.total, 0);
  assert.equal(past.json.satisfaction_rate, null);

  // another subtree, bad input, no session
  assertProblem(await call(monitor, 'GET', `/api/v1/ratings?unit=${UNITS.dongHa}`), 403, { code: 'out_of_scope' });
  assertProblem(await call(monitor, 'GET', '/api/v1/ratings?from=2025-13-01'), 400, { field: 'from' });
  assertProblem(await raw('GET', '/api/v1/ratings'), 401);
});
