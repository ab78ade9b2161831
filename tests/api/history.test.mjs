// The hash-chained history (store/history_store.c, domain/history.h): a fresh dossier's
// history checks out; editing one stored event, deleting one, or swapping two is
// detected on the history endpoint (intact=false, the event that no longer chains marked
// chain_ok=false) and on the dossier page (history_intact=false). Done straight in the
// database, as someone with access to it would.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { assertProblem } from './helpers.mjs';
import { login, call, receive, actOk, getDossier, sql, q, dossierId } from './lib/officer.mjs';

const enc = encodeURIComponent;
let desk, specialist, leader;
before(async () => {
  [desk, specialist, leader] = await Promise.all(['giomy.motcua', 'giomy.chuyenvien', 'giomy.lanhdao'].map((u) => login(u)));
});

async function history(session, code) {
  const r = await call(session, 'GET', `/api/v1/dossiers/${enc(code)}/history`);
  assert.equal(r.status, 200, `history of ${code}: ${r.status} ${r.text.slice(0, 300)}`);
  return r.json;
}

/** A dossier with four events: receive, forward (desk), forward (specialist), forward (leader). */
async function fourEvents(note = '') {
  const { code } = await receive(desk);
  await actOk(desk, code, 'forward', 1, note ? { note } : {});
  await actOk(specialist, code, 'forward', 2);
  await actOk(leader, code, 'forward', 3);
  return { code, id: dossierId(code) };
}

const chain = (h) => h.items.map((i) => i.chain_ok);

test('a fresh dossier: intact, every event chained, in order', async () => {
  const { code } = await receive(desk);
  let h = await history(desk, code);
  assert.equal(h.code, code);
  assert.equal(h.intact, true);
  assert.deepEqual(h.items.map((i) => [i.seq, i.action, i.chain_ok]), [[1, 'receive', true]]);
  const { code: c4 } = await fourEvents('Ghi chú có dấu: "ngoặc", \\ và\nxuống dòng');
  h = await history(desk, c4);
  assert.equal(h.intact, true);
  assert.deepEqual(h.items.map((i) => i.seq), [1, 2, 3, 4]);
  assert.deepEqual(h.items.map((i) => i.action), ['receive', 'forward', 'forward', 'forward']);
  assert.deepEqual(chain(h), [true, true, true, true]);
  assert.equal(h.items[1].note.includes('xuống dòng'), true);
  assert.equal((await getDossier(specialist, c4)).history_intact, true);
  // the same for every officer who can see it
  assert.equal((await history(leader, c4)).intact, true);
  assertProblem(await call(null, 'GET', `/api/v1/dossiers/${enc(c4)}/history`), 401, { code: 'not_authenticated' });
});

test('the code typed in lower case: the same dossier, and its history still checks out', async () => {
  const { code } = await fourEvents();
  const lc = code.toLowerCase();
  const r = await call(desk, 'GET', `/api/v1/dossiers/${enc(lc)}`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.code, code);
  assert.equal(r.json.history_intact, true, 'a lower-case code makes an intact history look tampered with');
  assert.deepEqual(r.json.history.map((i) => i.chain_ok), [true, true, true, true]);
  const h = await history(desk, lc);
  assert.equal(h.code, code);
  assert.equal(h.intact, true);
});

