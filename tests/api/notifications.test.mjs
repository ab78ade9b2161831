// Notifications: an officer's action writes the applicant's messages to the outbox in its
// own transaction; motcua-worker delivers them over real SMTP (the stack's aiosmtpd sink,
// a Maildir under $MOTCUA_VAR/mail) and to the SMS sink ($MOTCUA_VAR/sms.log); the same
// event never gives two messages; a mail server that is down costs retries with back-off,
// visible to admins (GET /api/v1/outbox), and an admin can retry at once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, openSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { VAR, sleep, assertProblem } from './helpers.mjs';
import { login, receive, act, actOk, call, sql, q, dossierId, uniq, getDossier } from './lib/officer.mjs';

const MAILDIR = join(VAR, 'mail');
const SMS_LOG = join(VAR, 'sms.log');
const RUN = join(VAR, 'run');

let desk, specialist, leader, clerk, admin;
before(async () => {
  desk = await login('giomy.motcua');
  specialist = await login('giomy.chuyenvien');
  leader = await login('giomy.lanhdao');
  clerk = await login('giomy.vanthu');
  admin = await login('admin');
});

/* ---------------------------------------------------------------- reading the Maildir */

/** RFC 2047: unfold, then decode adjacent "=?UTF-8?B?...?=" / "?Q?" words. */
function decodeHeader(v) {
  const unfolded = v.replace(/\r?\n[ \t]+/g, ' ');
  return unfolded
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?UTF-8\?([BQ])\?([^?]*)\?=/gi, (_, enc, text) => (enc.toUpperCase() === 'B'
      ? Buffer.from(text, 'base64').toString('utf8')
      : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (m, h) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8')));
}

/** Every message in the Maildir: { file, headers (lower-case names, raw values), subject, body }. */
function mailbox() {
  const out = [];
  for (const sub of ['new', 'cur']) {
    const dir = join(MAILDIR, sub);
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir)) {
      const raw = readFileSync(join(dir, f), 'utf8');
      const split = raw.search(/\r?\n\r?\n/);
      const head = raw.slice(0, split);
      const headers = {};
      for (const m of head.matchAll(/^([A-Za-z-]+):[ \t]*((?:.*)(?:\r?\n[ \t].*)*)/gm)) {
        headers[m[1].toLowerCase()] = m[2];
      }
      let body = raw.slice(split).replace(/^\r?\n\r?\n/, '');
      if (/base64/i.test(headers['content-transfer-encoding'] || '')) {
        body = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
      }
      out.push({ file: f, headers, subject: decodeHeader(headers.subject || ''), body });
    }
  }
  return out;
}

const mailsTo = (addr) => mailbox().filter((m) => (m.headers.to || '').trim() === addr);

async function waitFor(what, fn, seconds = 10) {
  const end = Date.now() + seconds * 1000;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) assert.fail(`timed out after ${seconds} s waiting for ${what}`);
    await sleep(200);
  }
}

