// Desk digitization: a scan attached to a dossier's document (multipart, If-Match), the
// paper-only flag, and the file served only to officers in scope and to the applicant
// with the receipt's secret.
//   MOTCUA_URL, MOTCUA_VAR  the running stack (see helpers.mjs)
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { assertProblem, trackingRequest } from './helpers.mjs';
import { call, createOfficer, getDossier, login, raw, receive, sql, uniq, UNITS } from './lib/officer.mjs';

const PDF = Buffer.from(`%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n% ${process.pid} ${Date.now()}\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n`);
let desk, specialist, otherUnit;

before(async () => {
  desk = await login('giomy.motcua');
  specialist = await login('giomy.chuyenvien');
  // a desk officer of the other district: Gio Mỹ's dossiers are not theirs to see
  const admin = await login('admin');
  const username = uniq('dongha.desk');
  const password = await createOfficer(admin, { username, unit: UNITS.dongHa, roles: ['desk'] });
  otherUnit = await login(username, password);
});

function scan(buf, name = 'ban-scan.pdf', type = 'application/pdf') {
  const f = new FormData();
  f.append('file', new Blob([buf], { type }), name);
  return f;
}

/** POST .../documents/{seq}/file as the session, with If-Match. */
function upload(session, code, seq, body, version) {
  const headers = { Cookie: session.cookie, 'X-CSRF-Token': session.csrf };
  if (version !== undefined) headers['If-Match'] = `"${version}"`;
  return raw('POST', `/api/v1/dossiers/${code}/documents/${seq}/file`, { headers, body });
}

test('the desk attaches a scan: the document is digitized, the history says so, the file comes back', async () => {
  const d = await receive(desk);
  let page = await getDossier(desk, d.code);
  assert.deepEqual(page.documents.map((x) => [x.digitized, x.paper_only]), [[false, true], [false, true], [false, true]]);

  const filesBefore = sql('SELECT COUNT(*) FROM files')[0][0];
  assertProblem(await upload(desk, d.code, 1, scan(PDF)), 428, { field: 'If-Match' });
  assertProblem(await upload(desk, d.code, 1, scan(PDF), page.version + 5), 412, { code: 'version_mismatch' });
  assertProblem(await upload(specialist, d.code, 1, scan(PDF), page.version), 403);
  assertProblem(await upload(desk, d.code, 9, scan(PDF), page.version), 404, { code: 'document_not_found' });
  assertProblem(await upload(desk, d.code, 1, scan(Buffer.from('MZ not a pdf at all')), page.version), 415);
  assert.equal(sql('SELECT COUNT(*) FROM files')[0][0], filesBefore, 'nothing recorded by the refusals');

  const r = await upload(desk, d.code, 1, scan(PDF), page.version);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.digitized, true);
  assert.equal(r.json.paper_only, false);
  assert.equal(r.json.version, page.version + 1);
  page = await getDossier(desk, d.code);
  assert.deepEqual([page.documents[0].digitized, page.documents[0].paper_only], [true, false]);
  assert.equal(page.history_intact, true, 'the history still matches the version');
  assert.equal(page.history.at(-1).action, 'digitize');

  const f = await call(desk, 'GET', `/api/v1/dossiers/${d.code}/documents/1/file`);
  assert.equal(f.status, 200);
  assert.equal(f.headers.get('content-type'), 'application/pdf');
  assert.ok(f.buf.equals(PDF), 'byte for byte');
  assert.match(f.headers.get('content-disposition'), /filename="ban-scan\.pdf"/);
  assertProblem(await call(otherUnit, 'GET', `/api/v1/dossiers/${d.code}/documents/1/file`), 404, { code: 'dossier_not_found' });
  assertProblem(await call(null, 'GET', `/api/v1/dossiers/${d.code}/documents/1/file`), 401);
  assertProblem(await call(desk, 'GET', `/api/v1/dossiers/${d.code}/documents/2/file`), 404, { code: 'file_not_found' });

  // and the applicant, with the receipt's secret
  const a = await raw('GET', `/api/v1/tracking/${d.code}/documents/1/file?pin=${d.pin}`);
  assert.equal(a.status, 200);
  assert.ok(a.buf.equals(PDF));
  const t = await trackingRequest(`/api/v1/tracking/${d.code}?pin=${d.pin}`);
  assert.equal(t.json.private.documents[0].digitized, true);
});

test('PATCH paper_only, with If-Match', async () => {
  const d = await receive(desk);
  const page = await getDossier(desk, d.code);
  const patch = (body, version) => call(desk, 'PATCH', `/api/v1/dossiers/${d.code}/documents/2`, body,
    version === undefined ? {} : { 'If-Match': `"${version}"` });
  assertProblem(await patch({ paper_only: false }), 428);
  assertProblem(await patch({ paper_only: 'no' }, page.version), 400, { field: 'paper_only' });
  assertProblem(await patch({ paper_only: false, extra: 1 }, page.version), 400);
  const r = await patch({ paper_only: false }, page.version);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.paper_only, false);
  const after = await getDossier(desk, d.code);
  assert.equal(after.documents[1].paper_only, false);
  assert.equal(after.version, page.version + 1);
  assert.equal(after.history_intact, true);
  assertProblem(await patch({ paper_only: true }, page.version), 412);
});
