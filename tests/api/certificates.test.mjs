// Officers' signing certificates (/api/v1/officers/{username}/certificates): registered
// only when they chain to a trusted CA, are within their validity, allow signing and are
// not revoked; flagged expired or revoked in the accounts list; named in verification
// reports. A fresh test PKI from tests/sig/make-fixtures.sh; the CA this test trusts is
// removed at the end.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, BASE, assertProblem, sleep } from './helpers.mjs';
import { login, call, createOfficer, uniq, sql, q, UNITS } from './lib/officer.mjs';

let fx;
let admin;
let caId;
let leader;        // a throw-away leader of Xã Gio Mỹ
let other;         // another one
const file = (name) => readFileSync(join(fx, name));
const pem = (...names) => names.map((n) => file(`${n}.pem`).toString()).join('');
const certsPath = (u) => `/api/v1/officers/${u}/certificates`;

/** Issues a certificate from the fixture's intermediate CA (openssl ca, as the fixtures do). */
function issue(name, cn, ext, startDays, endDays) {
  const day = (d) => new Date(Date.now() + d * 86400e3).toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';
  const o = { cwd: fx, stdio: 'ignore', env: { ...process.env, ROGUE_SKID: 'hash' } };
  writeFileSync(join(fx, `${name}.ext`), `[e]\n${ext}\n`);
  execFileSync('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', `${name}.key`], o);
  execFileSync('openssl', ['req', '-new', '-config', 'ca.cnf', '-key', `${name}.key`, '-subj', `/C=VN/O=UBND Test/CN=${cn}`,
    '-out', `${name}.csr`], o);
  execFileSync('openssl', ['ca', '-batch', '-config', 'ca.cnf', '-name', 'inter', '-extfile', `${name}.ext`, '-extensions', 'e',
    '-startdate', day(startDays), '-enddate', day(endDays), '-notext', '-utf8', '-in', `${name}.csr`, '-out', `${name}.pem`], o);
}

async function verify(name) {
  const form = new FormData();
  form.append('file', new Blob([file(name)]), name);
  const res = await fetch(`${BASE}/api/v1/signatures/verify`, { method: 'POST', body: form });
  return { status: res.status, json: await res.json() };
}

async function accountOf(username) {
  const r = await call(admin, 'GET', '/api/v1/officers');
  assert.equal(r.status, 200, r.text);
  const a = r.json.items.find((o) => o.username === username);
  assert.ok(a, `${username} is not in the accounts list`);
  return a;
}

