// Results and their signatures (fcgi/api/results.c): the result file uploaded at the last
// step, the leader's two-step remote signing (the signature made here with node:crypto and
// the demo PKI's leader key from $MOTCUA_VAR/pki, as a token would), the leader's approval
// refused for every reason and accepted with the registered certificate, the clerk's seal,
// poppler's pdfsig judging both signatures of the final file valid against the demo root,
// the stored verification by SHA-256, and the applicant's download with the secret; each
// upload, signature and seal recorded in the hash-chained history as a new version (the
// public timeline shows only that the result was signed), expired signing sessions
// deleted by motcua-worker, and the catalog importer's KYSOKETQUA.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, sign as cryptoSign, generateKeyPairSync } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, VAR, sleep } from './helpers.mjs';
import {
  login, call, raw, act, actOk, getDossier, receive, createOfficer, uniq, sql, q, UNITS, PROCEDURE,
} from './lib/officer.mjs';

const enc = encodeURIComponent;
const PKI = join(VAR, 'pki');
const sha256 = (b) => createHash('sha256').update(b).digest('hex');

/** A small one-page PDF with a classic cross-reference table. */
export function minimalPdf(text = 'Kết quả giải quyết') {
  const ascii = text.normalize('NFD').replace(/[^\x20-\x7e]/g, '');
  const stream = `BT /F1 18 Tf 72 720 Td (${ascii}) Tj ET`;
  const objs = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.7\n%\xe2\xe3\xcf\xd3\n';
  const offs = [];
  objs.forEach((o, i) => { offs.push(Buffer.byteLength(out, 'latin1')); out += `${i + 1} 0 obj\n${o}\nendobj\n`; });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n`;
  for (const o of offs) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/** Issues a signing certificate from the demo intermediate CA: { key, cert } in PEM. */
function issueCert(cn) {
  const dir = mkdtempSync(join(tmpdir(), 'motcua-cert-'));
  try {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    writeFileSync(join(dir, 'k.pem'), privateKey.export({ type: 'pkcs8', format: 'pem' }));
    writeFileSync(join(dir, 'ext.cnf'),
      'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\n'
      + 'subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n');
    execFileSync('openssl', ['req', '-new', '-key', join(dir, 'k.pem'), '-subj', `/C=VN/O=Motcua Test/CN=${cn}`,
      '-out', join(dir, 'c.csr')], { stdio: 'pipe' });
    execFileSync('openssl', ['x509', '-req', '-in', join(dir, 'c.csr'), '-CA', join(PKI, 'inter.pem'),
      '-CAkey', join(PKI, 'inter.key'), '-CAcreateserial', '-CAserial', join(dir, 'serial'), '-days', '365',
      '-sha256', '-extfile', join(dir, 'ext.cnf'), '-out', join(dir, 'c.pem')], { stdio: 'pipe' });
    return { key: readFileSync(join(dir, 'k.pem'), 'utf8'), cert: readFileSync(join(dir, 'c.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Registers cert (PEM) to the officer in officer_certificates, as api/certificates.c would. */
function registerCert(username, certPem) {
  const der = Buffer.from(certPem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
  sql(`INSERT INTO officer_certificates (officer_id, der, sha256, subject, issuer, serial_hex, not_before,
    not_after, added_at, active) SELECT id, X'${der.toString('hex')}', '${sha256(der)}', 'CN=test', 'CN=Motcua Demo Signing CA',
    '01', UTC_TIMESTAMP() - INTERVAL 1 DAY, UTC_TIMESTAMP() + INTERVAL 1 YEAR, UTC_TIMESTAMP(), 1
    FROM officers WHERE username = ${q(username)}`);
}

function upload(session, code, pdf, name = 'ket-qua.pdf') {
  const form = new FormData();
  form.append('file', new Blob([pdf], { type: 'application/pdf' }), name);
  return raw('POST', `/api/v1/dossiers/${enc(code)}/result`, {
    headers: { Cookie: session.cookie, 'X-CSRF-Token': session.csrf }, body: form,
  });
}

async function uploadOk(session, code, pdf) {
  const r = await upload(session, code, pdf);
  assert.equal(r.status, 201, `upload: ${r.status} ${r.text.slice(0, 400)}`);
  return r.json;
}

/** Two-step signing with { key, cert } (PEM) as session's officer; the complete answer. */
async function remoteSign(session, code, { key, cert }, chain = [readFileSync(join(PKI, 'inter.pem'), 'utf8')]) {
  const p = await call(session, 'POST', `/api/v1/dossiers/${enc(code)}/result/sign/prepare`, { certificate: cert, chain });
  assert.equal(p.status, 200, `prepare: ${p.status} ${p.text.slice(0, 400)}`);
  const tbs = Buffer.from(p.json.to_be_signed, 'base64');
  const signature = cryptoSign('sha256', tbs, key).toString('base64');
  return call(session, 'POST', `/api/v1/dossiers/${enc(code)}/result/sign/complete`, { session: p.json.session, signature });
}

async function version(session, code) { return (await getDossier(session, code)).version; }

async function resolveAs(session, code) {
  return act(session, code, 'resolve', await version(session, code), { note: 'Đã có kết quả' });
}

function assertRefused(r, reason) {
  assert.equal(r.status, 422, `resolve should be refused (${reason}): ${r.status} ${r.text.slice(0, 400)}`);
  assert.match(r.type, /problem\+json/);
  assert.equal(r.json.reason.split(':')[0], reason.split(':')[0], r.text);
  if (reason.includes(':')) assert.equal(r.json.reason, reason, r.text);
  assert.equal(r.json.code, reason.split(':')[0]);
  assert.equal(r.json.field, 'result');
}

let desk, specialist, leader, clerk, admin, other, dossier;
const leaderKey = () => ({ key: readFileSync(join(PKI, 'leader.key'), 'utf8'), cert: readFileSync(join(PKI, 'leader.pem'), 'utf8') });

before(async () => {
  assert.ok(existsSync(join(PKI, 'leader.key')), `no demo PKI in ${PKI} (scripts/demo-pki.sh)`);
  [desk, specialist, leader, clerk, admin] = await Promise.all(
    ['giomy.motcua', 'giomy.chuyenvien', 'giomy.lanhdao', 'giomy.vanthu', 'admin'].map((u) => login(u)));
  const username = uniq('lanhdao2');
  const password = await createOfficer(admin, { username, unit: UNITS.gioMy, roles: ['leader'], full_name: 'Lãnh Đạo Khác' });
  other = await login(username, password);
  // an electronic result: desk -> specialist -> leader -> clerk, the last step
  dossier = await receive(desk, { result_channel: 'online', applicant_email: 'ket.qua@example.vn' });
  for (const s of [desk, specialist, leader]) await actOk(s, dossier.code, 'forward', await version(s, dossier.code), { note: 'Chuyển bước' });
});

test('the result is uploaded only at the last step, by a specialist or a leader, as a PDF', async () => {
  const early = await receive(desk, { result_channel: 'online' });
  const r = await upload(specialist, early.code, minimalPdf());
  assert.equal(r.status, 409, r.text);
  assert.equal((await upload(desk, dossier.code, minimalPdf())).status, 403);
  const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
  const bad = await upload(specialist, dossier.code, png, 'a.pdf');
  assert.ok([415].includes(bad.status), bad.text);
  const none = await call(leader, 'GET', `/api/v1/dossiers/${enc(dossier.code)}/result`);
  assert.equal(none.status, 200);
  assert.equal(none.json.result, null);
  assert.equal(none.json.signature_required, true);
});

test('resolve is refused without a result, unsigned, invalid, unregistered and another leader\'s', async () => {
  assertRefused(await resolveAs(leader, dossier.code), 'no_result');

  const original = minimalPdf('Giay chung nhan');
  const up = await uploadOk(specialist, dossier.code, original);
  assert.equal(up.result.sha256, sha256(original));
  assert.equal(up.result.stage, 'uploaded');
  assertRefused(await resolveAs(leader, dossier.code), 'not_signed');

  // signed with a certificate of the trusted CA that nobody registered
  const stranger = issueCert('Người Lạ');
  const s1 = await remoteSign(leader, dossier.code, stranger);
  assert.equal(s1.status, 200, s1.text.slice(0, 400));
  assert.notEqual(s1.json.verification.verdict, 'invalid');
  assertRefused(await resolveAs(leader, dossier.code), 'not_registered');

  // signed by the other leader with a certificate registered to them
  await uploadOk(specialist, dossier.code, original);
  const theirs = issueCert('Lãnh Đạo Khác');
  registerCert(other.username, theirs.cert);
  const s2 = await remoteSign(other, dossier.code, theirs);
  assert.equal(s2.status, 200, s2.text.slice(0, 400));
  assertRefused(await resolveAs(leader, dossier.code), 'registered_to_other');

  // a signed file changed inside the signed bytes
  const signed = Buffer.from(await (await fetch(`${process.env.MOTCUA_URL || 'http://127.0.0.1:8091'}/api/v1/dossiers/${enc(dossier.code)}/result.pdf`,
    { headers: { Cookie: leader.cookie } })).arrayBuffer());
  assert.equal(sha256(signed), s2.json.result.sha256);
  const tampered = Buffer.from(signed);
  const at = tampered.indexOf('Giay chung nhan');
  tampered[at] = 'H'.charCodeAt(0);
  await uploadOk(specialist, dossier.code, tampered);
  assertRefused(await resolveAs(leader, dossier.code), 'signature_invalid:digest_mismatch');
});

test('a signature that does not match the prepared data is refused; the session is the officer\'s own', async () => {
  await uploadOk(specialist, dossier.code, minimalPdf('Giay chung nhan'));
  const p = await call(leader, 'POST', `/api/v1/dossiers/${enc(dossier.code)}/result/sign/prepare`, { certificate: leaderKey().cert });
  assert.equal(p.status, 200, p.text);
  assert.match(p.json.session, /^[0-9a-f]{32}$/);
  assert.match(p.json.digest, /^[0-9a-f]{64}$/);
  const wrong = cryptoSign('sha256', Buffer.from('something else'), leaderKey().key).toString('base64');
  const r = await call(leader, 'POST', `/api/v1/dossiers/${enc(dossier.code)}/result/sign/complete`, { session: p.json.session, signature: wrong });
  assert.equal(r.status, 422, r.text);
  assert.equal(r.json.code, 'signature_mismatch');
  const foreign = await call(other, 'POST', `/api/v1/dossiers/${enc(dossier.code)}/result/sign/complete`, { session: p.json.session, signature: wrong });
  assert.equal(foreign.status, 410, foreign.text);
  const both = await call(leader, 'POST', `/api/v1/dossiers/${enc(dossier.code)}/result/sign/complete`, { session: p.json.session });
  assert.equal(both.status, 422, both.text);
  assert.equal((await call(specialist, 'POST', `/api/v1/dossiers/${enc(dossier.code)}/result/sign/prepare`, { certificate: leaderKey().cert })).status, 403);
});

let finalPdf;
test('signed with the registered certificate the leader resolves; the clerk seals; pdfsig: both valid', async () => {
  await uploadOk(specialist, dossier.code, minimalPdf('Giay chung nhan'));
  const early = await call(clerk, 'POST', `/api/v1/dossiers/${enc(dossier.code)}/result/seal`);
  assert.equal(early.status, 409, `seal before the leader signs: ${early.text}`);
  assert.equal(early.json.code, 'not_signed');

  const s = await remoteSign(leader, dossier.code, leaderKey());
  assert.equal(s.status, 200, s.text.slice(0, 400));
  assert.equal(s.json.result.stage, 'signed');
  assert.equal(s.json.verification.verdict, 'valid', JSON.stringify(s.json.verification).slice(0, 600));
  assert.equal(s.json.verification.signatures[0].registered_officer.username, 'giomy.lanhdao');
  assert.equal(s.json.verification.signatures[0].subfilter, 'ETSI.CAdES.detached');

  const page = await call(leader, 'GET', `/api/v1/dossiers/${enc(dossier.code)}/result`);
  assert.equal(page.json.approval.ok, true, page.text.slice(0, 300));
  const d = await actOk(leader, dossier.code, 'resolve', await version(leader, dossier.code), { note: 'Đã ký kết quả' });
  assert.equal(d.state.code, 'resolved');

  assert.equal((await call(leader, 'POST', `/api/v1/dossiers/${enc(dossier.code)}/result/seal`)).status, 403);
  const sealed = await call(clerk, 'POST', `/api/v1/dossiers/${enc(dossier.code)}/result/seal`);
  assert.equal(sealed.status, 200, sealed.text.slice(0, 400));
  assert.equal(sealed.json.result.stage, 'sealed');
  const v = sealed.json.verification;
  assert.equal(v.verdict, 'valid', JSON.stringify(v).slice(0, 800));
  assert.equal(v.signatures.length, 2);
  assert.equal(v.signatures[0].later_only_signatures, true, 'the leader\'s signature is followed only by the seal');
  assert.match(v.signatures[1].signer.cn, /con dấu/);
  const again = await call(clerk, 'POST', `/api/v1/dossiers/${enc(dossier.code)}/result/seal`);
  assert.equal(again.status, 409);

  const f = await raw('GET', `/api/v1/dossiers/${enc(dossier.code)}/result.pdf`, { headers: { Cookie: clerk.cookie } });
  assert.equal(f.status, 200);
  finalPdf = f.buf;
  assert.equal(sha256(finalPdf), sealed.json.result.sha256);

  // poppler's pdfsig with an NSS database that trusts the demo root
  const nss = mkdtempSync(join(tmpdir(), 'motcua-nss-'));
  try {
    execFileSync('certutil', ['-N', '-d', `sql:${nss}`, '--empty-password'], { stdio: 'pipe' });
    execFileSync('certutil', ['-A', '-d', `sql:${nss}`, '-n', 'demo-root', '-t', 'CT,C,C', '-i', join(PKI, 'root.pem')], { stdio: 'pipe' });
    execFileSync('certutil', ['-A', '-d', `sql:${nss}`, '-n', 'demo-inter', '-t', ',,', '-i', join(PKI, 'inter.pem')], { stdio: 'pipe' });
    writeFileSync(join(nss, 'final.pdf'), finalPdf);
    let out;
    try {
      out = execFileSync('pdfsig', ['-nssdir', `sql:${nss}`, join(nss, 'final.pdf')], { encoding: 'utf8' });
    } catch (e) { out = `${e.stdout}${e.stderr}`; }
    const valid = out.match(/Signature Validation: Signature is Valid\./g) || [];
    assert.equal(valid.length, 2, `pdfsig:\n${out}`);
    const trusted = out.match(/Certificate Validation: Certificate is Trusted\./g) || [];
    assert.equal(trusted.length, 2, `pdfsig:\n${out}`);
    assert.match(out, /Signature #2[\s\S]*Total document signed/, out);
  } finally {
    rmSync(nss, { recursive: true, force: true });
  }
});

test('the stored verification of that exact file is public by its SHA-256', async () => {
  const hex = sha256(finalPdf);
  const r = await raw('GET', `/api/v1/signatures/stored/${hex}`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.sha256, hex);
  assert.equal(r.json.verdict, 'valid');
  assert.equal(r.json.dossier_code, dossier.code);
  assert.equal(r.json.verification.signatures.length, 2);
  assert.equal(r.json.verification.signatures[0].registered_officer.full_name.length > 0, true);
  assert.ok(!r.text.includes('ket.qua@example.vn') && !r.text.includes('Nguyễn Văn Thử'), 'the applicant is not exposed');
  assert.equal(r.json.verification.file_name, '');
  const upper = await raw('GET', `/api/v1/signatures/stored/${hex.toUpperCase()}`);
  assert.equal(upper.status, 200);
  assert.equal((await raw('GET', `/api/v1/signatures/stored/${'0'.repeat(64)}`)).status, 404);
  const bad = await raw('GET', '/api/v1/signatures/stored/xyz');
  assert.equal(bad.status, 400);
  assert.equal(bad.json.field, 'sha256');
});

test('the applicant downloads the result with the secret; without it, or with a wrong one, 404', async () => {
  const code = dossier.code;
  const meta = await raw('GET', `/api/v1/tracking/${enc(code)}/result?pin=${enc(dossier.pin)}`);
  assert.equal(meta.status, 200, meta.text);
  assert.equal(meta.json.result.sha256, sha256(finalPdf));
  assert.match(meta.json.result.verification_url, new RegExp(`/xac-minh\\.html\\?sha256=${sha256(finalPdf)}$`));
  const f = await raw('GET', `/api/v1/tracking/${enc(code.toLowerCase())}/result.pdf?pin=${enc(dossier.pin)}`);
  assert.equal(f.status, 200);
  assert.match(f.type, /application\/pdf/);
  assert.match(f.headers.get('content-disposition'), /attachment; filename="ket-qua-/);
  assert.equal(sha256(f.buf), sha256(finalPdf));
  assert.equal((await raw('GET', `/api/v1/tracking/${enc(code)}/result.pdf`)).status, 404);
  assert.equal((await raw('GET', `/api/v1/tracking/${enc(code)}/result.pdf?pin=WRONGPIN99`)).status, 404);
  // a dossier without a result yet
  const open = await receive(desk, { result_channel: 'online' });
  assert.equal((await raw('GET', `/api/v1/tracking/${enc(open.code)}/result.pdf?pin=${enc(open.pin)}`)).status, 404);
});

test('the verification slip names the file and carries the QR code of its public page', async (t) => {
  const hex = sha256(finalPdf);
  const r = await raw('GET', `/api/v1/tracking/${enc(dossier.code)}/result-slip.pdf?pin=${enc(dossier.pin)}`);
  assert.equal(r.status, 200, r.text);
  assert.match(r.type, /application\/pdf/);
  assert.equal((await raw('GET', `/api/v1/tracking/${enc(dossier.code)}/result-slip.pdf`)).status, 404);
  const officer = await raw('GET', `/api/v1/dossiers/${enc(dossier.code)}/result-slip.pdf`, { headers: { Cookie: desk.cookie } });
  assert.equal(officer.status, 200);
  const dir = mkdtempSync(join(tmpdir(), 'motcua-slip-'));
  try {
    writeFileSync(join(dir, 's.pdf'), r.buf);
    const text = execFileSync('pdftotext', [join(dir, 's.pdf'), '-'], { encoding: 'utf8' });
    assert.match(text, /PHIẾU XÁC MINH KẾT QUẢ ĐIỆN TỬ/);
    assert.ok(text.includes(hex), `the SHA-256 of the result is printed on one line:\n${text}`);
    assert.ok(text.includes(dossier.code));
    assert.match(text, /Lãnh đạo xã Gio Mỹ \(demo\): hợp lệ \(chứng thư số đã đăng ký của cán bộ/);
    assert.match(text, /con dấu demo\): hợp lệ/);
    // the slip itself is sealed
    const form = new FormData();
    form.append('file', new Blob([r.buf], { type: 'application/pdf' }), 's.pdf');
    const v = await raw('POST', '/api/v1/signatures/verify', { body: form });
    assert.equal(v.json.verdict, 'valid', v.text.slice(0, 300));
    let zbar = true;
    try { execFileSync('zbarimg', ['--version'], { stdio: 'pipe' }); } catch { zbar = false; }
    if (!zbar) { t.diagnostic('zbarimg missing: the QR code is not decoded'); return; }
    execFileSync('pdftoppm', ['-r', '150', '-png', '-singlefile', join(dir, 's.pdf'), join(dir, 'p')]);
    const qr = execFileSync('zbarimg', ['-q', '--raw', join(dir, 'p.png')], { encoding: 'utf8' }).trim();
    assert.match(qr, new RegExp(`/xac-minh\\.html\\?sha256=${hex}$`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a paper result (at the desk) needs no electronic signature to be approved', async () => {
  const d = await receive(desk, { result_channel: 'direct' });
  for (const s of [desk, specialist, leader]) await actOk(s, d.code, 'forward', await version(s, d.code));
  await actOk(leader, d.code, 'resolve', await version(leader, d.code));
});

test('the forms the server issues (receipt, control sheet) carry the organization\'s seal', async () => {
  const d = await receive(desk, { result_channel: 'online' });
  const receipt = await raw('GET', `/api/v1/tracking/${enc(d.code)}/receipt.pdf?pin=${enc(d.pin)}`);
  const sheet = await raw('GET', `/api/v1/dossiers/${enc(d.code)}/control-sheet.pdf`, { headers: { Cookie: desk.cookie } });
  for (const [what, r] of [['receipt', receipt], ['control sheet', sheet]]) {
    assert.equal(r.status, 200, `${what}: ${r.status}`);
    const form = new FormData();
    form.append('file', new Blob([r.buf], { type: 'application/pdf' }), 'form.pdf');
    const v = await raw('POST', '/api/v1/signatures/verify', { body: form });
    assert.equal(v.status, 200, v.text);
    assert.equal(v.json.verdict, 'valid', `${what}: ${v.text.slice(0, 400)}`);
    assert.equal(v.json.signatures.length, 1);
    assert.match(v.json.signatures[0].signer.cn, /con dấu/, what);
  }
});

test('a seal file the group or others may read is refused, with a log line', async () => {
  const d = await receive(desk, { result_channel: 'online' });
  const p12 = join(PKI, 'seal.p12');
  chmodSync(p12, 0o640);
  try {
    const sheet = await raw('GET', `/api/v1/dossiers/${enc(d.code)}/control-sheet.pdf`, { headers: { Cookie: desk.cookie } });
    assert.equal(sheet.status, 200, 'the form is still issued, without the seal');
    const form = new FormData();
    form.append('file', new Blob([sheet.buf], { type: 'application/pdf' }), 'form.pdf');
    const v = await raw('POST', '/api/v1/signatures/verify', { body: form });
    assert.equal(v.json.reason, 'no_signatures', v.text.slice(0, 300));
    const log = readFileSync(join(VAR, 'log', 'fcgi.log'), 'utf8');
    assert.match(log, /seal: refusing MOTCUA_SEAL_P12 .*seal\.p12: mode 640 lets the group or others read it/);
  } finally {
    chmodSync(p12, 0o600);
  }
});

/* ---------------------------------------------------------------- history of the result */

async function historyOf(session, code) {
  const r = await call(session, 'GET', `/api/v1/dossiers/${enc(code)}/history`);
  assert.equal(r.status, 200, r.text.slice(0, 300));
  return r.json;
}

function pdfText(buf) {
  return execFileSync('pdftotext', ['-q', '-', '-'], { input: buf, encoding: 'utf8' });
}

async function controlSheet(session, code) {
  const r = await raw('GET', `/api/v1/dossiers/${enc(code)}/control-sheet.pdf`, { headers: { Cookie: session.cookie } });
  assert.equal(r.status, 200);
  return pdfText(r.buf);
}

test('upload, signature and seal are events of the hash-chained history, each a new version', async () => {
  const d = await receive(desk, { result_channel: 'online' });
  for (const s of [desk, specialist, leader]) await actOk(s, d.code, 'forward', await version(s, d.code), { note: 'Chuyển bước' });
  const v0 = await version(leader, d.code);
  // recorded events, not actions an officer may post
  for (const a of ['result_upload', 'result_sign', 'result_seal']) {
    const r = await act(leader, d.code, a, v0);
    assert.equal(r.status, 404, `${a}: ${r.text}`);
    assert.equal(r.json.code, 'unknown_action');
  }

  // a stale If-Match stores nothing
  const form = new FormData();
  form.append('file', new Blob([minimalPdf('Giay phep')], { type: 'application/pdf' }), 'giay-phep.pdf');
  const stale = await raw('POST', `/api/v1/dossiers/${enc(d.code)}/result`, {
    headers: { Cookie: specialist.cookie, 'X-CSRF-Token': specialist.csrf, 'If-Match': `"${v0 - 1}"` }, body: form,
  });
  assert.equal(stale.status, 412, stale.text);
  assert.equal(stale.json.code, 'version_mismatch');
  assert.equal((await call(leader, 'GET', `/api/v1/dossiers/${enc(d.code)}/result`)).json.result, null, 'nothing stored');
  assert.equal(await version(leader, d.code), v0);

  const pdf = minimalPdf('Giay phep');
  const up = await upload(specialist, d.code, pdf, 'giay-phep.pdf');
  assert.equal(up.status, 201, up.text);
  assert.equal(up.json.version, v0 + 1, 'the upload is a new version');
  let h = await historyOf(leader, d.code);
  assert.equal(h.intact, true, 'the chain (and event count = version) holds after the upload');
  assert.equal(h.items.length, v0 + 1);
  const e1 = h.items.at(-1);
  assert.equal(e1.action, 'result_upload');
  assert.equal(e1.actor, 'giomy.chuyenvien');
  assert.equal(e1.from_state, 'processing');
  assert.equal(e1.to_state, 'processing');
  assert.ok(e1.note.includes(sha256(pdf)) && e1.note.includes('giay-phep.pdf'), e1.note);
  assert.equal(e1.label_vi, 'Cập nhật tệp kết quả');

  // the next action must carry the new version
  const old = await act(leader, d.code, 'resolve', v0, { note: 'Phiên bản cũ' });
  assert.equal(old.status, 412, old.text);
  const before = await controlSheet(leader, d.code);
  assert.ok(!before.includes('giomy.vanthu'), 'the clerk has not acted yet');

  const s = await remoteSign(leader, d.code, leaderKey());
  assert.equal(s.status, 200, s.text.slice(0, 400));
  assert.equal(s.json.version, v0 + 2, 'the signature is a new version');
  const signer = s.json.verification.signatures.at(-1).signer;
  h = await historyOf(leader, d.code);
  assert.equal(h.intact, true);
  const e2 = h.items.at(-1);
  assert.equal(e2.action, 'result_sign');
  assert.equal(e2.actor, 'giomy.lanhdao');
  assert.equal(e2.label_vi, 'Kết quả đã được ký số');
  assert.ok(e2.note.includes(signer.cn) && e2.note.includes(signer.serial) && e2.note.includes(s.json.result.sha256),
    `the signer's name, the certificate's serial and the file's SHA-256: ${e2.note}`);

  await actOk(leader, d.code, 'resolve', s.json.version, { note: 'Phê duyệt' });
  const sealed = await call(clerk, 'POST', `/api/v1/dossiers/${enc(d.code)}/result/seal`, undefined,
    { 'If-Match': `"${s.json.version}"` });
  assert.equal(sealed.status, 412, 'the seal with the version before resolve is stale');
  const sealedOk = await call(clerk, 'POST', `/api/v1/dossiers/${enc(d.code)}/result/seal`, undefined,
    { 'If-Match': `"${s.json.version + 1}"` });
  assert.equal(sealedOk.status, 200, sealedOk.text.slice(0, 400));
  assert.equal(sealedOk.json.version, s.json.version + 2);
  const seal = sealedOk.json.verification.signatures.at(-1).signer;
  h = await historyOf(clerk, d.code);
  assert.equal(h.intact, true);
  assert.equal(h.items.length, sealedOk.json.version);
  const e3 = h.items.at(-1);
  assert.equal(e3.action, 'result_seal');
  assert.equal(e3.actor, 'giomy.vanthu');
  assert.equal(e3.from_state, 'resolved');
  assert.ok(e3.note.includes(seal.cn) && e3.note.includes(seal.serial) && e3.note.includes(sealedOk.json.result.sha256), e3.note);
  assert.deepEqual(h.items.filter((e) => e.action.startsWith('result_')).map((e) => e.action),
    ['result_upload', 'result_sign', 'result_seal']);

  // the dossier page's timeline and its check
  const page = await getDossier(clerk, d.code);
  assert.equal(page.history_intact, true);
  assert.equal(page.version, sealedOk.json.version);
  assert.deepEqual(page.history.slice(-3).map((e) => e.action), ['result_sign', 'resolve', 'result_seal']);
  assert.equal(page.history.at(-1).actor, 'giomy.vanthu');

  // the process-control sheet lists them: the clerk appears through the seal
  const after = await controlSheet(leader, d.code);
  assert.ok(after.includes('giomy.vanthu'), `the seal's row on the control sheet:\n${after}`);

  // the public timeline: only "Kết quả đã được ký số", with no officer's name
  const pub = await raw('GET', `/api/v1/tracking/${enc(d.code)}`);
  assert.equal(pub.status, 200, pub.text.slice(0, 300));
  const acts = pub.json.steps.map((e) => e.action);
  assert.ok(acts.includes('result_sign'), acts.join(' '));
  assert.ok(!acts.includes('result_upload') && !acts.includes('result_seal'), acts.join(' '));
  assert.equal(pub.json.steps.find((e) => e.action === 'result_sign').label_vi, 'Kết quả đã được ký số');
  for (const secret of ['giomy.', signer.cn, seal.cn, signer.serial, 'Lãnh Đạo']) {
    assert.ok(!pub.text.includes(secret), `the public timeline names ${secret}`);
  }
  const priv = await raw('GET', `/api/v1/tracking/${enc(d.code)}?pin=${enc(d.pin)}`);
  assert.equal(priv.status, 200);
  assert.ok(!priv.text.includes('giomy.') && !priv.text.includes(signer.serial), 'nor the private part');
});

