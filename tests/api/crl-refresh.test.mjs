// CRL sources (/api/v1/trust/crl-sources): an admin registers where a CA publishes its
// CRL (file:/// or http://); motcua-worker fetches each on a schedule and an admin can
// refresh one at once. A fetched CRL must be signed by a trusted CA or by the source's
// intermediate; it replaces the older CRL of its issuer, and verification and the accounts
// list see the revocation. A fresh test PKI (tests/sig/make-fixtures.sh), a temporary
// directory for file:///, and a small HTTP server of this test for http://.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, BASE, assertProblem, sleep } from './helpers.mjs';
import { login, call, createOfficer, uniq, UNITS } from './lib/officer.mjs';

let fx;
let admin;
let caId;
let officer;       // a throw-away leader whose certificate gets revoked
let server;
let port;
const sources = [];
const served = new Map();   // path -> [status, headers, body]
const file = (name) => readFileSync(join(fx, name));
const pem = (...names) => names.map((n) => file(`${n}.pem`).toString()).join('');
const SRC = '/api/v1/trust/crl-sources';

async function addSource(body) {
  const r = await call(admin, 'POST', SRC, body);
  assert.equal(r.status, 201, r.text);
  sources.push(r.json.id);
  return r.json;
}

async function verify(name) {
  const form = new FormData();
  form.append('file', new Blob([file(name)]), name);
  const res = await fetch(`${BASE}/api/v1/signatures/verify`, { method: 'POST', body: form });
  return res.json();
}

/** Revokes a fixture certificate at the intermediate and writes a new CRL (PEM and DER). */
function revokeAndPublish(name) {
  const o = { cwd: fx, stdio: 'ignore', env: { ...process.env, ROGUE_SKID: 'hash' } };
  execFileSync('openssl', ['ca', '-batch', '-config', 'ca.cnf', '-name', 'inter', '-revoke', `${name}.pem`,
    '-crl_reason', 'keyCompromise'], o);
  execFileSync('openssl', ['ca', '-batch', '-config', 'ca.cnf', '-name', 'inter', '-gencrl', '-crldays', '30',
    '-out', 'inter-crl2.pem'], o);
  execFileSync('openssl', ['crl', '-in', 'inter-crl2.pem', '-outform', 'DER', '-out', 'inter-crl2.der'], o);
}

