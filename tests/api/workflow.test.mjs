// The dossier workflow as the office lives it (fcgi/api/dossiers.c, domain/workflow.c):
// reception at the desk, the internal process with every role, the public tracking page,
// every kind of refusal (role, state, step, version, input), the pauses and their effect
// on the due date, suspension, refusal, withdrawal, inter-agency transfer, assignment,
// the apology letter, the scope of each officer, the inbox order and filters, and the
// printed forms.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { assertProblem, trackingRequest, ISO_VN_RE } from './helpers.mjs';
import {
  login, call, act, actOk, getDossier, receive, tryReceive, receptionBody, createOfficer, uniq,
  sql, q, dossierId, vnDay, UNITS, PROCEDURE,
} from './lib/officer.mjs';

const enc = encodeURIComponent;
const DAY = 86400 * 1000;

let desk, specialist, leader, clerk, admin;
before(async () => {
  [desk, specialist, leader, clerk, admin] = await Promise.all(
    ['giomy.motcua', 'giomy.chuyenvien', 'giomy.lanhdao', 'giomy.vanthu', 'admin'].map((u) => login(u)));
});

const sorted = (a) => [...a].sort();

/** The dossier page must show this state, version, step and (for the viewer) actions. */
function expectDossier(d, { state, version, step, role, allowed, where = '' }) {
  const at = `${where} (${d.code})`;
  if (state !== undefined) assert.equal(d.state.code, state, `state ${at}`);
  if (version !== undefined) assert.equal(d.version, version, `version ${at}`);
  if (step !== undefined) {
    assert.ok(d.current_step, `no current_step ${at}`);
    assert.equal(d.current_step.seq, step, `current_step ${at}`);
    if (role) assert.equal(d.current_step.role, role, `current_step.role ${at}`);
    const current = d.process.filter((s) => s.current).map((s) => s.seq);
    assert.deepEqual(current, [step], `process marks ${current} current ${at}`);
  }
  if (allowed !== undefined) assert.deepEqual(sorted(d.allowed_actions), sorted(allowed), `allowed_actions ${at}`);
}

/** 'YYYY-MM-DD HH:MM:SS' (UTC, as the database keeps it) of an ISO time. */
const dbTime = (iso) => new Date(iso).toISOString().slice(0, 19).replace('T', ' ');
/** ISO in Vietnam's time, whole seconds, as the API writes it. */
function vnIso(t) {
  return `${new Date(Math.floor(t / 1000) * 1000 + 7 * 3600 * 1000).toISOString().slice(0, 19)}+07:00`;
}

async function dueDate(startIso, amount, unit = 'working_days') {
  const start = new Date(startIso).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const r = await call(null, 'GET', `/api/v1/calendar/due-date?start=${enc(start)}&amount=${amount}&unit=${unit}`);
  assert.equal(r.status, 200, r.text);
  return r.json.due_at;
}

async function history(session, code) {
  const r = await call(session, 'GET', `/api/v1/dossiers/${enc(code)}/history`);
  assert.equal(r.status, 200, `history of ${code}: ${r.status} ${r.text.slice(0, 300)}`);
  return r.json;
}

/** All pages of the inbox with the given query. */
async function inbox(session, query = '') {
  const items = [];
  let total;
  for (let page = 1; page < 100; page++) {
    const r = await call(session, 'GET', `/api/v1/dossiers?per_page=200&page=${page}${query ? `&${query}` : ''}`);
    assert.equal(r.status, 200, `inbox ${query}: ${r.status} ${r.text.slice(0, 300)}`);
    total = r.json.total;
    items.push(...r.json.items);
    if (r.json.items.length < 200) break;
  }
  assert.equal(items.length, total, `inbox ${query}: total ${total} but ${items.length} items`);
  return items;
}

const DESK_PROCESSING = ['assign', 'forward', 'request_supplement', 'request_payment', 'withdraw'];

