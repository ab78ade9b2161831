// The working calendar: the public due-date calculator, the public list of special days,
// the admin's changes (PUT/DELETE a day) and the recompute job motcua-worker runs after
// each change, seen from outside: a demo open dossier's due date moves by one working day
// when its due day becomes a holiday, its public timeline gets a "recalculate" step, and
// removing the holiday brings the date back.
//   admin account: MOTCUA_ADMIN_USER (default "admin", the demo administrator) with the
//   demo password; a desk officer (giomy.motcua) for the role check.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { request, getJson, assertProblem, trackingRequest, sleep, ISO_VN_RE } from './helpers.mjs';
import { login, call, sql } from './lib/officer.mjs';

const ADMIN = process.env.MOTCUA_ADMIN_USER || 'admin';
const DESK = 'giomy.motcua';
const enc = encodeURIComponent;

const due = (q) => request(`/api/v1/calendar/due-date?${q}`);
async function dueOk(start, amount, unit) {
  return getJson(`/api/v1/calendar/due-date?start=${enc(start)}&amount=${amount}&unit=${unit}`);
}

// ---- the calculator ---------------------------------------------------------------------

test('Friday 24/01/2025 10:00 + 3 working days is Wednesday 05/02/2025 10:00: Tết is skipped', async () => {
  const d = await dueOk('2025-01-24T10:00:00+07:00', 3, 'working_days');
  assert.equal(d.start, '2025-01-24T10:00:00+07:00');
  assert.equal(d.effective_start, '2025-01-24T10:00:00+07:00');
  assert.equal(d.start_reason.code, 'at_reception');
  assert.ok(d.start_reason.label_vi && d.start_reason.label_en);
  assert.equal(d.due_at, '2025-02-05T10:00:00+07:00');
  assert.equal(d.unit, 'working_days');
  assert.equal(d.amount, 3);
  assert.equal(d.duration_vi, '3 ngày làm việc');
  assert.equal(d.duration_en, '3 working days');
  const dates = d.skipped_days.map((x) => x.date);
  for (let day = 25; day <= 31; day++) assert.ok(dates.includes(`2025-01-${day}`), `2025-01-${day} not skipped`);
  assert.ok(dates.includes('2025-02-01') && dates.includes('2025-02-02'));
  const tet = d.skipped_days.find((x) => x.date === '2025-01-27');
  assert.equal(tet.kind, 'holiday');
  assert.match(tet.name, /^Tết Nguyên đán/);
  assert.equal(tet.weekday, 1);
  assert.deepEqual(d.makeup_days, []);
  assert.equal(d.days_truncated, false);
  assert.match(d.explanation_vi, /Tết Nguyên đán/);
  assert.match(d.explanation_vi, /10:00 thứ Sáu, ngày 24\/01\/2025/);
  assert.match(d.explanation_vi, /10:00 thứ Tư, ngày 05\/02\/2025\.$/);
  assert.match(d.explanation_en, /10:00 on Wednesday 05\/02\/2025\.$/);
  assert.ok(d.explanation_vi.split('. ').length >= 4, 'the explanation is several sentences');
});

test('a dossier received on a Saturday starts counting on Monday 07:30', async () => {
  const d = await dueOk('2025-03-08T09:00:00+07:00', 1, 'working_days');
  assert.equal(d.start_reason.code, 'day_off');
  assert.equal(d.effective_start, '2025-03-10T07:30:00+07:00');
  assert.equal(d.due_at, '2025-03-10T17:00:00+07:00');
  assert.deepEqual(d.skipped_days.map((x) => [x.date, x.kind]), [['2025-03-08', 'weekend'], ['2025-03-09', 'weekend']]);
  assert.match(d.explanation_vi, /ngày nghỉ/);
});

test('received after hours: counting starts at the next session', async () => {
  const d = await dueOk('2025-03-04T18:00:00+07:00', 4, 'hours');
  assert.equal(d.start_reason.code, 'outside_working_hours');
  assert.equal(d.effective_start, '2025-03-05T07:30:00+07:00');
  assert.equal(d.due_at, '2025-03-05T11:30:00+07:00');
});

test('half a working day is 4 working hours', async () => {
  const d = await dueOk('2025-03-04T16:00:00+07:00', '0.5', 'working_days');
  assert.equal(d.amount, 0.5);
  assert.equal(d.due_at, '2025-03-05T10:30:00+07:00');
  assert.equal(d.duration_vi, '0,5 ngày làm việc');
  assert.match(d.explanation_vi, /4 giờ làm việc/);
});

