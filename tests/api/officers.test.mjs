// Accounts (fcgi/api/officers.c), as an administrator meets them: the list, creation and
// the first sign-in, duplicates, units and roles that do not exist, changes (name, roles,
// deactivation), password length, non-admins refused, the "unused accounts" filter, and
// the scope of a district administrator, who manages their own district only.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { assertProblem, ISO_VN_RE, UNIT_CODE_RE } from './helpers.mjs';
import { login, tryLogin, call, createOfficer, uniq, sql, q, UNITS } from './lib/officer.mjs';

const OFFICERS = '/api/v1/officers';
const DEMO = ['admin', 'giomy.motcua', 'giomy.chuyenvien', 'giomy.lanhdao', 'giomy.vanthu', 'giolinh.giamsat'];
const DONG_HA_UNITS = ['000.00.21.H45', '000.21.21.H45', '000.22.21.H45', '000.23.21.H45'];

let admin;
before(async () => {
  admin = await login('admin');
});

async function list(session, query = '') {
  const r = await call(session, 'GET', OFFICERS + query);
  assert.equal(r.status, 200, `GET ${OFFICERS}${query} as ${session.username}: ${r.status} ${r.text.slice(0, 300)}`);
  assert.ok(Array.isArray(r.json.items), 'items');
  return r.json.items;
}

const find = (items, username) => items.find((o) => o.username === username);

function newOfficer(overrides = {}) {
  return {
    username: uniq('cb'),
    full_name: 'Phạm Thị Hồng Nhung',
    roles: ['desk'],
    unit: UNITS.gioMy,
    email: 'nhung@giomy.example',
    phone: '0233 3812 345',
    password: 'mot-mat-khau-du-dai',
    ...overrides,
  };
}

test('the list: every demo account with its unit, roles and dates, and no password', async () => {
  const r = await call(admin, 'GET', OFFICERS);
  assert.equal(r.status, 200, r.text);
  assert.match(r.type, /^application\/json\b/);
  const items = r.json.items;
  for (const u of DEMO) assert.ok(find(items, u), `${u} is not listed`);
  for (const o of items) {
    assert.equal(typeof o.username, 'string');
    assert.equal(typeof o.full_name, 'string');
    assert.ok(Array.isArray(o.roles) && o.roles.length > 0, `${o.username}: roles`);
    for (const role of o.roles) assert.ok(['desk', 'specialist', 'leader', 'clerk', 'admin', 'monitor'].includes(role), role);
    assert.match(o.unit.code, UNIT_CODE_RE);
    assert.equal(typeof o.unit.name, 'string');
    assert.equal(typeof o.active, 'boolean');
    assert.match(o.created_at, ISO_VN_RE, `${o.username}: created_at`);
    assert.ok(o.last_login_at === null || ISO_VN_RE.test(o.last_login_at), `${o.username}: last_login_at ${o.last_login_at}`);
  }
  assert.ok(!/password|argon/i.test(r.text), 'the list shows password hashes');
  const desk = find(items, 'giomy.motcua');
  assert.deepEqual(desk.roles, ['desk']);
  assert.equal(desk.unit.code, UNITS.gioMy);
  assert.deepEqual(find(items, 'giomy.lanhdao').roles, ['leader']);
  assert.equal(find(items, 'giolinh.giamsat').unit.code, UNITS.gioLinh);
});

test('create: 201, listed as given, and the new officer can sign in', async () => {
  const o = newOfficer({ roles: ['specialist', 'leader'] });
  const r = await call(admin, 'POST', OFFICERS, o);
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.username, o.username);
  assert.ok(!/password|argon/i.test(r.text));

  const listed = find(await list(admin), o.username);
  assert.ok(listed, 'not listed after creation');
  assert.equal(listed.full_name, o.full_name);
  assert.deepEqual([...listed.roles].sort(), ['leader', 'specialist']);
  assert.equal(listed.unit.code, UNITS.gioMy);
  assert.equal(listed.email, o.email);
  assert.equal(listed.phone, o.phone);
  assert.equal(listed.active, true);
  assert.equal(listed.last_login_at, null, 'never signed in yet');
  assert.ok(Math.abs(Date.parse(listed.created_at) - Date.now()) < 5 * 60 * 1000, `created_at ${listed.created_at} is not now`);

  const s = await login(o.username, o.password);
  assert.equal(s.officer.full_name, o.full_name);
  assert.deepEqual([...s.officer.roles].sort(), ['leader', 'specialist']);
  assert.equal(s.officer.unit.code, UNITS.gioMy);
  const after = find(await list(admin), o.username);
  assert.ok(after.last_login_at && Math.abs(Date.parse(after.last_login_at) - Date.now()) < 5 * 60 * 1000,
    `last_login_at after signing in: ${after.last_login_at}`);
});

