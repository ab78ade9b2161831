// docs/openapi.yaml against the service: every route the binary serves is documented,
// every documented operation exists on the live stack and answers with a documented
// status, and the documented query parameters (names, enums, bounds) are the ones the
// service's validation tables enforce.
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

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
let doc;
let documented;      // "GET /api/v1/procedures/{code}"
let served;          // same, from the binary
let realValues;      // path template -> concrete path

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
    for (const m of Object.keys(item)) if (METHODS.includes(m)) documented.push(`${m.toUpperCase()} ${path}`);
  }
  const out = execFileSync(join(ROOT, 'build/motcua-fcgi'), ['--routes'], { cwd: ROOT, encoding: 'utf8' });
  served = out.split('\n').filter((l) => l.trim()).map((l) => {
    const [method, pattern] = l.trim().split(/\s+/);
    // '*' is one path segment; the document names it {code}
    return `${method} ${pattern.split('/').map((s) => (s === '*' ? '{code}' : s)).join('/')}`;
  });

  const procs = await getJson('/api/v1/procedures?per_page=1');
  assert.ok(procs.items.length === 1, 'the catalog is empty: load the demo data');
  const dossier = demoDossiers()[0];
  realValues = {
    '/api/v1/procedures/{code}': `/api/v1/procedures/${encodeURIComponent(procs.items[0].code)}`,
    '/api/v1/tracking/{code}': `/api/v1/tracking/${encodeURIComponent(dossier.code)}`,
  };
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
  for (const r of served) assert.match(r, /^(GET|POST|PUT|PATCH|DELETE) \/api\/v1\/[a-z0-9_/{}.-]+$/, r);
});

test('every route the service serves is documented with its method', () => {
  const missing = served.filter((r) => !documented.includes(r));
  assert.deepEqual(missing, [], 'routes missing from docs/openapi.yaml');
});

test('every documented operation is a route of the service', () => {
  const extra = documented.filter((r) => !served.includes(r));
  assert.deepEqual(extra, [], 'documented operations the service does not route');
});

test('every operation documents its path parameters, a 200 answer and its error answers', () => {
  for (const op of documented) {
    const [method, path] = op.split(' ');
    const o = doc.paths[path][method.toLowerCase()];
    const params = (o.parameters || []).map(resolveRef);
    for (const [, name] of path.matchAll(/\{([^}]+)\}/g)) {
      const p = params.find((x) => x.in === 'path' && x.name === name);
      assert.ok(p, `${op}: path parameter {${name}} not declared`);
      assert.equal(p.required, true, `${op}: path parameter {${name}} must be required`);
    }
    assert.ok(o.responses && o.responses['200'], `${op}: no 200 response`);
    const ok = resolveRef(o.responses['200']);
    assert.ok(ok.content && ok.content['application/json'], `${op}: 200 is not application/json`);
    if (params.length || path.includes('{')) {
      const bad = resolveRef(o.responses['400']);
      assert.ok(bad && bad.content['application/problem+json'], `${op}: no 400 problem+json`);
    }
  }
});

test('the problem schema has type, title, status, detail, code and field', () => {
  const p = doc.components.schemas.Problem;
  for (const k of ['type', 'title', 'status', 'detail', 'code', 'field']) assert.ok(p.properties[k], `Problem.${k}`);
  assert.deepEqual([...p.required].sort(), ['code', 'detail', 'status', 'title', 'type']);
});

test('every documented operation answers on the live stack with a documented status', async () => {
  for (const op of documented) {
    const [method, template] = op.split(' ');
    const path = realValues[template] || template;
    assert.ok(!path.includes('{'), `${op}: no real value to try it with`);
    const r = path.startsWith('/api/v1/tracking/') ? await trackingRequest(path) : await request(path, { method });
    assert.notEqual(r.status, 405, `${op}: 405 ${r.text}`);
    assert.ok(!(r.status === 404 && r.json && r.json.code === 'not_found'), `${op}: unknown route`);
    const responses = doc.paths[template][method.toLowerCase()].responses;
    assert.ok(String(r.status) in responses, `${op} (${path}) answered ${r.status}, not documented`);
    assert.equal(r.status, 200, `${op} with real values (${path}): ${r.status} ${r.text.slice(0, 200)}`);
  }
});

// The documented query parameters must be exactly what the validation tables accept.
function queryParams(op) {
  const [method, path] = op.split(' ');
  return (doc.paths[path][method.toLowerCase()].parameters || []).map(resolveRef).filter((p) => p.in === 'query');
}

async function call(op, query) {
  const [, template] = op.split(' ');
  const path = (realValues[template] || template) + (query ? `?${query}` : '');
  return path.startsWith('/api/v1/tracking/') ? trackingRequest(path) : request(path);
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
  for (const op of documented) {
    const params = queryParams(op);
    for (const p of params) {
      const s = p.schema;
      const enc = encodeURIComponent;
      if (s.enum) {
        for (const v of s.enum) assertAccepted(await call(op, `${p.name}=${enc(v)}`), p.name, v);
        assertProblem(await call(op, `${p.name}=galaxy`), 400, { field: p.name, where: `${op} ${p.name}=galaxy` });
      } else if (s.type === 'integer') {
        assert.ok(Number.isInteger(s.minimum) && Number.isInteger(s.maximum), `${op} ${p.name}: bounds`);
        assertAccepted(await call(op, `${p.name}=${s.minimum}`), p.name, s.minimum);
        assertAccepted(await call(op, `${p.name}=${s.maximum}`), p.name, s.maximum);
        for (const v of [s.minimum - 1, s.maximum + 1, 'abc']) {
          assertProblem(await call(op, `${p.name}=${v}`), 400, { field: p.name, where: `${op} ${p.name}=${v}` });
        }
      } else {
        assert.equal(s.type, 'string', `${op} ${p.name}: type`);
        assert.ok(Number.isInteger(s.maxLength), `${op} ${p.name}: no maxLength`);
        const min = s.minLength || 0;
        // the longest and the shortest documented values are accepted ...
        const filler = p.name === 'q' ? 'a' : 'Z';
        assertAccepted(await call(op, `${p.name}=${filler.repeat(s.maxLength)}`), p.name, `${s.maxLength} bytes`);
        if (min > 0) assertAccepted(await call(op, `${p.name}=${filler.repeat(min)}`), p.name, `${min} bytes`);
        // ... one byte more, or less, is not
        assertProblem(await call(op, `${p.name}=${filler.repeat(s.maxLength + 1)}`), 400,
          { field: p.name, where: `${op} ${p.name} of ${s.maxLength + 1} bytes` });
        if (min > 1) {
          assertProblem(await call(op, `${p.name}=${filler.repeat(min - 1)}`), 400,
            { field: p.name, where: `${op} ${p.name} of ${min - 1} bytes` });
        }
        if (s.pattern) {
          const re = new RegExp(s.pattern);
          assert.ok(!re.test('a b'), `${op} ${p.name}: pattern admits a space`);
          assertProblem(await call(op, `${p.name}=a%20b%20c%20d%20e`), 400, { field: p.name, where: `${op} ${p.name} with spaces` });
        }
      }
    }
    // and nothing else is accepted (ping and health read nothing of the request and say so)
    const [method, path] = op.split(' ');
    if ((doc.paths[path][method.toLowerCase()].tags || []).includes('system')) continue;
    assertProblem(await call(op, 'undocumented=1'), 400,
      { field: 'undocumented', code: 'unknown_parameter', where: `${op}?undocumented=1` });
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
