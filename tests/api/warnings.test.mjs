// Warnings (GET /api/v1/warnings) and the daily digest (POST /api/v1/warnings/digest/run):
// situations made through the API (reception, supplement request, feedback) and aged with
// SQL (a due date moved, a history made old), then read back as the officers concerned see
// them: the right kind, the right scope, the counts adding up; the digest lands once in the
// outbox and in the stack's SMTP sink (Maildir $MOTCUA_VAR/mail), never twice a day.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { VAR, sleep, assertProblem } from './helpers.mjs';
import {
  UNITS, login, receive, actOk, call, sql, q, dossierId, uniq, createOfficer, vnDate,
} from './lib/officer.mjs';

let desk, admin, monitor, dongHa, dongHaUser;
const enc = encodeURIComponent;

before(async () => {
  desk = await login('giomy.motcua');
  admin = await login('admin');
  monitor = await login('giolinh.giamsat');          // Gio Linh district: Gio Mỹ is under it
  dongHaUser = uniq('dh');
  const pw = await createOfficer(admin, { username: dongHaUser, unit: UNITS.dongHaWard, roles: ['desk'] });
  dongHa = await login(dongHaUser, pw);
});

/** GET /api/v1/warnings as session (must answer 200). */
async function warnings(session, query = '') {
  const r = await call(session, 'GET', `/api/v1/warnings${query ? `?${query}` : ''}`);
  assert.equal(r.status, 200, `warnings ${query} as ${session.username}: ${r.status} ${r.text.slice(0, 300)}`);
  return r.json;
}

/** Every item of one kind the session sees (all pages). */
async function allOfKind(session, kind, extra = '') {
  const out = [];
  for (let page = 1; page < 100; page++) {
    const w = await warnings(session, `kind=${kind}&per_page=100&page=${page}${extra}`);
    out.push(...w.items);
    if (out.length >= w.total || w.items.length === 0) break;
  }
  return out;
}

async function find(session, kind, code) {
  return (await allOfKind(session, kind)).find((i) => i.code === code);
}

/** A fresh dossier at the Gio Mỹ desk. */
async function fresh() {
  return receive(desk);
}

test('without a session: 401; a bad kind or page size: 400 naming the parameter', async () => {
  assertProblem(await call(null, 'GET', '/api/v1/warnings'), 401, { code: 'not_authenticated' });
  assertProblem(await call(desk, 'GET', '/api/v1/warnings?kind=late'), 400, { field: 'kind' });
  assertProblem(await call(desk, 'GET', '/api/v1/warnings?per_page=0'), 400, { field: 'per_page' });
  assertProblem(await call(desk, 'GET', '/api/v1/warnings?unit=000.99.99.H45'), 400, { field: 'unit' });
});

test('a dossier due within one working day is due soon; its due date in the past makes it overdue', async () => {
  const d = await fresh();
  const id = dossierId(d.code);
  // a freshly received dossier of 5 working days is neither
  assert.equal(await find(desk, 'due_soon', d.code), undefined);
  assert.equal(await find(desk, 'overdue', d.code), undefined);

  sql(`UPDATE dossiers SET due_at = UTC_TIMESTAMP() + INTERVAL 1 HOUR WHERE id = ${id}`);
  const soon = await find(desk, 'due_soon', d.code);
  assert.ok(soon, 'due in an hour: listed as due_soon');
  assert.equal(soon.link, `/can-bo/ho-so.html?code=${d.code}`);
  assert.equal(soon.unit.code, UNITS.gioMy);
  assert.match(soon.title, /\S/);
  assert.match(soon.due_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00$/);
  assert.equal(await find(desk, 'overdue', d.code), undefined);

  sql(`UPDATE dossiers SET due_at = UTC_TIMESTAMP() - INTERVAL 1 HOUR WHERE id = ${id}`);
  const late = await find(desk, 'overdue', d.code);
  assert.ok(late, 'due an hour ago: overdue');
  assert.equal(late.since, late.due_at);
  assert.equal(await find(desk, 'due_soon', d.code), undefined, 'no longer due soon');
});

