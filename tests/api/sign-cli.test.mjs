// motcua-sign, the command-line signer (fcgi/tools/sign.c), run as a user would:
//   pdf     a fixture PDF signed with a PKCS#12 of the test PKI (tests/sig/make-fixtures.sh),
//           then a second signature on top; judged by our verifier on the live stack
//           (POST /api/v1/signatures/verify, with the test root added to the trust list and
//           removed at the end) and by poppler's pdfsig with an NSS database that trusts the
//           test root;
//   p7s     a detached CMS, judged by the verifier and by `openssl cms -verify -binary`;
//   remote  the current result of a dossier signed through the server's two-step API
//           (api/results.c) with the demo PKI's leader.p12 ($MOTCUA_VAR/pki): the key stays
//           here, the server's verification says valid and names the registered leader;
//   errors  one clear line and the documented exit code; the password never printed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { createServer } from 'node:https';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, BASE, VAR, sleep } from './helpers.mjs';
import {
  login, call, raw, actOk, getDossier, receive, PASSWORD,
} from './lib/officer.mjs';

const SIGN = join(ROOT, 'build/motcua-sign');
const PKI = join(VAR, 'pki');
const enc = encodeURIComponent;
let fx;            // the fixture directory
let admin;
let caId;          // the test root this file added to the trust list

const file = (name) => readFileSync(join(fx, name));

