// nginx limits the tracking endpoint per client address (10 requests/s, burst 20): a
// script cannot walk through dossier codes at full speed. Other endpoints are not limited.
// The file ends by waiting until the limit has let go, so the files after it are not
// limited.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { request, demoDossiers, sleep, assertProblem } from './helpers.mjs';

const code = demoDossiers()[0].code;
const path = `/api/v1/tracking/${encodeURIComponent(code)}`;
const BURST = 20;

after(async () => {
  await sleep(5000);
});

test('60 rapid tracking requests: the burst passes, the rest get 429', async () => {
  await sleep(3000);              // whatever earlier files did, the bucket is empty now
  const results = await Promise.all(Array.from({ length: 60 }, () => request(path)));
  const count = (s) => results.filter((r) => r.status === s).length;
  const statuses = [...new Set(results.map((r) => r.status))].sort();
  assert.ok(count(429) >= 1, `no 429 among 60 rapid requests (statuses: ${statuses})`);
  assert.ok(count(200) >= BURST, `only ${count(200)} of 60 passed: the burst of ${BURST} is not honoured`);
  assert.ok(count(429) >= 60 - BURST - 10, `only ${count(429)} of 60 limited`);
  assert.equal(count(200) + count(429), 60, `other statuses: ${statuses}`);

  const limited = results.find((r) => r.status === 429);
  // nginx answers this itself; its headers still carry the security policy
  assert.match(limited.headers.get('content-security-policy') || '', /frame-ancestors 'none'/);
  assert.equal(limited.headers.get('x-content-type-options'), 'nosniff');
  assert.ok(limited.text.length > 0, 'empty 429 body');
  // With the current nginx configuration the body is nginx's own HTML page (reported to
  // the lead); once it is a problem document, hold it to the same shape as the others.
  if (/problem\+json/.test(limited.type)) assertProblem(limited, 429);
  else assert.match(limited.text, /429/);
});

test('the limit lets go: after a pause, tracking answers again', async () => {
  await sleep(3000);
  const r = await request(path);
  assert.equal(r.status, 200, `still limited after 3 s: ${r.status}`);
});

test('the catalog is not rate limited', async () => {
  const results = await Promise.all(Array.from({ length: 60 }, () => request('/api/v1/procedures?per_page=1')));
  const statuses = results.map((r) => r.status);
  assert.deepEqual([...new Set(statuses)], [200], `catalog requests limited: ${[...new Set(statuses)]}`);
});