test('motcua-worker deletes expired signing sessions, and keeps live ones', async () => {
  const d = await receive(desk, { result_channel: 'online' });
  for (const s of [desk, specialist, leader]) await actOk(s, d.code, 'forward', await version(s, d.code), { note: 'Chuyển bước' });
  await uploadOk(specialist, d.code, minimalPdf('Phien ky'));
  const expired = await call(leader, 'POST', `/api/v1/dossiers/${enc(d.code)}/result/sign/prepare`, { certificate: leaderKey().cert });
  assert.equal(expired.status, 200, expired.text);
  const live = await call(other, 'POST', `/api/v1/dossiers/${enc(d.code)}/result/sign/prepare`, { certificate: leaderKey().cert });
  assert.equal(live.status, 200, live.text);
  sql(`UPDATE signing_sessions SET expires_at = UTC_TIMESTAMP() - INTERVAL 1 MINUTE WHERE id = ${q(expired.json.session)}`);
  const count = (id) => Number(sql(`SELECT COUNT(*) FROM signing_sessions WHERE id = ${q(id)}`)[0][0]);
  const deadline = Date.now() + 30_000;
  while (count(expired.json.session) && Date.now() < deadline) await sleep(500);
  assert.equal(count(expired.json.session), 0, 'the expired session is still there after 30 s');
  assert.equal(count(live.json.session), 1, 'a live session was deleted');
  assert.match(readFileSync(join(VAR, 'log', 'worker.log'), 'utf8'), /signing sessions: \d+ expired deleted/);
  sql(`DELETE FROM signing_sessions WHERE id = ${q(live.json.session)}`);
});

