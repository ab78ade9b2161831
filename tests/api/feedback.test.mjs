// Feedback (phản ánh, kiến nghị): anyone sends one and gets a code, a secret and a due date
// 10 working days away by the working calendar; officers of the handling unit answer it
// (others get a 403), the sender reads the answer with the secret, published answers are
// listed publicly, and nginx limits how many a client address may send.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertProblem, getJson } from './helpers.mjs';
import { login, receive, call, raw, sql, q, uniq, createOfficer, UNITS, PROCEDURE } from './lib/officer.mjs';

const enc = encodeURIComponent;

function send(body) {
  return raw('POST', '/api/v1/feedback', { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
}

const BODY = { kind: 'other', content: 'Đề nghị niêm yết rõ lệ phí tại bộ phận một cửa.', name: 'Trần Thị Phản Ánh', email: 'phananh@example.com' };

/** The due date the calendar gives for 10 working days from `at` (ISO). */
async function tenWorkingDays(at) {
  const r = await getJson(`/api/v1/calendar/due-date?start=${enc(at)}&amount=10&unit=working_days`);
  return r.due_at;
}

function handlingUnit(code) {
  const [[unit]] = sql(`SELECT u.code FROM feedback f JOIN units u ON u.id = f.unit_id WHERE f.code = ${q(code)}`);
  return unit;
}

test('a feedback gets a code, a secret and a due date of 10 working days by the calendar', async () => {
  const r = await send(BODY);
  assert.equal(r.status, 201, r.text);
  assert.match(r.json.code, /^PAKN-\d{6}-\d{4}$/);
  assert.match(r.json.secret, /^[A-Za-z0-9]{10}$/);
  assert.equal(r.json.due_at, await tenWorkingDays(r.json.received_at));
  assert.equal(handlingUnit(r.json.code), UNITS.province, 'with nothing else given: the province');

  // the sender reads it back with the secret, nobody else
  const mine = await raw('GET', `/api/v1/feedback/${r.json.code}?secret=${r.json.secret}`);
  assert.equal(mine.status, 200, mine.text);
  assert.equal(mine.json.content, BODY.content);
  assert.equal(mine.json.answer, null);
  assertProblem(await raw('GET', `/api/v1/feedback/${r.json.code}?secret=SAIMATKHAU`), 404);
  assertProblem(await raw('GET', `/api/v1/feedback/${r.json.code}`), 400, { field: 'secret' });
});

test('the handling unit: the dossier\'s, else the one given, else the province; bad input refused', async () => {
  const desk = await login('giomy.motcua');
  const d = await receive(desk);
  const byDossier = await send({ ...BODY, kind: 'dossier', dossier_code: d.code.toLowerCase(), unit: UNITS.dongHa });
  assert.equal(byDossier.status, 201, byDossier.text);
  assert.equal(handlingUnit(byDossier.json.code), UNITS.gioMy);
  const byUnit = await send({ ...BODY, kind: 'procedure', procedure: PROCEDURE, unit: UNITS.dongHa });
  assert.equal(handlingUnit(byUnit.json.code), UNITS.dongHa);

  assertProblem(await send({ ...BODY, kind: 'dossier' }), 422, { field: 'dossier_code' });
  assertProblem(await send({ ...BODY, kind: 'procedure' }), 422, { field: 'procedure' });
  assertProblem(await send({ ...BODY, kind: 'procedure', procedure: '9.999999' }), 422, { code: 'unknown_procedure' });
  assertProblem(await send({ ...BODY, kind: 'complaint' }), 400, { field: 'kind' });
  assertProblem(await send({ ...BODY, email: 'not-an-address' }), 400, { field: 'email' });
  assertProblem(await send({ ...BODY, content: 'ngắn' }), 400, { field: 'content' });
  assertProblem(await send({ ...BODY, secret: 'x' }), 400, { field: 'secret' });
});

test('officers of the handling unit answer (others get a 403); published answers are public', async () => {
  const sent = await send({ ...BODY, unit: UNITS.gioMy });
  assert.equal(sent.status, 201, sent.text);
  const f = sent.json;
  const other = await send({ ...BODY, unit: UNITS.gioMy, name: 'Lê Văn Kín' });

  // the inbox of the unit lists it, open ones first
  const desk = await login('giomy.motcua');
  const inbox = await call(desk, 'GET', '/api/v1/feedback?state=open&per_page=200');
  assert.equal(inbox.status, 200, inbox.text);
  const item = inbox.json.items.find((x) => x.code === f.code);
  assert.ok(item, 'the new feedback is in the unit\'s inbox');
  assert.equal(item.sender.email, BODY.email);
  const dues = inbox.json.items.map((x) => Date.parse(x.due_at));
  assert.deepEqual(dues, [...dues].sort((a, b) => a - b), 'nearest due first');

  // another district's officer may not answer it
  const admin = await login('admin');
  const username = uniq('dongha');
  const password = await createOfficer(admin, { username, unit: UNITS.dongHa, roles: ['desk'] });
  const dongHa = await login(username, password);
  const answer = { answer: 'Bộ phận một cửa đã niêm yết lệ phí từ ngày hôm nay. Cảm ơn ông/bà.', publish: true };
  assertProblem(await call(dongHa, 'POST', `/api/v1/feedback/${f.code}/answer`, answer), 403, { code: 'not_handling_unit' });
  assert.ok(!(await call(dongHa, 'GET', '/api/v1/feedback?per_page=200')).json.items.some((x) => x.code === f.code),
    'not in another unit\'s inbox');
  const provinceFeedback = (await send(BODY)).json;
  assertProblem(await call(desk, 'POST', `/api/v1/feedback/${provinceFeedback.code}/answer`, answer), 403, { code: 'not_handling_unit' });
  assertProblem(await call(desk, 'POST', `/api/v1/feedback/${f.code}/answer`, { answer: answer.answer }), 400, { field: 'publish' });

  const r = await call(desk, 'POST', `/api/v1/feedback/${f.code}/answer`, answer);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.answer, answer.answer);
  assert.ok(r.json.answered_at);
  assert.equal(r.json.answered_on_time, true);
  assert.equal(r.json.published, true);
  assertProblem(await call(desk, 'POST', `/api/v1/feedback/${f.code}/answer`, answer), 409, { code: 'already_answered' });
  const [[by, onTime]] = sql(`SELECT o.username, f.answered_on_time FROM feedback f JOIN officers o ON o.id = f.answered_by WHERE f.code = ${q(f.code)}`);
  assert.equal(by, 'giomy.motcua');
  assert.equal(onTime, '1');
  // the sender is told through the outbox
  const [[mails]] = sql(`SELECT COUNT(*) FROM outbox WHERE recipient = ${q(BODY.email)} AND body LIKE ${q(`%${f.code}%`)}`);
  assert.ok(Number(mails) >= 1, 'a "feedback answered" message waits in the outbox');

  // unpublished answers stay private
  await call(desk, 'POST', `/api/v1/feedback/${other.json.code}/answer`, { ...answer, publish: false });
  const shown = await getJson('/api/v1/feedback/public?per_page=100');
  assert.ok(shown.items.some((x) => x.code === f.code && x.answer === answer.answer), 'published one listed');
  assert.ok(!shown.items.some((x) => x.code === other.json.code), 'unpublished one not listed');
  const listed = shown.items.find((x) => x.code === f.code);
  assert.equal(listed.sender_masked, 'Trần T** P** Á**');
  assert.equal(listed.sender, undefined);
  assert.ok(!JSON.stringify(listed).includes(BODY.email));

  const back = await raw('GET', `/api/v1/feedback/${f.code}?secret=${f.secret}`);
  assert.equal(back.json.answer, answer.answer);
  assertProblem(await raw('GET', '/api/v1/feedback'), 401);
});

// last: it spends this address's allowance
test('nginx limits feedback per client address: 429 beyond the burst', async () => {
  const answers = await Promise.all(Array.from({ length: 60 }, () => send({ ...BODY, content: 'Kiểm tra giới hạn gửi phản ánh' })));
  const statuses = answers.map((r) => r.status);
  assert.ok(statuses.includes(201), `some pass: ${statuses}`);
  const limited = answers.find((r) => r.status === 429);
  assert.ok(limited, `some are limited: ${statuses}`);
  assertProblem(limited, 429, { code: 'rate_limited' });
  // the officers' inbox at the same address is not limited
  const desk = await login('giomy.motcua');
  assert.equal((await call(desk, 'GET', '/api/v1/feedback?per_page=1')).status, 200);
});
