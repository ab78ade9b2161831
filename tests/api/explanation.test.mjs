// The tracking page's "how was the due date computed": the calculator's explanation for
// the dossier itself, and it must land on the same due date the dossier carries.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const BASE = process.env.MOTCUA_URL || 'http://127.0.0.1:8091';
const VAR = process.env.MOTCUA_VAR;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function demo(state) {
  const rows = readFileSync(`${VAR}/demo-dossiers.tsv`, 'utf8').trim().split('\n').slice(1)
    .map((l) => l.split('\t'));
  const row = rows.find((r) => r[2] === state);
  assert.ok(row, `a demo dossier in state ${state}`);
  return row[0];
}

// paced: the tracking endpoints share nginx's rate limit
async function get(path) {
  await sleep(120);
  return fetch(`${BASE}${path}`);
}

test('the explanation of an open or finished dossier lands on its own due date', async () => {
  for (const state of ['processing', 'returned', 'awaiting_payment']) {
    const code = demo(state);
    const tracking = await (await get(`/api/v1/tracking/${code}`)).json();
    const r = await get(`/api/v1/tracking/${code}/explanation`);
    assert.equal(r.status, 200, `${state} ${code}`);
    const ex = await r.json();
    assert.equal(Date.parse(ex.due_at), Date.parse(tracking.due_at), `${state} ${code}: explained due date`);
    assert.equal(Date.parse(ex.start), Date.parse(tracking.received_at));
    assert.match(ex.explanation_vi, /hạn giải quyết/i);
    assert.ok(ex.explanation_en.length > 20);
    assert.ok(Array.isArray(ex.skipped_days));
  }
});

test('a dossier not yet received has no due date to explain', async () => {
  const r = await get(`/api/v1/tracking/${demo('submitted')}/explanation`);
  assert.equal(r.status, 409);
  assert.equal((await r.json()).code, 'not_received');
});

test('bad and unknown codes', async () => {
  let r = await get('/api/v1/tracking/abc/explanation');
  assert.equal(r.status, 400);
  assert.equal((await r.json()).field, 'code');
  r = await get('/api/v1/tracking/000.00.20.H12-250304-9999/explanation');
  assert.equal(r.status, 404);
  r = await get(`/api/v1/tracking/${demo('processing')}/explanation?x=1`);
  assert.equal(r.status, 400);
});