test('the whole path with every role: reception, three hand-overs, result, return, public tracking', async () => {
  const before = Date.now();
  const r = await tryReceive(desk, { applicant_name: 'Trần Thị Bích Ngọc' });
  assert.equal(r.status, 201, r.text);
  const { code, pin, due_at: due, version } = r.json;
  assert.match(code, new RegExp(`^000\\.22\\.24\\.H45-${vnDay()}-\\d{4}$`), `code ${code}: unit and today (UTC+7)`);
  assert.match(pin, /^[A-HJ-NP-Za-km-z2-9]{10}$/, `pin ${pin}: 10 characters without look-alikes`);
  assert.match(due, ISO_VN_RE);
  assert.ok(Date.parse(due) > before, `due_at ${due} is not in the future`);
  assert.equal(version, 1);

  let d = await getDossier(desk, code);
  expectDossier(d, { state: 'processing', version: 1, step: 1, role: 'desk', allowed: DESK_PROCESSING, where: 'received' });
  assert.equal(d.due_at, due);
  assert.equal(d.applicant.name, 'Trần Thị Bích Ngọc');
  assert.equal(d.unit.code, UNITS.gioMy);
  assert.equal(d.current_unit.code, UNITS.gioMy);
  assert.equal(d.procedure.code, PROCEDURE);
  assert.equal(d.channel.code, 'direct');
  assert.equal(d.deadline.code, 'within');
  assert.ok(Date.parse(d.received_at) >= before - 2000 && Date.parse(d.received_at) <= Date.now() + 2000, `received_at ${d.received_at}`);
  assert.deepEqual(d.documents.map((x) => x.seq), [1, 2, 3]);
  assert.equal(d.history.length, 1);
  assert.equal(d.history[0].action, 'receive');
  assert.equal(d.history[0].actor, 'giomy.motcua');
  assert.equal(d.history_intact, true);
  assert.ok(Date.parse(d.current_step.due_at) > before, 'the first step has a due time');
  assert.ok(Date.parse(d.current_step.due_at) <= Date.parse(due), 'the first step is due before the dossier');

  // specialist: not their step yet
  expectDossier(await getDossier(specialist, code), {
    allowed: ['transfer', 'request_supplement', 'request_payment'], where: 'specialist at step 1' });

  d = await actOk(desk, code, 'forward', 1);
  expectDossier(d, { state: 'processing', version: 2, step: 2, role: 'specialist',
    allowed: ['assign', 'request_supplement', 'request_payment', 'withdraw'], where: 'desk forwarded' });
  expectDossier(await getDossier(specialist, code), { version: 2, step: 2,
    allowed: ['forward', 'send_back', 'transfer', 'request_supplement', 'request_payment'], where: 'specialist at step 2' });

  d = await actOk(specialist, code, 'forward', 2);
  expectDossier(d, { state: 'processing', version: 3, step: 3, role: 'leader',
    allowed: ['send_back', 'transfer', 'request_supplement', 'request_payment'], where: 'specialist forwarded' });
  expectDossier(await getDossier(leader, code), { version: 3, step: 3,
    allowed: ['assign', 'forward', 'send_back', 'transfer', 'suspend', 'refuse', 'apology'], where: 'leader at step 3' });

  d = await actOk(leader, code, 'forward', 3);
  expectDossier(d, { state: 'processing', version: 4, step: 4, role: 'clerk',
    allowed: ['assign', 'send_back', 'transfer', 'suspend', 'refuse', 'resolve', 'apology'], where: 'leader forwarded' });
  expectDossier(await getDossier(clerk, code), { version: 4, step: 4, allowed: ['send_back', 'resolve'], where: 'clerk at step 4' });

  d = await actOk(clerk, code, 'resolve', 4);
  expectDossier(d, { state: 'resolved', version: 5, allowed: [], where: 'clerk resolved' });
  // the process is over: no step is current any more
  assert.equal(d.current_step, null, 'a resolved dossier sits at no step');
  assert.deepEqual(d.process.filter((s) => s.current), []);
  assert.equal(d.result_ready, true);
  assert.ok(d.finished_at, 'resolved without finished_at');
  assert.equal(d.deadline.code, 'early', 'resolved the same day, days before the due date');
  expectDossier(await getDossier(desk, code), { allowed: ['return'], where: 'desk, resolved' });
  expectDossier(await getDossier(specialist, code), { allowed: [], where: 'specialist, resolved' });

  // the specialist may not hand the result over
  const no = await act(specialist, code, 'return', 5);
  const p = assertProblem(no, 403, { code: 'forbidden_role', field: 'action', where: 'specialist returns' });
  assert.match(p.detail, /'return'/, p.detail);
  assert.match(p.detail, /'resolved'/, p.detail);

  d = await actOk(desk, code, 'return', 5);
  expectDossier(d, { state: 'returned', version: 6, allowed: [], where: 'desk returned' });
  assert.ok(d.returned_at, 'returned without returned_at');
  for (const s of [specialist, leader, clerk]) expectDossier(await getDossier(s, code), { allowed: [], where: `${s.username}, returned` });

  assert.deepEqual(d.history.map((h) => h.action), ['receive', 'forward', 'forward', 'forward', 'resolve', 'return']);
  assert.deepEqual(d.history.map((h) => h.actor),
    ['giomy.motcua', 'giomy.motcua', 'giomy.chuyenvien', 'giomy.lanhdao', 'giomy.vanthu', 'giomy.motcua']);
  assert.deepEqual(d.history.map((h) => h.seq), [1, 2, 3, 4, 5, 6]);
  assert.deepEqual(d.history.map((h) => h.to_state),
    ['processing', 'processing', 'processing', 'processing', 'resolved', 'returned']);
  assert.equal(d.history_intact, true);

  // the public tracking page, with the receipt's secret
  const t = await trackingRequest(`/api/v1/tracking/${enc(code)}?pin=${enc(pin)}`);
  assert.equal(t.status, 200, t.text);
  assert.equal(t.json.status.code, 'returned');
  assert.deepEqual(t.json.steps.map((s) => s.action), ['receive', 'forward', 'forward', 'forward', 'resolve', 'return']);
  for (const s of t.json.steps) {
    assert.match(s.at, ISO_VN_RE);
    assert.equal(s.unit.code, UNITS.gioMy);
    assert.ok(!('actor' in s), 'the public timeline names officers');
  }
  assert.equal(t.json.private.applicant.name, 'Trần Thị Bích Ngọc');
  assert.equal(t.json.deadline.code, 'early');
  assert.ok(!t.text.includes('giomy.'), 'the public page names officers');
  // without the secret: no name
  const anon = await trackingRequest(`/api/v1/tracking/${enc(code)}`);
  assert.equal(anon.status, 200);
  assert.ok(!anon.text.includes('Bích Ngọc'), 'the name without the secret');
  assert.equal(anon.json.private, undefined);
});

test('refused: another role (403), the wrong state (409), the wrong step (409), all naming the action', async () => {
  const { code } = await receive(desk);
  // return while processing: nobody may
  const r = await act(desk, code, 'return', 1);
  const p = assertProblem(r, 409, { code: 'invalid_state', field: 'action', where: 'return while processing' });
  assert.match(p.detail, /'return'/, p.detail);
  assert.match(p.detail, /'processing'/, p.detail);
  // forward by the specialist at the desk's step
  const f = await act(specialist, code, 'forward', 1);
  const pf = assertProblem(f, 403, { code: 'forbidden_role', where: 'specialist forwards the desk step' });
  assert.match(pf.detail, /'forward'/);
  // transfer by the desk
  assertProblem(await act(desk, code, 'transfer', 1, { unit: UNITS.gioLinh }), 403, { code: 'forbidden_role', where: 'desk transfers' });
  // suspend by the specialist
  assertProblem(await act(specialist, code, 'suspend', 1, { reason: 'x' }), 403, { code: 'forbidden_role', where: 'specialist suspends' });
  // resolve at the first step
  const rs = await act(clerk, code, 'resolve', 1);
  const prs = assertProblem(rs, 409, { code: 'invalid_step', field: 'action', where: 'resolve at step 1' });
  assert.match(prs.detail, /'resolve'/);
  assertProblem(await act(leader, code, 'resolve', 1), 409, { code: 'invalid_step', where: 'leader resolves at step 1' });
  // send back from the first step
  const sb = await act(leader, code, 'send_back', 1, { reason: 'Thiếu thông tin' });
  const psb = assertProblem(sb, 409, { code: 'invalid_step', where: 'send_back at step 1' });
  assert.match(psb.detail, /'send_back'/);
  // a monitor or an admin acts on nothing
  const mon = await login('giolinh.giamsat');
  assertProblem(await act(mon, code, 'forward', 1), 403, { code: 'forbidden_role', where: 'monitor forwards' });
  assertProblem(await act(admin, code, 'forward', 1), 403, { code: 'forbidden_role', where: 'admin forwards' });
  // resolve at the last step is refused before it, so go there and back
  let d = await actOk(leader, code, 'forward', 1);
  d = await actOk(leader, code, 'forward', d.version);
  d = await actOk(leader, code, 'forward', d.version);
  expectDossier(d, { step: 4, version: 4 });
  const fl = await act(leader, code, 'forward', 4);
  const pfl = assertProblem(fl, 409, { code: 'invalid_step', where: 'forward past the last step' });
  assert.match(pfl.detail, /'forward'/);
  d = await actOk(clerk, code, 'send_back', 4, { reason: 'Cần ký lại' });
  expectDossier(d, { state: 'processing', version: 5, step: 3, where: 'sent back' });
  assert.match(d.history.at(-1).note, /Cần ký lại/);
  // nothing refused left a trace
  assert.deepEqual(d.history.map((h) => h.action), ['receive', 'forward', 'forward', 'forward', 'send_back']);
});

