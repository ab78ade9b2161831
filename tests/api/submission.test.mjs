// Online submission (POST /api/v1/submissions, multipart/form-data) and the applicant's
// download of a document's file (GET /api/v1/tracking/{code}/documents/{seq}/file?pin=).
// Every refusal must leave nothing behind: no dossier row, no file row, no file in the
// store, no temporary file.
//   MOTCUA_URL, MOTCUA_VAR  the running stack (see helpers.mjs)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, utimesSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { BASE, VAR, assertProblem, sleep, trackingRequest, DOSSIER_CODE_RE } from './helpers.mjs';
import { act, getDossier, login, raw, sql, UNITS } from './lib/officer.mjs';

/** Two required documents (seq 1 and 2), implemented at commune level. */
const PROC = '2.000884';
const FILES = join(VAR, 'files');

const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n');
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de' +
  '0000000c49444154789c63f80f00000101000518d84e0000000049454e44ae426082', 'hex');
const ELF = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(120), PDF]);

let n = 0;
/** A unique bit of content, so that files of different tests never share a digest. */
function unique(buf) {
  n += 1;
  return Buffer.concat([buf, Buffer.from(`\n%${process.pid}-${Date.now()}-${n}\n`)]);
}

function form(fields = {}, files = {}) {
  const f = new FormData();
  const base = {
    procedure: PROC, unit: UNITS.gioMy, applicant_name: 'Nguyễn Văn Thử',
    applicant_email: 'thu@example.vn', result_channel: 'online',
  };
  for (const [k, v] of Object.entries({ ...base, ...fields })) if (v !== undefined) f.append(k, v);
  for (const [k, [buf, name, type]] of Object.entries(files)) f.append(k, new Blob([buf], { type }), name);
  return f;
}

function submit(body, headers = {}) {
  return raw('POST', '/api/v1/submissions', { body, headers });
}

/** Every file under the store, temporary ones included. */
function storeFiles(dir = FILES) {
  let out = [];
  let entries = [];
  try { entries = readdirSync(dir, { withFileTypes: true }); } catch { return out; }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out = out.concat(storeFiles(p));
    else out.push(p);
  }
  return out;
}

function counts() {
  const [[dossiers, files, docs]] = sql(
    'SELECT (SELECT COUNT(*) FROM dossiers), (SELECT COUNT(*) FROM files), ' +
    '(SELECT COUNT(*) FROM dossier_documents WHERE file_sha256 IS NOT NULL)');
  return { dossiers, files, docs, stored: storeFiles().length };
}

/** Runs fn, which must be refused, and checks that nothing was stored. */
async function refusedLeavesNothing(fn) {
  const before = counts();
  const r = await fn();
  assert.deepEqual(counts(), before, 'a refusal stores nothing');
  return r;
}

