// Digital signature verification (POST /api/v1/signatures/verify) and the trust list
// (/api/v1/trust/cas, /api/v1/trust/crls), on the live stack, with a fresh test PKI and
// signed documents from tests/sig/make-fixtures.sh (openssl, pdfsig, NSS tools).
// The CA this test trusts is removed at the end (DELETE), so other tests see no change.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, BASE, assertProblem, sleep } from './helpers.mjs';
import { login, call } from './lib/officer.mjs';

let fx;            // the fixture directory
let admin;
let caId;          // the root CA this test added

const file = (name) => readFileSync(join(fx, name));

async function verify(parts) {
  const form = new FormData();
  for (const [field, name, bytes] of parts) form.append(field, new Blob([bytes]), name);
  const res = await fetch(`${BASE}/api/v1/signatures/verify`, { method: 'POST', body: form });
  const text = await res.text();
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: res.status, type: res.headers.get('content-type') || '', text, json };
}

const checkOf = (sig, name) => sig.checks.find((c) => c.check === name);

before(async () => {
  fx = mkdtempSync(join(tmpdir(), 'motcua-sigapi-'));
  execFileSync('bash', [join(ROOT, 'tests/sig/make-fixtures.sh'), fx], { stdio: 'ignore' });
  admin = await login('admin');
});

after(async () => {
  if (caId && admin) await call(admin, 'DELETE', `/api/v1/trust/cas/${caId}`);
  if (fx && !process.env.MOTCUA_KEEP_FIXTURES) rmSync(fx, { recursive: true, force: true });
});

test('trust list: only an administrator, only a CA certificate', async () => {
  const giomy = await login('giomy.motcua');
  const pem = file('root.pem').toString();
  assertProblem(await call(giomy, 'POST', '/api/v1/trust/cas', { name: 'Thử', pem }), 403,
    { where: 'non-admin adds a CA' });
  assertProblem(await call(null, 'GET', '/api/v1/trust/cas'), 401, { code: 'not_authenticated' });
  assertProblem(await call(admin, 'POST', '/api/v1/trust/cas', { name: 'Lá', pem: file('officer.pem').toString() }),
    422, { code: 'not_a_ca', field: 'pem' });
  assertProblem(await call(admin, 'POST', '/api/v1/trust/cas', { name: 'Rác', pem: 'not a certificate' }),
    422, { code: 'invalid_certificate', field: 'pem' });
  assertProblem(await call(admin, 'POST', '/api/v1/trust/cas', { name: 'Thiếu' }), 400, { field: 'pem' });

  const r = await call(admin, 'POST', '/api/v1/trust/cas', { name: 'CA gốc thử nghiệm', pem });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.active, true);
  assert.match(r.json.sha256, /^[0-9a-f]{64}$/);
  assert.match(r.json.subject, /Motcua Test/);
  caId = r.json.id;
  const again = await call(admin, 'POST', '/api/v1/trust/cas', { name: 'CA gốc thử nghiệm', pem });
  assert.equal(again.status, 200, again.text);
  assert.equal(again.json.id, caId);

  const list = await call(admin, 'GET', '/api/v1/trust/cas');
  assert.equal(list.status, 200, list.text);
  assert.ok(list.json.items.some((c) => c.id === caId && c.active));

  const crl = await call(admin, 'POST', '/api/v1/trust/crls', { pem: file('inter-crl.pem').toString() });
  assert.equal(crl.status, 201, crl.text);
  assert.match(crl.json.issuer, /Issuing CA/);
  assert.ok(crl.json.revoked_count >= 2);
  assertProblem(await call(admin, 'POST', '/api/v1/trust/crls', { pem: 'x' }), 422, { code: 'invalid_crl' });
  assertProblem(await call(giomy, 'POST', '/api/v1/trust/crls', { pem: file('inter-crl.pem').toString() }), 403);
});