test('If-Match: a stale version → 412 and nothing changes; none or malformed → 428; forms of the tag', async () => {
  const { code } = await receive(desk);
  await actOk(desk, code, 'forward', 1);
  const before = await getDossier(desk, code);
  const stale = await act(specialist, code, 'forward', 1);
  const p = assertProblem(stale, 412, { code: 'version_mismatch', field: 'If-Match', where: 'stale If-Match' });
  assert.match(p.detail, /2/);
  const after = await getDossier(desk, code);
  assert.equal(after.version, before.version);
  assert.equal(after.history.length, before.history.length);
  assert.equal(after.current_step.seq, before.current_step.seq);
  // a version from the future is stale too
  assertProblem(await act(specialist, code, 'forward', 99), 412, { code: 'version_mismatch', where: 'future version' });

  for (const [label, headers] of [
    ['none', {}],
    ['not a number', { 'If-Match': '"abc"' }],
    ['zero', { 'If-Match': '"0"' }],
    ['negative', { 'If-Match': '"-2"' }],
    ['star', { 'If-Match': '*' }],
    ['junk after the number', { 'If-Match': '"2x"' }],
  ]) {
    const r = await act(specialist, code, 'forward', undefined, {}, headers);
    assertProblem(r, 428, { code: 'precondition_required', field: 'If-Match', where: `If-Match ${label}` });
  }
  assert.equal((await getDossier(desk, code)).version, 2, 'a refused request changed the dossier');
  // the three spellings of the same version
  let d = (await act(specialist, code, 'request_payment', undefined, {}, { 'If-Match': '2' })).json;
  assert.equal(d?.version, 3, 'If-Match: 2 (bare)');
  d = (await act(desk, code, 'pay', undefined, {}, { 'If-Match': 'W/"3"' })).json;
  assert.equal(d?.version, 4, 'If-Match: W/"3"');
  d = await actOk(specialist, code, 'forward', 4);
  assert.equal(d.version, 5);
});

test('unknown actions and dossiers → 404', async () => {
  const { code } = await receive(desk);
  for (const a of ['fly', 'receive', 'submit', 'recalculate', 'FORWARD', 'forward2']) {
    assertProblem(await act(desk, code, a, 1), 404, { code: 'unknown_action', where: `action ${a}` });
  }
  const missing = code.replace(/-\d+$/, '-9999');
  assertProblem(await act(desk, missing, 'forward', 1), 404, { code: 'dossier_not_found', where: 'unknown dossier' });
  assertProblem(await call(desk, 'GET', `/api/v1/dossiers/${enc(missing)}`), 404, { code: 'dossier_not_found' });
  assert.equal((await getDossier(desk, code)).version, 1);
});

test('a reason is required to refuse, suspend, send back and not accept → 422 naming reason', async () => {
  const { code } = await receive(desk);
  for (const body of [{}, { reason: '' }]) {
    assertProblem(await act(leader, code, 'refuse', 1, body), 422, { code: 'missing_field', field: 'reason', where: `refuse ${JSON.stringify(body)}` });
    assertProblem(await act(leader, code, 'suspend', 1, body), 422, { code: 'missing_field', field: 'reason', where: `suspend ${JSON.stringify(body)}` });
  }
  await actOk(desk, code, 'forward', 1);
  assertProblem(await act(specialist, code, 'send_back', 2, {}), 422, { code: 'missing_field', field: 'reason', where: 'send_back' });
  assert.equal((await getDossier(desk, code)).version, 2);

  // an online submission the desk does not accept (made from a fresh one: the API has no
  // online submission yet)
  const sub = await receive(desk);
  sql(`UPDATE dossiers SET state = 'submitted', channel = 'online', received_at = NULL, due_at = NULL,
       step_due_at = NULL, current_step = NULL, submitted_at = UTC_TIMESTAMP() WHERE code = ${q(sub.code)}`);
  let d = await getDossier(desk, sub.code);
  expectDossier(d, { state: 'submitted', allowed: ['accept', 'not_accept', 'request_supplement', 'withdraw'], where: 'submitted' });
  assert.equal(d.deadline.code, 'none');
  assertProblem(await act(desk, sub.code, 'not_accept', 1, {}), 422, { code: 'missing_field', field: 'reason', where: 'not_accept' });
  d = await actOk(desk, sub.code, 'not_accept', 1, { reason: 'Hồ sơ không thuộc thẩm quyền của xã' });
  expectDossier(d, { state: 'not_accepted', version: 2, allowed: [], where: 'not accepted' });
  assert.match(d.history.at(-1).note, /không thuộc thẩm quyền/);
});

test('accept starts the clock of an online submission', async () => {
  const sub = await receive(desk);
  sql(`UPDATE dossiers SET state = 'submitted', channel = 'online', received_at = NULL, due_at = NULL,
       step_due_at = NULL, current_step = NULL, submitted_at = UTC_TIMESTAMP() WHERE code = ${q(sub.code)}`);
  assertProblem(await act(specialist, sub.code, 'accept', 1), 403, { code: 'forbidden_role', where: 'specialist accepts' });
  const before = Date.now();
  const d = await actOk(desk, sub.code, 'accept', 1);
  expectDossier(d, { state: 'processing', version: 2, step: 1, allowed: DESK_PROCESSING, where: 'accepted' });
  assert.ok(Date.parse(d.received_at) >= before - 2000, `received_at ${d.received_at}`);
  assert.ok(Date.parse(d.due_at) > Date.now(), `due_at ${d.due_at}`);
});

