// Calls of the citizen services that write: online payment, rating a returned dossier and
// feedback (phản ánh, kiến nghị). For the tracking page's buttons and the pages below.
//   startPayment(code, pin)          opens an order, then sends the browser to the gateway
//   rateDossier(code, pin, answers)  answers: {overall, ease, time, attitude, visits,
//                                    comment?}, each very_satisfied|satisfied|not_satisfied
//   sendFeedback(body)               {kind, procedure?, dossier_code?, officer_name?, unit?,
//                                    content, name, email?, phone?} -> {code, secret, due_at}
// Errors are ApiError (api.js), whose userMessage() picks the language.

import { API_BASE, ApiError } from './api.js';

export async function postJSON(path, body) {
  let res;
  try {
    res = await fetch(API_BASE + path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json, application/problem+json' },
      body: JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch (e) {
    throw new ApiError(0, null, true);
  }
  let json = null;
  try { json = await res.json(); } catch (e) { json = null; }
  if (!res.ok) throw new ApiError(res.status, json && typeof json === 'object' ? json : null);
  return json;
}

const seg = (s) => encodeURIComponent(String(s));

/** Opens a payment order for a dossier awaiting payment and goes to the gateway's page. */
export async function startPayment(code, pin) {
  const order = await postJSON(`/tracking/${seg(code)}/payments`, { pin });
  window.location.assign(order.redirect_url);
  return order;
}

export function rateDossier(code, pin, answers) {
  return postJSON(`/tracking/${seg(code)}/rating`, { pin, ...answers });
}

export function sendFeedback(body) {
  return postJSON('/feedback', body);
}

/** The gateway's signed parameters of the current page's query string, as an object. */
export function queryParams(prefix = 'vnp_') {
  const out = {};
  for (const [k, v] of new URLSearchParams(window.location.search)) if (k.startsWith(prefix)) out[k] = v;
  return out;
}