test('guest submission with two attachments: 201, tracking shows them digitized, files download byte-identical', async () => {
  const doc1 = unique(PDF), doc2 = unique(PNG);
  const r = await submit(form({}, { doc_1: [doc1, 'giấy tờ tùy thân.pdf', 'application/pdf'], doc_2: [doc2, 'van ban.png', 'image/png'] }));
  assert.equal(r.status, 201, r.text);
  assert.match(r.json.code, DOSSIER_CODE_RE);
  assert.ok(r.json.code.startsWith(`${UNITS.gioMy}-`), 'coded by the receiving unit');
  assert.match(r.json.pin, /^[A-Za-z0-9]{10}$/);
  assert.equal(r.json.status, 'submitted');

  const t = await trackingRequest(`/api/v1/tracking/${r.json.code}?pin=${r.json.pin}`);
  assert.equal(t.status, 200, t.text);
  assert.equal(t.json.status.code, 'submitted');
  assert.equal(t.json.channel.code, 'online');
  assert.deepEqual(t.json.private.documents.map((d) => [d.seq, d.digitized, d.paper_only]),
    [[1, true, false], [2, true, false]]);
  assert.equal(t.json.steps[0].action, 'submit');

  const f1 = await raw('GET', `/api/v1/tracking/${r.json.code}/documents/1/file?pin=${r.json.pin}`);
  assert.equal(f1.status, 200);
  assert.equal(f1.headers.get('content-type'), 'application/pdf');
  assert.ok(f1.buf.equals(doc1), 'the PDF comes back byte for byte');
  assert.match(f1.headers.get('content-disposition'), /^attachment; filename="gi.*\.pdf"; filename\*=UTF-8''gi%E1%BA%A5y/);
  const f2 = await raw('GET', `/api/v1/tracking/${r.json.code.toLowerCase()}/documents/2/file?pin=${r.json.pin}`);
  assert.equal(f2.status, 200);
  assert.equal(f2.headers.get('content-type'), 'image/png');
  assert.ok(f2.buf.equals(doc2), 'the PNG comes back byte for byte');

  assertProblem(await raw('GET', `/api/v1/tracking/${r.json.code}/documents/1/file?pin=WRONGPIN99`), 404, { code: 'dossier_not_found' });
  assertProblem(await raw('GET', `/api/v1/tracking/${r.json.code}/documents/1/file`), 400, { field: 'pin' });
  assertProblem(await raw('GET', `/api/v1/tracking/${r.json.code}/documents/3/file?pin=${r.json.pin}`), 404, { code: 'file_not_found' });
  // the store is not reachable by its own path
  assert.equal((await raw('GET', '/_files/')).status, 404);

  const [[state, channel, submitted, received]] = sql(
    `SELECT state, channel, submitted_at IS NOT NULL, received_at IS NULL FROM dossiers WHERE code = '${r.json.code}'`);
  assert.deepEqual([state, channel, submitted, received], ['submitted', 'online', '1', '1']);
  const [[by, type, size]] = sql(
    `SELECT uploaded_by, file_type, file_size FROM dossier_documents dd JOIN dossiers d ON d.id = dd.dossier_id ` +
    `WHERE d.code = '${r.json.code}' AND dd.seq = 2`);
  assert.deepEqual([by, type, Number(size)], ['applicant', 'png', doc2.length]);
});

test('a missing required document: 422 listing it, nothing stored', async () => {
  const r = await refusedLeavesNothing(() => submit(form({}, { doc_1: [unique(PDF), 'a.pdf', 'application/pdf'] })));
  assertProblem(r, 422, { code: 'missing_documents' });
  assert.equal(r.json.missing.length, 1);
  assert.match(r.json.missing[0], /ký/);
});

test('a guest without e-mail or phone: 422; a unit that does not offer the procedure: 422', async () => {
  const files = { doc_1: [unique(PDF), 'a.pdf', 'application/pdf'], doc_2: [unique(PNG), 'b.png', 'image/png'] };
  assertProblem(await refusedLeavesNothing(() => submit(form({ applicant_email: undefined }, files))), 422, { code: 'missing_contact' });
  assertProblem(await refusedLeavesNothing(() => submit(form({ unit: UNITS.province }, files))), 422, { field: 'unit' });
  assertProblem(await refusedLeavesNothing(() => submit(form({ procedure: '9.999999' }, files))), 422, { code: 'unknown_procedure' });
});

test('types by their bytes: a PDF named .jpg and an executable named .pdf are 415', async () => {
  const r1 = await refusedLeavesNothing(() => submit(form({}, {
    doc_1: [unique(PDF), 'anh.jpg', 'image/jpeg'], doc_2: [unique(PNG), 'b.png', 'image/png'] })));
  assertProblem(r1, 415);
  assert.match(r1.json.code, /^file_type_(mismatch|not_accepted)$/);
  const r2 = await refusedLeavesNothing(() => submit(form({}, {
    doc_1: [ELF, 'don.pdf', 'application/pdf'], doc_2: [unique(PNG), 'b.png', 'image/png'] })));
  assertProblem(r2, 415, { code: 'file_type_not_accepted' });
});