test('request_supplement: the items are required; the pause moves the due date when the supplement comes', async () => {
  const { code } = await receive(desk);
  for (const body of [{}, { items: [] }]) {
    assertProblem(await act(desk, code, 'request_supplement', 1, body), 422,
      { code: 'missing_field', field: 'items', where: `request_supplement ${JSON.stringify(body)}` });
  }
  assertProblem(await act(desk, code, 'request_supplement', 1, { items: ['ok', ''] }), 400, { field: 'items', where: 'an empty item' });
  const items = ['Bản sao Giấy chứng nhận kết hôn có chứng thực', 'Tờ khai có chữ ký của hai bên'];
  let d = await actOk(desk, code, 'request_supplement', 1, { items, note: 'Bổ sung trong 5 ngày' });
  expectDossier(d, { state: 'awaiting_supplement', version: 2, allowed: ['supplement', 'withdraw'], where: 'awaiting supplement' });
  for (const it of items) assert.ok(d.history.at(-1).note.includes(it), `the history does not list "${it}"`);
  expectDossier(await getDossier(leader, code), { allowed: ['refuse', 'apology'], where: 'leader, awaiting supplement' });
  expectDossier(await getDossier(specialist, code), { allowed: [], where: 'specialist, awaiting supplement' });
  assertProblem(await act(desk, code, 'forward', 2), 409, { code: 'invalid_state', where: 'forward while paused' });

  // As if received 20 days ago and paused for the supplement ever since: the due date is
  // then the full time again from the supplement (every working hour since reception
  // was paused), weeks after the due date it had without the pause.
  const id = dossierId(code);
  const received = new Date(Date.parse(d.received_at) - 20 * DAY).toISOString();
  const unpaused = await dueDate(received, 5);
  sql(`UPDATE dossiers SET received_at = ${q(dbTime(received))}, due_at = ${q(dbTime(unpaused))} WHERE id = ${id};
       UPDATE dossier_pauses SET from_at = ${q(dbTime(received))} WHERE dossier_id = ${id} AND to_at IS NULL`);
  const paused = await getDossier(desk, code);
  assert.equal(paused.due_at, unpaused);

  d = await actOk(desk, code, 'supplement', 2);
  expectDossier(d, { state: 'processing', version: 3, step: 1, allowed: DESK_PROCESSING, where: 'supplemented' });
  const at = d.history.at(-1).at;
  assert.equal(d.history.at(-1).action, 'supplement');
  assert.ok(Date.parse(d.due_at) > Date.parse(unpaused) + 7 * DAY,
    `due ${d.due_at}: not moved by the paused time (without the pause: ${unpaused})`);
  assert.equal(d.due_at, await dueDate(at, 5), 'the whole time since reception was paused: 5 working days from the supplement');
  const pause = sql(`SELECT state, to_at IS NOT NULL FROM dossier_pauses WHERE dossier_id = ${id}`);
  assert.deepEqual(pause, [['awaiting_supplement', '1']], 'the pause is not closed');
  assertProblem(await act(desk, code, 'supplement', 3), 409, { code: 'invalid_state', where: 'a second supplement' });
});

test('request_payment and pay; suspend and resume (leader)', async () => {
  const { code } = await receive(desk);
  let d = await actOk(specialist, code, 'request_payment', 1);
  expectDossier(d, { state: 'awaiting_payment', version: 2, allowed: [], where: 'specialist asked for payment' });
  expectDossier(await getDossier(desk, code), { allowed: ['pay', 'withdraw'], where: 'desk, awaiting payment' });
  assertProblem(await act(specialist, code, 'pay', 2), 403, { code: 'forbidden_role', where: 'specialist records payment' });
  d = await actOk(desk, code, 'pay', 2);
  expectDossier(d, { state: 'processing', version: 3, step: 1, allowed: DESK_PROCESSING, where: 'paid' });
  assertProblem(await act(desk, code, 'pay', 3), 409, { code: 'invalid_state', where: 'pay twice' });

  assertProblem(await act(leader, code, 'resume', 3), 409, { code: 'invalid_state', where: 'resume while processing' });
  d = await actOk(leader, code, 'suspend', 3, { reason: 'Chờ kết quả xác minh của Công an' });
  expectDossier(d, { state: 'suspended', version: 4, allowed: ['resume', 'refuse', 'apology'], where: 'suspended' });
  assert.match(d.history.at(-1).note, /xác minh/);
  expectDossier(await getDossier(desk, code), { allowed: ['withdraw'], where: 'desk, suspended' });
  assertProblem(await act(desk, code, 'resume', 4), 403, { code: 'forbidden_role', where: 'desk resumes' });
  d = await actOk(leader, code, 'resume', 4);
  expectDossier(d, { state: 'processing', version: 5, step: 1, where: 'resumed' });
  const pauses = sql(`SELECT state, to_at IS NOT NULL FROM dossier_pauses WHERE dossier_id = ${dossierId(code)} ORDER BY seq`);
  assert.deepEqual(pauses, [['awaiting_payment', '1'], ['suspended', '1']]);
  assert.deepEqual(d.history.map((h) => h.action), ['receive', 'request_payment', 'pay', 'suspend', 'resume']);
});

test('refuse (leader) and withdraw (desk) end the dossier: no action left for anyone', async () => {
  const a = await receive(desk);
  assertProblem(await act(desk, a.code, 'refuse', 1, { reason: 'x' }), 403, { code: 'forbidden_role', where: 'desk refuses' });
  let d = await actOk(leader, a.code, 'refuse', 1, { reason: 'Giấy tờ giả mạo' });
  expectDossier(d, { state: 'refused', version: 2, allowed: [], where: 'refused' });
  assert.equal(d.refusal_reason, 'Giấy tờ giả mạo');
  assert.ok(d.finished_at);
  for (const s of [desk, specialist, clerk]) expectDossier(await getDossier(s, a.code), { allowed: [], where: `${s.username}, refused` });
  for (const [s, action] of [[desk, 'withdraw'], [leader, 'resume'], [leader, 'forward'], [desk, 'return']]) {
    assertProblem(await act(s, a.code, action, 2, { reason: 'x' }), 409, { code: 'invalid_state', where: `${action} after refusal` });
  }
  const t = await trackingRequest(`/api/v1/tracking/${enc(a.code)}`);
  assert.equal(t.json.status.code, 'refused');

  const b = await receive(desk);
  d = await actOk(desk, b.code, 'withdraw', 1, { note: 'Công dân xin rút hồ sơ' });
  expectDossier(d, { state: 'withdrawn', version: 2, allowed: [], where: 'withdrawn' });
  assert.ok(d.finished_at);
  expectDossier(await getDossier(leader, b.code), { allowed: [], where: 'leader, withdrawn' });
  assertProblem(await act(desk, b.code, 'withdraw', 2), 409, { code: 'invalid_state', where: 'withdraw twice' });

  // withdrawing while paused closes the pause
  const c = await receive(desk);
  await actOk(desk, c.code, 'request_supplement', 1, { items: ['Ảnh 4x6'] });
  await actOk(desk, c.code, 'withdraw', 2);
  assert.deepEqual(sql(`SELECT to_at IS NOT NULL FROM dossier_pauses WHERE dossier_id = ${dossierId(c.code)}`), [['1']]);
});

