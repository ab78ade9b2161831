// Shared by the officer-side API tests (auth, officers, workflow, concurrency, history):
// sign-in, authenticated calls with the session cookie and the CSRF header, dossier
// reception and actions, throw-away accounts, and direct SQL through the mariadb client
// for what the API cannot do (age an account, make a dossier overdue, tamper with the
// history).
//   MOTCUA_URL  base URL of the running stack
//   MOTCUA_VAR  that stack's var directory: $MOTCUA_VAR/env holds the DB settings
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BASE, VAR } from '../helpers.mjs';

export const PASSWORD = 'motcua-demo-2025';

/** The demo units (tools/admin.c seed, sql/seed/units.json). */
export const UNITS = {
  province: '000.00.00.H45',
  gioLinh: '000.00.24.H45',       // huyện Gio Linh
  gioMy: '000.22.24.H45',         // xã Gio Mỹ, under Gio Linh
  dongHa: '000.00.21.H45',        // thành phố Đông Hà, the other district
  dongHaWard: '000.21.21.H45',    // Phường 1, under Đông Hà
};

/** A procedure with the internal process desk → specialist → leader → clerk, 5 working
 * days, three required documents and no special cases. */
export const PROCEDURE = '1.004746';

let counter = 0;
/** A name nobody else uses in this run: prefix, time, a counter. */
export function uniq(prefix = 't') {
  counter += 1;
  return `${prefix}.${Date.now().toString(36)}${process.pid.toString(36)}${counter}`;
}

/** Sends a request; returns { status, headers, type, text, json }. */
export async function raw(method, path, { headers = {}, body } = {}) {
  const res = await fetch(BASE + path, { method, headers, body, redirect: 'manual' });
  const buf = Buffer.from(await res.arrayBuffer());
  const type = res.headers.get('content-type') || '';
  const text = /pdf/.test(type) ? '' : buf.toString('utf8');
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: res.status, headers: res.headers, type, text, json, buf };
}