test('create: a username already taken → 409 username_taken', async () => {
  const o = newOfficer();
  assert.equal((await call(admin, 'POST', OFFICERS, o)).status, 201);
  const again = await call(admin, 'POST', OFFICERS, { ...o, full_name: 'Người Khác', password: 'mat-khau-khac-han' });
  assertProblem(again, 409, { code: 'username_taken', field: 'username' });
  const demo = await call(admin, 'POST', OFFICERS, newOfficer({ username: 'giomy.motcua' }));
  assertProblem(demo, 409, { code: 'username_taken', field: 'username', where: 'a demo username' });
  // the first account is untouched
  await login(o.username, o.password);
  assert.equal(find(await list(admin), o.username).full_name, o.full_name);
});

test('create: a unit that does not exist → 422 unknown_unit; a malformed one → 400', async () => {
  const r = await call(admin, 'POST', OFFICERS, newOfficer({ unit: '000.99.24.H45' }));
  assertProblem(r, 422, { code: 'unknown_unit', field: 'unit' });
  const other = await call(admin, 'POST', OFFICERS, newOfficer({ unit: '000.00.00.H99' }));
  assertProblem(other, 422, { code: 'unknown_unit', field: 'unit', where: 'another province' });
  for (const unit of ['Gio Mỹ', '000.22.24.h45', '000.22.24.H45 ', '']) {
    assertProblem(await call(admin, 'POST', OFFICERS, newOfficer({ unit })), 400, { field: 'unit', where: `unit "${unit}"` });
  }
});

test('create: roles must be known, non-empty → 400 naming roles', async () => {
  for (const roles of [['desk', 'wizard'], ['Desk'], [], ['desk', ''], 'desk', [1]]) {
    const o = newOfficer({ roles });
    const r = await call(admin, 'POST', OFFICERS, o);
    assertProblem(r, 400, { field: 'roles', where: `roles ${JSON.stringify(roles)}` });
    assertProblem(await tryLogin(o.username, o.password), 401, { code: 'invalid_credentials', where: 'the refused account' });
  }
});

test('create: username, name and password rules → 400 naming the field', async () => {
  const cases = [
    [{ username: 'Co.Chu.Hoa' }, 'username'],
    [{ username: 'có dấu' }, 'username'],
    [{ username: 'ab' }, 'username'],
    [{ full_name: '' }, 'full_name'],
    [{ password: 'ngan' }, 'password'],
    [{ password: '123456789' }, 'password'],       // 9 characters: one short
  ];
  for (const [over, field] of cases) {
    const r = await call(admin, 'POST', OFFICERS, newOfficer(over));
    assertProblem(r, 400, { field, where: JSON.stringify(over) });
  }
  const { password, ...noPassword } = newOfficer();
  assert.ok(password);
  assertProblem(await call(admin, 'POST', OFFICERS, noPassword), 400, { code: 'missing_field', field: 'password' });
  // ten characters is enough
  const ten = newOfficer({ password: '0123456789' });
  assert.equal((await call(admin, 'POST', OFFICERS, ten)).status, 201);
  await login(ten.username, '0123456789');
});

test('PATCH: full name and roles change; the officer sees them at the next sign-in', async () => {
  const o = newOfficer();
  assert.equal((await call(admin, 'POST', OFFICERS, o)).status, 201);
  const r = await call(admin, 'PATCH', `${OFFICERS}/${o.username}`, { full_name: 'Phạm Thị Hồng Nhung (đã đổi)', roles: ['clerk', 'specialist'] });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.username, o.username);
  const listed = find(await list(admin), o.username);
  assert.equal(listed.full_name, 'Phạm Thị Hồng Nhung (đã đổi)');
  assert.deepEqual([...listed.roles].sort(), ['clerk', 'specialist']);
  assert.equal(listed.email, o.email, 'a field not sent was changed');
  assert.equal(listed.phone, o.phone, 'a field not sent was changed');
  assert.equal(listed.unit.code, o.unit, 'a field not sent was changed');
  const s = await login(o.username, o.password);
  assert.deepEqual([...s.officer.roles].sort(), ['clerk', 'specialist']);
  assert.equal(s.officer.full_name, 'Phạm Thị Hồng Nhung (đã đổi)');
  // an unknown role in a PATCH is refused and changes nothing
  const bad = await call(admin, 'PATCH', `${OFFICERS}/${o.username}`, { roles: ['leader', 'superuser'] });
  assertProblem(bad, 400, { field: 'roles', where: 'PATCH unknown role' });
  assert.deepEqual([...find(await list(admin), o.username).roles].sort(), ['clerk', 'specialist']);
  // the username is the path, not the body
  assertProblem(await call(admin, 'PATCH', `${OFFICERS}/${o.username}`, { username: 'khac.ten' }), 400, { field: 'username' });
  assertProblem(await call(admin, 'PATCH', `${OFFICERS}/${uniq('khongco')}`, { full_name: 'Ai Đó' }), 404,
    { code: 'officer_not_found', where: 'PATCH of nobody' });
});

