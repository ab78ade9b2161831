// Officer sign-in (fcgi/api/auth.c): the session cookie and its attributes, /auth/me,
// wrong and unknown credentials answered alike, the CSRF header on every write, logout,
// the lock after repeated failures, and the strict JSON body reader (core/jsonin.c) as a
// client meets it at the login form.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { assertProblem } from './helpers.mjs';
import { createHash } from 'node:crypto';
import {
  login, tryLogin, sessionCookie, call, raw, createOfficer, uniq, receptionBody, sql, q, UNITS, PASSWORD,
} from './lib/officer.mjs';

const LOGIN = '/api/v1/auth/login';
const json = (body) => ({ headers: { 'Content-Type': 'application/json' }, body });

let admin;
before(async () => {
  admin = await login('admin');
});

test('login: 200, the officer, a CSRF token and a HttpOnly, Secure, SameSite=Strict session cookie', async () => {
  const r = await tryLogin('giomy.motcua');
  assert.equal(r.status, 200, r.text);
  assert.match(r.type, /^application\/json\b/);
  const c = sessionCookie(r);
  assert.ok(c, `no motcua_session cookie in ${r.headers.get('set-cookie')}`);
  assert.match(c.pair, /^motcua_session=[A-Za-z0-9_-]{43}$/, 'a 256-bit token, base64url');
  const attrs = c.header.split(';').map((a) => a.trim().toLowerCase());
  assert.ok(attrs.includes('httponly'), `HttpOnly missing: ${c.header}`);
  assert.ok(attrs.includes('secure'), `Secure missing: ${c.header}`);
  assert.ok(attrs.includes('samesite=strict'), `SameSite=Strict missing: ${c.header}`);
  assert.ok(attrs.includes('path=/'), `Path=/ missing: ${c.header}`);
  assert.equal(r.headers.get('cache-control'), 'no-store');

  assert.match(r.json.csrf_token, /^[A-Za-z0-9_-]{43}$/);
  assert.notEqual(r.json.csrf_token, c.pair.split('=')[1], 'the CSRF token is not the session token');
  const o = r.json.officer;
  assert.equal(o.username, 'giomy.motcua');
  assert.equal(typeof o.full_name, 'string');
  assert.ok(o.full_name.length > 0);
  assert.deepEqual(o.roles, ['desk']);
  assert.equal(o.unit.code, UNITS.gioMy);
  assert.match(o.unit.name, /Gio Mỹ/);
  assert.ok(!/password|hash/i.test(r.text), 'the answer mentions the password or its hash');

  // two sign-ins are two sessions
  const again = await login('giomy.motcua');
  assert.notEqual(again.cookie, c.pair);
  assert.notEqual(again.csrf, r.json.csrf_token);
});

test('/auth/me: the officer and the same CSRF token with the cookie; 401 without or with a bad one', async () => {
  const s = await login('giomy.lanhdao');
  const me = await call(s, 'GET', '/api/v1/auth/me');
  assert.equal(me.status, 200, me.text);
  assert.equal(me.json.officer.username, 'giomy.lanhdao');
  assert.deepEqual(me.json.officer.roles, ['leader']);
  assert.equal(me.json.officer.unit.code, UNITS.gioMy);
  assert.equal(me.json.csrf_token, s.csrf);

  assertProblem(await call(null, 'GET', '/api/v1/auth/me'), 401, { code: 'not_authenticated', where: 'no cookie' });
  const forged = { ...s, cookie: `motcua_session=${'A'.repeat(43)}` };
  assertProblem(await call(forged, 'GET', '/api/v1/auth/me'), 401, { code: 'not_authenticated', where: 'forged token' });
  const short = { ...s, cookie: 'motcua_session=abc' };
  assertProblem(await call(short, 'GET', '/api/v1/auth/me'), 401, { code: 'not_authenticated', where: 'short token' });
  // the cookie among others, as a browser sends it
  const among = await call({ ...s, cookie: `lang=vi; ${s.cookie}; theme=dark` }, 'GET', '/api/v1/auth/me');
  assert.equal(among.status, 200, `cookie among others: ${among.text}`);
});

test('wrong password and unknown user: the same 401 invalid_credentials, and no cookie', async () => {
  const wrong = await tryLogin('giomy.chuyenvien', 'not-the-password');
  const unknown = await tryLogin(uniq('nobody'), 'not-the-password');
  assertProblem(wrong, 401, { code: 'invalid_credentials', where: 'wrong password' });
  assertProblem(unknown, 401, { code: 'invalid_credentials', where: 'unknown user' });
  assert.deepEqual(unknown.json, wrong.json, 'the answers tell which usernames exist');
  assert.equal(sessionCookie(wrong), null, 'a cookie after a wrong password');
  assert.equal(sessionCookie(unknown), null, 'a cookie for an unknown user');
  // and a failure does not spoil the account for its owner
  await login('giomy.chuyenvien');
});