test('transfer to another agency and back; transfer_back when not transferred → 409', async () => {
  const { code } = await receive(desk);
  assertProblem(await act(specialist, code, 'transfer_back', 1), 409, { code: 'invalid_state', where: 'transfer_back at home' });
  await actOk(desk, code, 'forward', 1);
  assertProblem(await act(specialist, code, 'transfer', 2, {}), 422, { code: 'missing_field', field: 'unit', where: 'no unit' });
  assertProblem(await act(specialist, code, 'transfer', 2, { unit: UNITS.gioMy }), 422, { field: 'unit', where: 'to itself' });
  assertProblem(await act(specialist, code, 'transfer', 2, { unit: '000.99.24.H45' }), 422, { field: 'unit', where: 'unknown unit' });

  let d = await actOk(specialist, code, 'transfer', 2, { unit: UNITS.gioLinh, note: 'Xin ý kiến phòng Tư pháp huyện' });
  expectDossier(d, { state: 'processing', version: 3, step: 2,
    allowed: ['forward', 'send_back', 'transfer', 'transfer_back', 'request_supplement', 'request_payment'], where: 'transferred' });
  assert.equal(d.unit.code, UNITS.gioMy, 'the receiving unit changed');
  assert.equal(d.current_unit.code, UNITS.gioLinh);
  assert.equal(d.history.at(-1).action, 'transfer');
  assert.equal(d.history.at(-1).unit.code, UNITS.gioLinh);
  assert.equal(d.history_intact, true, 'history broken by the transfer');
  // the district sees it now
  const mon = await login('giolinh.giamsat');
  assert.equal((await getDossier(mon, code)).current_unit.code, UNITS.gioLinh);
  const t = await trackingRequest(`/api/v1/tracking/${enc(code)}`);
  assert.equal(t.json.steps.at(-1).action, 'transfer');
  assert.equal(t.json.steps.at(-1).unit.code, UNITS.gioLinh);

  d = await actOk(specialist, code, 'transfer_back', 3);
  expectDossier(d, { state: 'processing', version: 4, step: 2,
    allowed: ['forward', 'send_back', 'transfer', 'request_supplement', 'request_payment'], where: 'back home' });
  assert.equal(d.current_unit.code, UNITS.gioMy);
  assert.equal(d.history.at(-1).action, 'transfer_back');
  assert.equal(d.history.at(-1).unit.code, UNITS.gioMy);
  const h = await history(desk, code);
  assert.equal(h.intact, true, `history broken after transfer_back: ${JSON.stringify(h.items.map((i) => [i.seq, i.action, i.unit.code, i.chain_ok]))}`);
  assert.equal(d.history_intact, true);
  const again = await act(specialist, code, 'transfer_back', 4);
  const p = assertProblem(again, 409, { code: 'invalid_state', where: 'transfer_back twice' });
  assert.match(p.detail, /transfer_back/);
  assert.equal((await getDossier(desk, code)).version, 4);

  // the unit code as people type it: refused, or taken for the unit it names
  const lc = await act(specialist, code, 'transfer', 4, { unit: UNITS.gioLinh.toLowerCase() });
  if (lc.status === 200) {
    assert.equal(lc.json.current_unit.code, UNITS.gioLinh);
    assert.equal(lc.json.history_intact, true, 'history broken by a transfer to a lower-case unit code');
    assert.equal((await history(desk, code)).intact, true);
  } else {
    assertProblem(lc, lc.status, { field: 'unit', where: 'lower-case unit code' });
    assert.ok([400, 422].includes(lc.status), `lower-case unit code: ${lc.status}`);
  }
});

test('transferred to another district: its officers see and work it there, and lose it when it comes back', async () => {
  const username = uniq('dongha.cv');
  const password = await createOfficer(admin, { username, unit: UNITS.dongHa, roles: ['specialist', 'leader'] });
  const dh = await login(username, password);
  const { code } = await receive(desk);
  assertProblem(await call(dh, 'GET', `/api/v1/dossiers/${enc(code)}`), 404, { code: 'dossier_not_found', where: 'before the transfer' });
  await actOk(desk, code, 'forward', 1);
  await actOk(specialist, code, 'transfer', 2, { unit: UNITS.dongHa });
  const seen = await getDossier(dh, code);
  assert.equal(seen.current_unit.code, UNITS.dongHa);
  assert.ok(seen.allowed_actions.includes('transfer_back'));
  assert.ok((await inbox(dh, `procedure=${PROCEDURE}`)).some((i) => i.code === code), 'not in the inbox of the unit holding it');
  const f = await actOk(dh, code, 'forward', 3);
  assert.equal(f.history.at(-1).unit.code, UNITS.dongHa, 'the step done at Đông Hà is recorded at Gio Mỹ');
  assert.equal(f.history.at(-1).actor, username);
  // the receiving unit takes it back
  const back = await actOk(specialist, code, 'transfer_back', 4);
  assert.equal(back.current_unit.code, UNITS.gioMy);
  assert.equal(back.history_intact, true);
  assertProblem(await call(dh, 'GET', `/api/v1/dossiers/${enc(code)}`), 404, { code: 'dossier_not_found', where: 'after it came back' });
  assertProblem(await act(dh, code, 'forward', 5), 404, { code: 'dossier_not_found', where: 'acting after it came back' });
  assert.ok(!(await inbox(dh, `procedure=${PROCEDURE}`)).some((i) => i.code === code), 'still in the inbox after it came back');
});

test('the unit holding a transferred dossier hands it back: answered as done, not 404', async () => {
  const username = uniq('dongha.cv');
  const password = await createOfficer(admin, { username, unit: UNITS.dongHa, roles: ['specialist'] });
  const dh = await login(username, password);
  const { code } = await receive(desk);
  await actOk(desk, code, 'forward', 1);
  await actOk(specialist, code, 'transfer', 2, { unit: UNITS.dongHa });
  const r = await act(dh, code, 'transfer_back', 3);
  const d = await getDossier(desk, code);
  assert.equal(d.version, 4, 'the hand-back did not happen');
  assert.equal(d.current_unit.code, UNITS.gioMy);
  assert.ok(r.status >= 200 && r.status < 300, `hand-back done, but answered ${r.status} ${r.text.slice(0, 200)}`);
  const page = JSON.parse(r.text);
  assert.equal(page.in_scope, false, 'the answer says the dossier has left the actor\'s units');
  assert.deepEqual(page.allowed_actions, [], 'nothing more for the former holder to do');
  assert.equal(page.current_unit.code, UNITS.gioMy);
});