test('a signed PDF: valid; tampered: digest_mismatch; rogue CA: untrusted_chain', async () => {
  assert.ok(caId, 'the CA was not added');
  // another process may keep its verifier for a few seconds: wait for the new trust list
  let r;
  for (let i = 0; i < 20; i++) {
    r = await verify([['file', 'signed.pdf', file('signed.pdf')]]);
    if (r.json?.verdict === 'valid') break;
    await sleep(500);
  }
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.verdict, 'valid', r.text.slice(0, 2000));
  assert.equal(r.json.kind, 'pdf');
  assert.match(r.json.sha256, /^[0-9a-f]{64}$/);
  assert.match(r.json.summary_vi, /Hợp lệ/);
  assert.equal(typeof r.json.summary_en, 'string');
  const s = r.json.signatures[0];
  assert.equal(s.signer.cn, 'Nguyễn Văn An');
  assert.match(s.signer.serial, /^[0-9A-F]+$/);
  assert.match(s.signer.issuer, /Issuing CA/);
  assert.equal(s.claimed_signing_time.claimed_by_signer, true);
  assert.equal(s.claimed_signing_time.note_vi, 'thời điểm ký do người ký tự khai');
  assert.equal(s.covers_whole_file, true);
  assert.equal(s.bytes_after, 0);
  assert.equal(s.checks.length, 6);
  for (const c of s.checks) assert.equal(c.status, 'ok', JSON.stringify(c));

  const b = Buffer.from(file('signed.pdf'));
  const at = b.indexOf('Ket qua');
  assert.ok(at > 0);
  b[at] = 'X'.charCodeAt(0);
  const t = await verify([['file', 'tampered.pdf', b]]);
  assert.equal(t.status, 200, t.text);
  assert.equal(t.json.verdict, 'invalid');
  assert.equal(checkOf(t.json.signatures[0], 'integrity').reason, 'digest_mismatch');
  assert.match(t.json.summary_vi, /Không hợp lệ/);

  const rogue = await verify([['file', 'rogue.pdf', file('rogue.pdf')]]);
  assert.equal(rogue.status, 200, rogue.text);
  assert.equal(rogue.json.verdict, 'invalid');
  assert.equal(checkOf(rogue.json.signatures[0], 'chain_now').reason, 'untrusted_chain');
});

test('a detached .p7s with its content: valid; with other content: invalid', async () => {
  const r = await verify([['file', 'doc.p7s', file('doc.p7s')], ['content', 'doc.bin', file('doc.bin')]]);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.verdict, 'valid', r.text.slice(0, 2000));
  assert.equal(r.json.kind, 'p7s');
  assert.match(r.json.content_sha256, /^[0-9a-f]{64}$/);
  const t = await verify([['file', 'doc.p7s', file('doc.p7s')], ['content', 'doc.bin', file('doc-tampered.bin')]]);
  assert.equal(t.status, 200, t.text);
  assert.equal(t.json.verdict, 'invalid');
  assert.equal(checkOf(t.json.signatures[0], 'integrity').reason, 'digest_mismatch');
  assertProblem(await verify([['file', 'doc.p7s', file('doc.p7s')]]), 422, { code: 'missing_part', field: 'content' });
});

test('refusals: no file, a text file, a part not declared, not multipart', async () => {
  assertProblem(await verify([['content', 'doc.bin', file('doc.bin')]]), 422, { code: 'missing_part', field: 'file' });
  assertProblem(await verify([['file', 'note.txt', file('note.txt')]]), 415, { code: 'file_type_not_accepted', field: 'file' });
  assertProblem(await verify([['other', 'a.pdf', file('signed.pdf')]]), 400, { code: 'unknown_field', field: 'other' });
  const res = await fetch(`${BASE}/api/v1/signatures/verify`, { method: 'POST',
    headers: { 'content-type': 'application/json' }, body: '{}' });
  const text = await res.text();
  assertProblem({ status: res.status, type: res.headers.get('content-type') || '', text, json: JSON.parse(text) },
    415, { code: 'unsupported_media_type' });
});

test('a removed CA is no longer trusted', async () => {
  assert.ok(caId);
  const d = await call(admin, 'DELETE', `/api/v1/trust/cas/${caId}`);
  assert.equal(d.status, 200, d.text);
  assert.equal(d.json.active, false);
  assertProblem(await call(admin, 'DELETE', `/api/v1/trust/cas/${caId}`), 404, { code: 'ca_not_found' });
  assertProblem(await call(admin, 'DELETE', '/api/v1/trust/cas/abc'), 400, { field: 'id' });
  caId = null;
  let r;
  for (let i = 0; i < 20; i++) {
    r = await verify([['file', 'signed.pdf', file('signed.pdf')]]);
    if (r.json?.verdict === 'invalid') break;
    await sleep(500);
  }
  assert.equal(r.json.verdict, 'invalid');
  assert.equal(checkOf(r.json.signatures[0], 'chain_now').reason, 'untrusted_chain');
});