test('writes need the X-CSRF-Token of the session: missing or wrong → 403 csrf_failed', async () => {
  const s = await login('giomy.motcua');
  const other = await login('giomy.motcua');
  const body = receptionBody();
  for (const [label, headers] of [
    ['missing', { 'X-CSRF-Token': null }],
    ['wrong', { 'X-CSRF-Token': 'x'.repeat(43) }],
    ['empty', { 'X-CSRF-Token': '' }],
    ['prefix of the right one', { 'X-CSRF-Token': s.csrf.slice(0, 42) }],
    ["another session's", { 'X-CSRF-Token': other.csrf }],
  ]) {
    const r = await call(s, 'POST', '/api/v1/dossiers', body, headers);
    assertProblem(r, 403, { code: 'csrf_failed', field: 'X-CSRF-Token', where: `reception, CSRF ${label}` });
    const lo = await call(s, 'POST', '/api/v1/auth/logout', undefined, headers);
    assertProblem(lo, 403, { code: 'csrf_failed', where: `logout, CSRF ${label}` });
  }
  // nothing of that ended the session, and reads need no token
  const me = await call(s, 'GET', '/api/v1/auth/me');
  assert.equal(me.status, 200, me.text);
  // the right token passes
  const ok = await call(s, 'POST', '/api/v1/dossiers', body);
  assert.equal(ok.status, 201, ok.text);
  // an admin write too
  const a = await call(admin, 'POST', '/api/v1/officers',
    { username: uniq('csrf'), full_name: 'Thử CSRF', roles: ['desk'], unit: UNITS.gioMy, password: 'mat-khau-dai-du' },
    { 'X-CSRF-Token': null });
  assertProblem(a, 403, { code: 'csrf_failed', where: 'officer creation without CSRF' });
});

test('logout: 204, clears the cookie, and the session no longer works', async () => {
  const s = await login('giomy.vanthu');
  const keep = await login('giomy.vanthu');
  const r = await call(s, 'POST', '/api/v1/auth/logout');
  assert.equal(r.status, 204, r.text);
  const c = sessionCookie(r);
  assert.ok(c, 'logout does not clear the cookie');
  assert.match(c.header, /motcua_session=;/);
  assert.match(c.header, /Max-Age=0/i);
  assertProblem(await call(s, 'GET', '/api/v1/auth/me'), 401, { code: 'not_authenticated', where: 'me after logout' });
  assertProblem(await call(s, 'POST', '/api/v1/auth/logout'), 401, { code: 'not_authenticated', where: 'second logout' });
  assertProblem(await call(s, 'GET', '/api/v1/dossiers'), 401, { code: 'not_authenticated', where: 'inbox after logout' });
  // only that session ended
  const me = await call(keep, 'GET', '/api/v1/auth/me');
  assert.equal(me.status, 200, `the other session ended too: ${me.text}`);
});

test('lockout: after 5 failures even the right password gets 429 login_locked', async () => {
  const username = uniq('khoa');
  const password = await createOfficer(admin, { username, unit: UNITS.gioMy, roles: ['desk'] });
  await login(username, password);                 // the account works

  for (let i = 1; i <= 5; i++) {
    assertProblem(await tryLogin(username, `sai-mat-khau-${i}`), 401, { code: 'invalid_credentials', where: `failure ${i}` });
  }
  const locked = await tryLogin(username, password);
  assertProblem(locked, 429, { code: 'login_locked', where: '6th attempt, right password' });
  assert.equal(sessionCookie(locked), null, 'a cookie while locked');
  assertProblem(await tryLogin(username, 'sai-nua'), 429, { code: 'login_locked', where: 'wrong password while locked' });

  // others are not locked with it
  await login('giomy.motcua');
  // an administrator who sets a new password lifts the lock
  const r = await call(admin, 'PATCH', `/api/v1/officers/${username}`, { password: 'mat-khau-moi-12345' });
  assert.equal(r.status, 200, r.text);
  await login(username, 'mat-khau-moi-12345');
  assertProblem(await tryLogin(username, password), 401, { code: 'invalid_credentials', where: 'the old password' });
});