test('assign: to a specialist of the unit (not public), not to a leader or a stranger → 422', async () => {
  const { code, pin } = await receive(desk);
  assertProblem(await act(desk, code, 'assign', 1, {}), 422, { code: 'missing_field', field: 'assignee', where: 'no assignee' });
  assertProblem(await act(desk, code, 'assign', 1, { assignee: 'giomy.lanhdao' }), 422, { field: 'assignee', where: 'a leader' });
  assertProblem(await act(desk, code, 'assign', 1, { assignee: uniq('khongco') }), 422, { field: 'assignee', where: 'nobody' });
  const far = uniq('dongha.cv');
  await createOfficer(admin, { username: far, unit: UNITS.dongHa, roles: ['specialist'] });
  assertProblem(await act(desk, code, 'assign', 1, { assignee: far }), 422, { field: 'assignee', where: 'a specialist of Đông Hà' });
  const gone = uniq('giomy.cv.nghi');
  await createOfficer(admin, { username: gone, unit: UNITS.gioMy, roles: ['specialist'] });
  assert.equal((await call(admin, 'PATCH', `/api/v1/officers/${gone}`, { active: false })).status, 200);
  assertProblem(await act(desk, code, 'assign', 1, { assignee: gone }), 422, { field: 'assignee', where: 'a deactivated specialist' });
  assertProblem(await act(specialist, code, 'assign', 1, { assignee: 'giomy.chuyenvien' }), 403, { code: 'forbidden_role', where: 'specialist assigns' });
  assert.equal((await getDossier(desk, code)).version, 1);

  let d = await actOk(desk, code, 'assign', 1, { assignee: 'giomy.chuyenvien' });
  expectDossier(d, { state: 'processing', version: 2, step: 1, allowed: DESK_PROCESSING, where: 'assigned' });
  assert.equal(d.assignee, 'giomy.chuyenvien');
  assert.equal(d.history.at(-1).action, 'assign');
  const box = await inbox(desk, `procedure=${PROCEDURE}`);
  assert.equal(box.find((i) => i.code === code)?.assignee, 'giomy.chuyenvien', 'the inbox does not show the assignee');
  // the public timeline leaves internal assignments out
  const t = await trackingRequest(`/api/v1/tracking/${enc(code)}?pin=${enc(pin)}`);
  assert.deepEqual(t.json.steps.map((s) => s.action), ['receive']);
  // a new step, a new assignment
  d = await actOk(desk, code, 'forward', 2);
  assert.equal(d.assignee, null, 'the assignment of step 1 stays on step 2');
});

test('apology: a new date after the due date is promised; tracking shows it and still judges by the due date', async () => {
  const { code } = await receive(desk);
  // late: due yesterday
  const id = dossierId(code);
  sql(`UPDATE dossiers SET due_at = UTC_TIMESTAMP() - INTERVAL 1 DAY WHERE id = ${id}`);
  const late = await getDossier(leader, code);
  assert.equal(late.deadline.code, 'overdue');
  assertProblem(await act(leader, code, 'apology', 1, {}), 422, { code: 'missing_field', field: 'new_date', where: 'no new date' });
  const early = vnIso(Date.parse(late.due_at) - DAY);
  assertProblem(await act(leader, code, 'apology', 1, { new_date: early }), 422, { field: 'new_date', where: 'before the due date' });
  assertProblem(await act(leader, code, 'apology', 1, { new_date: '30/12/2026' }), 422, { field: 'new_date', where: 'not ISO' });
  assertProblem(await act(desk, code, 'apology', 1, { new_date: vnIso(Date.now() + 10 * DAY) }), 403, { code: 'forbidden_role', where: 'desk apologizes' });

  const promised = vnIso(Date.now() + 10 * DAY);
  const d = await actOk(leader, code, 'apology', 1, { new_date: promised, reason: 'Chờ xác minh hộ tịch tại xã khác' });
  expectDossier(d, { state: 'processing', version: 2, step: 1, where: 'apology' });
  assert.equal(d.promised_at, promised);
  assert.equal(d.due_at, late.due_at, 'the apology moved the statutory due date');
  assert.equal(d.deadline.code, 'overdue', 'a promise does not make a late dossier on time');
  assert.equal(d.history.at(-1).action, 'apology');
  assert.ok(d.history.at(-1).note.includes(promised.slice(8, 10) + '/' + promised.slice(5, 7) + '/' + promised.slice(0, 4)),
    `the history does not give the new date: ${d.history.at(-1).note}`);
  const apology = sql(`SELECT COUNT(*) FROM apology_letters WHERE dossier_id = ${id}`);
  assert.deepEqual(apology, [['1']]);

  const t = await trackingRequest(`/api/v1/tracking/${enc(code)}`);
  assert.equal(t.status, 200, t.text);
  assert.equal(t.json.promised_at, promised);
  assert.equal(t.json.due_at, late.due_at);
  assert.equal(t.json.deadline.code, 'overdue');
  assert.equal(t.json.steps.at(-1).action, 'apology');
});

