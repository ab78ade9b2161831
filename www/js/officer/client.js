// The officer pages' API client: the session (GET /api/v1/auth/me), the CSRF token sent
// as X-CSRF-Token on every state-changing request, If-Match for dossier actions, and the
// redirect to the sign-in page when the session is missing or has ended.
// Errors are ApiError (../api.js) built from application/problem+json.

import { ApiError, apiUrl } from '../api.js';

let csrfToken = '';
let redirecting = false;

export function setCsrf(token) { csrfToken = token || ''; }

/** "dang-nhap.html?next=/can-bo/ho-so.html%3Fcode%3D…" for the current page. */
export function loginUrl(next = window.location.pathname + window.location.search) {
  return 'dang-nhap.html' + (next ? '?next=' + encodeURIComponent(next) : '');
}

/** Only a path of the officer area may be a ?next= target (no open redirect). */
export function safeNext(next) {
  if (typeof next !== 'string') return null;
  if (!/^\/can-bo\/[A-Za-z0-9._~\-/]*(\?[^#\s]*)?$/.test(next) || next.includes('//') || next.includes('..')) return null;
  if (/^\/can-bo\/dang-nhap\.html/.test(next)) return null;
  return next;
}

export function goToLogin() {
  if (redirecting) return;
  redirecting = true;
  window.location.assign(loginUrl());
}

async function problemOf(res) {
  const type = (res.headers.get('Content-Type') || '').toLowerCase();
  if (!type.includes('json')) return null;
  try {
    const body = await res.json();
    return body && typeof body === 'object' ? body : null;
  } catch (e) { return null; }
}

/**
 * request('POST', '/dossiers', { body, params, ifMatch, signal, noRedirect, accept })
 * JSON in and out; 204 gives null; accept: 'blob' gives a Blob (PDF).
 * A 401 sends the browser to the sign-in page (unless noRedirect) and still throws.
 */
export async function request(method, path, opts = {}) {
  const { body, params, ifMatch, signal, noRedirect, accept } = opts;
  const headers = { Accept: accept === 'blob' ? 'application/pdf, application/problem+json' : 'application/json, application/problem+json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  if (ifMatch !== undefined && ifMatch !== null) headers['If-Match'] = `"${ifMatch}"`;
  let res;
  try {
    res = await fetch(apiUrl(path, params), {
      method,
      headers,
      body: body !== undefined ? JSON.stringify(body) : undefined,
      credentials: 'same-origin',
      cache: 'no-store',
      signal,
    });
  } catch (e) {
    if (e && e.name === 'AbortError') throw e;
    throw new ApiError(0, null, true);
  }
  if (!res.ok) {
    const problem = await problemOf(res);
    const err = new ApiError(res.status, problem);
    if (res.status === 401 && !noRedirect) goToLogin();
    throw err;
  }
  if (res.status === 204) return null;
  if (accept === 'blob') return res.blob();
  const type = (res.headers.get('Content-Type') || '').toLowerCase();
  if (!type.includes('json')) return null;
  try { return await res.json(); } catch (e) { throw new ApiError(res.status, null); }
}

export const api = {
  get: (path, params, opts) => request('GET', path, { ...opts, params }),
  post: (path, body, opts) => request('POST', path, { ...opts, body }),
  put: (path, body, opts) => request('PUT', path, { ...opts, body }),
  patch: (path, body, opts) => request('PATCH', path, { ...opts, body }),
  del: (path, opts) => request('DELETE', path, opts),
};

/** The signed-in officer ({officer, csrf_token}), or null (401) without redirecting. */
export async function fetchSession() {
  try {
    const s = await request('GET', '/auth/me', { noRedirect: true });
    if (s && s.csrf_token) setCsrf(s.csrf_token);
    return s;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return null;
    throw e;
  }
}

export async function login(username, password) {
  const s = await request('POST', '/auth/login', { body: { username, password }, noRedirect: true });
  if (s && s.csrf_token) setCsrf(s.csrf_token);
  return s;
}

export async function logout() {
  try {
    await request('POST', '/auth/logout', { noRedirect: true });
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 401)) throw e;
  }
  setCsrf('');
}

export function hasRole(officer, role) {
  return !!(officer && Array.isArray(officer.roles) && officer.roles.includes(role));
}
