// Dossier codes under load (store/dossier_store.c dossier_next_seq): 200 receptions at
// one unit at the same moment each get a code, no two the same, and the day's sequence
// numbers they take form one run without gaps; the counter ends at the highest.
// Concurrent actions on one dossier: exactly one wins per version.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  login, tryReceive, receive, act, getDossier, createOfficer, uniq, sql, q, UNITS, vnDay, vnDate,
} from './lib/officer.mjs';

const N = 200;
const SESSIONS = 4;

test(`${N} simultaneous receptions at one unit: ${N} × 201, distinct codes, one gap-free run of numbers`, async () => {
  const sessions = await Promise.all(Array.from({ length: SESSIONS }, () => login('giomy.motcua')));
  const day = vnDay();
  const results = await Promise.all(Array.from({ length: N }, (_, i) =>
    tryReceive(sessions[i % SESSIONS], { applicant_name: `Người Nộp Đồng Thời ${i + 1}` })));
  if (vnDay() !== day) return;          // midnight in Vietnam passed mid-test: two days' counters

  const statuses = {};
  for (const r of results) statuses[r.status] = (statuses[r.status] || 0) + 1;
  assert.deepEqual(statuses, { 201: N }, `statuses: ${JSON.stringify(statuses)}; first failure: ${
    results.find((r) => r.status !== 201)?.text.slice(0, 300)}`);

  const codes = results.map((r) => r.json.code);
  assert.equal(new Set(codes).size, N, 'duplicate codes');
  const prefix = `${UNITS.gioMy}-${day}-`;
  for (const c of codes) assert.ok(c.startsWith(prefix) && /^\d{4,}$/.test(c.slice(prefix.length)), `code ${c}`);
  const seqs = codes.map((c) => Number(c.slice(prefix.length))).sort((a, b) => a - b);
  const min = seqs[0], max = seqs[N - 1];
  assert.equal(max - min, N - 1, `numbers ${min}..${max} for ${N} receptions: gaps`);
  seqs.forEach((s, k) => assert.equal(s, min + k, `number ${min + k} missing`));
  assert.equal(new Set(results.map((r) => r.json.pin)).size, N, 'two receipts share a secret');

  const counter = sql(`SELECT c.last_seq FROM dossier_code_counters c JOIN units u ON u.id = c.unit_id
                       WHERE u.code = ${q(UNITS.gioMy)} AND c.day = ${q(`20${day.slice(0, 2)}-${day.slice(2, 4)}-${day.slice(4)}`)}`);
  assert.equal(counter.length, 1, 'no counter row for the day');
  assert.equal(Number(counter[0][0]), max, 'the counter is not at the highest number given');

  // every one of them is a whole dossier: in the database once, with its first event
  const rows = sql(`SELECT COUNT(DISTINCT d.id), COUNT(e.seq) FROM dossiers d
                    JOIN dossier_events e ON e.dossier_id = d.id AND e.seq = 1
                    WHERE d.code IN (${codes.map(q).join(',')})`);
  assert.deepEqual(rows, [[String(N), String(N)]]);
  // and the next reception continues the run
  const next = await receive(sessions[0]);
  assert.equal(next.code, `${prefix}${String(max + 1).padStart(4, '0')}`);
});

test('the first receptions of the day at a unit, all at once: the new counter row is shared, not duplicated', async () => {
  // a unit with no code handed out today yet
  const rows = sql(`SELECT u.code FROM units u WHERE u.active = 1 AND NOT EXISTS (SELECT 1 FROM dossier_code_counters c
                    WHERE c.unit_id = u.id AND c.day = ${q(vnDate())}) ORDER BY u.id`);
  if (rows.length === 0) return;       // every unit has received today already: nothing to test
  const unit = rows[0][0];
  const admin = await login('admin');
  const username = uniq('daungay');
  const password = await createOfficer(admin, { username, unit, roles: ['desk'] });
  const sessions = await Promise.all(Array.from({ length: SESSIONS }, () => login(username, password)));
  const day = vnDay();
  const M = 50;
  const results = await Promise.all(Array.from({ length: M }, (_, i) => tryReceive(sessions[i % SESSIONS])));
  if (vnDay() !== day) return;
  const bad = results.filter((r) => r.status !== 201);
  assert.equal(bad.length, 0, `${bad.length} of ${M} failed: ${bad.map((r) => r.status).join(',')} ${bad[0]?.text.slice(0, 300)}`);
  const seqs = results.map((r) => Number(r.json.code.split('-')[2])).sort((a, b) => a - b);
  assert.deepEqual(seqs, Array.from({ length: M }, (_, k) => k + 1), `the day's numbers at ${unit}`);
  assert.deepEqual(sql(`SELECT c.last_seq FROM dossier_code_counters c JOIN units u ON u.id = c.unit_id
                        WHERE u.code = ${q(unit)} AND c.day = ${q(vnDate())}`), [[String(M)]]);
});

test('20 officers forward the same dossier at once: one succeeds, the others get 412', async () => {
  const desk = await login('giomy.motcua');
  const leaders = await Promise.all(Array.from({ length: 20 }, () => login('giomy.lanhdao')));
  const { code } = await receive(desk);
  const results = await Promise.all(leaders.map((s) => act(s, code, 'forward', 1)));
  const ok = results.filter((r) => r.status === 200);
  const stale = results.filter((r) => r.status === 412);
  assert.equal(ok.length, 1, `statuses: ${results.map((r) => r.status).join(',')}`);
  assert.equal(stale.length, 19, `statuses: ${results.map((r) => r.status).join(',')}`);
  const d = await getDossier(desk, code);
  assert.equal(d.version, 2);
  assert.equal(d.current_step.seq, 2);
  assert.deepEqual(d.history.map((h) => h.action), ['receive', 'forward']);
  assert.equal(d.history_intact, true);
});