test('reception: missing documents → 422 listing them; unknown procedure → 422; postal needs a waybill', async () => {
  const names = sql(`SELECT d.seq, d.name FROM procedure_documents d JOIN procedures p ON p.id = d.procedure_id
                     WHERE p.code = ${q(PROCEDURE)} AND d.required = 1 ORDER BY d.seq`);
  assert.equal(names.length, 3);
  const r = await tryReceive(desk, { documents: [1] });
  assert.equal(r.status, 422, r.text);
  assert.equal(r.json.code, 'missing_documents');
  assert.equal(r.json.field, 'documents');
  for (const [seq, name] of names) {
    if (seq === '1') assert.ok(!r.json.detail.includes(name), 'a given document is listed as missing');
    else assert.ok(r.json.detail.includes(name), `missing document ${seq} "${name.slice(0, 40)}…" is not listed: ${r.json.detail}`);
  }
  const none = await tryReceive(desk, { documents: undefined });
  assert.equal(none.status, 422, none.text);
  for (const [, name] of names) assert.ok(none.json.detail.includes(name), 'no documents: not all listed');
  assertProblem(await tryReceive(desk, { documents: [1, 2, 3, 42] }), 400, { field: 'documents', where: 'a document the procedure does not list' });

  assertProblem(await tryReceive(desk, { procedure: '9.999999' }), 422, { code: 'unknown_procedure', field: 'procedure' });
  assertProblem(await tryReceive(desk, { procedure: '1.004746; DROP' }), 400, { field: 'procedure' });
  assertProblem(await tryReceive(desk, { channel: 'postal' }), 422, { code: 'missing_field', field: 'waybill', where: 'postal without waybill' });
  assertProblem(await tryReceive(desk, { channel: 'online' }), 400, { field: 'channel', where: 'online at the desk' });
  assertProblem(await tryReceive(desk, { applicant_name: 'A' }), 400, { field: 'applicant_name' });
  assertProblem(await tryReceive(specialist), 403, { code: 'forbidden_role', where: 'a specialist receives' });

  // by post, with the waybill; the result goes back by post too and needs its own waybill
  const p = await receive(desk, { channel: 'postal', waybill: 'EB123456789VN', result_channel: 'postal' });
  let d = await getDossier(desk, p.code);
  assert.equal(d.channel.code, 'postal');
  assert.equal(d.waybill_in, 'EB123456789VN');
  assert.match(d.history[0].note, /bưu chính/);
  for (let v = 1; v <= 3; v++) d = await actOk(leader, p.code, 'forward', v);
  d = await actOk(leader, p.code, 'resolve', 4);
  assertProblem(await act(desk, p.code, 'return', 5), 422, { code: 'missing_field', field: 'waybill', where: 'postal return without waybill' });
  d = await actOk(desk, p.code, 'return', 5, { waybill: 'EB987654321VN' });
  assert.equal(d.state.code, 'returned');
  assert.equal(d.waybill_out, 'EB987654321VN');
});

test('out of scope: an officer of Đông Hà gets 404 for a Gio Mỹ dossier and does not see it in the inbox', async () => {
  const { code, pin } = await receive(desk);
  const username = uniq('dongha.motcua');
  const password = await createOfficer(admin, { username, unit: UNITS.dongHa, roles: ['desk', 'specialist', 'leader', 'clerk'] });
  const dh = await login(username, password);
  const quang = uniq('gioquang.motcua');
  await createOfficer(admin, { username: quang, unit: '000.23.24.H45', roles: ['desk', 'leader'], password });
  const gq = await login(quang, password);

  for (const s of [dh, gq]) {
    const where = s.username;
    assertProblem(await call(s, 'GET', `/api/v1/dossiers/${enc(code)}`), 404, { code: 'dossier_not_found', where: `${where} GET` });
    for (const a of ['forward', 'withdraw', 'refuse', 'assign']) {
      assertProblem(await act(s, code, a, 1, a === 'refuse' ? { reason: 'x' } : {}), 404, { code: 'dossier_not_found', where: `${where} ${a}` });
    }
    assertProblem(await call(s, 'GET', `/api/v1/dossiers/${enc(code)}/history`), 404, { code: 'dossier_not_found', where: `${where} history` });
    assertProblem(await call(s, 'GET', `/api/v1/dossiers/${enc(code)}/control-sheet.pdf`), 404, { code: 'dossier_not_found', where: `${where} control sheet` });
    assertProblem(await call(s, 'POST', `/api/v1/dossiers/${enc(code)}/receipt`, { pin }), 404, { code: 'dossier_not_found', where: `${where} receipt` });
    const box = await inbox(s);
    assert.ok(!box.some((i) => i.code === code), `${where}: the Gio Mỹ dossier is in the inbox`);
    // only what was received or is now held in their own units
    const own = s === dh ? ['000.00.21.H45', '000.21.21.H45', '000.22.21.H45', '000.23.21.H45'] : ['000.23.24.H45'];
    const foreign = box.filter((i) => !own.includes(i.code.split('-')[0]) && !own.includes(i.current_unit.code));
    assert.deepEqual(foreign.map((i) => i.code), [], `${where}: dossiers of other units in the inbox`);
  }
  // nothing happened to it, and its own district sees it
  assert.equal((await getDossier(desk, code)).version, 1);
  const mon = await login('giolinh.giamsat');
  assert.equal((await getDossier(mon, code)).code, code);
  assert.ok((await inbox(mon, `procedure=${PROCEDURE}`)).some((i) => i.code === code), 'the district monitor does not see it');
});

const URGENCY_RANK = { overdue: 0, due_soon: 1, within: 2, none: 3 };