test('calendar days that end on a Sunday move to the end of Monday', async () => {
  const d = await dueOk('2025-03-05T10:00:00+07:00', 4, 'calendar_days');
  assert.equal(d.due_at, '2025-03-10T17:00:00+07:00');
  assert.ok(d.skipped_days.some((x) => x.date === '2025-03-09' && x.kind === 'weekend'));
  assert.match(d.explanation_vi, /Chủ nhật, ngày 09\/03\/2025/);
  const short = await dueOk('2025-03-05T10:00:00+07:00', 2, 'calendar_days');
  assert.equal(short.due_at, '2025-03-07T10:00:00+07:00', 'a due on a working day stays');
});

test('hours count working time only, and a UTC start is the same instant', async () => {
  const d = await dueOk('2025-03-04T10:00:00+07:00', 4, 'hours');
  assert.equal(d.due_at, '2025-03-04T15:30:00+07:00');
  const z = await dueOk('2025-03-04T03:00:00Z', 4, 'hours');
  assert.equal(z.start, '2025-03-04T10:00:00+07:00');
  assert.equal(z.due_at, d.due_at);
  const local = await dueOk('2025-03-04T10:00', 4, 'hours');
  assert.equal(local.due_at, d.due_at, 'a start without offset is Vietnam time');
});

test('a make-up Saturday is counted and listed', async () => {
  const d = await dueOk('2025-04-25T10:00:00+07:00', 10, 'working_days');
  assert.equal(d.due_at, '2025-05-13T10:00:00+07:00');
  assert.deepEqual(d.makeup_days.map((x) => [x.date, x.kind]), [['2025-04-26', 'makeup_workday']]);
  for (const day of ['2025-04-30', '2025-05-01', '2025-05-02']) {
    assert.ok(d.skipped_days.some((x) => x.date === day && x.kind === 'holiday'), `${day} not skipped`);
  }
  assert.match(d.explanation_vi, /làm bù/);
});

test('the largest amount is answered, every date ISO 8601 +07:00', async () => {
  const d = await dueOk('2025-01-02T08:00:00+07:00', 1000, 'working_days');
  for (const k of ['start', 'effective_start', 'due_at']) assert.match(d[k], ISO_VN_RE, k);
  assert.ok(Date.parse(d.due_at) > Date.parse('2028-01-01T00:00:00+07:00'));
  assert.ok(d.skipped_days.length > 300);
});

test('bad input is a 400 naming the field', async () => {
  const ok = { start: '2025-01-24T10:00:00+07:00', amount: '3', unit: 'working_days' };
  const cases = [
    [{ start: 'hôm qua' }, 'start'],
    [{ start: '2025-02-30T10:00' }, 'start'],
    [{ start: '2025-01-24T10:00:00.5+07:00' }, 'start'],
    [{ start: '2025-01-24 10:00' }, 'start'],
    [{ start: '1999-12-31T10:00' }, 'start'],
    [{ amount: '0' }, 'amount'],
    [{ amount: '1.234' }, 'amount'],
    [{ amount: '1001' }, 'amount'],
    [{ amount: '-1' }, 'amount'],
    [{ amount: '1,5' }, 'amount'],
    [{ amount: 'ba' }, 'amount'],
    [{ unit: 'weeks' }, 'unit'],
  ];
  for (const [change, field] of cases) {
    const params = { ...ok, ...change };
    const q = Object.entries(params).map(([k, v]) => `${k}=${enc(v)}`).join('&');
    assertProblem(await due(q), 400, { field, code: 'invalid_parameter', where: q });
  }
  assertProblem(await due('start=2025-01-24T10:00&amount=3&unit=hours&week=1'), 400,
    { field: 'week', code: 'unknown_parameter' });
  assertProblem(await due('amount=3&unit=hours'), 400, { field: 'start', code: 'missing_parameter' });
  assertProblem(await due('start=2025-01-24T10:00&unit=hours'), 400, { field: 'amount', code: 'missing_parameter' });
  assertProblem(await due('start=2025-01-24T10:00&amount=3'), 400, { field: 'unit', code: 'missing_parameter' });
});

// ---- the special days -------------------------------------------------------------------