before(async () => {
  fx = mkdtempSync(join(tmpdir(), 'motcua-certs-'));
  execFileSync('bash', [join(ROOT, 'tests/sig/make-fixtures.sh'), fx], { stdio: 'ignore' });
  admin = await login('admin');
  const r = await call(admin, 'POST', '/api/v1/trust/cas', { name: 'CA gốc thử nghiệm (chứng thư cán bộ)', pem: pem('root') });
  assert.ok(r.status === 201 || r.status === 200, r.text);
  caId = r.json.id;
  const c = await call(admin, 'POST', '/api/v1/trust/crls', { pem: pem('inter-crl') });
  assert.equal(c.status, 201, c.text);
  leader = uniq('cert');
  other = uniq('cert');
  await createOfficer(admin, { username: leader, unit: UNITS.gioMy, roles: ['leader'], full_name: 'Nguyễn Văn An' });
  await createOfficer(admin, { username: other, unit: UNITS.gioMy, roles: ['leader'] });
  issue('ekubad', 'Sai Mục Đích Mở Rộng', 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth', -10, 300);
  issue('future', 'Chưa Hiệu Lực', 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation', 10, 300);
});

after(async () => {
  if (caId && admin) await call(admin, 'DELETE', `/api/v1/trust/cas/${caId}`);
  if (fx && !process.env.MOTCUA_KEEP_FIXTURES) rmSync(fx, { recursive: true, force: true });
});

test('a certificate is refused, naming pem, unless it chains, is valid, signs and is not revoked', async () => {
  const cases = [
    ['malformed', 'not a certificate'],
    ['untrusted_chain', pem('officer')],                  // the intermediate is missing
    ['untrusted_chain', pem('rogue', 'rogue-root')],      // the look-alike root
    ['expired', pem('expired', 'inter')],
    ['not_yet_valid', pem('future', 'inter')],
    ['bad_key_usage', pem('wrongku', 'inter')],
    ['bad_ext_key_usage', pem('ekubad', 'inter')],
    ['revoked', pem('revoked_before', 'inter')],
  ];
  for (const [code, body] of cases) {
    const p = assertProblem(await call(admin, 'POST', certsPath(leader), { pem: body }), 422,
      { code, field: 'pem', where: code });
    assert.ok(p.title.length > 5);
  }
  assertProblem(await call(admin, 'POST', certsPath(leader), {}), 400, { field: 'pem' });
  const none = await call(admin, 'GET', certsPath(leader));
  assert.equal(none.status, 200, none.text);
  assert.deepEqual(none.json.items, []);
});

test('an admin registers, lists and withdraws; the officer sees their own; others may not', async () => {
  const r = await call(admin, 'POST', certsPath(leader), { pem: pem('officer', 'inter') });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.cn, 'Nguyễn Văn An');
  assert.match(r.json.sha256, /^[0-9a-f]{64}$/);
  assert.match(r.json.issuer, /Issuing CA/);
  assert.equal(r.json.active, true);
  assert.deepEqual([r.json.status.ok, r.json.status.expired, r.json.status.revoked], [true, false, false]);
  const fingerprint = execFileSync('openssl', ['x509', '-in', join(fx, 'officer.pem'), '-noout', '-fingerprint', '-sha256'])
    .toString().split('=')[1].trim().replace(/:/g, '').toLowerCase();
  assert.equal(r.json.sha256, fingerprint);
  const again = await call(admin, 'POST', certsPath(leader), { pem: pem('officer', 'inter') });
  assert.equal(again.status, 200, again.text);
  assert.equal(again.json.id, r.json.id);
  assertProblem(await call(admin, 'POST', certsPath(other), { pem: pem('officer', 'inter') }), 409,
    { code: 'certificate_taken', field: 'pem' });

  // the officer themself: reads and registers their own (document-signing EKU is fine)
  const me = await login(leader, 'mat-khau-thu-nghiem-1');
  {
    const mine = await call(me, 'GET', certsPath(leader));
    assert.equal(mine.status, 200, mine.text);
    assert.equal(mine.json.items.length, 1);
    const ds = await call(me, 'POST', certsPath(leader), { pem: pem('docsign', 'inter') });
    assert.equal(ds.status, 201, ds.text);
    assertProblem(await call(me, 'GET', certsPath(other)), 403, { code: 'forbidden_role' });
    const del = await call(me, 'DELETE', `${certsPath(leader)}/${ds.json.id}`);
    assert.equal(del.status, 200, del.text);
    assert.equal(del.json.active, false);
  }
  const giomy = await login('giomy.motcua');
  assertProblem(await call(giomy, 'GET', certsPath(leader)), 403);
  assertProblem(await call(giomy, 'POST', certsPath(leader), { pem: pem('officer2', 'inter') }), 403);
  assertProblem(await call(null, 'GET', certsPath(leader)), 401, { code: 'not_authenticated' });
  assertProblem(await call(admin, 'GET', certsPath('khong.ton.tai')), 404, { code: 'officer_not_found' });
  assertProblem(await call(admin, 'DELETE', `${certsPath(leader)}/abc`), 400, { field: 'id' });
  assertProblem(await call(admin, 'DELETE', `${certsPath(leader)}/999999999`), 404, { code: 'certificate_not_found' });

  const acct = await accountOf(leader);
  assert.deepEqual(acct.certificates, { active: 1, expired: false, revoked: false });
  assert.deepEqual((await accountOf(other)).certificates, { active: 0, expired: false, revoked: false });
});

test('a verification report names the officer the signer certificate is registered to', async () => {
  let r;
  for (let i = 0; i < 20; i++) {
    r = await verify('signed.pdf');
    if (r.json?.verdict === 'valid' && r.json.signatures[0].registered_officer) break;
    await sleep(300);
  }
  assert.equal(r.status, 200);
  const who = r.json.signatures[0].registered_officer;
  assert.ok(who, JSON.stringify(r.json.signatures[0]).slice(0, 500));
  assert.equal(who.username, leader);
  assert.equal(who.full_name, 'Nguyễn Văn An');
  assert.equal(who.unit.code, UNITS.gioMy);
  // officer2's signature in two.pdf is nobody's
  const two = await verify('two.pdf');
  assert.equal(two.json.signatures.length, 2);
  assert.equal(two.json.signatures[1].registered_officer, null);

  // withdrawn: no longer named
  const list = await call(admin, 'GET', certsPath(leader));
  const id = list.json.items.find((c) => c.active).id;
  const d = await call(admin, 'DELETE', `${certsPath(leader)}/${id}`);
  assert.equal(d.status, 200, d.text);
  assert.equal((await verify('signed.pdf')).json.signatures[0].registered_officer, null);
  assertProblem(await call(admin, 'DELETE', `${certsPath(leader)}/${id}`), 404, { code: 'certificate_not_found' });
  // and registered again
  assert.equal((await call(admin, 'POST', certsPath(leader), { pem: pem('officer', 'inter') })).status, 200);
});

test('the accounts list flags a certificate that has expired or been revoked since it was registered', async () => {
  // registered while valid, judged again when listed: store them as an earlier registration would
  const oid = sql(`SELECT id FROM officers WHERE username = ${q(other)}`)[0][0];
  const der = (name) => execFileSync('openssl', ['x509', '-in', join(fx, `${name}.pem`), '-outform', 'DER']).toString('hex');
  const fp = (name) => execFileSync('openssl', ['x509', '-in', join(fx, `${name}.pem`), '-noout', '-fingerprint', '-sha256'])
    .toString().split('=')[1].trim().replace(/:/g, '').toLowerCase();
  const chain = (name) => Buffer.from(pem(name, 'inter')).toString('hex');
  const insert = (name) => sql(`INSERT INTO officer_certificates (officer_id, der, sha256, subject, issuer, serial_hex,
    not_before, not_after, added_at, active, chain_pem) VALUES (${oid}, UNHEX('${der(name)}'), '${fp(name)}', 'CN=x',
    'CN=y', '01', '2020-01-01', '2020-01-02', UTC_TIMESTAMP(), 1, CONVERT(UNHEX('${chain(name)}') USING utf8mb4))`);
  insert('expired');
  let a = await accountOf(other);
  assert.deepEqual(a.certificates, { active: 1, expired: true, revoked: false });
  insert('revoked_after');
  a = await accountOf(other);
  assert.deepEqual(a.certificates, { active: 2, expired: true, revoked: true });
  const list = await call(admin, 'GET', certsPath(other));
  const rev = list.json.items.find((c) => c.status.revoked);
  assert.ok(rev, list.text);
  assert.equal(rev.status.reason, 'revoked');
  assert.match(rev.status.revocation_time, /^\d{4}-\d{2}-\d{2}T/);
  assert.equal(list.json.items.find((c) => c.status.expired).status.reason, 'expired');
});
