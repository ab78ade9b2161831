// The citizen pages' API client: JSON requests (errors as ApiError from problem+json),
// the citizen session (cookie motcua_citizen, GET /api/v1/citizens/me) and its CSRF token
// sent as X-CSRF-Token on every write made while signed in.

import { ApiError, apiUrl } from '../api.js';

let csrfToken = '';
let session = undefined;   // undefined: not asked yet; null: guest

export function csrf() { return csrfToken; }

async function problemOf(res) {
  const type = (res.headers.get('Content-Type') || '').toLowerCase();
  if (!type.includes('json')) return null;
  try {
    const body = await res.json();
    return body && typeof body === 'object' ? body : null;
  } catch (e) { return null; }
}

/** request('POST', '/tracking/X/withdraw', {body, params, signal, headers}); 204 gives null. */
export async function request(method, path, { body, params, signal, headers: extra } = {}) {
  const headers = { Accept: 'application/json, application/problem+json' };
  for (const [k, v] of Object.entries(extra || {})) if (v) headers[k] = v;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let res;
  try {
    res = await fetch(apiUrl(path, params), {
      method, headers, credentials: 'same-origin', cache: 'no-store', signal,
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
  } catch (e) {
    if (e && e.name === 'AbortError') throw e;
    throw new ApiError(0, null, true);
  }
  if (!res.ok) throw new ApiError(res.status, await problemOf(res));
  if (res.status === 204) return null;
  const type = (res.headers.get('Content-Type') || '').toLowerCase();
  if (!type.includes('json')) return null;
  try { return await res.json(); } catch (e) { throw new ApiError(res.status, null); }
}

/** The citizen record out of a /citizens/me or /citizens/login answer. */
function citizenOf(s) {
  if (!s || typeof s !== 'object') return null;
  return s.citizen && typeof s.citizen === 'object' ? s.citizen : s;
}

function remember(s) {
  if (s && s.csrf_token) csrfToken = s.csrf_token;
  session = s ? citizenOf(s) : null;
  return session;
}

/**
 * The signed-in citizen ({full_name, email, phone, …}) or null for a guest. A missing
 * endpoint (404/405) also means guest: the account service may not be deployed.
 */
export async function currentCitizen({ refresh = false } = {}) {
  if (session !== undefined && !refresh) return session;
  try {
    return remember(await request('GET', '/citizens/me'));
  } catch (e) {
    if (e instanceof ApiError && [401, 403, 404, 405].includes(e.status)) { csrfToken = ''; session = null; return null; }
    throw e;
  }
}

export async function login(loginId, password) {
  const s = await request('POST', '/citizens/login', { body: { login: loginId, password } });
  remember(s);
  // The login answer may carry only the token: ask who we are.
  if (!session || (!session.full_name && !session.email && !session.phone)) return currentCitizen({ refresh: true });
  return session;
}

export async function logout() {
  try { await request('POST', '/citizens/logout'); } catch (e) {
    if (!(e instanceof ApiError && e.status === 401)) throw e;
  }
  csrfToken = '';
  session = null;
}

export function citizenName(c) {
  return (c && (c.full_name || c.name || c.email || c.phone)) || '';
}
