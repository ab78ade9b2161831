// The outbox purge (store/outbox_store.h, outbox_purge): a message sent more than
// MOTCUA_OUTBOX_KEEP_DAYS days ago (7 on the test stack) loses its body and subject, its
// recipient is masked as on public pages, and the admins' list shows it as purged; a
// message sent more recently, a pending one and a failed one keep every word. motcua-worker
// runs the purge every hour; POST /api/v1/outbox/purge runs the same at once.
//   The messages are real ones (a refusal tells the applicant by e-mail and SMS, the
//   stack's worker sends them); only their dates are moved back, through SQL.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { assertProblem, sleep } from './helpers.mjs';
import { login, call, receive, actOk, sql, q, dossierId, uniq } from './lib/officer.mjs';

const ADMIN = process.env.MOTCUA_ADMIN_USER || 'admin';
const PURGE = '/api/v1/outbox/purge';
const inserted = [];

after(() => {
  if (inserted.length) sql(`DELETE FROM outbox WHERE dedup_key IN (${inserted.map(q).join(', ')})`);
});

async function waitFor(what, fn, ms = 15000) {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(200)) {
    const v = await fn();
    if (v) return v;
  }
  assert.fail(`timed out waiting for ${what} (is motcua-worker running?)`);
}

/** A refused dossier whose messages the worker has sent; their rows. */
async function refusedAndSent(desk, leader, overrides) {
  const d = await receive(desk, overrides);
  await actOk(leader, d.code, 'refuse', d.version, { reason: 'Hồ sơ không thuộc thẩm quyền của xã' });
  const id = dossierId(d.code);
  const want = overrides.applicant_phone ? 2 : 1;
  return waitFor(`the messages of ${d.code} sent`, () => {
    const rows = sql(`SELECT id, channel FROM outbox WHERE dossier_id = ${id} AND sent_at IS NOT NULL ORDER BY channel`);
    return rows.length === want ? rows.map(([mid, channel]) => ({ id: Number(mid), channel, ...rowById(mid) })) : null;
  });
}

/** Moves a message's creation and sending `days` days back. */
function sentDaysAgo(id, days) {
  sql(`UPDATE outbox SET created_at = created_at - INTERVAL ${days} DAY,
    sent_at = sent_at - INTERVAL ${days} DAY, next_attempt_at = next_attempt_at - INTERVAL ${days} DAY WHERE id = ${id}`);
}

/** A message that is not sent, written 30 days ago: pending (due in 2099) or failed. */
function unsentRow(email, state) {
  const key = `${uniq('purge-test')}:${state}`;
  inserted.push(key);
  sql(`INSERT INTO outbox (kind, channel, recipient, subject, body, dedup_key, created_at, next_attempt_at,
    attempts, failed_at, last_error) VALUES ('result_ready', 'email', ${q(email)}, 'Chủ đề ${state}',
    'Mã bí mật: ABCD-${state}', ${q(key)}, UTC_TIMESTAMP() - INTERVAL 30 DAY,
    ${state === 'pending' ? "'2099-01-01 00:00:00'" : 'UTC_TIMESTAMP() - INTERVAL 29 DAY'},
    ${state === 'pending' ? 1 : 6}, ${state === 'failed' ? 'UTC_TIMESTAMP() - INTERVAL 29 DAY' : 'NULL'},
    ${state === 'failed' ? "'550 no such user'" : "'421 try later'"})`);
  return { key, ...rowByKey(key) };
}

// bodies hold line breaks, which the mariadb client's raw output does not escape: hex
const unhex = (h) => Buffer.from(h, 'hex').toString('utf8');
const COLS = 'recipient, HEX(subject), HEX(body)';

function rowByKey(key) {
  const [[id, recipient, subject, body]] = sql(`SELECT id, ${COLS} FROM outbox WHERE dedup_key = ${q(key)}`);
  return { id: Number(id), recipient, subject: unhex(subject), body: unhex(body) };
}

function rowById(id) {
  const [[recipient, subject, body]] = sql(`SELECT ${COLS} FROM outbox WHERE id = ${id}`);
  return { recipient, subject: unhex(subject), body: unhex(body) };
}

