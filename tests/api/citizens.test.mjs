// Citizens' portal accounts: registration with a verification link through the outbox,
// verification, sign-in (cookie motcua_citizen, CSRF on writes), a submission as a signed-in
// citizen, and "my dossiers".
//   MOTCUA_URL, MOTCUA_VAR  the running stack (see helpers.mjs)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertProblem } from './helpers.mjs';
import { q, raw, sql, UNITS } from './lib/officer.mjs';

const PDF = Buffer.from(`%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n% ${process.pid} ${Date.now()}\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n`);
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de' +
  '0000000c49444154789c63f80f00000101000518d84e0000000049454e44ae426082', 'hex');

function post(path, body, headers = {}) {
  return raw('POST', path, { headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

function cookieOf(res) {
  for (const c of res.headers.getSetCookie()) {
    const m = /^(motcua_citizen=[^;]+)/.exec(c);
    if (m) return { pair: m[1], header: c };
  }
  return null;
}

/** The verification link the outbox holds for this address (read with SQL). */
function verificationLink(to) {
  const rows = sql(`SELECT REPLACE(body, CHAR(10), ' ') FROM outbox WHERE recipient = ${q(to)} AND kind = 'citizen_verify' ORDER BY id DESC LIMIT 1`);
  assert.equal(rows.length, 1, `no verification message for ${to} in the outbox`);
  // the mail links to the page (xac-thuc.html), which calls the API with the token
  const m = /\/xac-thuc\.html\?token=([A-Za-z0-9_-]{43})/.exec(rows[0][0]);
  assert.ok(m, `no link to xac-thuc.html in: ${rows[0][0]}`);
  return `/api/v1/citizens/verify?token=${m[1]}`;
}

test('register → the link arrives in the outbox → verify → login → submit → my dossiers → logout', async () => {
  const email = `cd.${process.pid}.${Date.now()}@example.vn`;
  const password = 'mat-khau-rat-dai-1';
  assertProblem(await post('/api/v1/citizens', { email, full_name: 'Lê Thị Dân', password: 'ngan' }), 400, { field: 'password' });
  assertProblem(await post('/api/v1/citizens', { full_name: 'Lê Thị Dân', password }), 422);
  assertProblem(await post('/api/v1/citizens', { email, full_name: 'Lê Thị Dân', password, extra: 1 }), 400);

  const reg = await post('/api/v1/citizens', { email, full_name: 'Lê Thị Dân', password });
  assert.equal(reg.status, 202, reg.text);
  // the same address again: the same answer (who is registered is not told)
  const again = await post('/api/v1/citizens', { email, full_name: 'Người Khác', password });
  assert.equal(again.status, 202);
  assert.deepEqual(again.json, reg.json);
  assert.equal(sql(`SELECT COUNT(*) FROM citizens WHERE email = ${q(email)}`)[0][0], '1');

  // not verified yet: no session
  assertProblem(await post('/api/v1/citizens/login', { login: email, password }), 403, { code: 'not_verified' });
  const link = verificationLink(email);
  assertProblem(await raw('GET', '/api/v1/citizens/verify?token=' + 'x'.repeat(43)), 404, { code: 'invalid_token' });
  const v = await raw('GET', link);
  assert.equal(v.status, 200, v.text);
  assert.equal(v.json.verified, true);
  assertProblem(await raw('GET', link), 404, { code: 'invalid_token' });   // used once

  assertProblem(await post('/api/v1/citizens/login', { login: email, password: 'sai-mat-khau-123' }), 401, { code: 'invalid_credentials' });
  assertProblem(await post('/api/v1/citizens/login', { login: 'khong.co@example.vn', password }), 401, { code: 'invalid_credentials' });
  const li = await post('/api/v1/citizens/login', { login: email, password });
  assert.equal(li.status, 200, li.text);
  const c = cookieOf(li);
  assert.ok(c, 'a motcua_citizen cookie');
  assert.match(c.header, /HttpOnly/);
  assert.match(c.header, /Secure/);
  assert.match(c.header, /SameSite=Strict/);
  assert.equal(li.json.citizen.email, email);
  const csrf = li.json.csrf_token;

  const me = await raw('GET', '/api/v1/citizens/me', { headers: { Cookie: c.pair } });
  assert.equal(me.status, 200);
  assert.equal(me.json.citizen.full_name, 'Lê Thị Dân');
  assertProblem(await raw('GET', '/api/v1/citizens/me'), 401);

  // a submission as the citizen: CSRF needed, then it is theirs
  const form = () => {
    const f = new FormData();
    for (const [k, val] of Object.entries({ procedure: '2.000884', unit: UNITS.gioMy, applicant_name: 'Lê Thị Dân', result_channel: 'online' })) f.append(k, val);
    f.append('doc_1', new Blob([PDF], { type: 'application/pdf' }), 'a.pdf');
    f.append('doc_2', new Blob([PNG], { type: 'image/png' }), 'b.png');
    return f;
  };
  assertProblem(await raw('POST', '/api/v1/submissions', { headers: { Cookie: c.pair }, body: form() }), 403, { code: 'csrf_failed' });
  const s = await raw('POST', '/api/v1/submissions', { headers: { Cookie: c.pair, 'X-CSRF-Token': csrf }, body: form() });
  assert.equal(s.status, 201, s.text);

  const mine = await raw('GET', '/api/v1/citizens/me/dossiers', { headers: { Cookie: c.pair } });
  assert.equal(mine.status, 200, mine.text);
  assert.equal(mine.json.total, 1);
  assert.equal(mine.json.items[0].code, s.json.code);
  assert.equal(mine.json.items[0].status.code, 'submitted');
  const paged = await raw('GET', '/api/v1/citizens/me/dossiers?page=2&per_page=1', { headers: { Cookie: c.pair } });
  assert.deepEqual([paged.json.items.length, paged.json.total], [0, 1]);
  assertProblem(await raw('GET', '/api/v1/citizens/me/dossiers?per_page=1000', { headers: { Cookie: c.pair } }), 400, { field: 'per_page' });

  assertProblem(await raw('POST', '/api/v1/citizens/logout', { headers: { Cookie: c.pair } }), 403);
  const out = await raw('POST', '/api/v1/citizens/logout', { headers: { Cookie: c.pair, 'X-CSRF-Token': csrf } });
  assert.equal(out.status, 204);
  assertProblem(await raw('GET', '/api/v1/citizens/me', { headers: { Cookie: c.pair } }), 401);
});

test('registration by phone sends the link by SMS', async () => {
  const phone = `09${String(Date.now()).slice(-8)}`;
  const reg = await post('/api/v1/citizens', { phone, full_name: 'Trần Văn Số', password: 'mat-khau-rat-dai-2' });
  assert.equal(reg.status, 202, reg.text);
  assert.equal(reg.json.channel, 'sms');
  const [[channel]] = sql(`SELECT channel FROM outbox WHERE recipient = ${q(phone)} AND kind = 'citizen_verify'`);
  assert.equal(channel, 'sms');
  assertProblem(await post('/api/v1/citizens', { phone: '12ab', full_name: 'X Y', password: 'mat-khau-rat-dai-2' }), 400, { field: 'phone' });
});