test('the days of 2025 include Tết, Hùng Kings\' day and the make-up Saturday', async () => {
  const d = await getJson('/api/v1/calendar/days?year=2025');
  assert.equal(d.year, 2025);
  const byDate = Object.fromEntries(d.items.map((x) => [x.date, x]));
  for (let day = 25; day <= 31; day++) {
    assert.equal(byDate[`2025-01-${day}`]?.kind, 'holiday', `2025-01-${day}`);
    assert.match(byDate[`2025-01-${day}`].name, /^Tết Nguyên đán/);
  }
  assert.equal(byDate['2025-04-07']?.kind, 'holiday');
  assert.match(byDate['2025-04-07'].name, /Hùng Vương/);
  assert.equal(byDate['2025-04-26']?.kind, 'makeup_workday');
  assert.equal(byDate['2025-09-02']?.kind, 'holiday');
  const dates = d.items.map((x) => x.date);
  assert.deepEqual(dates, [...dates].sort(), 'in date order');
  for (const x of d.items) {
    assert.match(x.date, /^2025-\d\d-\d\d$/);
    assert.ok(x.label_vi && x.label_en && x.name, `${x.date}: labels and name`);
    assert.equal(x.weekday, new Date(`${x.date}T12:00:00Z`).getUTCDay(), `${x.date}: weekday`);
  }
});

test('the days of a year: 2026 has Tết Bính Ngọ, no year means this year, bad years are refused', async () => {
  const d = await getJson('/api/v1/calendar/days?year=2026');
  assert.ok(d.items.some((x) => x.date === '2026-02-17' && /Tết/.test(x.name)));
  const now = await getJson('/api/v1/calendar/days');
  const thisYear = new Date(Date.now() + 7 * 3600e3).getUTCFullYear();
  assert.equal(now.year, thisYear);
  assert.deepEqual((await getJson('/api/v1/calendar/days?year=2040')).items, []);
  for (const y of ['1999', '2101', 'abc', '']) {
    assertProblem(await request(`/api/v1/calendar/days?year=${y}`), 400, { field: 'year', where: `year=${y}` });
  }
  assertProblem(await request('/api/v1/calendar/days?nam=2025'), 400, { field: 'nam', code: 'unknown_parameter' });
});

// ---- the admin's changes -------------------------------------------------------------------

// A date no demo dossier reaches, for the checks that change nothing that matters.
const FAR = '2099-06-15';

test('changes need an administrator: 401 without a session, 403 without CSRF or role', async () => {
  const body = JSON.stringify({ kind: 'holiday', name: 'Thử' });
  const json = { 'Content-Type': 'application/json' };
  assertProblem(await request(`/api/v1/calendar/days/${FAR}`, { method: 'PUT', headers: json, body }), 401,
    { code: 'not_authenticated' });
  assertProblem(await request(`/api/v1/calendar/days/${FAR}`, { method: 'DELETE' }), 401, { code: 'not_authenticated' });
  assertProblem(await request('/api/v1/calendar/jobs/1'), 401, { code: 'not_authenticated' });

  const admin = await login(ADMIN);
  for (const csrf of [null, 'sai-ma-chong-gia-mao']) {
    assertProblem(await call(admin, 'PUT', `/api/v1/calendar/days/${FAR}`, { kind: 'holiday', name: 'Thử' },
      { 'X-CSRF-Token': csrf }), 403, { code: 'csrf_failed' });
    assertProblem(await call(admin, 'DELETE', `/api/v1/calendar/days/${FAR}`, undefined,
      { 'X-CSRF-Token': csrf }), 403, { code: 'csrf_failed' });
  }
  const desk = await login(DESK);
  assertProblem(await call(desk, 'PUT', `/api/v1/calendar/days/${FAR}`, { kind: 'holiday', name: 'Thử' }), 403,
    { code: 'forbidden_role' });
  assertProblem(await call(desk, 'DELETE', `/api/v1/calendar/days/${FAR}`), 403, { code: 'forbidden_role' });
  assertProblem(await call(desk, 'GET', '/api/v1/calendar/jobs/1'), 403, { code: 'forbidden_role' });
  assert.ok(!(await getJson('/api/v1/calendar/days?year=2099')).items.some((x) => x.date === FAR), 'nothing was written');
});