test('the catalog importer sets KYSOKETQUA; the procedure shows it; without a signature requirement an online result is approved unsigned', async () => {
  const env = Object.fromEntries(readFileSync(join(VAR, 'env'), 'utf8').split('\n')
    .map((l) => /^\s*([A-Z_][A-Z0-9_]*)=(.*)$/.exec(l)).filter(Boolean)
    .map((m) => [m[1], m[2].replace(/^['"]|['"]$/g, '')]));
  const seed = JSON.parse(readFileSync(join(ROOT, 'sql/seed/procedures.json'), 'utf8'));
  const rec = seed.find((p) => p.MATTHC === PROCEDURE);
  assert.ok(rec, `${PROCEDURE} is in the seed catalog`);
  const dir = mkdtempSync(join(tmpdir(), 'motcua-kyso-'));
  const importOne = (record) => {
    writeFileSync(join(dir, 'p.json'), JSON.stringify(Array.isArray(record) ? record : [record]));
    try {
      return { status: 0, out: execFileSync(join(ROOT, 'build/motcua-admin'), ['import-procedures', join(dir, 'p.json')],
        { env: { ...process.env, ...env }, encoding: 'utf8', stdio: 'pipe' }) };
    } catch (e) { return { status: e.status, out: `${e.stdout}${e.stderr}` }; }
  };
  const shown = async () => {
    const r = await raw('GET', `/api/v1/procedures/${enc(PROCEDURE)}`);
    assert.equal(r.status, 200);
    return r.json.result_signature_required;
  };
  try {
    assert.equal(await shown(), true, 'the default: a signature is required');
    const bad = importOne({ ...rec, KYSOKETQUA: 'khong' });
    assert.equal(bad.status, 1, `nothing imported: exit status 1\n${bad.out}`);
    assert.match(bad.out, /KYSOKETQUA: must be true or false/);
    assert.equal(await shown(), true, 'a rejected record changes nothing');
    const mixed = importOne([rec, { ...rec, MATTHC: `${rec.MATTHC}9`, KYSOKETQUA: 'khong' }]);
    assert.equal(mixed.status, 3, `some rejected, the others imported: exit status 3\n${mixed.out}`);
    assert.match(mixed.out, /2 records, 1 imported, 1 rejected/);
    assert.equal(await shown(), true, 'the good record was imported as it was');

    const off = importOne({ ...rec, KYSOKETQUA: false });
    assert.equal(off.status, 0, off.out);
    assert.equal(await shown(), false);
    const d = await receive(desk, { result_channel: 'online' });
    for (const s of [desk, specialist, leader]) await actOk(s, d.code, 'forward', await version(s, d.code), { note: 'Chuyển bước' });
    assert.equal((await call(leader, 'GET', `/api/v1/dossiers/${enc(d.code)}/result`)).json.signature_required, false);
    const done = await actOk(leader, d.code, 'resolve', await version(leader, d.code), { note: 'Không cần ký số' });
    assert.equal(done.state.code, 'resolved');

    assert.equal(importOne({ ...rec, KYSOKETQUA: 1 }).status, 0);
    assert.equal(await shown(), true);
  } finally {
    const { KYSOKETQUA, ...plain } = rec;   // the seed as it is: absent means required
    void KYSOKETQUA;
    assert.equal(importOne(plain).status, 0);
    rmSync(dir, { recursive: true, force: true });
  }
  assert.equal(await shown(), true, 'absent: required again');
});