test('an event altered in the database: intact=false, that event chain_ok=false, the page says so', async () => {
  const { code, id } = await fourEvents();
  const original = sql(`SELECT note FROM dossier_events WHERE dossier_id = ${id} AND seq = 2`)[0][0];
  sql(`UPDATE dossier_events SET note = 'sửa lén' WHERE dossier_id = ${id} AND seq = 2`);
  const h = await history(desk, code);
  assert.equal(h.intact, false, 'an altered note goes unnoticed');
  assert.equal(h.items[1].note, 'sửa lén');
  assert.equal(h.items[1].chain_ok, false, 'the altered event is not marked');
  assert.equal(h.items[0].chain_ok, true, 'the event before it is marked');
  const d = await getDossier(desk, code);
  assert.equal(d.history_intact, false, 'the dossier page does not say the history was altered');
  assert.equal(d.history[1].chain_ok, false);

  // put back exactly as it was: intact again (the check is on the content)
  sql(`UPDATE dossier_events SET note = ${original === null ? 'NULL' : q(original)} WHERE dossier_id = ${id} AND seq = 2`);
  assert.equal((await history(desk, code)).intact, true, 'restoring the note does not restore the chain');

  // other columns too: the actor, the time, the state, the unit
  for (const [col, value] of [
    ['actor', q('giomy.lanhdao')],
    ['at', 'at - INTERVAL 1 HOUR'],
    ['to_state', q('resolved')],
    ['unit_id', `(SELECT id FROM units WHERE code = '000.00.21.H45')`],
    ['step_name', q('Bước khác')],
    ['due_at', 'due_at + INTERVAL 1 DAY'],
  ]) {
    const before = sql(`SELECT ${col} FROM dossier_events WHERE dossier_id = ${id} AND seq = 3`)[0][0];
    sql(`UPDATE dossier_events SET ${col} = ${value} WHERE dossier_id = ${id} AND seq = 3`);
    const t = await history(desk, code);
    assert.equal(t.intact, false, `a changed ${col} goes unnoticed`);
    assert.equal(t.items[2].chain_ok, false, `a changed ${col}: the event is not marked`);
    sql(`UPDATE dossier_events SET ${col} = ${before === null ? 'NULL' : q(before)} WHERE dossier_id = ${id} AND seq = 3`);
    assert.equal((await history(desk, code)).intact, true, `after restoring ${col}`);
  }
});

test('a deleted middle event is detected', async () => {
  const { code, id } = await fourEvents();
  sql(`DELETE FROM dossier_events WHERE dossier_id = ${id} AND seq = 2`);
  const h = await history(desk, code);
  assert.equal(h.intact, false, 'a deleted event goes unnoticed');
  assert.deepEqual(h.items.map((i) => i.seq), [1, 3, 4]);
  assert.equal(h.items[0].chain_ok, true);
  assert.equal(h.items[1].chain_ok, false, 'the event after the gap is not marked');
  assert.equal((await getDossier(desk, code)).history_intact, false);
});

test('two events with their seq swapped are detected', async () => {
  const { code, id } = await fourEvents();
  sql(`UPDATE dossier_events SET seq = 100 WHERE dossier_id = ${id} AND seq = 2;
       UPDATE dossier_events SET seq = 2 WHERE dossier_id = ${id} AND seq = 3;
       UPDATE dossier_events SET seq = 3 WHERE dossier_id = ${id} AND seq = 100`);
  const h = await history(desk, code);
  assert.equal(h.intact, false, 'a reordering goes unnoticed');
  assert.deepEqual(h.items.map((i) => i.seq), [1, 2, 3, 4]);
  assert.equal(h.items[0].chain_ok, true);
  assert.equal(h.items[1].chain_ok, false, 'the moved event is not marked');
  assert.equal((await getDossier(desk, code)).history_intact, false);
});

test('an event inserted (copied from another dossier) is detected', async () => {
  const a = await fourEvents();
  const b = await fourEvents();
  // b's event 4 (hash and all) put into a as its event 5
  sql(`INSERT INTO dossier_events (dossier_id, seq, at, action, from_state, to_state, unit_id, step_seq, step_name,
         actor, note, due_at, prev_hash, hash)
       SELECT ${a.id}, 5, at, action, from_state, to_state, unit_id, step_seq, step_name, actor, note, due_at, prev_hash, hash
       FROM dossier_events WHERE dossier_id = ${b.id} AND seq = 4`);
  const h = await history(desk, a.code);
  assert.equal(h.items.length, 5);
  assert.equal(h.intact, false, 'a foreign event goes unnoticed');
  assert.deepEqual(chain(h), [true, true, true, true, false]);
  assert.equal((await history(desk, b.code)).intact, true);
});

test('tampering does not stop the work: the control sheet still prints and actions go on', async () => {
  const { code, id } = await fourEvents();
  sql(`UPDATE dossier_events SET actor = 'nguoi.la' WHERE dossier_id = ${id} AND seq = 1`);
  const r = await call(desk, 'GET', `/api/v1/dossiers/${enc(code)}/control-sheet.pdf`);
  assert.equal(r.status, 200, r.text);
  assert.match(r.type, /^application\/pdf\b/);
  const clerk = await login('giomy.vanthu');
  const d = await actOk(clerk, code, 'resolve', 4);
  assert.equal(d.state.code, 'resolved');
  assert.equal(d.history_intact, false, 'a new event hides the old tampering');
  const h = await history(desk, code);
  assert.deepEqual(chain(h), [false, true, true, true, true]);
});
