// Late dossiers: the worker drafts the apology letter (Phiếu xin lỗi và hẹn lại ngày trả
// kết quả) with a proposed date; a leader approves it; the applicant sees the new date on
// the tracking page while the deadline status is still judged against the original due.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { login, receive, getDossier, act, actOk, sql, dossierId } from './lib/officer.mjs';

const BASE = process.env.MOTCUA_URL || 'http://127.0.0.1:8091';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let desk;
let leader;

before(async () => {
  desk = await login('giomy.motcua');
  leader = await login('giomy.lanhdao');
});

// A due date faked by SQL would be "corrected" by the next calendar recompute (which
// other tests trigger): close such dossiers when done.
async function withdraw(code) {
  const d = await getDossier(desk, code);
  if (d.allowed_actions.includes('withdraw')) await actOk(desk, code, 'withdraw', d.version);
}

async function waitForDraft(code) {
  for (let i = 0; i < 60; i++) {
    const d = await getDossier(leader, code);
    if (d.apology) return d;
    await sleep(500);
  }
  assert.fail(`no apology draft for ${code} within 30 s`);
}

test('an overdue dossier gets a drafted letter, which the leader approves as proposed', async (t) => {
  const { code, pin } = await receive(desk);
  t.after(() => withdraw(code));
  await actOk(desk, code, 'forward', 1);
  // two working days late
  sql(`UPDATE dossiers SET due_at = UTC_TIMESTAMP() - INTERVAL 2 DAY WHERE id = ${dossierId(code)}`);

  const drafted = await waitForDraft(code);
  assert.equal(drafted.apology.drafted_by, null, 'drafted by the system');
  assert.equal(drafted.apology.approved_at, null, 'not approved yet');
  assert.match(drafted.apology.reason, /quá hạn/);
  const proposed = Date.parse(drafted.apology.proposed_date);
  assert.ok(proposed > Date.now(), 'the proposed date lies ahead');
  assert.ok(drafted.allowed_actions.includes('apology'));

  // a desk officer may not approve
  assert.equal((await act(desk, code, 'apology', drafted.version)).status, 403);

  const approved = await actOk(leader, code, 'apology', drafted.version);
  assert.equal(approved.apology.approved_by, 'giomy.lanhdao');
  assert.equal(Date.parse(approved.promised_at), proposed);
  assert.match(approved.history.at(-1).note, /Hẹn lại ngày trả kết quả/);

  // the applicant sees the new date; the status still counts against the original due
  const track = await (await fetch(`${BASE}/api/v1/tracking/${code}?pin=${pin}`)).json();
  assert.equal(Date.parse(track.promised_at), proposed);
  assert.equal(track.deadline.code, "overdue");
  assert.ok(track.steps.some((s) => s.action === "apology"));
});

test('a leader may set another date than the draft, but not one before the due date', async (t) => {
  const { code } = await receive(desk);
  t.after(() => withdraw(code));
  sql(`UPDATE dossiers SET due_at = UTC_TIMESTAMP() - INTERVAL 1 DAY WHERE id = ${dossierId(code)}`);
  const d = await waitForDraft(code);
  const early = new Date(Date.parse(d.due_at) - 3600e3).toISOString().slice(0, 19) + 'Z';
  const r = await act(leader, code, 'apology', d.version, { new_date: early });
  assert.equal(r.status, 422);
  assert.equal(r.json.field, 'new_date');
  const later = new Date(Date.now() + 10 * 86400e3).toISOString().slice(0, 19) + 'Z';
  const ok = await actOk(leader, code, 'apology', d.version, { new_date: later });
  assert.equal(Date.parse(ok.promised_at), Date.parse(later));
  assert.equal(Date.parse(ok.apology.proposed_date), Date.parse(later), 'the draft now carries the leader\'s date');
  const letters = sql(`SELECT COUNT(*) FROM apology_letters WHERE dossier_id = ${dossierId(code)}`);
  assert.equal(letters[0][0], '1', 'the draft was approved, not a second letter written');
});

test('without a draft and without a date the leader is told what is missing', async () => {
  const { code } = await receive(desk);
  const d = await getDossier(leader, code);
  assert.equal(d.apology, null, 'a dossier far from its due date has no draft');
  const r = await act(leader, code, 'apology', d.version, {});
  assert.equal(r.status, 422);
  assert.equal(r.json.field, 'new_date');
});