test('inbox: open dossiers in scope, overdue first then by due time; the urgency filter', async () => {
  const fresh = await receive(desk);
  const late = await receive(desk);
  sql(`UPDATE dossiers SET due_at = UTC_TIMESTAMP() - INTERVAL 1 DAY WHERE code = ${q(late.code)}`);
  // due in two hours: within the next working day, whenever the test runs
  const close = await receive(desk);
  sql(`UPDATE dossiers SET due_at = UTC_TIMESTAMP() + INTERVAL 2 HOUR WHERE code = ${q(close.code)}`);
  const done = await receive(desk);
  await actOk(desk, done.code, 'withdraw', 1);

  const items = await inbox(desk);
  const mine = items.find((i) => i.code === late.code);
  assert.ok(mine, 'the overdue dossier is not in the inbox');
  assert.equal(mine.urgency, 'overdue');
  assert.equal(mine.state.code, 'processing');
  assert.equal(mine.procedure.code, PROCEDURE);
  assert.equal(mine.current_step.seq, 1);
  assert.equal(mine.current_step.role, 'desk');
  assert.equal(mine.version, 1);
  assert.equal(items.find((i) => i.code === fresh.code)?.urgency, 'within');
  assert.equal(items.find((i) => i.code === close.code)?.urgency, 'due_soon');
  const pos = (c) => items.findIndex((i) => i.code === c);
  assert.ok(pos(late.code) < pos(close.code) && pos(close.code) < pos(fresh.code), 'not overdue, due soon, within');
  assert.ok(!items.some((i) => i.code === done.code), 'a withdrawn dossier is in the inbox');
  for (const i of items) {
    assert.ok(['submitted', 'processing', 'awaiting_supplement', 'awaiting_payment', 'suspended', 'resolved'].includes(i.state.code),
      `${i.code}: ${i.state.code} in the inbox`);
    assert.ok(i.code.startsWith(`${UNITS.gioMy}-`) || i.current_unit.code === UNITS.gioMy, `${i.code}: outside Gio Mỹ`);
  }
  // order: overdue, due soon, within, no due date; by due time inside each
  for (let k = 1; k < items.length; k++) {
    const a = items[k - 1], b = items[k];
    assert.ok(URGENCY_RANK[a.urgency] <= URGENCY_RANK[b.urgency],
      `${a.code} (${a.urgency}) before ${b.code} (${b.urgency}): ${items.map((i) => i.urgency).join(',')}`);
    if (a.urgency === b.urgency && a.due_at && b.due_at) {
      assert.ok(Date.parse(a.due_at) <= Date.parse(b.due_at), `${a.code} due ${a.due_at} before ${b.code} due ${b.due_at}`);
    }
  }
  assert.equal(items[0].urgency, 'overdue');

  const overdue = await inbox(desk, 'urgency=overdue');
  assert.ok(overdue.some((i) => i.code === late.code));
  assert.ok(!overdue.some((i) => i.code === fresh.code));
  for (const i of overdue) assert.equal(i.urgency, 'overdue', `${i.code} (${i.state.code}) listed as overdue but labelled ${i.urgency}`);
  const within = await inbox(desk, 'urgency=within');
  assert.ok(within.some((i) => i.code === fresh.code));
  for (const i of within) assert.equal(i.urgency, 'within', `${i.code} (${i.state.code}) labelled ${i.urgency}`);
  const soon = await inbox(desk, 'urgency=due_soon');
  assert.ok(soon.some((i) => i.code === close.code), 'urgency=due_soon misses a dossier due in 2 hours');
  for (const i of soon) assert.equal(i.urgency, 'due_soon', `${i.code} labelled ${i.urgency}`);
  // other filters
  const step2 = await inbox(desk, 'step=2');
  for (const i of step2) assert.equal(i.current_step?.seq, 2);
  const proc = await inbox(desk, `procedure=${PROCEDURE}&state=processing`);
  assert.ok(proc.some((i) => i.code === late.code));
  for (const i of proc) {
    assert.equal(i.procedure.code, PROCEDURE);
    assert.equal(i.state.code, 'processing');
  }
  for (const bad of ['urgency=late', 'state=returned', 'per_page=0', 'per_page=201', 'page=0', 'colour=red']) {
    assertProblem(await call(desk, 'GET', `/api/v1/dossiers?${bad}`), 400, { where: bad });
  }
});

test('inbox: a result waiting to be handed over is not listed as overdue', async () => {
  // resolved after its due date: it waits for the applicant, nobody can make it on time
  const { code } = await receive(desk);
  let d;
  for (let v = 1; v <= 3; v++) d = await actOk(leader, code, 'forward', v);
  d = await actOk(leader, code, 'resolve', 4);
  assert.equal(d.state.code, 'resolved');
  sql(`UPDATE dossiers SET due_at = UTC_TIMESTAMP() - INTERVAL 2 DAY WHERE code = ${q(code)}`);
  const items = await inbox(desk);
  const it = items.find((i) => i.code === code);
  assert.ok(it, 'a resolved dossier waiting for return is not in the inbox');
  assert.equal(it.urgency, 'none');
  for (let k = 1; k < items.length; k++) {
    assert.ok(URGENCY_RANK[items[k - 1].urgency] <= URGENCY_RANK[items[k].urgency],
      `${items[k - 1].code} (${items[k - 1].urgency}, ${items[k - 1].state.code}) before ${items[k].code} (${items[k].urgency}): ` +
      items.map((i) => `${i.urgency}/${i.state.code}`).join(','));
  }
  const overdue = await inbox(desk, 'urgency=overdue');
  assert.ok(!overdue.some((i) => i.code === code), 'urgency=overdue lists a resolved dossier (labelled "none")');
});

function pdftotext(buf) {
  try {
    return execFileSync('pdftotext', ['-q', '-', '-'], { input: buf, encoding: 'utf8' });
  } catch (e) {
    if (e.code === 'ENOENT') return null;
    throw e;
  }
}

test('receipt: the PDF for the right PIN, with the code and the applicant; a wrong PIN → 403', async () => {
  const name = 'Lê Văn Biên Nhận';
  const { code, pin } = await receive(desk, { applicant_name: name });
  const r = await call(desk, 'POST', `/api/v1/dossiers/${enc(code)}/receipt`, { pin });
  assert.equal(r.status, 200, r.text);
  assert.match(r.type, /^application\/pdf\b/);
  assert.equal(r.buf.subarray(0, 5).toString('latin1'), '%PDF-');
  assert.match(r.headers.get('content-disposition') || '', /filename="[^"]*\.pdf"/);
  const text = pdftotext(r.buf);
  if (text !== null) {
    const flat = text.normalize('NFC').replace(/\s+/g, ' ');
    assert.ok(flat.includes(code), `the receipt does not show ${code}`);
    assert.ok(flat.includes(name), `the receipt does not show "${name}"`);
  }
  const wrong = pin === 'ABCDEFGHJK' ? 'KJHGFEDCBA' : 'ABCDEFGHJK';
  assertProblem(await call(desk, 'POST', `/api/v1/dossiers/${enc(code)}/receipt`, { pin: wrong }), 403, { code: 'wrong_pin', field: 'pin' });
  assertProblem(await call(desk, 'POST', `/api/v1/dossiers/${enc(code)}/receipt`, { pin: pin.toLowerCase() === pin ? pin.toUpperCase() : pin.toLowerCase() }), 403,
    { code: 'wrong_pin', where: 'PIN in another case' });
  assertProblem(await call(desk, 'POST', `/api/v1/dossiers/${enc(code)}/receipt`, {}), 400, { field: 'pin' });
  assertProblem(await call(specialist, 'POST', `/api/v1/dossiers/${enc(code)}/receipt`, { pin }), 403, { code: 'forbidden_role' });
});

test('control sheet: a PDF for every officer of the unit', async () => {
  const { code } = await receive(desk);
  await actOk(desk, code, 'forward', 1);
  for (const s of [desk, specialist]) {
    const r = await call(s, 'GET', `/api/v1/dossiers/${enc(code)}/control-sheet.pdf`);
    assert.equal(r.status, 200, r.text);
    assert.match(r.type, /^application\/pdf\b/);
    assert.equal(r.buf.subarray(0, 5).toString('latin1'), '%PDF-');
    const text = pdftotext(r.buf);
    if (text !== null) assert.ok(text.replace(/\s+/g, ' ').includes(code), 'the control sheet does not show the code');
  }
  assertProblem(await call(null, 'GET', `/api/v1/dossiers/${enc(code)}/control-sheet.pdf`), 401, { code: 'not_authenticated' });
});