test('a dossier nobody touched for more than N working days is stuck, a fresh one is not', async () => {
  const d = await fresh();
  const id = dossierId(d.code);
  assert.equal(await find(desk, 'stuck', d.code), undefined);
  // 30 calendar days: more than 5 working days whatever the holidays
  sql(`UPDATE dossier_events SET at = UTC_TIMESTAMP() - INTERVAL 30 DAY WHERE dossier_id = ${id}`);
  sql(`UPDATE dossiers SET updated_at = UTC_TIMESTAMP() - INTERVAL 30 DAY WHERE id = ${id}`);
  const s = await find(desk, 'stuck', d.code);
  assert.ok(s, 'stuck');
  const days = (Date.now() - Date.parse(s.since)) / 86400e3;
  assert.ok(days > 29.9 && days < 30.1, `since its last event, 30 days ago: ${s.since}`);
  assert.equal((await warnings(desk)).thresholds.stuck_working_days, 5);
});

test('a result ready for N working days and not handed over is listed', async () => {
  const d = await fresh();
  const id = dossierId(d.code);
  sql(`UPDATE dossiers SET state = 'resolved', result_ready = 1, finished_at = UTC_TIMESTAMP() - INTERVAL 1 HOUR WHERE id = ${id}`);
  assert.equal(await find(desk, 'resolved_not_returned', d.code), undefined, 'resolved an hour ago: not yet');
  sql(`UPDATE dossiers SET finished_at = UTC_TIMESTAMP() - INTERVAL 20 DAY WHERE id = ${id}`);
  const w = await find(desk, 'resolved_not_returned', d.code);
  assert.ok(w, 'resolved 20 days ago and not returned');
  assert.equal(await find(desk, 'overdue', d.code), undefined, 'a resolved dossier is not overdue');
});

test('a supplement waiting past its deadline is listed; the paused clock is not overdue', async () => {
  const d = await fresh();
  const id = dossierId(d.code);
  await actOk(desk, d.code, 'request_supplement', d.version, { items: ['Bản sao giấy tờ nhà đất'] });
  assert.equal(await find(desk, 'supplement_overdue', d.code), undefined, 'just asked');
  sql(`UPDATE supplement_requests SET requested_at = UTC_TIMESTAMP() - INTERVAL 40 DAY WHERE dossier_id = ${id}`);
  const w = await find(desk, 'supplement_overdue', d.code);
  assert.ok(w, 'asked 40 days ago, not supplied');
  // its due date passed while the clock was paused: not late (the pause began before it)
  sql(`UPDATE dossiers SET due_at = UTC_TIMESTAMP() - INTERVAL 1 HOUR WHERE id = ${id}`);
  sql(`UPDATE dossier_pauses SET from_at = UTC_TIMESTAMP() - INTERVAL 2 HOUR WHERE dossier_id = ${id} AND to_at IS NULL`);
  assert.equal(await find(desk, 'overdue', d.code), undefined, 'paused before the due time');
  // paused only after the due time had passed: late all the same
  sql(`UPDATE dossier_pauses SET from_at = UTC_TIMESTAMP() - INTERVAL 30 MINUTE WHERE dossier_id = ${id} AND to_at IS NULL`);
  assert.ok(await find(desk, 'overdue', d.code), 'paused after the due time');
});

test('feedback near its due date is listed for the handling unit until answered', async () => {
  const fb = await call(null, 'POST', '/api/v1/feedback', {
    kind: 'other', unit: UNITS.gioMy, content: 'Cảnh báo: phản ánh sắp đến hạn', name: 'Người Thử',
  });
  assert.equal(fb.status, 201, fb.text);
  const code = fb.json.code;
  assert.equal(await find(desk, 'feedback_due', code), undefined, 'due in 10 working days');
  sql(`UPDATE feedback SET due_at = UTC_TIMESTAMP() + INTERVAL 2 HOUR WHERE code = ${q(code)}`);
  const w = await find(desk, 'feedback_due', code);
  assert.ok(w, 'due in two hours');
  assert.equal(w.link, `/can-bo/phan-anh.html?code=${code}`);
  assert.match(w.title, /phản ánh sắp đến hạn/);
  assert.equal(await find(dongHa, 'feedback_due', code), undefined, 'another district does not see it');
  const a = await call(desk, 'POST', `/api/v1/feedback/${enc(code)}/answer`, { answer: 'Đã xử lý.', publish: false });
  assert.equal(a.status, 200, a.text);
  assert.equal(await find(desk, 'feedback_due', code), undefined, 'answered');
});