test('a file over 20 MB: 413, nothing stored', async () => {
  // one 21 MB buffer, handed to the Blob without a copy into a string
  const big = Buffer.alloc(21 * 1024 * 1024, 0x20);
  PDF.copy(big, 0);
  const r = await refusedLeavesNothing(() => submit(form({}, {
    doc_1: [big, 'lon.pdf', 'application/pdf'], doc_2: [unique(PNG), 'b.png', 'image/png'] })));
  assertProblem(r, 413, { code: 'file_too_large' });
});

test('a truncated multipart body: 400; an unknown field: 400', async () => {
  const b = 'XyZbOuNdArY0123';
  const body = `--${b}\r\nContent-Disposition: form-data; name="procedure"\r\n\r\n${PROC}\r\n` +
    `--${b}\r\nContent-Disposition: form-data; name="doc_1"; filename="a.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4 and then nothing`;
  const r = await refusedLeavesNothing(() => submit(body, { 'Content-Type': `multipart/form-data; boundary=${b}` }));
  assertProblem(r, 400, { code: 'truncated_body' });
  const r2 = await refusedLeavesNothing(() => submit(form({ favourite_colour: 'blue' }, {
    doc_1: [unique(PDF), 'a.pdf', 'application/pdf'], doc_2: [unique(PNG), 'b.png', 'image/png'] })));
  assertProblem(r2, 400, { code: 'unknown_field' });
  const r3 = await refusedLeavesNothing(() => submit(form({}, {
    doc_1: [unique(PDF), 'a.pdf', 'application/pdf'], doc_2: [unique(PNG), 'b.png', 'image/png'],
    doc_5: [unique(PDF), 'c.pdf', 'application/pdf'] })));
  assertProblem(r3, 400, { field: 'doc_5' });
  const r4 = await refusedLeavesNothing(() => raw('POST', '/api/v1/submissions', {
    headers: { 'Content-Type': 'application/json' }, body: '{}' }));
  assertProblem(r4, 415);
});

test('the same Idempotency-Key twice: one dossier, the same answer; with another body: 422', async () => {
  const key = `idem-${process.pid}-${Date.now()}`;
  const doc1 = unique(PDF), doc2 = unique(PNG);
  const mk = (name = 'Trần Thị Lặp') => form({ applicant_name: name }, {
    doc_1: [doc1, 'a.pdf', 'application/pdf'], doc_2: [doc2, 'b.png', 'image/png'] });
  const first = await submit(mk(), { 'Idempotency-Key': key });
  assert.equal(first.status, 201, first.text);
  const before = counts();
  const again = await submit(mk(), { 'Idempotency-Key': key });
  assert.equal(again.status, 201, again.text);
  assert.deepEqual(again.json, first.json, 'the first answer again');
  assert.deepEqual(counts(), before, 'nothing new');
  const [[c]] = sql(`SELECT COUNT(*) FROM dossiers WHERE applicant_name = 'Trần Thị Lặp' AND code = '${first.json.code}'`);
  assert.equal(c, '1');
  const other = await refusedLeavesNothing(() => submit(mk('Trần Thị Khác'), { 'Idempotency-Key': key }));
  assertProblem(other, 422, { code: 'idempotency_key_reused' });
  assertProblem(await submit(mk(), { 'Idempotency-Key': 'short' }), 400, { field: 'Idempotency-Key' });
});

async function guestDossier() {
  const r = await submit(form({}, {
    doc_1: [unique(PDF), 'a.pdf', 'application/pdf'], doc_2: [unique(PNG), 'b.png', 'image/png'] }));
  assert.equal(r.status, 201, r.text);
  return r.json;
}

function supplement(code, fields, files) {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.append(k, v);
  for (const [k, [buf, name, type]] of Object.entries(files)) f.append(k, new Blob([buf], { type }), name);
  return raw('POST', `/api/v1/tracking/${code}/supplement`, { body: f });
}