test('PUT and DELETE check the date and the body', async () => {
  const admin = await login(ADMIN);
  for (const date of ['2026-02-30', '2026-13-01', '1999-12-31', '2101-01-01', '2026-1-5', 'ngay-mai', '20260105']) {
    assertProblem(await call(admin, 'PUT', `/api/v1/calendar/days/${date}`, { kind: 'holiday', name: 'Thử' }), 400,
      { field: 'date', where: `PUT ${date}` });
    assertProblem(await call(admin, 'DELETE', `/api/v1/calendar/days/${date}`), 400, { field: 'date', where: `DELETE ${date}` });
  }
  const bad = [
    [{ kind: 'weekend', name: 'Thử' }, 'kind'],
    [{ name: 'Thử' }, 'kind'],
    [{ kind: 'holiday' }, 'name'],
    [{ kind: 'holiday', name: '' }, 'name'],
    [{ kind: 'holiday', name: 'x'.repeat(128) }, 'name'],
    [{ kind: 'holiday', name: ' Thử' }, 'name'],
    [{ kind: 'holiday', name: 'Thử', note: 'x' }, 'note'],
  ];
  for (const [body, field] of bad) {
    const r = await call(admin, 'PUT', `/api/v1/calendar/days/${FAR}`, body);
    assert.equal(r.status, 400, `${JSON.stringify(body)}: ${r.status} ${r.text.slice(0, 200)}`);
    assert.equal(r.json.field, field, JSON.stringify(body));
  }
  assertProblem(await call(admin, 'DELETE', `/api/v1/calendar/days/${FAR}`), 404,
    { code: 'calendar_day_not_found', field: 'date' });
  assertProblem(await call(admin, 'DELETE', '/api/v1/calendar/days/2026-03-04'), 404, { code: 'calendar_day_not_found' });
  assertProblem(await call(admin, 'GET', '/api/v1/calendar/jobs/abc'), 400, { field: 'id' });
  assertProblem(await call(admin, 'GET', '/api/v1/calendar/jobs/0'), 400, { field: 'id' });
  assertProblem(await call(admin, 'GET', '/api/v1/calendar/jobs/999999999'), 404, { code: 'calendar_job_not_found' });
});

async function jobDone(admin, id) {
  let j;
  for (let i = 0; i < 100; i++) {
    const r = await call(admin, 'GET', `/api/v1/calendar/jobs/${id}`);
    assert.equal(r.status, 200, r.text);
    j = r.json;
    if (j.status === 'finished') return j;
    assert.ok(['pending', 'running'].includes(j.status), j.status);
    await sleep(100);
  }
  assert.fail(`job ${id} not finished after 10 s: ${JSON.stringify(j)} (is motcua-worker running?)`);
}