before(async () => {
  fx = mkdtempSync(join(tmpdir(), 'motcua-crlsrc-'));
  execFileSync('bash', [join(ROOT, 'tests/sig/make-fixtures.sh'), fx], { stdio: 'ignore' });
  admin = await login('admin');
  const r = await call(admin, 'POST', '/api/v1/trust/cas', { name: 'CA gốc thử nghiệm (CRL)', pem: pem('root') });
  assert.ok(r.status === 201 || r.status === 200, r.text);
  caId = r.json.id;
  officer = uniq('crl');
  await createOfficer(admin, { username: officer, unit: UNITS.gioMy, roles: ['leader'], full_name: 'Nguyễn Văn An' });
  const c = await call(admin, 'POST', `/api/v1/officers/${officer}/certificates`, { pem: pem('officer', 'inter') });
  assert.equal(c.status, 201, c.text);
  server = createServer((req, res) => {
    const [status, headers, body] = served.get(req.url) || [404, {}, 'not found'];
    res.writeHead(status, headers);
    res.end(body);
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  port = server.address().port;
});

after(async () => {
  if (admin) for (const id of sources) await call(admin, 'DELETE', `${SRC}/${id}`);
  if (caId && admin) await call(admin, 'DELETE', `/api/v1/trust/cas/${caId}`);
  server?.close();
  if (fx && !process.env.MOTCUA_KEEP_FIXTURES) rmSync(fx, { recursive: true, force: true });
});

test('crl sources: only an administrator, only http:// or file:/// URLs', async () => {
  const giomy = await login('giomy.motcua');
  assertProblem(await call(giomy, 'GET', SRC), 403);
  assertProblem(await call(giomy, 'POST', SRC, { url: 'http://127.0.0.1/x.crl' }), 403);
  assertProblem(await call(null, 'GET', SRC), 401, { code: 'not_authenticated' });
  for (const url of ['ftp://example/x.crl', 'https://example/x.crl', 'file://relative/x', 'http://', 'http://user@host/x',
    'http://host:99999999/x', 'http://host/a b']) {
    assertProblem(await call(admin, 'POST', SRC, { url }), 400, { field: 'url', where: url });
  }
  assertProblem(await call(admin, 'POST', SRC, { url: 'file:///tmp/x.crl', issuer_pem: pem('officer') }), 422,
    { code: 'invalid_certificate', field: 'issuer_pem' });
  assertProblem(await call(admin, 'POST', SRC, { url: 'file:///tmp/x.crl', ca_id: 999999999 }), 422,
    { code: 'ca_not_found', field: 'ca_id' });
  assertProblem(await call(admin, 'DELETE', `${SRC}/abc`), 400, { field: 'id' });
  assertProblem(await call(admin, 'DELETE', `${SRC}/999999999`), 404, { code: 'crl_source_not_found' });
  assertProblem(await call(admin, 'POST', `${SRC}/999999999/refresh`), 404, { code: 'crl_source_not_found' });
});

test('file:///: the CA revokes the officer, the refresh stores the new CRL, verify and the accounts list see it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'motcua-crlfile-'));
  try {
    const path = join(dir, 'inter.crl');
    copyFileSync(join(fx, 'inter-crl.der'), path);
    const src = await addSource({ url: `file://${path}`, ca_id: caId, issuer_pem: pem('inter') });
    assert.equal(src.url, `file://${path}`);
    assert.equal(src.has_issuer, true);
    assert.equal(src.last_success_at, null);

    // (motcua-worker may have fetched the new source first: then nothing changes here)
    let r = await call(admin, 'POST', `${SRC}/${src.id}/refresh`);
    assert.equal(r.status, 200, r.text);
    assert.ok(r.json.crl_id > 0);
    assert.equal(r.json.source.last_error, null);
    assert.match(r.json.source.last_success_at, /^\d{4}-\d{2}-\d{2}T/);
    assert.match(r.json.source.last_issuer, /Issuing CA/);
    assert.equal(r.json.source.last_revoked_count, 2);
    // the same CRL again: nothing changes
    r = await call(admin, 'POST', `${SRC}/${src.id}/refresh`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.changed, false);

    let v;
    for (let i = 0; i < 20; i++) {
      v = await verify('signed.pdf');
      if (v.verdict === 'valid') break;
      await sleep(300);
    }
    assert.equal(v.verdict, 'valid', JSON.stringify(v).slice(0, 800));
    assert.equal(v.signatures[0].revoked, false);
    assert.equal(v.signatures[0].registered_officer.username, officer);

    revokeAndPublish('officer');
    writeFileSync(path, file('inter-crl2.pem'));     // PEM this time: stored as DER
    r = await call(admin, 'POST', `${SRC}/${src.id}/refresh`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.changed, true);
    assert.equal(r.json.source.last_revoked_count, 3);

    v = await verify('signed.pdf');
    const s = v.signatures[0];
    assert.equal(s.revoked, true, JSON.stringify(s).slice(0, 800));
    const rev = s.checks.find((c) => c.check === 'revocation');
    assert.match(rev.reason, /^revoked/);
    assert.notEqual(v.verdict, 'valid');

    const list = await call(admin, 'GET', '/api/v1/officers');
    const acct = list.json.items.find((o) => o.username === officer);
    assert.deepEqual(acct.certificates, { active: 1, expired: false, revoked: true });
    const certs = await call(admin, 'GET', `/api/v1/officers/${officer}/certificates`);
    assert.equal(certs.json.items[0].status.reason, 'revoked');

    // an older CRL does not replace the newer one
    writeFileSync(path, file('inter-crl.pem'));
    r = await call(admin, 'POST', `${SRC}/${src.id}/refresh`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.changed, false);
    assert.equal((await verify('signed.pdf')).signatures[0].revoked, true);

    // a file that is not a CRL, then a missing file: refused, recorded, the stored CRL kept
    writeFileSync(path, 'not a CRL');
    assertProblem(await call(admin, 'POST', `${SRC}/${src.id}/refresh`), 422, { code: 'crl_refresh_failed' });
    rmSync(path);
    const p = assertProblem(await call(admin, 'POST', `${SRC}/${src.id}/refresh`), 422, { code: 'crl_refresh_failed' });
    assert.match(p.detail, /cannot open/);
    const all = await call(admin, 'GET', SRC);
    const row = all.json.items.find((x) => x.id === src.id);
    assert.match(row.last_error, /cannot open/);
    assert.match(row.last_success_at, /^\d{4}-/);     // the last fetch that worked stays shown
    assert.equal(row.last_revoked_count, 2);            // what that fetch held (the older CRL)
    assert.equal((await verify('signed.pdf')).signatures[0].revoked, true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('http://: fetched from a server; redirects only to http://; errors recorded; a forged CRL refused', async () => {
  served.set('/inter.crl', [200, { 'Content-Type': 'application/pkix-crl' }, file('inter-crl.der')]);
  served.set('/moved', [302, { Location: '/inter.crl' }, '']);
  served.set('/to-file', [302, { Location: `file://${join(fx, 'inter-crl.der')}` }, '']);
  served.set('/forged.crl', [200, {}, file('forged-crl.der')]);
  const ok = await addSource({ url: `http://127.0.0.1:${port}/inter.crl`, issuer_pem: pem('inter') });
  let r = await call(admin, 'POST', `${SRC}/${ok.id}/refresh`);
  assert.equal(r.status, 200, r.text);
  assert.match(r.json.source.last_issuer, /Issuing CA/);

  const moved = await addSource({ url: `http://127.0.0.1:${port}/moved`, issuer_pem: pem('inter') });
  r = await call(admin, 'POST', `${SRC}/${moved.id}/refresh`);
  assert.equal(r.status, 200, r.text);

  const toFile = await addSource({ url: `http://127.0.0.1:${port}/to-file`, issuer_pem: pem('inter') });
  let p = assertProblem(await call(admin, 'POST', `${SRC}/${toFile.id}/refresh`), 422, { code: 'crl_refresh_failed' });
  assert.match(p.detail, /not http/);

  const missing = await addSource({ url: `http://127.0.0.1:${port}/nothing.crl` });
  p = assertProblem(await call(admin, 'POST', `${SRC}/${missing.id}/refresh`), 422, { code: 'crl_refresh_failed' });
  assert.match(p.detail, /404/);

  // the intermediate's name, another key: signed by nobody trusted
  const forged = await addSource({ url: `http://127.0.0.1:${port}/forged.crl`, issuer_pem: pem('inter') });
  p = assertProblem(await call(admin, 'POST', `${SRC}/${forged.id}/refresh`), 422, { code: 'crl_refresh_failed' });
  assert.match(p.detail, /signed by no trusted CA/);
  // without the intermediate, the intermediate's own CRL is not trusted either
  const noIssuer = await addSource({ url: `http://127.0.0.1:${port}/inter.crl` });
  p = assertProblem(await call(admin, 'POST', `${SRC}/${noIssuer.id}/refresh`), 422, { code: 'crl_refresh_failed' });

  const list = await call(admin, 'GET', SRC);
  assert.equal(list.status, 200, list.text);
  const byId = new Map(list.json.items.map((x) => [x.id, x]));
  assert.equal(byId.get(ok.id).last_error, null);
  assert.match(byId.get(missing.id).last_error, /404/);
  assert.equal(byId.get(missing.id).last_success_at, null);

  const d = await call(admin, 'DELETE', `${SRC}/${missing.id}`);
  assert.equal(d.status, 200, d.text);
  assert.equal(d.json.active, false);
  assertProblem(await call(admin, 'POST', `${SRC}/${missing.id}/refresh`), 404, { code: 'crl_source_not_found' });
});

test('motcua-worker fetches a new source on its own', async () => {
  // A new source is due at once; the worker looks for due sources every 10 s.
  served.set('/worker.crl', [200, {}, file('inter-crl.der')]);
  const src = await addSource({ url: `http://127.0.0.1:${port}/worker.crl`, issuer_pem: pem('inter') });
  let row;
  for (let i = 0; i < 60; i++) {
    const list = await call(admin, 'GET', SRC);
    row = list.json.items.find((x) => x.id === src.id);
    if (row.last_attempt_at) break;
    await sleep(500);
  }
  assert.ok(row.last_attempt_at, 'the worker did not fetch the new source');
  assert.equal(row.last_error, null);
});
