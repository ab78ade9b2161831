// The working calendar from the browser: the public due-date calculator and the special
// days of a year (GET), the input rules the server applies (so a form can say what is
// wrong before asking), and a poller for the recompute job an admin's change starts.
// Writes (PUT/DELETE a day) go through the officer client, which holds the CSRF token.

import { getJSON } from './api.js';

export const UNITS = ['working_days', 'calendar_days', 'hours'];
export const AMOUNT_MAX = 1000;

/** GET /calendar/due-date. start: ISO 8601 ("2025-01-24T10:00:00+07:00"); amount: "0.5". */
export function fetchDueDate({ start, amount, unit }, { signal } = {}) {
  return getJSON('/calendar/due-date', { start, amount, unit }, { signal });
}

/** GET /calendar/days?year=: { year, items: [{date, weekday, kind, label_vi, label_en, name}] }. */
export function fetchCalendarDays(year, { signal } = {}) {
  return getJSON('/calendar/days', { year }, { signal });
}

const pad = (n) => String(n).padStart(2, '0');

/** "24/01/2025" (or "24-01-2025", "2025-01-24") -> "2025-01-24"; null unless a real date
 * in 2000..2100, the years the service accepts. */
export function parseVnDate(s) {
  const v = String(s ?? '').trim();
  let m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(v);
  let y, mo, d;
  if (m) [, d, mo, y] = m.map(Number);
  else if ((m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v))) [, y, mo, d] = m.map(Number);
  else return null;
  if (y < 2000 || y > 2100 || mo < 1 || mo > 12 || d < 1) return null;
  if (d > new Date(Date.UTC(y, mo, 0)).getUTCDate()) return null;
  return `${y}-${pad(mo)}-${pad(d)}`;
}

/** "7:30", "07:30" or "7h30" (as people write it) -> "07:30"; null otherwise. */
export function parseTime(s) {
  const m = /^(\d{1,2})[:hH](\d{2})$/.exec(String(s ?? '').trim());
  if (!m) return null;
  const hh = Number(m[1]), mm = Number(m[2]);
  if (hh > 23 || mm > 59) return null;
  return `${pad(hh)}:${pad(mm)}`;
}

/** A Vietnam-time instant for the API: ("2025-01-24", "10:00") -> "2025-01-24T10:00:00+07:00". */
export function vnInstant(date, time) {
  return `${date}T${time}:00+07:00`;
}

/** "0,5" or "0.5" -> "0.5"; null unless a number with at most 2 decimals, 0 < x <= 1000. */
export function parseAmount(s) {
  const v = String(s ?? '').trim().replace(',', '.');
  if (!/^\d+(\.\d{1,2})?$/.test(v)) return null;
  const x = Number(v);
  return x > 0 && x <= AMOUNT_MAX ? v : null;
}

/** The local (Vietnam) date and time of now: { date: "2025-01-24", time: "10:05" }. */
export function nowInVietnam() {
  const d = new Date(Date.now() + 7 * 3600 * 1000);
  return { date: d.toISOString().slice(0, 10), time: d.toISOString().slice(11, 16) };
}

/**
 * Polls a recompute job until it is finished: getJob(id) must return the job
 * ({status, changed, ...}, e.g. the officer client's api.get(`/calendar/jobs/${id}`)).
 * onProgress(job) is called after each look. Resolves with the finished job; rejects on
 * timeout (Error with .job, the last seen) or when the signal aborts.
 */
export async function waitForJob(id, getJob, { intervalMs = 1000, timeoutMs = 60000, signal, onProgress } = {}) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (signal && signal.aborted) throw new DOMException('aborted', 'AbortError');
    const job = await getJob(id);
    if (onProgress) onProgress(job);
    if (job && job.status === 'finished') return job;
    if (Date.now() + intervalMs > until) {
      const e = new Error(`calendar job ${id} is still ${job && job.status}`);
      e.job = job;
      throw e;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