test('scope: the holder sees what it can act on, the district monitor its whole subtree, others nothing', async () => {
  const d = await fresh();
  const id = dossierId(d.code);
  sql(`UPDATE dossiers SET due_at = UTC_TIMESTAMP() - INTERVAL 2 HOUR WHERE id = ${id}`);
  assert.ok(await find(desk, 'overdue', d.code), 'the Gio Mỹ desk');
  assert.ok(await find(monitor, 'overdue', d.code), 'the Gio Linh monitor');
  assert.equal(await find(dongHa, 'overdue', d.code), undefined, 'a desk in Đông Hà');
  // now held by the Đông Hà ward (an inter-agency transfer): the ward acts on it, Gio Mỹ's
  // desk cannot any more, the monitor of the district that received it still watches it
  sql(`UPDATE dossiers SET current_unit_id = (SELECT id FROM units WHERE code = ${q(UNITS.dongHaWard)}) WHERE id = ${id}`);
  assert.ok(await find(dongHa, 'overdue', d.code), 'the holder');
  assert.equal(await find(desk, 'overdue', d.code), undefined, 'the receiving desk does not act on it');
  assert.ok(await find(monitor, 'overdue', d.code), 'the monitor still sees it');
  sql(`UPDATE dossiers SET current_unit_id = unit_id WHERE id = ${id}`);

  // a unit outside one's subtree is a 404; inside, the list narrows to it
  assertProblem(await call(desk, 'GET', `/api/v1/warnings?unit=${UNITS.gioLinh}`), 404, { field: 'unit' });
  assertProblem(await call(monitor, 'GET', `/api/v1/warnings?unit=${UNITS.dongHa}`), 404, { field: 'unit' });
  const narrowed = await warnings(monitor, `unit=${UNITS.gioMy}&per_page=100`);
  assert.equal(narrowed.unit.code, UNITS.gioMy);
  const whole = await warnings(monitor);
  assert.equal(whole.unit.code, UNITS.gioLinh);
  for (const k of Object.keys(whole.counts)) assert.ok(whole.counts[k] >= narrowed.counts[k], k);
  // the desk's items are all held in its own commune
  const own = await warnings(desk, `unit=${UNITS.gioMy}&per_page=100`);
  assert.ok(own.items.length > 0);
  assert.ok(own.items.every((i) => i.unit.code === UNITS.gioMy), 'only what Gio Mỹ holds');
});

test('accounts unused for N days: admins see them, other officers do not', async () => {
  const name = uniq('unused');
  await createOfficer(admin, { username: name, unit: UNITS.gioMy, roles: ['specialist'] });
  sql(`UPDATE officers SET created_at = UTC_TIMESTAMP() - INTERVAL 90 DAY, last_login_at = NULL WHERE username = ${q(name)}`);
  const items = await allOfKind(admin, 'unused_accounts');
  const mine = items.find((i) => i.title.includes(name));
  assert.ok(mine, 'the account unused for 90 days');
  assert.equal(mine.unit.code, UNITS.gioMy);
  const { thresholds } = await warnings(admin, 'kind=unused_accounts');
  assert.equal(mine.link, `/can-bo/tai-khoan.html?unused_days=${thresholds.unused_days}`, 'the accounts page, filtered');
  assert.equal(mine.code, undefined);
  const asDesk = await warnings(desk, 'kind=unused_accounts');
  assert.equal(asDesk.counts.unused_accounts, 0);
  assert.deepEqual(asDesk.items, []);
});