test('role changes apply to open sessions at once', async () => {
  const o = newOfficer({ roles: ['admin'], unit: UNITS.gioLinh });
  await createOfficer(admin, o);
  const s = await login(o.username, o.password);
  assert.equal((await call(s, 'GET', OFFICERS)).status, 200);
  assert.equal((await call(admin, 'PATCH', `${OFFICERS}/${o.username}`, { roles: ['monitor'] })).status, 200);
  assertProblem(await call(s, 'GET', OFFICERS), 403, { code: 'forbidden_role', where: 'a former admin lists' });
  assertProblem(await call(s, 'POST', OFFICERS, newOfficer()), 403, { code: 'forbidden_role', where: 'a former admin creates' });
  const me = await call(s, 'GET', '/api/v1/auth/me');
  assert.deepEqual(me.json.officer.roles, ['monitor']);
});

test('PATCH active=false: sign-in fails with 401 and the open session ends', async () => {
  const o = newOfficer();
  await createOfficer(admin, o);
  const s = await login(o.username, o.password);
  const r = await call(admin, 'PATCH', `${OFFICERS}/${o.username}`, { active: false });
  assert.equal(r.status, 200, r.text);
  assert.equal(find(await list(admin), o.username).active, false);
  assertProblem(await tryLogin(o.username, o.password), 401, { code: 'invalid_credentials', where: 'deactivated account' });
  assertProblem(await call(s, 'GET', '/api/v1/auth/me'), 401, { code: 'not_authenticated', where: 'session of a deactivated account' });
  // and back
  assert.equal((await call(admin, 'PATCH', `${OFFICERS}/${o.username}`, { active: true })).status, 200);
  await login(o.username, o.password);
});

test('PATCH password: too short → 400 and the old one still works; a long one replaces it', async () => {
  const o = newOfficer();
  await createOfficer(admin, o);
  assertProblem(await call(admin, 'PATCH', `${OFFICERS}/${o.username}`, { password: 'short' }), 400, { field: 'password' });
  await login(o.username, o.password);
  assert.equal((await call(admin, 'PATCH', `${OFFICERS}/${o.username}`, { password: 'mat-khau-moi-rat-dai' })).status, 200);
  assertProblem(await tryLogin(o.username, o.password), 401, { code: 'invalid_credentials', where: 'old password' });
  await login(o.username, 'mat-khau-moi-rat-dai');
});

test('a non-admin (desk, leader, monitor) gets 403 forbidden_role on every account endpoint', async () => {
  for (const username of ['giomy.motcua', 'giomy.lanhdao', 'giolinh.giamsat']) {
    const s = await login(username);
    assertProblem(await call(s, 'GET', OFFICERS), 403, { code: 'forbidden_role', where: `${username} lists` });
    const o = newOfficer();
    assertProblem(await call(s, 'POST', OFFICERS, o), 403, { code: 'forbidden_role', where: `${username} creates` });
    assertProblem(await tryLogin(o.username, o.password), 401, { code: 'invalid_credentials', where: 'the account was created' });
    assertProblem(await call(s, 'PATCH', `${OFFICERS}/${username}`, { roles: ['admin'] }), 403,
      { code: 'forbidden_role', where: `${username} makes themself admin` });
  }
  const me = await login('giomy.motcua');
  assert.deepEqual(me.officer.roles, ['desk'], 'a desk officer became admin');
  assertProblem(await call(null, 'GET', OFFICERS), 401, { code: 'not_authenticated' });
});