/** POST /api/v1/auth/login; the raw answer (no assertion). */
export function tryLogin(username, password = PASSWORD) {
  return raw('POST', '/api/v1/auth/login', {
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
}

/** The motcua_session cookie (name=value) from a Set-Cookie header, or null. */
export function sessionCookie(res) {
  const all = typeof res.headers.getSetCookie === 'function'
    ? res.headers.getSetCookie() : [res.headers.get('set-cookie') || ''];
  for (const c of all) {
    const m = /^\s*(motcua_session=[^;]*)/.exec(c);
    if (m) return { pair: m[1], header: c };
  }
  return null;
}

/** Signs in (must succeed); returns a session { username, cookie, csrf, officer }. */
export async function login(username, password = PASSWORD) {
  const r = await tryLogin(username, password);
  assert.equal(r.status, 200, `login ${username}: ${r.status} ${r.text.slice(0, 300)}`);
  const c = sessionCookie(r);
  assert.ok(c, `login ${username}: no motcua_session cookie`);
  assert.equal(typeof r.json.csrf_token, 'string', `login ${username}: no csrf_token`);
  return { username, cookie: c.pair, csrf: r.json.csrf_token, officer: r.json.officer };
}

/**
 * One call as the officer of `session` (or anonymous when null): the cookie, the CSRF
 * header on writes, JSON for an object body. `headers` may override or, with a value of
 * null, remove any of them. A string body is sent as it is.
 */
export async function call(session, method, path, body, headers = {}) {
  const h = {};
  if (session) {
    h.Cookie = session.cookie;
    if (method !== 'GET' && method !== 'HEAD') h['X-CSRF-Token'] = session.csrf;
  }
  let payload;
  if (body !== undefined) {
    payload = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
    h['Content-Type'] = 'application/json';
  }
  for (const [k, v] of Object.entries(headers)) {
    if (v === null) delete h[k];
    else h[k] = v;
  }
  return raw(method, path, { headers: h, body: payload });
}

const enc = encodeURIComponent;

/** GET /api/v1/dossiers/{code} (must answer 200). */
export async function getDossier(session, code) {
  const r = await call(session, 'GET', `/api/v1/dossiers/${enc(code)}`);
  assert.equal(r.status, 200, `GET dossier ${code} as ${session.username}: ${r.status} ${r.text.slice(0, 300)}`);
  return r.json;
}

/** POST /api/v1/dossiers/{code}/actions/{action} with If-Match: version; raw answer. */
export function act(session, code, action, version, body = {}, headers = {}) {
  const h = version === undefined ? headers : { 'If-Match': `"${version}"`, ...headers };
  return call(session, 'POST', `/api/v1/dossiers/${enc(code)}/actions/${enc(action)}`, body, h);
}

/** An action that must succeed (200); returns the dossier page it answers with. */
export async function actOk(session, code, action, version, body = {}) {
  const r = await act(session, code, action, version, body);
  assert.equal(r.status, 200, `${action} on ${code} as ${session.username}: ${r.status} ${r.text.slice(0, 400)}`);
  return r.json;
}

/** A complete reception body for PROCEDURE (or the documents given). */
export function receptionBody(overrides = {}) {
  return {
    procedure: PROCEDURE,
    channel: 'direct',
    result_channel: 'direct',
    applicant_name: 'Nguyễn Văn Thử',
    applicant_id_number: '045090001234',
    applicant_phone: '0912345678',
    applicant_address: 'Thôn Xuân Hòa, xã Gio Mỹ',
    documents: [1, 2, 3],
    ...overrides,
  };
}

/** POST /api/v1/dossiers; the raw answer. */
export function tryReceive(session, overrides = {}) {
  return call(session, 'POST', '/api/v1/dossiers', receptionBody(overrides));
}

/** A reception that must succeed (201); returns { code, pin, due_at, version }. */
export async function receive(session, overrides = {}) {
  const r = await tryReceive(session, overrides);
  assert.equal(r.status, 201, `reception as ${session.username}: ${r.status} ${r.text.slice(0, 400)}`);
  return r.json;
}

/** Creates an officer through the admin API (must answer 201); returns the password. */
export async function createOfficer(admin, { username, unit, roles, full_name = 'Cán bộ Thử Nghiệm',
  password = 'mat-khau-thu-nghiem-1' }) {
  const r = await call(admin, 'POST', '/api/v1/officers', { username, full_name, roles, unit, password });
  assert.equal(r.status, 201, `create officer ${username}: ${r.status} ${r.text.slice(0, 300)}`);
  return password;
}

/* ---------------------------------------------------------------- SQL */

function dbSettings() {
  const file = join(VAR, 'env');
  const env = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^\s*([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line);
    if (m) env[m[1]] = m[2].replace(/^['"]|['"]$/g, '');
  }
  for (const k of ['MOTCUA_DB_SOCKET', 'MOTCUA_DB_USER', 'MOTCUA_DB_PASSWORD', 'MOTCUA_DB_NAME']) {
    assert.ok(env[k], `${file}: no ${k}`);
  }
  return env;
}

let settings;
/**
 * Runs SQL through the mariadb client (the session in UTC, as the service's) and returns
 * the rows of the last result as arrays of strings (NULL as null).
 */
export function sql(query) {
  settings ??= dbSettings();
  const out = execFileSync('mariadb', [
    '--no-defaults', `--socket=${settings.MOTCUA_DB_SOCKET}`, `--user=${settings.MOTCUA_DB_USER}`,
    '--batch', '--skip-column-names', '--raw', settings.MOTCUA_DB_NAME,
    '-e', `SET time_zone = '+00:00'; ${query}`,
  ], { env: { ...process.env, MYSQL_PWD: settings.MOTCUA_DB_PASSWORD }, encoding: 'utf8' });
  return out.split('\n').filter((l) => l !== '').map((l) => l.split('\t').map((v) => (v === 'NULL' ? null : v)));
}

/** A string literal for SQL (the values tests use are plain; quotes are doubled). */
export function q(s) {
  return `'${String(s).replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

/** The dossier's id in the database. */
export function dossierId(code) {
  const rows = sql(`SELECT id FROM dossiers WHERE code = ${q(code)}`);
  assert.equal(rows.length, 1, `no dossier ${code} in the database`);
  return rows[0][0];
}

/* ---------------------------------------------------------------- dates */

/** YYMMDD of the day in Vietnam (UTC+7) at time t. */
export function vnDay(t = Date.now()) {
  const d = new Date(t + 7 * 3600 * 1000);
  const p = (n) => String(n).padStart(2, '0');
  return `${p(d.getUTCFullYear() % 100)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}`;
}

/** YYYY-MM-DD of the day in Vietnam at time t. */
export function vnDate(t = Date.now()) {
  return new Date(t + 7 * 3600 * 1000).toISOString().slice(0, 10);
}