test('the counts add up to the total and the pages cut across the kinds without loss', async () => {
  const first = await warnings(admin, 'per_page=7');
  const sum = Object.values(first.counts).reduce((a, b) => a + b, 0);
  assert.equal(first.total, sum);
  assert.ok(sum >= 5, `the situations above give warnings (${sum})`);
  const seen = [];
  for (let page = 1; (page - 1) * 7 < sum; page++) {
    const w = await warnings(admin, `per_page=7&page=${page}`);
    assert.ok(w.items.length <= 7);
    seen.push(...w.items.map((i) => `${i.kind} ${i.code || i.title}`));
  }
  assert.equal(seen.length, sum);
  assert.equal(new Set(seen).size, sum, 'no item twice');
  // the most urgent kind comes first
  const kinds = seen.map((s) => s.split(' ')[0]);
  if (first.counts.overdue > 0) assert.equal(kinds[0], 'overdue');
  assert.deepEqual((await warnings(admin, `per_page=7&page=${Math.ceil(sum / 7) + 1}`)).items, []);
});

test('the warnings are counted from indexes alone: range reads of the kinds, no dossier row read', () => {
  // the shape of store/warnings_store.c's counts: dossiers first, the scope from the index
  const plan = (where) => sql(`EXPLAIN SELECT STRAIGHT_JOIN COUNT(*) FROM dossiers d JOIN units u ON u.id = d.unit_id
    JOIN units cu ON cu.id = COALESCE(d.current_unit_id, d.unit_id) WHERE ${where}
    AND (cu.path LIKE CONCAT('/1/', '%') OR (1 = 0 AND u.path LIKE CONCAT('/1/', '%')))`)
    .map((r) => ({ table: r[2], type: r[3], key: r[5], extra: r[9] }));
  for (const [where, key] of [
    ["d.state = 'processing' AND d.due_at >= UTC_TIMESTAMP() AND d.due_at <= UTC_TIMESTAMP() + INTERVAL 1 DAY", 'k_dossiers_warn_due'],
    ["d.state IN ('submitted','processing') AND d.updated_at <= UTC_TIMESTAMP() - INTERVAL 7 DAY", 'k_dossiers_warn_updated'],
    ["d.state = 'resolved' AND d.finished_at <= UTC_TIMESTAMP() - INTERVAL 7 DAY", 'k_dossiers_warn_finished'],
  ]) {
    const d = plan(where).find((r) => r.table === 'd');
    assert.ok(d && d.type === 'range' && d.key === key && /Using index/.test(d.extra), `${where}: ${JSON.stringify(d)}`);
  }
});

/* ---------------------------------------------------------------- the digest */

const MAILDIR = join(VAR, 'mail');

function decodeHeader(v) {
  return v.replace(/\r?\n[ \t]+/g, ' ').replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?UTF-8\?B\?([^?]*)\?=/gi, (_, t) => Buffer.from(t, 'base64').toString('utf8'));
}

/** Messages to `addr` in the sink: { subject, body }. */
function mailsTo(addr) {
  const out = [];
  for (const sub of ['new', 'cur']) {
    const dir = join(MAILDIR, sub);
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir)) {
      const raw = readFileSync(join(dir, f), 'utf8');
      const split = raw.search(/\r?\n\r?\n/);
      const head = raw.slice(0, split);
      const to = /^To:[ \t]*(.*)$/mi.exec(head);
      if (!to || to[1].trim() !== addr) continue;
      const subject = /^Subject:[ \t]*((?:.*)(?:\r?\n[ \t].*)*)/mi.exec(head);
      const body = Buffer.from(raw.slice(split).replace(/\s+/g, ''), 'base64').toString('utf8');
      out.push({ subject: decodeHeader(subject ? subject[1] : ''), body });
    }
  }
  return out;
}

async function waitFor(what, fn, seconds = 15) {
  const end = Date.now() + seconds * 1000;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) assert.fail(`timed out after ${seconds} s waiting for ${what}`);
    await sleep(200);
  }
}