test('the lock grows: after it ends, one more failure locks again, for longer', async () => {
  const username = uniq('khoalai');
  const password = await createOfficer(admin, { username, unit: UNITS.gioMy, roles: ['desk'] });
  for (let i = 1; i <= 5; i++) await tryLogin(username, 'sai');
  assertProblem(await tryLogin(username, password), 429, { code: 'login_locked', where: 'after 5 failures' });
  const lockFor = () => Number(sql(`SELECT TIMESTAMPDIFF(SECOND, UTC_TIMESTAMP(), locked_until) FROM officers
                                     WHERE username = ${q(username)}`)[0][0]);
  const first = lockFor();
  assert.ok(first > 0 && first <= 60, `first lock: ${first} s`);
  // the minute has passed
  sql(`UPDATE officers SET locked_until = UTC_TIMESTAMP() - INTERVAL 1 SECOND WHERE username = ${q(username)}`);
  assertProblem(await tryLogin(username, 'sai-lan-nua'), 401, { code: 'invalid_credentials', where: 'failure 6' });
  assertProblem(await tryLogin(username, password), 429, { code: 'login_locked', where: 'after failure 6' });
  const second = lockFor();
  assert.ok(second > 60 && second <= 120, `second lock: ${second} s, not longer than the first`);
  // once it ends, the right password works and clears the count
  sql(`UPDATE officers SET locked_until = UTC_TIMESTAMP() - INTERVAL 1 SECOND WHERE username = ${q(username)}`);
  await login(username, password);
  for (let i = 1; i <= 4; i++) await tryLogin(username, 'sai');
  await login(username, password);
});

test('a session ends after 2 hours idle and after 8 hours in any case', async () => {
  const tokenHash = (s) => createHash('sha256').update(s.cookie.split('=')[1]).digest('hex');
  const idle = await login('giomy.chuyenvien');
  sql(`UPDATE officer_sessions SET last_seen_at = UTC_TIMESTAMP() - INTERVAL 3 HOUR WHERE token_hash = UNHEX(${q(tokenHash(idle))})`);
  assertProblem(await call(idle, 'GET', '/api/v1/auth/me'), 401, { code: 'not_authenticated', where: 'idle 3 hours' });
  assert.deepEqual(sql(`SELECT COUNT(*) FROM officer_sessions WHERE token_hash = UNHEX(${q(tokenHash(idle))})`), [['0']],
    'the idle session is still stored');

  const busy = await login('giomy.chuyenvien');
  sql(`UPDATE officer_sessions SET last_seen_at = UTC_TIMESTAMP() - INTERVAL 90 MINUTE WHERE token_hash = UNHEX(${q(tokenHash(busy))})`);
  const me = await call(busy, 'GET', '/api/v1/auth/me');
  assert.equal(me.status, 200, `idle 90 minutes: ${me.text}`);
  const seen = sql(`SELECT TIMESTAMPDIFF(SECOND, last_seen_at, UTC_TIMESTAMP()) FROM officer_sessions
                    WHERE token_hash = UNHEX(${q(tokenHash(busy))})`);
  assert.ok(Number(seen[0][0]) < 60, 'using a session does not keep it alive');

  const old = await login('giomy.chuyenvien');
  sql(`UPDATE officer_sessions SET expires_at = UTC_TIMESTAMP() - INTERVAL 1 SECOND WHERE token_hash = UNHEX(${q(tokenHash(old))})`);
  assertProblem(await call(old, 'GET', '/api/v1/auth/me'), 401, { code: 'not_authenticated', where: 'expired' });
  // the token in the database is only a hash
  const stored = sql(`SELECT COUNT(*) FROM officer_sessions WHERE HEX(token_hash) = HEX(${q(busy.cookie.split('=')[1])})
                      OR token_hash = ${q(busy.cookie.split('=')[1])}`);
  assert.deepEqual(stored, [['0']], 'the session token is stored in clear');
});

test('a successful sign-in resets the failure count: 4 failures, success, 4 failures, success', async () => {
  const username = uniq('demlai');
  const password = await createOfficer(admin, { username, unit: UNITS.gioMy, roles: ['specialist'] });
  for (let round = 0; round < 2; round++) {
    for (let i = 0; i < 4; i++) {
      assertProblem(await tryLogin(username, 'khong-dung'), 401, { code: 'invalid_credentials', where: `round ${round}, failure ${i + 1}` });
    }
    await login(username, password);
  }
});