test('unused_days: lists an account created long ago that never signed in, not one just used', async () => {
  const idle = newOfficer({ username: uniq('nhanroi') });
  const used = newOfficer({ username: uniq('danglam') });
  await createOfficer(admin, idle);
  await createOfficer(admin, used);
  sql(`UPDATE officers SET created_at = UTC_TIMESTAMP() - INTERVAL 100 DAY WHERE username IN (${q(idle.username)}, ${q(used.username)})`);
  await login(used.username, used.password);

  const unused = await list(admin, '?unused_days=30');
  assert.ok(find(unused, idle.username), `${idle.username} (created 100 days ago, never signed in) is not listed`);
  assert.ok(!find(unused, used.username), `${used.username} signed in just now but is listed as unused`);
  for (const o of unused) {
    assert.equal(o.active, true, `${o.username}: inactive accounts are not "unused"`);
    const last = Date.parse(o.last_login_at || o.created_at);
    assert.ok(last < Date.now() - 30 * 86400 * 1000, `${o.username}: last used ${o.last_login_at || o.created_at}`);
  }
  // 100 days ago is not more than 150 days ago
  assert.ok(!find(await list(admin, '?unused_days=150'), idle.username), 'unused_days=150 lists a 100-day-old account');
  // a sign-in long ago counts as unused too
  sql(`UPDATE officers SET last_login_at = UTC_TIMESTAMP() - INTERVAL 60 DAY WHERE username = ${q(used.username)}`);
  assert.ok(find(await list(admin, '?unused_days=30'), used.username), 'last sign-in 60 days ago is not listed');
  // bad values are refused
  for (const v of ['abc', '0', '-1', '99999']) {
    assertProblem(await call(admin, 'GET', `${OFFICERS}?unused_days=${v}`), 400, { field: 'unused_days', where: `unused_days=${v}` });
  }
});

test('a district administrator sees and edits only their district', async () => {
  const dh = newOfficer({ username: uniq('qt.dongha'), roles: ['admin'], unit: UNITS.dongHa, full_name: 'Quản trị Đông Hà' });
  await createOfficer(admin, dh);
  const dhDesk = newOfficer({ username: uniq('dongha.motcua'), unit: UNITS.dongHaWard });
  await createOfficer(admin, dhDesk);
  const s = await login(dh.username, dh.password);

  const items = await list(s);
  assert.ok(find(items, dh.username), 'the district admin does not see themself');
  assert.ok(find(items, dhDesk.username), 'the district admin does not see an officer of a ward of theirs');
  for (const o of items) assert.ok(DONG_HA_UNITS.includes(o.unit.code), `${o.username} of ${o.unit.code} is outside Đông Hà`);
  for (const u of DEMO) assert.ok(!find(items, u), `${u} (not in Đông Hà) is listed`);
  const unused = await list(s, '?unused_days=1');
  for (const o of unused) assert.ok(DONG_HA_UNITS.includes(o.unit.code), `unused: ${o.username} of ${o.unit.code}`);

  // edits outside: as if the account did not exist
  for (const u of ['giomy.motcua', 'admin']) {
    const r = await call(s, 'PATCH', `${OFFICERS}/${u}`, { active: false });
    assertProblem(r, 404, { code: 'officer_not_found', where: `PATCH ${u}` });
    const p = await call(s, 'PATCH', `${OFFICERS}/${u}`, { password: 'chiem-tai-khoan-123' });
    assertProblem(p, 404, { code: 'officer_not_found', where: `password of ${u}` });
  }
  await login('giomy.motcua');
  await login('admin');
  // no creating outside, and no moving an officer out
  const outside = newOfficer({ unit: UNITS.gioMy });
  assertProblem(await call(s, 'POST', OFFICERS, outside), 422, { code: 'unknown_unit', field: 'unit', where: 'create in Gio Mỹ' });
  assertProblem(await call(s, 'POST', OFFICERS, newOfficer({ unit: UNITS.province })), 422,
    { code: 'unknown_unit', field: 'unit', where: 'create at the province' });
  assertProblem(await tryLogin(outside.username, outside.password), 401, { code: 'invalid_credentials' });
  const move = await call(s, 'PATCH', `${OFFICERS}/${dhDesk.username}`, { unit: UNITS.gioMy });
  assertProblem(move, 422, { code: 'unknown_unit', field: 'unit', where: 'move to Gio Mỹ' });
  // inside: fine
  const inside = newOfficer({ unit: '000.22.21.H45' });
  assert.equal((await call(s, 'POST', OFFICERS, inside)).status, 201);
  const ed = await call(s, 'PATCH', `${OFFICERS}/${dhDesk.username}`, { full_name: 'Cán bộ Phường 1', unit: '000.23.21.H45' });
  assert.equal(ed.status, 200, ed.text);
  const moved = find(await list(admin), dhDesk.username);
  assert.equal(moved.unit.code, '000.23.21.H45');
  assert.equal(moved.full_name, 'Cán bộ Phường 1');
  // the province admin sees both districts
  const all = await list(admin);
  assert.ok(find(all, inside.username) && find(all, 'giomy.motcua'));
});