test('the daily digest: one e-mail per officer with warnings, with counts and links, never twice a day', async () => {
  // an officer of Gio Mỹ with an e-mail, and a dossier there that is overdue
  const user = uniq('digest');
  const email = `${user}@example.test`;
  const r = await call(admin, 'POST', '/api/v1/officers', {
    username: user, full_name: 'Trần Thị Cảnh Báo', roles: ['desk'], unit: UNITS.gioMy,
    password: 'mat-khau-thu-nghiem-1', email,
  });
  assert.equal(r.status, 201, r.text);
  // and one who opted out
  const quiet = uniq('quiet');
  const quietEmail = `${quiet}@example.test`;
  const qr = await call(admin, 'POST', '/api/v1/officers', {
    username: quiet, full_name: 'Lê Văn Im Lặng', roles: ['desk'], unit: UNITS.gioMy,
    password: 'mat-khau-thu-nghiem-1', email: quietEmail,
  });
  assert.equal(qr.status, 201, qr.text);
  const quietSession = await login(quiet, 'mat-khau-thu-nghiem-1');
  const sub = await call(quietSession, 'GET', '/api/v1/warnings/digest');
  assert.equal(sub.status, 200, sub.text);
  assert.equal(sub.json.subscribed, true, 'subscribed by default');
  const off = await call(quietSession, 'PUT', '/api/v1/warnings/digest', { subscribed: false });
  assert.equal(off.status, 200, off.text);
  assert.equal(off.json.subscribed, false);

  const d = await fresh();
  sql(`UPDATE dossiers SET due_at = UTC_TIMESTAMP() - INTERVAL 3 HOUR WHERE id = ${dossierId(d.code)}`);

  assertProblem(await call(desk, 'POST', '/api/v1/warnings/digest/run'), 403);
  assertProblem(await call(admin, 'POST', '/api/v1/warnings/digest/run', undefined, { 'X-CSRF-Token': null }), 403);
  const run = await call(admin, 'POST', '/api/v1/warnings/digest/run');
  assert.equal(run.status, 200, run.text);
  assert.equal(run.json.day, vnDate());
  assert.ok(run.json.sent >= 1, `e-mails written: ${run.text}`);

  const oid = sql(`SELECT id FROM officers WHERE username = ${q(user)}`)[0][0];
  const key = `warnings_digest:${oid}:${vnDate()}`;
  const rows = sql(`SELECT kind, channel, recipient, subject FROM outbox WHERE dedup_key = ${q(key)}`);
  assert.equal(rows.length, 1, 'one outbox e-mail');
  assert.deepEqual(rows[0].slice(0, 3), ['warnings_digest', 'email', email]);
  assert.match(rows[0][3], /^Cảnh báo ngày \d\d\/\d\d\/\d{4}: \d+ việc cần chú ý$/);

  const mail = await waitFor('the digest in the SMTP sink', () => mailsTo(email)[0]);
  assert.match(mail.subject, /^Cảnh báo ngày/);
  assert.match(mail.body, /Kính gửi Trần Thị Cảnh Báo/);
  assert.match(mail.body, /- Quá hạn: \d+/);
  assert.match(mail.body, /\/can-bo\/ho-so\.html\?code=/);
  assert.match(mail.body, /Xem đầy đủ: http.*\/can-bo\//);

  // the same day again: nothing more, for this officer or anyone
  const again = await call(admin, 'POST', '/api/v1/warnings/digest/run');
  assert.equal(again.status, 200, again.text);
  assert.equal(again.json.sent, 0, again.text);
  assert.equal(sql(`SELECT COUNT(*) FROM outbox WHERE dedup_key = ${q(key)}`)[0][0], '1');
  await sleep(3000);                       // a poll or two of the worker
  assert.equal(mailsTo(email).length, 1, 'one e-mail in the mailbox');

  // the officer who opted out got nothing
  const qid = sql(`SELECT id FROM officers WHERE username = ${q(quiet)}`)[0][0];
  assert.equal(sql(`SELECT COUNT(*) FROM outbox WHERE dedup_key LIKE ${q(`warnings_digest:${qid}:%`)}`)[0][0], '0');
  assert.equal(mailsTo(quietEmail).length, 0);
});