test('supplement by the applicant: files on the dossier, the officers\' workflow path, the history intact', async () => {
  const d = await guestDossier();
  const extra = unique(PDF), fixed = unique(PNG);
  // not awaiting a supplement yet
  assertProblem(await refusedLeavesNothing(() => supplement(d.code, { pin: d.pin }, { extra_1: [extra, 'them.pdf', 'application/pdf'] })),
    409, { code: 'invalid_state' });
  const desk = await login('giomy.motcua');
  const page = await getDossier(desk, d.code);
  const req = await act(desk, d.code, 'request_supplement', page.version, { items: ['Bản sao giấy tờ rõ nét hơn'] });
  assert.equal(req.status, 200, req.text);
  assert.equal(req.json.state.code, 'awaiting_supplement');

  assertProblem(await refusedLeavesNothing(() => supplement(d.code, { pin: 'WRONGPIN99' }, { extra_1: [extra, 'them.pdf', 'application/pdf'] })), 404);
  assertProblem(await refusedLeavesNothing(() => supplement(d.code, { pin: d.pin, note: 'không có tệp' }, {})), 422);
  assertProblem(await refusedLeavesNothing(() => supplement(d.code, { pin: d.pin }, { doc_6: [extra, 'x.pdf', 'application/pdf'] })),
    422, { code: 'unknown_document' });
  assertProblem(await refusedLeavesNothing(() => supplement(d.code, { pin: d.pin }, { extra_1: [ELF, 'them.pdf', 'application/pdf'] })), 415);

  const s = await supplement(d.code.toLowerCase(), { pin: d.pin, note: 'Gửi bổ sung theo yêu cầu' },
    { doc_2: [fixed, 'ro-net.png', 'image/png'], extra_1: [extra, 'them.pdf', 'application/pdf'] });
  assert.equal(s.status, 200, s.text);
  assert.equal(s.json.status, 'submitted', 'back where the request found it');

  const after = await getDossier(desk, d.code);
  assert.equal(after.history.at(-1).action, 'supplement');
  assert.equal(after.history.at(-1).actor, 'applicant');
  assert.equal(after.history_intact, true);
  assert.equal(after.documents.length, 3);
  assert.equal(after.documents[2].digitized, true);
  const f2 = await raw('GET', `/api/v1/tracking/${d.code}/documents/2/file?pin=${d.pin}`);
  assert.ok(f2.buf.equals(fixed), 'doc_2 replaced by the supplement');
  const f3 = await raw('GET', `/api/v1/tracking/${d.code}/documents/3/file?pin=${d.pin}`);
  assert.ok(f3.buf.equals(extra), 'the extra document');
});

