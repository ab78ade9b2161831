// Fetch wrapper for the public API (/api/v1). GET JSON; errors in
// application/problem+json ({type,title (Vietnamese),status,detail (English),code,field})
// become ApiError, whose userMessage() picks the language.

import { getLang, t } from './i18n.js';

export const API_BASE = '/api/v1';

export class ApiError extends Error {
  constructor(status, problem, isNetwork = false) {
    super((problem && (problem.detail || problem.title)) || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem || null;
    this.isNetwork = isNetwork;
  }

  get code() { return this.problem ? this.problem.code : undefined; }

  /** The text to show: "title" (Vietnamese) or "detail" (English) of the problem. */
  userMessage() {
    if (this.isNetwork) return t('common.network_error');
    const p = this.problem;
    if (p) {
      if (getLang() === 'en') return p.detail || p.title || t('common.error');
      return p.title || p.detail || t('common.error');
    }
    return `${t('common.error')} (HTTP ${this.status})`;
  }
}

/** Build "/api/v1/path?x=1" leaving out empty parameters. */
export function apiUrl(path, params) {
  const qs = new URLSearchParams();
  if (params) {
    for (const [k, v] of Object.entries(params)) {
      if (v !== null && v !== undefined && v !== '') qs.append(k, String(v));
    }
  }
  const q = qs.toString();
  return API_BASE + path + (q ? '?' + q : '');
}

export async function getJSON(path, params, { signal } = {}) {
  let res;
  try {
    res = await fetch(apiUrl(path, params), {
      method: 'GET',
      headers: { Accept: 'application/json, application/problem+json' },
      credentials: 'same-origin',
      signal,
    });
  } catch (e) {
    if (e && e.name === 'AbortError') throw e;
    throw new ApiError(0, null, true);
  }
  const type = (res.headers.get('Content-Type') || '').toLowerCase();
  const isJson = type.includes('json');
  let body = null;
  if (isJson) {
    try { body = await res.json(); } catch (e) { body = null; }
  }
  if (!res.ok) {
    const problem = body && typeof body === 'object' ? body : null;
    throw new ApiError(res.status, problem);
  }
  if (!isJson || body === null) throw new ApiError(res.status, null);
  return body;
}

/** Path segment escaping for codes such as "1.001193" or "000.21.21.H45-250304-0001". */
export function seg(s) {
  return encodeURIComponent(String(s));
}
