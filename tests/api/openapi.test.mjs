// docs/openapi.yaml against the service: every route the binary serves is documented,
// every documented operation exists on the live stack and answers with a documented
// status, and the documented query parameters (names, enums, bounds, required) are the
// ones the service's validation tables enforce. Operations behind a session are tried
// anonymously (401) and, for reads, as the demo administrator (tests/api/lib/officer.mjs).
//
// No YAML library (package.json holds none): readYaml below reads the subset the document
// is written in: block mappings and sequences, plain and quoted scalars, one-line flow
// sequences and `|` block scalars.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, request, getJson, trackingRequest, demoDossiers, assertProblem } from './helpers.mjs';
import { login } from './lib/officer.mjs';

// ---- a YAML-subset reader --------------------------------------------------------------

function scalar(raw, where) {
  const s = raw.trim();
  if (s === '' || s === '~' || s === 'null') return null;
  if (s === 'true') return true;
  if (s === 'false') return false;
  if (s.startsWith('"')) {
    assert.ok(s.endsWith('"') && s.length >= 2, `${where}: unterminated "string"`);
    return JSON.parse(s);
  }
  if (s.startsWith("'")) {
    assert.ok(s.endsWith("'") && s.length >= 2, `${where}: unterminated 'string'`);
    return s.slice(1, -1).replace(/''/g, "'");
  }
  if (s.startsWith('[')) {
    assert.ok(s.endsWith(']'), `${where}: flow sequence must fit on one line`);
    const inner = s.slice(1, -1).trim();
    return inner === '' ? [] : splitFlow(inner).map((x) => scalar(x, where));
  }
  if (s.startsWith('{')) {
    assert.equal(s, '{}', `${where}: only empty flow mappings are supported`);
    return {};
  }
  assert.ok(!/^[&*!%@`]/.test(s), `${where}: anchors, aliases and tags are not supported`);
  assert.ok(!/: /.test(s) && !/ #/.test(s), `${where}: plain scalar holds ': ' or ' #'; quote it`);
  if (/^-?\d+$/.test(s)) return Number(s);
  if (/^-?\d+\.\d+$/.test(s)) return Number(s);
  return s;
}

function splitFlow(s) {
  const out = [];
  let cur = '', quote = null;
  for (const ch of s) {
    if (quote) { cur += ch; if (ch === quote) quote = null; continue; }
    if (ch === '"' || ch === "'") { quote = ch; cur += ch; continue; }
    if (ch === ',') { out.push(cur); cur = ''; continue; }
    cur += ch;
  }
  out.push(cur);
  return out;
}

export function readYaml(text) {
  const lines = text.split('\n').map((raw, i) => ({ raw, no: i + 1 }))
    .filter((l) => l.raw.trim() !== '' && !l.raw.trim().startsWith('#'))
    .map((l) => ({ ...l, ind: l.raw.length - l.raw.trimStart().length, text: l.raw.trim() }));
  for (const l of lines) assert.ok(!l.raw.includes('\t'), `line ${l.no}: tab character`);
  let i = 0;

  // a `|` block scalar: every following line indented more than `ind`, text kept as is
  function blockScalar(ind, no) {
    const body = [];
    const all = text.split('\n');
    let j = no;                         // `no` is 1-based: all[no] is the next line
    let blockInd = null;
    for (; j < all.length; j++) {
      const raw = all[j];
      if (raw.trim() === '') { body.push(''); continue; }
      const k = raw.length - raw.trimStart().length;
      if (k <= ind) break;
      if (blockInd === null) blockInd = k;
      body.push(raw.slice(blockInd));
    }
    while (body.length && body[body.length - 1] === '') body.pop();
    while (i < lines.length && lines[i].no <= j) i++;
    return body.join('\n') + '\n';
  }

  function value(rest, ind, no) {
    if (rest === '|') return blockScalar(ind, no);
    if (rest !== '') return scalar(rest, `line ${no}`);
    if (i < lines.length && lines[i].ind > ind) return node(lines[i].ind);
    if (i < lines.length && lines[i].ind === ind && lines[i].text.startsWith('- ')) return node(ind);
    return null;
  }

  function node(ind) {
    const first = lines[i];
    if (first.text.startsWith('- ') || first.text === '-') {
      const arr = [];
      while (i < lines.length && lines[i].ind === ind && (lines[i].text.startsWith('- ') || lines[i].text === '-')) {
        const l = lines[i];
        const rest = l.text.slice(2);
        if (/^[A-Za-z0-9_$"'./{}-]+:( |$)/.test(rest) && !rest.startsWith('"') && !rest.startsWith("'")) {
          // "- key: value" opens a mapping whose keys are indented like "key"
          const inner = ind + 2;
          lines[i] = { ...l, ind: inner, text: rest };
          arr.push(node(inner));
        } else {
          i++;
          arr.push(value(rest, ind, l.no));
        }
      }
      return arr;
    }
    const obj = {};
    while (i < lines.length && lines[i].ind === ind && !lines[i].text.startsWith('- ')) {
      const l = lines[i];
      const m = /^("(?:[^"\\]|\\.)*"|'[^']*'|[^:]+?):(?: (.*))?$/.exec(l.text);
      assert.ok(m, `line ${l.no}: expected "key: value": ${l.raw}`);
      const key = m[1].startsWith('"') ? JSON.parse(m[1]) : m[1].startsWith("'") ? m[1].slice(1, -1) : m[1];
      assert.ok(!(key in obj), `line ${l.no}: duplicate key ${key}`);
      i++;
      obj[key] = value((m[2] || '').trim(), ind, l.no);
    }
    return obj;
  }

  const doc = node(0);
  assert.equal(i, lines.length, `line ${lines[i]?.no}: unexpected indentation: ${lines[i]?.raw}`);
  return doc;
}

// ---- the document and the route table ---------------------------------------------------

function operation(op) {
  const [method] = op.split(' ');
  return doc.paths[templateOf[op]][method.toLowerCase()];
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
let doc;
let documented;      // "GET /api/v1/procedures/*": the path template with '*' for each {param}
let served;          // same, from the binary
let realValues;      // path template -> concrete path
const realQuery = {};  // op -> real values of required query parameters (a secret)
let admin;           // a session of the demo administrator (admin, monitor: sees every unit)
const templateOf = {};  // "GET /api/v1/procedures/*" -> "/api/v1/procedures/{code}"

function resolveRef(obj) {
  let o = obj;
  for (let n = 0; o && o.$ref; n++) {
    assert.ok(n < 10, `$ref loop at ${obj.$ref}`);
    const ref = o.$ref;
    assert.ok(ref.startsWith('#/'), `only local $ref: ${ref}`);
    o = ref.slice(2).split('/').reduce((x, k) => (x ? x[k] : undefined), doc);
    assert.ok(o, `dangling $ref ${ref}`);
  }
  return o;
}

before(async () => {
  doc = readYaml(readFileSync(join(ROOT, 'docs/openapi.yaml'), 'utf8'));
  documented = [];
  for (const [path, item] of Object.entries(doc.paths || {})) {
    for (const m of Object.keys(item)) {
      if (!METHODS.includes(m)) continue;
      // '{param}' is one path segment, as the route table's '*'
      const op = `${m.toUpperCase()} ${path.replace(/\{[^}/]+\}/g, '*')}`;
      documented.push(op);
      templateOf[op] = path;
    }
  }
  const out = execFileSync(join(ROOT, 'build/motcua-fcgi'), ['--routes'], { cwd: ROOT, encoding: 'utf8' });
  served = out.split('\n').filter((l) => l.trim()).map((l) => {
    const [method, pattern] = l.trim().split(/\s+/);
    return `${method} ${pattern}`;
  });

  const procs = await getJson('/api/v1/procedures?per_page=1');
  assert.ok(procs.items.length === 1, 'the catalog is empty: load the demo data');
  const dossier = encodeURIComponent(demoDossiers()[0].code);
  realValues = {
    '/api/v1/procedures/{code}': `/api/v1/procedures/${encodeURIComponent(procs.items[0].code)}`,
    '/api/v1/tracking/{code}': `/api/v1/tracking/${dossier}`,
    '/api/v1/tracking/{code}/explanation': `/api/v1/tracking/${dossier}/explanation`,
    '/api/v1/tracking/{code}/payments': `/api/v1/tracking/${dossier}/payments`,
    '/api/v1/tracking/{code}/rating': `/api/v1/tracking/${dossier}/rating`,
    '/api/v1/tracking/{code}/supplement': `/api/v1/tracking/${dossier}/supplement`,
    '/api/v1/tracking/{code}/withdraw': `/api/v1/tracking/${dossier}/withdraw`,
    '/api/v1/dossiers/{code}': `/api/v1/dossiers/${dossier}`,
    '/api/v1/dossiers/{code}/history': `/api/v1/dossiers/${dossier}/history`,
    '/api/v1/dossiers/{code}/control-sheet.pdf': `/api/v1/dossiers/${dossier}/control-sheet.pdf`,
    '/api/v1/dossiers/{code}/receipt': `/api/v1/dossiers/${dossier}/receipt`,
    '/api/v1/dossiers/{code}/actions/{action}': `/api/v1/dossiers/${dossier}/actions/forward`,
    '/api/v1/officers/{username}': '/api/v1/officers/admin',
    '/api/v1/calendar/days/{date}': '/api/v1/calendar/days/2025-09-02',
    '/api/v1/calendar/jobs/{id}': '/api/v1/calendar/jobs/1',
  };
  admin = await login('admin');
  // a feedback of this run, for its sender's view (the secret is given only at creation)
  const fb = await request('/api/v1/feedback', { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ kind: 'other', content: 'Kiểm tra tài liệu OpenAPI', name: 'Người Thử' }) });
  assert.equal(fb.status, 201, fb.text);
  realValues['/api/v1/feedback/{code}'] = `/api/v1/feedback/${fb.json.code}`;
  realValues['/api/v1/feedback/{code}/answer'] = `/api/v1/feedback/${fb.json.code}/answer`;
  realQuery['GET /api/v1/feedback/*'] = { secret: fb.json.secret };
});

test('the document is OpenAPI 3.0.3 and the YAML reader understood it', () => {
  assert.equal(doc.openapi, '3.0.3');
  assert.equal(typeof doc.info.title, 'string');
  assert.equal(typeof doc.info.version, 'string');
  assert.ok(documented.length >= 7, `only ${documented.length} operations found: ${documented}`);
  // every $ref points somewhere
  const walk = (o) => {
    if (Array.isArray(o)) o.forEach(walk);
    else if (o && typeof o === 'object') {
      if (typeof o.$ref === 'string') resolveRef(o);
      Object.values(o).forEach(walk);
    }
  };
  walk(doc);
});

test('the route table is printed by the binary', () => {
  assert.ok(served.length >= 7, `motcua-fcgi --routes printed ${served.length} routes`);
  for (const r of served) assert.match(r, /^(GET|POST|PUT|PATCH|DELETE) \/api\/v1\/[a-z0-9_/*.-]+$/, r);
});

test('every route the service serves is documented with its method', () => {
  const missing = served.filter((r) => !documented.includes(r));
  assert.deepEqual(missing, [], 'routes missing from docs/openapi.yaml');
});

test('every documented operation is a route of the service', () => {
  const extra = documented.filter((r) => !served.includes(r));
  assert.deepEqual(extra, [], 'documented operations the service does not route');
});

test('every operation documents its path parameters, a success and its error answers', () => {
  for (const op of documented) {
    const path = templateOf[op];
    const o = operation(op);
    const params = (o.parameters || []).map(resolveRef);
    for (const [, name] of path.matchAll(/\{([^}]+)\}/g)) {
      const p = params.find((x) => x.in === 'path' && x.name === name);
      assert.ok(p, `${op}: path parameter {${name}} not declared`);
      assert.equal(p.required, true, `${op}: path parameter {${name}} must be required`);
    }
    const success = Object.keys(o.responses || {}).filter((st) => /^2\d\d$/.test(st));
    assert.ok(success.length >= 1, `${op}: no success response`);
    for (const st of success) {
      const ok = resolveRef(o.responses[st]);
      if (st === '204') continue;
      assert.ok(ok.content && (ok.content['application/json'] || ok.content['application/pdf']),
        `${op}: ${st} is neither application/json nor application/pdf`);
    }
    for (const [st, resp] of Object.entries(o.responses)) {
      const r = resolveRef(resp);
      // nginx's own answers (the tracking rate limit) are documented as what they are, and
      // health's 503 is its own report (monitors read it), not a problem
      if (!/^[45]\d\d$/.test(st) || (r.content && r.content['text/html'])) continue;
      if (op === 'GET /api/v1/health' && st === '503') continue;
      assert.ok(r.content && r.content['application/problem+json'], `${op}: ${st} is not problem+json`);
    }
    if (params.length || path.includes('{') || o.requestBody) assert.ok(o.responses['400'], `${op}: no 400`);
    if (o.security) {
      assert.ok(o.responses['401'], `${op}: needs a session but documents no 401`);
      if (op.startsWith('GET ')) continue;
      assert.ok(o.responses['403'], `${op}: a write without a documented 403 (CSRF)`);
    }
    if (o.requestBody) {
      const types = Object.keys(o.requestBody.content || {});
      assert.ok(types.includes('application/json') || types.includes('multipart/form-data'),
        `${op}: body neither JSON nor multipart/form-data`);
      for (const st of ['413', '415']) assert.ok(o.responses[st], `${op}: takes a body but documents no ${st}`);
    }
  }
});

test('the problem schema has type, title, status, detail, code and field', () => {
  const p = doc.components.schemas.Problem;
  for (const k of ['type', 'title', 'status', 'detail', 'code', 'field']) assert.ok(p.properties[k], `Problem.${k}`);
  assert.deepEqual([...p.required].sort(), ['code', 'detail', 'status', 'title', 'type']);
});

// A request body of the documented shape (with values the service will refuse for
// credentials, which these tests do not have).
const SAMPLE_BODY = {
  'POST /api/v1/auth/login': { username: 'khong.ton.tai', password: 'khong-phai-mat-khau' },
};

/** The example value of a documented parameter. */
function exampleOf(p) {
  const ex = p.example ?? p.schema.example ?? Object.values(p.examples || {})[0]?.value ?? p.schema.enum?.[0];
  assert.ok(ex !== undefined, `parameter ${p.name} has no example`);
  return String(ex);
}

/** The query that every call of op carries: its required parameters, at their examples. */
function requiredQuery(op, except) {
  return queryParams(op).filter((p) => p.required && p.name !== except)
    .map((p) => `${p.name}=${encodeURIComponent((realQuery[op] || {})[p.name] ?? exampleOf(p))}`).join('&');
}

function sendAs(session, method, path, { headers = {}, body } = {}) {
  if (path.startsWith('/api/v1/tracking/') && method === 'GET') return trackingRequest(path);
  const h = { ...headers };
  if (session) h.cookie = session.cookie;
  return request(path, { method, headers: h, body });
}

// Some operations need what only a whole scenario makes (a file uploaded with its
// secret, an e-mailed token, a citizen's session): the document names, as x-live-test,
// the test file that drives them on the live stack; that file must exist and call them.
function liveTestCovers(op, o) {
  const file = o['x-live-test'];
  if (!file) return false;
  const text = readFileSync(join(ROOT, file), 'utf8');
  const stem = templateOf[op].split('{')[0].replace(/\/$/, '');
  const tail = templateOf[op].split('}').pop();
  assert.ok(text.includes(stem.replace('/api/v1', '')) || text.includes(stem), `${op}: ${file} never calls ${stem}`);
  if (tail && tail !== '/') assert.ok(text.includes(tail), `${op}: ${file} never calls …${tail}`);
  return true;
}

test('every documented operation answers on the live stack with a documented status', async () => {
  for (const op of documented) {
    const [method] = op.split(' ');
    const template = templateOf[op];
    const o = operation(op);
    if (liveTestCovers(op, o)) continue;
    // writes behind a session are only tried anonymously (401): any segment value will do
    const base = realValues[template]
      || (o.security && method !== 'GET' ? template.replace(/\{[^}]+\}/g, 'khong-ton-tai') : template);
    assert.ok(!base.includes('{'), `${op}: no real value to try it with: add one to realValues`);
    const rq = requiredQuery(op);
    const path = base + (rq ? `?${rq}` : '');
    const body = o.requestBody ? JSON.stringify(SAMPLE_BODY[op] || {}) : undefined;
    const headers = body ? { 'content-type': 'application/json' } : {};
    // anonymous: what the public gets (and, behind a session, nothing changes)
    const r = await sendAs(null, method, path, { headers, body });
    assert.notEqual(r.status, 405, `${op}: 405 ${r.text}`);
    assert.ok(!(r.status === 404 && r.json && r.json.code === 'not_found'), `${op}: unknown route`);
    assert.ok(String(r.status) in o.responses, `${op} (${path}) answered ${r.status}, not documented: ${r.text.slice(0, 200)}`);
    if (o.security) {
      assertProblem(r, 401, { code: 'not_authenticated', where: `${op} without a session` });
    } else if (!o.requestBody) {
      assert.equal(r.status, 200, `${op} with real values (${path}): ${r.status} ${r.text.slice(0, 200)}`);
    } else {
      assert.ok(r.status < 500, `${op}: ${r.status}`);
    }
    // reads behind a session, as the administrator: the documented success and type
    if (o.security && method === 'GET') {
      const a = await sendAs(admin, method, path);
      assert.ok(String(a.status) in o.responses, `${op} as admin answered ${a.status}, not documented: ${a.text.slice(0, 200)}`);
      const noJob = template === '/api/v1/calendar/jobs/{id}' && a.status === 404;   // no calendar change yet
      if (!noJob) {
        assert.equal(a.status, 200, `${op} as admin (${path}): ${a.status} ${a.text.slice(0, 200)}`);
        const types = Object.keys(o.responses['200'].content || {});
        assert.ok(types.some((t) => a.type.startsWith(t)), `${op}: content type ${a.type}, documented ${types}`);
      }
    }
  }
});

// The documented query parameters must be exactly what the validation tables accept.
function queryParams(op) {
  return (operation(op).parameters || []).map(resolveRef).filter((p) => p.in === 'query');
}

// One GET of op with `query` (plus its other required parameters), as admin when op needs
// a session.
async function call(op, query, name) {
  const template = templateOf[op];
  const rq = requiredQuery(op, name);
  const q = [rq, query].filter(Boolean).join('&');
  const path = (realValues[template] || template) + (q ? `?${q}` : '');
  return sendAs(operation(op).security ? admin : null, 'GET', path);
}

// A value the validation table accepts is answered with something other than a 400 about
// that parameter (a wrong tracking secret is a 404, for example).
// A well-shaped unit code that names no unit is refused as "no such unit": that is not
// about the declared shape.
function assertAccepted(r, name, what) {
  const refusedShape = r.status === 400 && r.json && r.json.field === name && !/no such/.test(r.json.detail);
  assert.ok(!refusedShape, `${name}=${what} is documented as valid but refused: ${r.text.slice(0, 200)}`);
  assert.ok(r.status < 500, `${name}=${what}: ${r.status}`);
}

test('documented query parameters: names, enums and bounds are those the service enforces', async () => {
  const enc = encodeURIComponent;
  for (const op of documented.filter((x) => x.startsWith('GET '))) {
    const refused = async (value, why) => assertProblem(await call(op, `${value}`, value.split('=')[0]), 400,
      { field: value.split('=')[0], where: `${op} ${why || value.slice(0, 60)}` });
    const accepted = async (name, value, why) => assertAccepted(await call(op, `${name}=${enc(value)}`, name), name, why || value);
    for (const p of queryParams(op)) {
      const s = p.schema;
      const n = p.name;
      if (p.required) {
        // left out: named as missing
        const r = await call(op, '', n);
        assertProblem(r, 400, { field: n, code: 'missing_parameter', where: `${op} without ${n}` });
      }
      if (s.enum) {
        for (const v of s.enum) await accepted(n, v);
        await refused(`${n}=galaxy`);
        await refused(`${n}=${enc(String(s.enum[0]).toUpperCase())}`, `${n} in capitals`);
      } else if (s.type === 'integer') {
        assert.ok(Number.isInteger(s.minimum) && Number.isInteger(s.maximum), `${op} ${n}: bounds`);
        await accepted(n, s.minimum);
        await accepted(n, s.maximum);
        for (const v of [s.minimum - 1, s.maximum + 1, 'abc', '1.5']) await refused(`${n}=${v}`);
      } else if (s.type === 'number') {
        await accepted(n, exampleOf(p));
        await accepted(n, s.maximum);
        if (s.multipleOf) {
          await accepted(n, s.multipleOf);
          await refused(`${n}=${s.maximum + s.multipleOf}`);
          await refused(`${n}=${s.multipleOf / 10}`, `${n} finer than ${s.multipleOf}`);
        }
        if (s.exclusiveMinimum) await refused(`${n}=${s.minimum}`);
        await refused(`${n}=abc`);
      } else {
        assert.equal(s.type, 'string', `${op} ${n}: type`);
        assert.ok(Number.isInteger(s.maxLength), `${op} ${n}: no maxLength`);
        const min = s.minLength || 0;
        if (s.format === 'date-time') {
          // a shaped value: its example is accepted, anything else or longer is not
          await accepted(n, exampleOf(p));
          await refused(`${n}=abc`);
          await refused(`${n}=2025-02-30T08:00:00`, `${n} not a real date`);
          await refused(`${n}=${'9'.repeat(s.maxLength + 1)}`, `${n} of ${s.maxLength + 1} bytes`);
          continue;
        }
        // the longest and the shortest documented values are accepted ...
        const filler = n === 'q' ? 'a' : 'Z';
        await accepted(n, filler.repeat(s.maxLength), `${s.maxLength} bytes`);
        if (min > 0) await accepted(n, filler.repeat(min), `${min} bytes`);
        // ... one byte more, or less, is not
        await refused(`${n}=${filler.repeat(s.maxLength + 1)}`, `${n} of ${s.maxLength + 1} bytes`);
        if (min > 1) await refused(`${n}=${filler.repeat(min - 1)}`, `${n} of ${min - 1} bytes`);
        if (s.pattern) {
          assert.ok(!new RegExp(s.pattern).test('a b'), `${op} ${n}: pattern admits a space`);
          await refused(`${n}=a%20b%20c%20d%20e`, `${n} with spaces`);
        }
      }
    }
    // and nothing else is accepted, unless the document says the query is not read at all
    const r = await call(op, 'undocumented=1');
    if (operation(op)['x-query-ignored'] === true) {
      assert.equal(queryParams(op).length, 0, `${op}: ignores the query but declares parameters`);
      assert.equal(r.status, 200, `${op}?undocumented=1: documented as ignoring the query, answered ${r.status}`);
      continue;
    }
    assertProblem(r, 400, { field: 'undocumented', code: 'unknown_parameter', where: `${op}?undocumented=1` });
  }
});

test('the documented path parameter shapes match what the service accepts', async () => {
  const dossier = doc.components.parameters.DossierCode.schema;
  const re = new RegExp(dossier.pattern);
  const real = demoDossiers()[0].code;
  assert.ok(re.test(real), `a real dossier code does not match the documented pattern: ${real}`);
  for (const bad of ['abc', '000.00.20.H12-250304-00001', '000.00.20.H12-250304-0000', '000.00.20.H1-250304-0001']) {
    assert.ok(!re.test(bad), `documented pattern admits ${bad}`);
    assertProblem(await trackingRequest(`/api/v1/tracking/${bad}`), 400, { field: 'code', where: bad });
  }
  // what a pattern cannot say (a real date), the description does
  assert.match(doc.components.parameters.DossierCode.description, /real date/);
  assertProblem(await trackingRequest('/api/v1/tracking/000.00.20.H12-250230-0001'), 400, { field: 'code' });
  const proc = doc.components.parameters.ProcedureCode.schema;
  assert.ok(new RegExp(proc.pattern).test('1.001193'));
  assertProblem(await request(`/api/v1/procedures/${'1'.repeat(proc.maxLength + 1)}`), 400,
    { field: 'code', where: 'over-long procedure code' });
  assertProblem(await request(`/api/v1/procedures/${'1'.repeat(proc.maxLength)}`), 404,
    { field: 'code', code: 'procedure_not_found', where: `${proc.maxLength}-byte procedure code` });
});