test('a day is created (201), renamed (200, no job), turned into a make-up day (job), removed (job)', async () => {
  const admin = await login(ADMIN);
  const path = `/api/v1/calendar/days/${FAR}`;
  await call(admin, 'DELETE', path);     // left over by an interrupted run: 404 otherwise
  let r = await call(admin, 'PUT', path, { kind: 'holiday', name: 'Ngày nghỉ thử nghiệm' });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(r.json.day, {
    date: FAR, weekday: 1, kind: 'holiday', label_vi: r.json.day.label_vi, label_en: 'Public holiday',
    name: 'Ngày nghỉ thử nghiệm',
  });
  assert.ok(Number.isInteger(r.json.job_id) && r.json.job_id > 0);
  const created = await jobDone(admin, r.json.job_id);
  assert.equal(created.changed, 0, 'no demo dossier runs to 2099');
  assert.match(created.reason, /^thêm ngày nghỉ 15\/06\/2099 Ngày nghỉ thử nghiệm$/);
  for (const k of ['created_at', 'started_at', 'finished_at']) assert.match(created[k], ISO_VN_RE, k);

  r = await call(admin, 'PUT', path, { kind: 'holiday', name: 'Tên mới' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.job_id, null, 'a new name moves no due date');
  assert.ok((await getJson('/api/v1/calendar/days?year=2099')).items.some((x) => x.date === FAR && x.name === 'Tên mới'));

  r = await call(admin, 'PUT', path, { kind: 'makeup_workday', name: 'Làm bù thử' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.day.kind, 'makeup_workday');
  assert.match((await jobDone(admin, r.json.job_id)).reason, /^đổi ngày 15\/06\/2099 thành ngày làm bù/);

  r = await call(admin, 'DELETE', path);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.day.kind, 'makeup_workday');
  assert.equal(r.json.day.name, 'Làm bù thử');
  assert.match((await jobDone(admin, r.json.job_id)).reason, /^bỏ ngày làm bù 15\/06\/2099/);
  assert.ok(!(await getJson('/api/v1/calendar/days?year=2099')).items.some((x) => x.date === FAR));
});

// ---- the recomputation of open dossiers ------------------------------------------------------

const pad = (n) => String(n).padStart(2, '0');
// local (UTC+7) parts of an ISO instant
function vn(iso) {
  const d = new Date(Date.parse(iso) + 7 * 3600e3);
  return { date: d.toISOString().slice(0, 10), time: d.toISOString().slice(11, 19), wday: d.getUTCDay() };
}
function nextDate(date) {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}
async function specialDays(year) {
  return Object.fromEntries((await getJson(`/api/v1/calendar/days?year=${year}`)).items.map((x) => [x.date, x.kind]));
}
// the next day after `date` that is worked with the default week and the calendar's days
async function nextWorkingDay(date) {
  let d = date;
  for (let i = 0; i < 30; i++) {
    d = nextDate(d);
    const special = (await specialDays(d.slice(0, 4)))[d];
    const wday = new Date(`${d}T12:00:00Z`).getUTCDay();
    if (special === 'makeup_workday' || (special !== 'holiday' && wday !== 0 && wday !== 6)) return d;
  }
  throw new Error(`no working day after ${date}`);
}

// The tracking answer once the worker has moved (or moved back) the due date.
async function trackedDue(code, want) {
  let d;
  for (let i = 0; i < 50; i++) {
    const r = await trackingRequest(`/api/v1/tracking/${enc(code)}`);
    assert.equal(r.status, 200, r.text);
    d = r.json;
    if (d.due_at === want) return d;
    await sleep(200);
  }
  assert.fail(`${code}: due_at ${d.due_at}, expected ${want} within ~10 s`);
}

let holiday = null;
after(async () => {
  // leave the calendar as the demo data has it even when a check failed half-way
  if (holiday) await call(await login(ADMIN), 'DELETE', `/api/v1/calendar/days/${holiday}`);
});

test('a holiday on an open dossier\'s due day moves it one working day, and back when removed', async () => {
  // the open dossier with the latest due date among those counted in working days and never
  // paused: the fewest other dossiers are touched by a holiday on its due day
  const rows = sql(`SELECT d.code, d.due_at FROM dossiers d JOIN procedures p ON p.id = d.procedure_id
    WHERE d.state = 'processing' AND p.time_unit = 'working_days' AND d.received_at IS NOT NULL
      AND d.due_at IS NOT NULL
      AND DATE(d.received_at + INTERVAL 7 HOUR) < DATE(d.due_at + INTERVAL 7 HOUR)
      AND NOT EXISTS (SELECT 1 FROM dossier_pauses x WHERE x.dossier_id = d.id)
      AND NOT EXISTS (SELECT 1 FROM calendar_days c WHERE c.day = DATE(d.due_at + INTERVAL 7 HOUR))
    ORDER BY d.due_at DESC LIMIT 1`);
  assert.equal(rows.length, 1, 'no open demo dossier counted in working days: load the demo data');
  const code = rows[0][0];
  const before = (await trackingRequest(`/api/v1/tracking/${enc(code)}`)).json;
  assert.ok(before && before.due_at, `${code}: tracking gives no due date`);
  const old = vn(before.due_at);
  const recalcBefore = before.steps.filter((s) => s.action === 'recalculate').length;

  const admin = await login(ADMIN);
  holiday = old.date;
  const put = await call(admin, 'PUT', `/api/v1/calendar/days/${holiday}`, { kind: 'holiday', name: 'Nghỉ thử nghiệm' });
  assert.equal(put.status, 201, put.text);
  const job = await jobDone(admin, put.json.job_id);
  assert.ok(job.changed >= 1, `job changed ${job.changed} dossiers`);

  const moved = `${await nextWorkingDay(old.date)}T${old.time}+07:00`;
  const after1 = await trackedDue(code, moved);
  const steps1 = after1.steps.filter((s) => s.action === 'recalculate');
  assert.equal(steps1.length, recalcBefore + 1, 'one recalculate step');
  assert.equal(steps1.at(-1).label_vi, 'Tính lại hạn giải quyết');
  // the note of the event, in the history the officers read
  const [[note, fromState, toState, actor]] = sql(`SELECT e.note, e.from_state, e.to_state, e.actor
    FROM dossier_events e JOIN dossiers d ON d.id = e.dossier_id
    WHERE d.code = '${code}' AND e.action = 'recalculate' ORDER BY e.seq DESC LIMIT 1`);
  const [y, m, d] = old.date.split('-');
  assert.ok(note.startsWith(`Lịch làm việc thay đổi (thêm ngày nghỉ ${d}/${m}/${y} Nghỉ thử nghiệm): hạn giải quyết `), note);
  assert.match(note, / → /);
  assert.equal(fromState, 'processing');
  assert.equal(toState, 'processing');
  assert.equal(actor, 'system');

  const del = await call(admin, 'DELETE', `/api/v1/calendar/days/${holiday}`);
  assert.equal(del.status, 200, del.text);
  holiday = null;
  assert.ok((await jobDone(admin, del.json.job_id)).changed >= 1);
  const after2 = await trackedDue(code, before.due_at);
  assert.equal(after2.steps.filter((s) => s.action === 'recalculate').length, recalcBefore + 2);
});