/** Runs motcua-sign in the fixture directory: { status, stdout, stderr }. */
function sign(args, env = {}) {
  const r = spawnSync(SIGN, args, { cwd: fx, encoding: 'utf8', env: { PATH: process.env.PATH, ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The same without blocking the event loop (for a server in this process). */
function signAsync(args, env = {}) {
  return new Promise((resolve) => {
    const c = spawn(SIGN, args, { cwd: fx, env: { PATH: process.env.PATH, ...env } });
    let stdout = '';
    let stderr = '';
    c.stdout.on('data', (d) => { stdout += d; });
    c.stderr.on('data', (d) => { stderr += d; });
    c.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

async function verify(parts) {
  const form = new FormData();
  for (const [field, name, bytes] of parts) form.append(field, new Blob([bytes]), name);
  const res = await fetch(`${BASE}/api/v1/signatures/verify`, { method: 'POST', body: form });
  const text = await res.text();
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: res.status, text, json };
}

/** The verifier's answer once the stack's trust list has our root (it may cache it briefly). */
async function verifyValid(parts) {
  let r;
  for (let i = 0; i < 20; i++) {
    r = await verify(parts);
    if (r.json?.verdict === 'valid') break;
    await sleep(500);
  }
  assert.equal(r.status, 200, r.text.slice(0, 500));
  assert.equal(r.json.verdict, 'valid', r.text.slice(0, 2000));
  return r.json;
}

/** pdfsig's report (NSS database nss-verify trusts the test root). */
function pdfsig(name) {
  try {
    return execFileSync('pdfsig', ['-nssdir', 'sql:nss-verify', name], { cwd: fx, encoding: 'utf8' });
  } catch (e) {
    return `${e.stdout}${e.stderr}`;
  }
}

function assertPdfsigValid(name, n) {
  const out = pdfsig(name);
  assert.equal((out.match(/Signature Validation: Signature is Valid\./g) || []).length, n, `pdfsig ${name}:\n${out}`);
  assert.equal((out.match(/Certificate Validation: Certificate is Trusted\./g) || []).length, n, `pdfsig ${name}:\n${out}`);
  return out;
}

before(async () => {
  assert.ok(existsSync(SIGN), `${SIGN} is missing: make build`);
  fx = mkdtempSync(join(tmpdir(), 'motcua-signcli-'));
  execFileSync('bash', [join(ROOT, 'tests/sig/make-fixtures.sh'), fx], { stdio: 'ignore' });
  writeFileSync(join(fx, 'p12.pass'), 'test\n');
  admin = await login('admin');
  const ca = await call(admin, 'POST', '/api/v1/trust/cas', { name: 'CA thử motcua-sign', pem: file('root.pem').toString() });
  assert.ok([200, 201].includes(ca.status), ca.text);
  caId = ca.json.id;
  const crl = await call(admin, 'POST', '/api/v1/trust/crls', { pem: file('inter-crl.pem').toString() });
  assert.ok([200, 201].includes(crl.status), crl.text);
});

after(async () => {
  if (caId && admin) await call(admin, 'DELETE', `/api/v1/trust/cas/${caId}`);
  if (fx && !process.env.MOTCUA_KEEP_FIXTURES) rmSync(fx, { recursive: true, force: true });
});

test('--help prints the usage; a wrong call says what is wrong in one line, exit 1', () => {
  const h = sign(['--help']);
  assert.equal(h.status, 0);
  assert.match(h.stdout, /motcua-sign pdf +KEY/);
  assert.match(h.stdout, /motcua-sign remote KEY --url URL .*--user U/);
  assert.match(h.stdout, /--key pkcs11:URI --cert FILE/);
  const none = sign([]);
  assert.equal(none.status, 1);
  const bad = sign(['pdf', '--p12', 'officer.p12', '--bogus', 'x']);
  assert.equal(bad.status, 1);
  assert.equal(bad.stderr.trim().split('\n').length, 1, bad.stderr);
  assert.match(bad.stderr, /^motcua-sign: unknown option --bogus/);
  const mode = sign(['sign-everything']);
  assert.equal(mode.status, 1);
  assert.match(mode.stderr, /unknown mode/);
});

test('pdf: signed with a PKCS#12, valid for our verifier and for pdfsig; a second signer keeps the first valid', async () => {
  const r = sign(['pdf', '--p12', 'officer.p12', '--pass-file', 'p12.pass', '--reason', 'Phê duyệt kết quả',
    '--location', 'Xã Gio Mỹ', 'base.pdf', 'cli-one.pdf']);
  assert.equal(r.status, 0, r.stderr);
  const base = file('base.pdf');
  const one = file('cli-one.pdf');
  assert.ok(one.subarray(0, base.length).equals(base), 'the original bytes are kept as they were');

  const v = await verifyValid([['file', 'cli-one.pdf', one]]);
  assert.equal(v.signatures.length, 1);
  const s = v.signatures[0];
  assert.equal(s.subfilter, 'ETSI.CAdES.detached');
  assert.equal(s.signer.cn, 'Nguyễn Văn An');
  assert.equal(s.covers_whole_file, true);
  assert.equal(s.claimed_signing_time.source, 'cms_signing_time');
  for (const c of s.checks) assert.equal(c.status, 'ok', JSON.stringify(c));
  assertPdfsigValid('cli-one.pdf', 1);

  // the second signer's password from the environment
  const r2 = sign(['pdf', '--p12', 'officer2.p12', 'cli-one.pdf', 'cli-two.pdf'], { MOTCUA_SIGN_PASS: 'test' });
  assert.equal(r2.status, 0, r2.stderr);
  const two = file('cli-two.pdf');
  const v2 = await verifyValid([['file', 'cli-two.pdf', two]]);
  assert.equal(v2.signatures.length, 2);
  assert.equal(v2.signatures[0].later_only_signatures, true);
  assert.equal(v2.signatures[0].verdict, 'valid');
  assert.equal(v2.signatures[1].signer.cn, 'Trần Thị Bình');
  assert.equal(v2.signatures[1].covers_whole_file, true);
  assert.notEqual(v2.signatures[0].field_name, v2.signatures[1].field_name);
  assertPdfsigValid('cli-two.pdf', 2);

  // a byte changed inside the signed part: both verifiers say no
  const bad = Buffer.from(two);
  const at = bad.indexOf('Ket qua giai quyet');
  bad[at] = 'k'.charCodeAt(0);
  writeFileSync(join(fx, 'cli-bad.pdf'), bad);
  const vb = await verify([['file', 'cli-bad.pdf', bad]]);
  assert.equal(vb.json.verdict, 'invalid');
  assert.doesNotMatch(pdfsig('cli-bad.pdf'), /Signature #1[\s\S]*Signature is Valid\.[\s\S]*Signature #2/);
});

test('p7s: a detached CMS over any file, valid for our verifier and openssl cms', async () => {
  const r = sign(['p7s', '--p12', 'docsign.p12', '--pass-file', 'p12.pass', 'note.txt', 'note-cli.p7s']);
  assert.equal(r.status, 0, r.stderr);
  const v = await verifyValid([['file', 'note-cli.p7s', file('note-cli.p7s')], ['content', 'note.txt', file('note.txt')]]);
  assert.equal(v.kind, 'p7s');
  assert.equal(v.signatures[0].signer.cn, 'Văn Thư Đóng Dấu');
  const ok = spawnSync('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', 'note-cli.p7s',
    '-content', 'note.txt', '-CAfile', 'root.pem', '-purpose', 'any', '-out', '/dev/null'], { cwd: fx, encoding: 'utf8' });
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stderr, /Verification successful/);
  const other = await verify([['file', 'note-cli.p7s', file('note-cli.p7s')], ['content', 'doc.bin', file('doc.bin')]]);
  assert.equal(other.json.verdict, 'invalid');
});

test('errors: wrong password, not a PDF, a missing file, PKCS#11, no certificate', () => {
  writeFileSync(join(fx, 'wrong.pass'), 'sai-mat-khau-bi-mat\n');
  const w = sign(['pdf', '--p12', 'officer.p12', '--pass-file', 'wrong.pass', 'base.pdf', 'x.pdf']);
  assert.equal(w.status, 2);
  assert.match(w.stderr, /wrong password for officer\.p12/);
  assert.ok(!w.stderr.includes('sai-mat-khau-bi-mat') && !w.stdout.includes('sai-mat-khau-bi-mat'), 'the password is never printed');
  assert.ok(!existsSync(join(fx, 'x.pdf')));

  const np = sign(['pdf', '--p12', 'officer.p12', '--pass-file', 'p12.pass', 'doc.bin', 'x.pdf']);
  assert.equal(np.status, 2);
  assert.match(np.stderr, /not a PDF that can be signed/);

  const missing = sign(['pdf', '--p12', 'nothing.p12', 'base.pdf', 'x.pdf']);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /cannot read nothing\.p12/);

  // PKCS#11: Debian 12's OpenSSL has no pkcs11 provider; where one is installed the URI is tried
  const p11 = sign(['pdf', '--key', 'pkcs11:token=motcua;object=nothing', '--cert', 'officer.pem', 'base.pdf', 'x.pdf']);
  assert.equal(p11.status, 3);
  assert.match(p11.stderr, /PKCS#11 is not available in this build|cannot open pkcs11:|no private key at pkcs11:/);

  // a PKCS#12 with a key and no certificate
  execFileSync('openssl', ['pkcs12', '-export', '-nocerts', '-inkey', 'officer2.key', '-passout', 'pass:test',
    '-out', 'keyonly.p12'], { cwd: fx, stdio: 'pipe' });
  const ko = sign(['p7s', '--p12', 'keyonly.p12', '--pass-file', 'p12.pass', 'doc.bin', 'x.p7s']);
  assert.equal(ko.status, 2);
  assert.match(ko.stderr, /cannot read the key and certificate in keyonly\.p12/);
  assert.ok(!existsSync(join(fx, 'x.p7s')));
});

test('remote: the leader signs a dossier\'s result from a PKCS#12 through the two-step API', async () => {
  assert.ok(existsSync(join(PKI, 'leader.p12')), `no demo PKI in ${PKI} (scripts/demo-pki.sh)`);
  const [desk, specialist, leader] = await Promise.all(['giomy.motcua', 'giomy.chuyenvien', 'giomy.lanhdao'].map((u) => login(u)));
  const d = await receive(desk, { result_channel: 'online' });
  for (const s of [desk, specialist, leader]) {
    await actOk(s, d.code, 'forward', (await getDossier(s, d.code)).version, { note: 'Chuyển bước' });
  }
  const form = new FormData();
  form.append('file', new Blob([file('base.pdf')], { type: 'application/pdf' }), 'ket-qua.pdf');
  const up = await raw('POST', `/api/v1/dossiers/${enc(d.code)}/result`, {
    headers: { Cookie: specialist.cookie, 'X-CSRF-Token': specialist.csrf }, body: form,
  });
  assert.equal(up.status, 201, up.text.slice(0, 400));
  writeFileSync(join(fx, 'login.pass'), `${PASSWORD}\n`);

  const args = ['remote', '--url', BASE, '--user', 'giomy.lanhdao', '--login-pass-file', 'login.pass',
    '--p12', join(PKI, 'leader.p12'), '--pass-file', join(PKI, 'leader.pass'), '--dossier', d.code];
  const r = sign(args);
  assert.equal(r.status, 0, r.stderr);
  const ans = JSON.parse(r.stdout);
  assert.equal(ans.result.stage, 'signed');
  assert.equal(ans.verification.verdict, 'valid', JSON.stringify(ans.verification).slice(0, 800));
  assert.equal(ans.verification.signatures[0].subfilter, 'ETSI.CAdES.detached');
  assert.equal(ans.verification.signatures[0].registered_officer.username, 'giomy.lanhdao');
  assert.ok(!r.stdout.includes(PASSWORD) && !r.stderr.includes(PASSWORD));

  // the stored file is the uploaded one plus the signature, valid by itself too
  const f = await raw('GET', `/api/v1/dossiers/${enc(d.code)}/result.pdf`, { headers: { Cookie: leader.cookie } });
  assert.equal(f.status, 200);
  assert.ok(f.buf.subarray(0, file('base.pdf').length).equals(file('base.pdf')));
  const v = await verify([['file', 'r.pdf', f.buf]]);
  assert.equal(v.json.verdict, 'valid', v.text.slice(0, 800));

  // a wrong login password: exit 4 with the server's reason; someone else's dossier: exit 4
  writeFileSync(join(fx, 'bad-login.pass'), 'not-the-password\n');
  const bad = sign(args.map((a) => (a === 'login.pass' ? 'bad-login.pass' : a)));
  assert.equal(bad.status, 4, bad.stderr);
  assert.match(bad.stderr, /^motcua-sign: signing in: HTTP 401/);
  assert.equal(bad.stderr.trim().split('\n').length, 1);
  const odd = sign(args.map((a) => (a === d.code ? 'no/such/../code' : a)));
  assert.equal(odd.status, 1);
  const down = sign(['remote', '--url', 'http://127.0.0.1:9', '--user', 'giomy.lanhdao', '--login-pass-file', 'login.pass',
    '--p12', join(PKI, 'leader.p12'), '--pass-file', join(PKI, 'leader.pass'), '--dossier', d.code]);
  assert.equal(down.status, 4);
  assert.match(down.stderr, /cannot connect to 127\.0\.0\.1:9/);
});

test('remote: over https, and a server that asks for anything but signed attributes is refused', async () => {
  // a server certificate for "localhost" from the test intermediate
  writeFileSync(join(fx, 'server.ext'), 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n'
    + 'extendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost\n');
  execFileSync('openssl', ['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-subj', '/CN=localhost',
    '-out', 'server.csr'], { cwd: fx, stdio: 'pipe' });
  execFileSync('openssl', ['x509', '-req', '-in', 'server.csr', '-CA', 'inter.pem', '-CAkey', 'inter.key', '-CAcreateserial',
    '-days', '2', '-sha256', '-extfile', 'server.ext', '-out', 'server.pem'], { cwd: fx, stdio: 'pipe' });
  const seen = [];
  const server = createServer({ key: file('server.key'), cert: Buffer.concat([file('server.pem'), file('inter.pem')]) }, (req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      seen.push({ url: req.url, headers: req.headers, body });
      res.setHeader('Content-Type', 'application/json');
      if (req.url === '/api/v1/auth/login') {
        res.setHeader('Set-Cookie', 'motcua_session=fake-session; Path=/; HttpOnly');
        res.end(JSON.stringify({ csrf_token: 'fake-csrf' }));
      } else if (req.url.endsWith('/sign/prepare')) {
        // chunked, and to be signed: a message of the server's choosing
        res.write('{"session": "0123456789abcdef0123456789abcdef", ');
        res.end(JSON.stringify({
          to_be_signed: Buffer.from('Chuyển 1.000.000.000 đồng').toString('base64'),
          digest: 'ab'.repeat(32), signing_time: '2026-01-02T10:00:00+07:00',
        }).slice(1));
      } else {
        res.statusCode = 500;
        res.end('{}');
      }
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  try {
    const url = `https://localhost:${server.address().port}`;
    const args = ['remote', '--url', url, '--user', 'giomy.lanhdao', '--p12', 'officer.p12', '--pass-file', 'p12.pass',
      '--dossier', 'H45-TEST-0001'];
    const untrusted = await signAsync(args, { MOTCUA_LOGIN_PASS: 'x' });
    assert.equal(untrusted.status, 4, untrusted.stderr);
    assert.match(untrusted.stderr, /TLS handshake with localhost failed/);
    assert.equal(seen.length, 0);

    const r = await signAsync([...args, '--cafile', 'root.pem'], { MOTCUA_LOGIN_PASS: 'mat-khau-dang-nhap' });
    assert.equal(r.status, 4, r.stderr);
    assert.match(r.stderr, /asked to sign something other than the signed attributes .*: refused/);
    assert.deepEqual(seen.map((x) => x.url), ['/api/v1/auth/login', '/api/v1/dossiers/H45-TEST-0001/result/sign/prepare'],
      'nothing is sent back: no /sign/complete');
    assert.deepEqual(JSON.parse(seen[0].body), { username: 'giomy.lanhdao', password: 'mat-khau-dang-nhap' });
    const prep = seen[1];
    assert.equal(prep.headers.cookie, 'motcua_session=fake-session');
    assert.equal(prep.headers['x-csrf-token'], 'fake-csrf');
    const pb = JSON.parse(prep.body);
    assert.equal(pb.certificate.trim(), file('officer.pem').toString().trim());
    assert.equal(pb.chain.length, 2, 'the chain of the PKCS#12: intermediate and root');
    assert.ok(!r.stderr.includes('mat-khau-dang-nhap') && !r.stdout.includes('mat-khau-dang-nhap'));
  } finally {
    server.close();
  }
});