test('the purge is for admins, with the CSRF header, and takes nothing', async () => {
  assertProblem(await call(null, 'POST', PURGE), 401, { code: 'not_authenticated' });
  const desk = await login('giomy.motcua');
  assertProblem(await call(desk, 'POST', PURGE), 403, { code: 'forbidden_role' });
  const admin = await login(ADMIN);
  const noCsrf = await call(admin, 'POST', PURGE, undefined, { 'X-CSRF-Token': null });
  assert.equal(noCsrf.status, 403, noCsrf.text);
  assertProblem(await call(admin, 'POST', `${PURGE}?days=0`), 400, { field: 'days' });
});

test('a message sent 8 days ago is blanked and masked; one sent 6 days ago, a pending and a failed one are untouched', async () => {
  const desk = await login('giomy.motcua');
  const leader = await login('giomy.lanhdao');
  const admin = await login(ADMIN);
  const email = `${uniq('an.nguyen')}@example.vn`;
  const phone = `09${String(Date.now()).slice(-8)}`;
  const [oldMail, oldSms] = await refusedAndSent(desk, leader, { applicant_email: email, applicant_phone: phone });
  assert.equal(oldMail.channel, 'email');
  assert.equal(oldSms.channel, 'sms');
  assert.ok(oldMail.body.length > 0 && oldMail.subject.length > 0);
  const recentEmail = `${uniq('binh')}@example.vn`;
  const [recent] = await refusedAndSent(desk, leader, { applicant_email: recentEmail, applicant_phone: '' });
  sentDaysAgo(oldMail.id, 8);
  sentDaysAgo(oldSms.id, 8);
  sentDaysAgo(recent.id, 6);
  const pending = unsentRow(email, 'pending');
  const failed = unsentRow(email, 'failed');

  const r = await call(admin, 'POST', PURGE);
  assert.equal(r.status, 200, r.text);
  assert.ok(r.json.purged >= 2, `purged ${r.json.purged}`);
  assert.equal(r.json.keep_days, 7);
  const cutoff = Date.parse(r.json.sent_before);
  assert.ok(Math.abs(cutoff - (Date.now() - 7 * 86400e3)) < 60e3, r.json.sent_before);

  // what the messages said is gone; who got them is masked
  const mail = rowById(oldMail.id);
  assert.equal(mail.body, '');
  assert.equal(mail.subject, '');
  assert.equal(mail.recipient, 'a***@example.vn');
  const sms = rowById(oldSms.id);
  assert.equal(sms.body, '');
  assert.equal(sms.recipient, `${phone.slice(0, 3)}****${phone.slice(-3)}`);
  // the rest kept every word
  assert.deepEqual(rowById(recent.id), { recipient: recentEmail, subject: recent.subject, body: recent.body });
  assert.deepEqual(rowByKey(pending.key), { id: pending.id, recipient: email, subject: 'Chủ đề pending', body: 'Mã bí mật: ABCD-pending' });
  assert.deepEqual(rowByKey(failed.key), { id: failed.id, recipient: email, subject: 'Chủ đề failed', body: 'Mã bí mật: ABCD-failed' });
  assert.equal(sql(`SELECT sent_at IS NULL, failed_at IS NULL, attempts FROM outbox WHERE id = ${pending.id}`)[0].join(), '1,1,1');

  // the admins' list says so
  const sent = await call(admin, 'GET', '/api/v1/outbox?status=sent&per_page=200');
  assert.equal(sent.status, 200, sent.text);
  const listed = sent.json.items.find((x) => x.id === oldMail.id);
  assert.ok(listed, 'the purged message is still listed');
  assert.equal(listed.purged, true);
  assert.equal(listed.recipient, 'a***@example.vn');
  assert.equal(listed.subject, '');
  assert.ok(listed.sent_at && listed.kind === 'refused', JSON.stringify(listed));
  assert.equal(sent.json.items.find((x) => x.id === recent.id).purged, false);
  const pend = await call(admin, 'GET', '/api/v1/outbox?status=pending&per_page=200');
  assert.equal(pend.json.items.find((x) => x.id === pending.id).purged, false);

  // a second run finds nothing more to do with these
  const again = await call(admin, 'POST', PURGE);
  assert.equal(again.status, 200, again.text);
  assert.deepEqual(rowById(oldMail.id), mail);
  assert.deepEqual(rowById(recent.id), { recipient: recentEmail, subject: recent.subject, body: recent.body });
});
