// System endpoints, the security headers nginx adds, and how unknown routes and methods
// are answered.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request, assertProblem } from './helpers.mjs';

test('ping answers {"pong":true} as JSON without touching anything else', async () => {
  const r = await request('/api/v1/ping');
  assert.equal(r.status, 200);
  assert.match(r.type, /^application\/json; charset=utf-8$/i);
  assert.equal(r.text, '{"pong":true}');
  assert.equal(r.headers.get('cache-control'), 'no-store');
});

test('HEAD on ping answers 200 with no body', async () => {
  const r = await request('/api/v1/ping', { method: 'HEAD' });
  assert.equal(r.status, 200);
  assert.equal(r.text, '');
});

test('health reports the database ok and the schema at the expected version', async () => {
  const r = await request('/api/v1/health');
  assert.equal(r.status, 200, r.text);
  assert.match(r.type, /^application\/json\b/);
  const h = r.json;
  assert.equal(h.database, 'ok');
  assert.equal(h.status, 'ok');
  assert.ok(Number.isInteger(h.schema_version) && h.schema_version >= 1, `schema_version ${h.schema_version}`);
  assert.equal(h.schema_version, h.schema_expected, 'database schema differs from the one the build expects');
});

const SECURITY_TARGETS = [
  ['home page', '/'],
  ['search page', '/thu-tuc.html'],
  ['tracking page', '/tra-cuu.html'],
  ['API answer', '/api/v1/ping'],
  ['API list', '/api/v1/fields'],
  ['API problem (404)', '/api/v1/xyz'],
  ['API problem (400)', '/api/v1/procedures?galaxy=1'],
  ['missing static file', '/no-such-page.html'],
];

for (const [what, path] of SECURITY_TARGETS) {
  test(`security headers on ${what} (${path})`, async () => {
    const r = await request(path);
    const csp = r.headers.get('content-security-policy');
    assert.ok(csp, `${path}: no Content-Security-Policy`);
    assert.match(csp, /(^|;)\s*frame-ancestors 'none'\s*(;|$)/, `${path}: CSP without frame-ancestors 'none': ${csp}`);
    assert.match(csp, /(^|;)\s*default-src 'self'/, `${path}: CSP default-src: ${csp}`);
    assert.doesNotMatch(csp, /'unsafe-inline'|'unsafe-eval'/, `${path}: CSP allows inline or eval: ${csp}`);
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff', `${path}: X-Content-Type-Options`);
    const rp = r.headers.get('referrer-policy');
    assert.ok(rp, `${path}: no Referrer-Policy`);
    assert.match(rp, /^(no-referrer|same-origin|strict-origin|strict-origin-when-cross-origin)$/,
      `${path}: Referrer-Policy leaks URLs (tracking codes) to other sites: ${rp}`);
    // the server does not advertise its version
    assert.doesNotMatch(r.headers.get('server') || '', /\d/, `${path}: Server header shows a version`);
  });
}

test('an unknown API path answers 404 problem+json', async () => {
  for (const path of ['/api/v1/xyz', '/api/v1/procedures/1.001193/extra', '/api/v2/procedures', '/api/v1/ping/']) {
    assertProblem(await request(path), 404, { code: 'not_found', where: path });
  }
});

test('a known path with another method answers 405 problem+json', async () => {
  const cases = [
    ['POST', '/api/v1/procedures'],
    ['DELETE', '/api/v1/procedures/1.001193'],
    ['PUT', '/api/v1/fields'],
    ['POST', '/api/v1/health'],
  ];
  for (const [method, path] of cases) {
    const r = await request(path, {
      method,
      headers: { 'content-type': 'application/json' },
      body: method === 'DELETE' ? undefined : '{}',
    });
    assertProblem(r, 405, { code: 'method_not_allowed', where: `${method} ${path}` });
  }
});

test('an unknown path with another method is 404, not 405', async () => {
  const r = await request('/api/v1/xyz', { method: 'POST', body: '{}' });
  assertProblem(r, 404, { code: 'not_found', where: 'POST /api/v1/xyz' });
});