test('login body: not JSON, trailing junk, an array, an unknown field → 400', async () => {
  const cases = [
    ['not JSON', 'username=admin&password=x', 'invalid_json'],
    ['trailing junk', `{"username":"admin","password":"${PASSWORD}"} x`, 'invalid_json'],
    ['two objects', `{"username":"admin","password":"${PASSWORD}"}{}`, 'invalid_json'],
    ['an array', `[{"username":"admin","password":"${PASSWORD}"}]`, 'invalid_json'],
    ['a string', '"admin"', 'invalid_json'],
    ['empty', '', 'invalid_json'],
    ['truncated', '{"username":"admin","password":', 'invalid_json'],
    ['single quotes', "{'username':'admin','password':'x'}", 'invalid_json'],
    ['comment', `{"username":"admin", /* hi */ "password":"${PASSWORD}"}`, 'invalid_json'],
  ];
  for (const [label, body, code] of cases) {
    const r = await raw('POST', LOGIN, json(body));
    assertProblem(r, 400, { code, where: label });
    assert.equal(sessionCookie(r), null, `${label}: a cookie`);
  }
  const unknown = await raw('POST', LOGIN, json(JSON.stringify({ username: 'admin', password: PASSWORD, remember: true })));
  assertProblem(unknown, 400, { code: 'unknown_field', field: 'remember', where: 'unknown field' });
  assert.equal(sessionCookie(unknown), null, 'unknown field: signed in anyway');
  const missing = await raw('POST', LOGIN, json(JSON.stringify({ username: 'admin' })));
  assertProblem(missing, 400, { code: 'missing_field', field: 'password', where: 'no password' });
  const typed = await raw('POST', LOGIN, json(JSON.stringify({ username: 'admin', password: 12345 })));
  assertProblem(typed, 400, { code: 'invalid_field', field: 'password', where: 'password as a number' });
});

test('login body: too large → 413, not application/json → 415', async () => {
  const big = JSON.stringify({ username: 'admin', password: 'x'.repeat(10000) });
  assertProblem(await raw('POST', LOGIN, json(big)), 413, { code: 'body_too_large', where: '10 kB login' });
  // beyond what nginx accepts at all: refused before the service
  const huge = JSON.stringify({ username: 'admin', password: 'x'.repeat(2 * 1024 * 1024) });
  const h = await raw('POST', LOGIN, json(huge));
  assert.equal(h.status, 413, `2 MB login: ${h.status}`);

  const body = JSON.stringify({ username: 'admin', password: PASSWORD });
  for (const ct of ['text/plain', 'application/x-www-form-urlencoded', 'application/jsonp', null]) {
    const headers = ct ? { 'Content-Type': ct } : {};
    const r = await raw('POST', LOGIN, { headers, body: ct ? body : Buffer.from(body) });
    assertProblem(r, 415, { code: 'unsupported_media_type', where: `Content-Type ${ct}` });
    assert.equal(sessionCookie(r), null, `Content-Type ${ct}: signed in anyway`);
  }
  // a charset parameter is fine
  const ok = await raw('POST', LOGIN, { headers: { 'Content-Type': 'application/json; charset=utf-8' }, body });
  assert.equal(ok.status, 200, `application/json; charset=utf-8: ${ok.text}`);
});

test('a NUL character in a string → 400 naming the field', async () => {
  const r = await raw('POST', LOGIN, json('{"username":"admin\\u0000x","password":"motcua-demo-2025"}'));
  assertProblem(r, 400, { code: 'invalid_field', field: 'username', where: 'NUL in username' });
  const p = await raw('POST', LOGIN, json('{"username":"admin","password":"motcua-demo-2025\\u0000"}'));
  assertProblem(p, 400, { code: 'invalid_field', field: 'password', where: 'NUL in password' });
  assert.equal(sessionCookie(p), null, 'signed in with a NUL after the password');
  // on an officer's write too: the field named is the one with the NUL
  const s = await login('giomy.motcua');
  const d = await call(s, 'POST', '/api/v1/dossiers',
    JSON.stringify(receptionBody({ applicant_name: 'Nguyễn\u0000Văn A' })));
  assertProblem(d, 400, { code: 'invalid_field', field: 'applicant_name', where: 'NUL in applicant_name' });
  // invalid UTF-8 is refused as well
  const bad = Buffer.concat([Buffer.from('{"username":"adm'), Buffer.from([0xc3, 0x28]), Buffer.from('","password":"x"}')]);
  const u = await raw('POST', LOGIN, { headers: { 'Content-Type': 'application/json' }, body: bad });
  assert.equal(u.status, 400, `invalid UTF-8: ${u.status} ${u.text}`);
});