function smsLines() {
  if (!existsSync(SMS_LOG)) return [];
  return readFileSync(SMS_LOG, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

/* ---------------------------------------------------------------- the SMTP sink */

function sinkPort() {
  return Number(readFileSync(join(RUN, 'smtp.port'), 'utf8').trim());
}

function sinkAlive() {
  try {
    process.kill(Number(readFileSync(join(RUN, 'smtp.pid'), 'utf8').trim()), 0);
    return true;
  } catch { return false; }
}

async function stopSink() {
  const pid = Number(readFileSync(join(RUN, 'smtp.pid'), 'utf8').trim());
  process.kill(pid, 'SIGTERM');
  await waitFor('the SMTP sink to stop', () => !sinkAlive(), 10);
}

/** Starts the sink again on its port, as scripts/stack.sh does (its own pid file). */
async function startSink() {
  if (sinkAlive()) return;
  const log = openSync(join(VAR, 'log', 'smtp.log'), 'a');
  const child = spawn('/usr/bin/python3', ['-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${sinkPort()}`,
    '-c', 'aiosmtpd.handlers.Mailbox', MAILDIR], { detached: true, stdio: ['ignore', log, log] });
  child.unref();
  writeFileSync(join(RUN, 'smtp.pid'), `${child.pid}\n`);
  const net = await import('node:net');
  const end = Date.now() + 10000;
  for (;;) {
    const ok = await new Promise((res) => {
      const s = net.connect(sinkPort(), '127.0.0.1', () => { s.destroy(); res(true); });
      s.on('error', () => res(false));
    });
    if (ok) return;
    assert.ok(Date.now() < end, 'the SMTP sink did not come back');
    await sleep(100);
  }
}

/** Closes a dossier a test left open (paused), so a later calendar recompute has nothing to
 * move (tests/api/calendar.test.mjs counts the dossiers a far holiday changes). */
async function withdraw(code) {
  const d = await getDossier(desk, code);
  if (d.allowed_actions.includes('withdraw')) await actOk(desk, code, 'withdraw', d.version);
}

after(async () => { await startSink(); });

/* ---------------------------------------------------------------- tests */

const ITEMS = ['Bản sao Giấy chứng nhận kết hôn có chứng thực', 'Tờ khai đăng ký lại kết hôn (có chữ ký của hai bên)',
  '.Một dòng bắt đầu bằng dấu chấm'];

test('a supplement request reaches the applicant once by e-mail, with its items, and by SMS', async (t) => {
  const email = `${uniq('dan')}@example.vn`;
  const phone = `09${String(Date.now()).slice(-8)}`;
  const d = await receive(desk, { applicant_email: email, applicant_phone: phone, applicant_name: 'Trần Thị Bích' });
  t.after(() => withdraw(d.code));
  await actOk(desk, d.code, 'request_supplement', d.version, { items: ITEMS, note: 'Nộp trong 5 ngày làm việc' });

  const [m] = await waitFor(`a message to ${email}`, () => { const l = mailsTo(email); return l.length ? l : null; });
  assert.equal(m.subject, `Yêu cầu bổ sung, hoàn thiện hồ sơ ${d.code}`);
  assert.match(m.headers['content-type'], /text\/plain; charset=UTF-8/i);
  assert.match(m.headers.date, /^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} \+0700$/);
  assert.match(m.headers['message-id'], /^<motcua\.\d+\.\d+@[^>]+>$/);
  assert.match(m.body, /^Kính gửi Trần Thị Bích,/);
  ITEMS.forEach((item, i) => assert.ok(m.body.includes(`  ${i + 1}. ${item}\n`), `item ${i + 1} in the body:\n${m.body}`));
  assert.ok(m.body.includes(`/tra-cuu.html?code=${d.code}`), 'the tracking link');
  assert.ok(m.body.includes('Ghi chú: Nộp trong 5 ngày làm việc'));
  assert.match(m.body, /Your dossier .* needs the 3 items/);

  const sms = await waitFor('the SMS line', () => smsLines().find((l) => l.to === phone));
  assert.ok(sms.body.includes(d.code) && sms.body.includes('cần bổ sung 3 nội dung'), sms.body);
  assert.match(sms.ref, new RegExp(`^${d.code.replace(/\./g, '\\.')}:\\d+:supplement_requested:sms$`));

  // nothing repeats: two more polls of the worker, a stale repeat of the action (412)
  const stale = await act(desk, d.code, 'request_supplement', d.version, { items: ITEMS });
  assert.equal(stale.status, 412);
  await sleep(4500);
  assert.equal(mailsTo(email).length, 1, 'exactly one e-mail');
  assert.equal(smsLines().filter((l) => l.to === phone).length, 1, 'exactly one SMS');
  const rows = sql(`SELECT channel, kind, sent_at IS NOT NULL, attempts FROM outbox WHERE dossier_id = ${dossierId(d.code)} ORDER BY channel`);
  assert.deepEqual(rows, [['email', 'supplement_requested', '1', '1'], ['sms', 'supplement_requested', '1', '1']]);
  // the same event cannot be queued twice: the dedup key is unique
  const key = sql(`SELECT dedup_key FROM outbox WHERE dossier_id = ${dossierId(d.code)} AND channel = 'email'`)[0][0];
  assert.throws(() => sql(`INSERT INTO outbox (kind, channel, recipient, body, dedup_key, created_at, next_attempt_at)
    VALUES ('accepted', 'email', ${q(email)}, 'x', ${q(key)}, UTC_TIMESTAMP(), UTC_TIMESTAMP())`), /Duplicate entry/);
});

test('a refusal tells the reason; no address, no message', async () => {
  const email = `${uniq('ref')}@example.vn`;
  const d = await receive(desk, { applicant_email: email, applicant_phone: '' });
  await actOk(leader, d.code, 'refuse', d.version, { reason: 'Hồ sơ không thuộc thẩm quyền của xã' });
  const [m] = await waitFor('the refusal', () => { const l = mailsTo(email); return l.length ? l : null; });
  assert.equal(m.subject, `Hồ sơ ${d.code} bị từ chối giải quyết`);
  assert.ok(m.body.includes('Lý do: Hồ sơ không thuộc thẩm quyền của xã'), m.body);
  assert.equal(sql(`SELECT COUNT(*) FROM outbox WHERE dossier_id = ${dossierId(d.code)} AND channel = 'sms'`)[0][0], '0');

  const quiet = await receive(desk, { applicant_email: '', applicant_phone: '' });
  await actOk(leader, quiet.code, 'refuse', quiet.version, { reason: 'Không đủ điều kiện' });
  assert.equal(sql(`SELECT COUNT(*) FROM outbox WHERE dossier_id = ${dossierId(quiet.code)}`)[0][0], '0');
});

/** dd/mm/yyyy HH:MM in Vietnam of an ISO time. */
function vnTime(iso) {
  const d = new Date(Date.parse(iso) + 7 * 3600e3);
  const p = (n) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${p(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`;
}

test('payment (with its amount), an apology with the new date, and the result each reach the applicant', async () => {
  const email = `${uniq('way')}@example.vn`;
  const d = await receive(desk, { applicant_email: email, applicant_phone: '' });
  let v = (await actOk(desk, d.code, 'request_payment', d.version, { amount_vnd: 150000 })).version;
  const [pay] = await waitFor('the payment request', () => { const l = mailsTo(email); return l.length ? l : null; });
  assert.equal(pay.subject, `Đề nghị nộp phí, lệ phí cho hồ sơ ${d.code}`);
  assert.ok(pay.body.includes('Số tiền: 150.000 đồng'), pay.body);
  v = (await actOk(desk, d.code, 'pay', v)).version;
  v = (await actOk(desk, d.code, 'forward', v)).version;
  v = (await actOk(specialist, d.code, 'forward', v)).version;
  const newDate = new Date(Date.now() + 30 * 86400e3).toISOString().slice(0, 16) + ':00Z';
  v = (await actOk(leader, d.code, 'apology', v, { new_date: newDate, reason: 'Cần xác minh thêm' })).version;
  const late = await waitFor('the apology', () => mailsTo(email).find((m) => /xin lỗi/.test(m.subject)));
  assert.equal(late.subject, `Thư xin lỗi và hẹn lại ngày trả kết quả hồ sơ ${d.code}`);
  assert.ok(late.body.includes(`Ngày hẹn trả kết quả mới: ${vnTime(newDate)}`), late.body);
  assert.ok(late.body.includes('Lý do: Cần xác minh thêm'), late.body);
  v = (await actOk(leader, d.code, 'forward', v)).version;
  await actOk(clerk, d.code, 'resolve', v);
  const done = await waitFor('the result', () => mailsTo(email).find((m) => /có kết quả/.test(m.subject)));
  assert.equal(done.subject, `Hồ sơ ${d.code} đã có kết quả`);
  // the forwards and the payment told the applicant nothing: three messages in all
  await sleep(2500);
  assert.equal(mailsTo(email).length, 3);
});

test('the mail server down: retries with back-off, visible to admins; an admin retry delivers', async (t) => {
  const email = `${uniq('down')}@example.vn`;
  await stopSink();
  let id;
  try {
    const d = await receive(desk, { applicant_email: email, applicant_phone: '' });
    t.after(() => withdraw(d.code));
    await actOk(desk, d.code, 'request_supplement', d.version, { items: ['Sơ đồ vị trí thửa đất'] });
    const row = await waitFor('a failed attempt', () => {
      const r = sql(`SELECT id, attempts, last_error, TIMESTAMPDIFF(SECOND, UTC_TIMESTAMP(), next_attempt_at)
        FROM outbox WHERE dossier_id = ${dossierId(d.code)} AND channel = 'email' AND attempts > 0 AND last_error <> ''`);
      return r[0];
    });
    id = Number(row[0]);
    assert.equal(row[1], '1');
    assert.match(row[2], /connect/i);
    assert.ok(Number(row[3]) > 30 && Number(row[3]) <= 60, `next attempt in about a minute: ${row[3]} s`);

    const pending = await call(admin, 'GET', '/api/v1/outbox?status=pending&per_page=200');
    assert.equal(pending.status, 200, pending.text);
    const item = pending.json.items.find((x) => x.id === id);
    assert.ok(item, 'the message is listed as pending');
    assert.equal(item.dossier_code, d.code);
    assert.equal(item.kind, 'supplement_requested');
    assert.equal(item.channel, 'email');
    assert.ok(item.attempts > 0);
    assert.match(item.last_error, /connect/i);
    assert.match(item.next_attempt_at, /\+07:00$/);
    assert.equal(item.sent_at, null);

    // a second attempt that fails too waits five minutes
    sql(`UPDATE outbox SET next_attempt_at = UTC_TIMESTAMP() WHERE id = ${id}`);
    const second = await waitFor('a second failed attempt', () => {
      const r = sql(`SELECT attempts, TIMESTAMPDIFF(SECOND, UTC_TIMESTAMP(), next_attempt_at) FROM outbox WHERE id = ${id}`)[0];
      return r[0] === '2' ? r : null;
    });
    assert.ok(Number(second[1]) > 240 && Number(second[1]) <= 300, `next attempt in about 5 minutes: ${second[1]} s`);
    assert.equal(mailsTo(email).length, 0);
  } finally {
    await startSink();
  }
  const retry = await call(admin, 'POST', `/api/v1/outbox/${id}/retry`);
  assert.equal(retry.status, 200, retry.text);
  await waitFor('delivery after the retry', () => mailsTo(email).length === 1);
  const sent = await call(admin, 'GET', '/api/v1/outbox?status=sent&per_page=200');
  assert.equal(sent.status, 200);
  const s = sent.json.items.find((x) => x.id === id);
  assert.ok(s && s.sent_at, 'listed as sent');
  assertProblem(await call(admin, 'POST', `/api/v1/outbox/${id}/retry`), 409, { code: 'message_sent' });
  await sleep(2500);
  assert.equal(mailsTo(email).length, 1, 'still exactly one');
});

test('a message given up is listed as failed and can be retried', async () => {
  const email = `${uniq('gave')}@example.vn`;
  const d = await receive(desk, { applicant_email: email, applicant_phone: '' });
  await actOk(leader, d.code, 'refuse', d.version, { reason: 'Thử bỏ cuộc' });
  const id = await waitFor('the message row', () => sql(`SELECT id FROM outbox WHERE dossier_id = ${dossierId(d.code)}`)[0]?.[0]);
  await waitFor('its delivery', () => mailsTo(email).length === 1);
  // a message of another event, marked as given up by hand
  sql(`INSERT INTO outbox (dossier_id, kind, channel, recipient, subject, body, dedup_key, created_at, next_attempt_at, attempts, failed_at, last_error)
    VALUES (${dossierId(d.code)}, 'result_ready', 'email', ${q(email)}, 'Thử', 'Nội dung', ${q(`${d.code}:test-gave-up`)},
    UTC_TIMESTAMP(), UTC_TIMESTAMP(), 6, UTC_TIMESTAMP(), 'RCPT TO refused: 550 no such user')`);
  const failedId = Number(sql(`SELECT id FROM outbox WHERE dedup_key = ${q(`${d.code}:test-gave-up`)}`)[0][0]);
  assert.notEqual(failedId, Number(id));
  const failed = await call(admin, 'GET', '/api/v1/outbox?status=failed&per_page=200');
  assert.equal(failed.status, 200);
  const f = failed.json.items.find((x) => x.id === failedId);
  assert.ok(f && f.failed_at && f.last_error.includes('550'), JSON.stringify(f));
  assert.equal((await call(admin, 'POST', `/api/v1/outbox/${failedId}/retry`)).status, 200);
  await waitFor('the retried message', () => mailsTo(email).length === 2);
});

test('the outbox is for admins only, and its inputs are declared', async () => {
  assertProblem(await call(desk, 'GET', '/api/v1/outbox?status=failed'), 403);
  assertProblem(await call(desk, 'POST', '/api/v1/outbox/1/retry'), 403);
  assertProblem(await call(null, 'GET', '/api/v1/outbox'), 401);
  assertProblem(await call(admin, 'GET', '/api/v1/outbox?status=lost'), 400, { field: 'status' });
  assertProblem(await call(admin, 'GET', '/api/v1/outbox?who=me'), 400, { field: 'who' });
  assertProblem(await call(admin, 'POST', '/api/v1/outbox/abc/retry'), 400, { field: 'id' });
  assertProblem(await call(admin, 'POST', '/api/v1/outbox/999999999/retry'), 404, { code: 'message_not_found' });
  const def = await call(admin, 'GET', '/api/v1/outbox');
  assert.equal(def.status, 200);
  assert.equal(def.json.status, 'failed');
});