test('withdrawal by the applicant with the secret', async () => {
  const d = await guestDossier();
  const w = (body) => raw('POST', `/api/v1/tracking/${d.code}/withdraw`, {
    headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  assertProblem(await w({ pin: d.pin }), 400, { field: 'reason' });
  assertProblem(await w({ pin: 'WRONGPIN99', reason: 'Không cần nữa' }), 404);
  const r = await w({ pin: d.pin, reason: 'Không cần nữa' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'withdrawn');
  assertProblem(await w({ pin: d.pin, reason: 'Lần nữa' }), 409, { code: 'invalid_state' });
  const [[state, finished]] = sql(`SELECT state, finished_at IS NOT NULL FROM dossiers WHERE code = '${d.code}'`);
  assert.deepEqual([state, finished], ['withdrawn', '1']);
});

test('drafts: saved with their files, read back with the token, submitted once', async () => {
  const doc1 = unique(PDF), doc2 = unique(PNG);
  const create = (fields, files) => raw('POST', '/api/v1/submissions/drafts', { body: form(fields, files) });
  assertProblem(await create({ procedure: undefined }, {}), 422, { field: 'procedure' });

  const half = await create({ applicant_email: undefined }, { doc_1: [doc1, 'mot.pdf', 'application/pdf'] });
  assert.equal(half.status, 201, half.text);
  assert.match(half.json.id, /^[A-Za-z0-9_-]{22}$/);
  const get = (id, token) => raw('GET', `/api/v1/submissions/drafts/${id}`, { headers: token ? { 'X-Draft-Token': token } : {} });
  assertProblem(await get(half.json.id), 404, { code: 'draft_not_found' });
  assertProblem(await get(half.json.id, 'x'.repeat(43)), 404);
  const g = await get(half.json.id, half.json.token);
  assert.equal(g.status, 200, g.text);
  assert.equal(g.json.fields.procedure, PROC);
  assert.equal(g.json.fields.applicant_email, undefined);
  assert.deepEqual(g.json.files.map((f) => [f.seq, f.name, f.type, f.size]), [[1, 'mot.pdf', 'pdf', doc1.length]]);
  // incomplete: refused, nothing created, the draft stays
  const before = counts();
  const bad = await raw('POST', `/api/v1/submissions/drafts/${half.json.id}/submit`, { headers: { 'X-Draft-Token': half.json.token } });
  assertProblem(bad, 422);
  assert.equal(counts().dossiers, before.dossiers);
  assert.equal((await get(half.json.id, half.json.token)).status, 200);

  const full = await create({}, { doc_1: [doc1, 'mot.pdf', 'application/pdf'], doc_2: [doc2, 'hai.png', 'image/png'] });
  assert.equal(full.status, 201, full.text);
  assertProblem(await raw('POST', `/api/v1/submissions/drafts/${full.json.id}/submit`), 404);
  const s = await raw('POST', `/api/v1/submissions/drafts/${full.json.id}/submit`, { headers: { 'X-Draft-Token': full.json.token } });
  assert.equal(s.status, 201, s.text);
  assert.match(s.json.code, DOSSIER_CODE_RE);
  assertProblem(await get(full.json.id, full.json.token), 404, { code: 'draft_not_found' });
  const f2 = await raw('GET', `/api/v1/tracking/${s.json.code}/documents/2/file?pin=${s.json.pin}`);
  assert.equal(f2.status, 200);
  assert.ok(f2.buf.equals(doc2));
});

function workerPids() {
  const supervisor = Number(readFileSync(join(VAR, 'run', 'fcgi.pid'), 'utf8').trim());
  let out = '';
  try {
    out = execFileSync('ps', ['-o', 'pid=', '--ppid', String(supervisor)]).toString();
  } catch { /* none: the supervisor waits before it replaces a worker that died young */ }
  return out.split('\n').map((s) => s.trim()).filter(Boolean).map(Number);
}

async function newWorker(old) {
  for (let i = 0; i < 300; i++) {
    await sleep(100);
    const now = workerPids();
    if (now.length === 1 && now[0] !== old && (await fetch(`${BASE}/api/v1/ping`)).status === 200) return now[0];
  }
  throw new Error('no new worker');
}

test('crash: the worker killed in the middle of a large upload leaves no dossier and no file', { timeout: 90000 }, async () => {
  const tmp = join(FILES, 'tmp');
  const before = counts();
  const applicant = `Crash ${process.pid} ${Date.now()}`;
  const b = `crashBoundary${Date.now()}`;
  const head = Buffer.from(['procedure', PROC, 'unit', UNITS.gioMy, 'applicant_name', applicant,
    'applicant_email', 'crash@example.vn', 'result_channel', 'online']
    .reduce((s, v, i, a) => (i % 2 ? s : `${s}--${b}\r\nContent-Disposition: form-data; name="${v}"\r\n\r\n${a[i + 1]}\r\n`), '') +
    `--${b}\r\nContent-Disposition: form-data; name="doc_1"; filename="lon.pdf"\r\nContent-Type: application/pdf\r\n\r\n`);
  const fileSize = 19 * 1024 * 1024;
  // a whole PDF, so that only the crash can make this submission fail
  const tail = Buffer.from(`\n%%EOF\n\r\n--${b}--\r\n`);
  const chunk = Buffer.alloc(256 * 1024, 0x20);
  PDF.copy(chunk, 0);

  // nginx buffers the body before FastCGI sees it: the whole body is sent at once, and
  // the worker is killed as soon as its temporary file appears in the store's tmp/.
  const old = workerPids()[0];
  const parts = [];
  const req = httpRequest(`${BASE}/api/v1/submissions`, {
    method: 'POST',
    headers: { 'Content-Type': `multipart/form-data; boundary=${b}`,
      'Content-Length': head.length + fileSize + tail.length },
  });
  const stale = new Set(readdirSync(tmp));   // left by an earlier run: not this upload's
  const answered = new Promise((resolve) => {
    req.on('response', (res) => { res.on('data', (d) => parts.push(d)); res.on('end', () => resolve(res.statusCode)); });
    req.on('error', () => resolve(0));
  });
  req.write(head);
  for (let sent = 0; sent < fileSize; sent += chunk.length) req.write(chunk);
  req.end(tail);
  let killed = false;
  for (let i = 0; i < 4000 && !killed; i++) {
    const partial = readdirSync(tmp).filter((f) => f.endsWith('.part') && !stale.has(f));
    if (partial.length > 0 && statSync(join(tmp, partial[0])).size > 0) {
      process.kill(old, 'SIGKILL');
      killed = true;
    } else {
      await sleep(2);
    }
  }
  assert.ok(killed, 'the upload reached the worker');
  const status = await answered;
  assert.ok(status >= 500 || status === 0, `the client sees a failure, not ${status}: ${Buffer.concat(parts)}`);
  const w1 = await newWorker(old);
  assert.equal(sql(`SELECT COUNT(*) FROM dossiers WHERE applicant_name = '${applicant}'`)[0][0], '0', 'no dossier row');

  // The sweep leaves young temporary files alone (another worker may be writing them);
  // age the orphans as an hour would, and restart the worker: its sweep removes them.
  const orphans = readdirSync(tmp);
  assert.ok(orphans.some((f) => !stale.has(f)), 'the killed upload left its temporary file');
  const old2h = new Date(Date.now() - 2 * 3600 * 1000);
  for (const f of orphans) utimesSync(join(tmp, f), old2h, old2h);
  process.kill(w1, 'SIGKILL');
  await newWorker(w1);
  for (let i = 0; i < 50 && readdirSync(tmp).length > 0; i++) await sleep(100);
  assert.deepEqual(readdirSync(tmp), [], 'no temporary file after the sweep');
  assert.deepEqual(counts(), before, 'nothing stored');
  // The supervisor counts a worker that dies within 5 s of its start as a fast failure and
  // waits before the next one: leave a worker that has outlived that, for the next test.
  await sleep(5500);
});

test('a procedure whose case lists eight documents takes all eight files online (doc_7, doc_8 too)', async () => {
  const proc = await raw('GET', '/api/v1/procedures/2.001880');
  assert.equal(proc.status, 200, proc.text);
  const kase = proc.json.documents.find((c) => c.items.length >= 8);
  assert.ok(kase, 'the procedure has a case with eight documents');
  const files = {};
  for (const d of kase.items) files[`doc_${d.seq}`] = [unique(PDF), `giay-to-${d.seq}.pdf`, 'application/pdf'];
  const last = kase.items[kase.items.length - 1].seq;
  const missing = { ...files };
  delete missing[`doc_${last}`];
  const fields = { procedure: '2.001880', unit: UNITS.province, case_name: kase.case_name || undefined };
  const refused = await refusedLeavesNothing(() => submit(form(fields, missing)));
  assertProblem(refused, 422, { code: 'missing_documents' });
  assert.deepEqual(refused.json.missing, [kase.items[kase.items.length - 1].name], 'the eighth document is named');
  const r = await submit(form(fields, files));
  assert.equal(r.status, 201, r.text);
  const [[attached]] = sql(`SELECT COUNT(*) FROM dossier_documents dd JOIN dossiers d ON d.id = dd.dossier_id
    WHERE d.code = '${r.json.code}' AND dd.file_sha256 IS NOT NULL`);
  assert.equal(Number(attached), kase.items.length, 'every document has its file');
});
