// Shared by the API tests (tests/api/*.test.mjs): the stack's address, HTTP helpers that
// keep the raw body next to the parsed one, problem+json checks, and the demo dossiers.
//   MOTCUA_URL  base URL of a running stack (default http://127.0.0.1:8091, `make test`'s)
//   MOTCUA_VAR  that stack's var directory (default var-test/), for demo-dossiers.tsv
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const BASE = (process.env.MOTCUA_URL || 'http://127.0.0.1:8091').replace(/\/+$/, '');
export const VAR = process.env.MOTCUA_VAR || join(ROOT, 'var-test');
export { sleep };

/**
 * One request; `path` is sent exactly as given (no re-encoding), so tests can send
 * malformed escapes. Returns { status, headers, type, text, json } (json: parsed body or
 * undefined when it is not JSON).
 */
export async function request(path, { method = 'GET', headers = {}, body } = {}) {
  const res = await fetch(BASE + path, { method, headers, body, redirect: 'manual' });
  const text = await res.text();
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: res.status, headers: res.headers, type: res.headers.get('content-type') || '', text, json };
}

/** GET that must answer 200 with JSON; returns the parsed body. */
export async function getJson(path) {
  const r = await request(path);
  assert.equal(r.status, 200, `GET ${path}: ${r.status} ${r.text.slice(0, 300)}`);
  assert.match(r.type, /^application\/json\b/, `GET ${path}: content type`);
  assert.ok(r.json !== undefined, `GET ${path}: body is not JSON`);
  return r.json;
}

/**
 * Asserts an RFC 9457 problem: status, content type, the members every problem has
 * (title in Vietnamese, detail in English) and, when given, `field` and `code`.
 */
export function assertProblem(r, status, { field, code, where = '' } = {}) {
  const at = `${where} → ${r.status} ${r.text.slice(0, 300)}`;
  assert.equal(r.status, status, `status ${at}`);
  assert.match(r.type, /^application\/problem\+json\b/, `content type ${r.type} ${at}`);
  const p = r.json;
  assert.equal(typeof p, 'object', `problem body is not a JSON object ${at}`);
  assert.equal(p.status, status, `problem.status ${at}`);
  assert.equal(typeof p.code, 'string', `problem.code ${at}`);
  assert.match(p.code, /^[a-z_]+$/, `problem.code ${at}`);
  assert.equal(p.type, `https://motcua.example/problems/${p.code}`, `problem.type ${at}`);
  assert.equal(typeof p.title, 'string', `problem.title ${at}`);
  assert.match(p.title, /[À-ỹĐđ]/u, `problem.title should be Vietnamese ${at}`);
  assert.equal(typeof p.detail, 'string', `problem.detail ${at}`);
  assert.match(p.detail, /^[\x20-\x7e]+$/, `problem.detail should be plain English ${at}`);
  assert.ok(!/\.c:\d|stack|trace|mysql|mariadb|SELECT /i.test(r.text), `problem leaks internals ${at}`);
  if (field !== undefined) assert.equal(p.field, field, `problem.field ${at}`);
  if (code !== undefined) assert.equal(p.code, code, `problem.code ${at}`);
  return p;
}

/** Search folding as the catalog promises it: no diacritics, no case, words only. */
export function fold(s) {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[đĐ]/g, 'd')
    .toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
}

/**
 * The demo dossiers written when the demo data was loaded ($MOTCUA_VAR/demo-dossiers.tsv,
 * header code\tpin\tstate\tchannel). Throws when the file is missing: the tests need it.
 */
export function demoDossiers() {
  const file = join(VAR, 'demo-dossiers.tsv');
  const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '');
  const head = lines.shift().split('\t').map((c) => c.trim());
  for (const col of ['code', 'pin', 'state', 'channel']) {
    assert.ok(head.includes(col), `${file}: header has no "${col}" column: ${head.join(',')}`);
  }
  return lines.map((l) => {
    const cols = l.split('\t');
    return Object.fromEntries(head.map((h, i) => [h, (cols[i] || '').trim()]));
  });
}

export const DOSSIER_CODE_RE = /^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}-\d{6}-\d{4,7}$/;
export const UNIT_CODE_RE = /^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$/;
export const ISO_VN_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00$/;

/**
 * The tracking endpoint is rate limited by nginx (10 r/s, burst 20): tests that read many
 * dossiers go through this, which keeps them below 10 requests a second.
 */
let lastTracking = 0;
export async function trackingRequest(path) {
  const wait = lastTracking + 120 - Date.now();
  if (wait > 0) await sleep(wait);
  lastTracking = Date.now();
  return request(path);
}
