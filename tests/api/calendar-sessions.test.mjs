// The working sessions of the week (GET/PUT /api/v1/calendar/sessions): every officer reads
// them, only an admin changes them; a body that breaks a rule is refused naming the field
// (weekdays[i].sessions[j].end) and changes nothing; a saved change moves the due date of an
// open dossier once motcua-worker has run its recompute job, with a "recalculate" event in
// the dossier's history, and putting the default week back moves it back. The calendar is
// left as the demo data has it (the default week, an empty work_sessions table) even when a
// check fails half-way.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { request, assertProblem, getJson, sleep } from './helpers.mjs';
import { login, call, receive, getDossier, sql, q } from './lib/officer.mjs';

const ADMIN = process.env.MOTCUA_ADMIN_USER || 'admin';
const DESK = 'giomy.motcua';
const PATH = '/api/v1/calendar/sessions';
const enc = encodeURIComponent;

const day = (weekday, ...pairs) => ({ weekday, sessions: pairs.map(([start, end]) => ({ start, end })) });
const MORNING = ['07:30', '11:30'];
const AFTERNOON = ['13:00', '17:00'];
/** The default week: Monday to Friday 07:30–11:30 and 13:00–17:00. */
const DEFAULT_WEEK = [1, 2, 3, 4, 5].map((wd) => day(wd, MORNING, AFTERNOON));

let changed = false;
after(async () => {
  if (!changed) return;
  const admin = await login(ADMIN);
  const r = await call(admin, 'PUT', PATH, { weekdays: DEFAULT_WEEK });
  if (r.status === 200 && r.json.job_id) await jobDone(admin, r.json.job_id);
});

async function jobDone(admin, id) {
  let j;
  for (let i = 0; i < 300; i++) {
    const r = await call(admin, 'GET', `/api/v1/calendar/jobs/${id}`);
    assert.equal(r.status, 200, r.text);
    j = r.json;
    if (j.status === 'finished') return j;
    await sleep(100);
  }
  assert.fail(`job ${id} not finished after 30 s: ${JSON.stringify(j)} (is motcua-worker running?)`);
}

/** The week as GET shows it, reduced to {weekday: ["HH:MM-HH:MM", ...]}. */
function shape(week) {
  return Object.fromEntries(week.weekdays.map((d) => [d.weekday, d.sessions.map((s) => `${s.start}-${s.end}`)]));
}

test('every officer reads the week; the default is Monday to Friday, 8 hours a day, Monday first', async () => {
  assertProblem(await request(PATH), 401, { code: 'not_authenticated' });
  const desk = await login(DESK);
  const r = await call(desk, 'GET', PATH);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.default, true);
  assert.deepEqual(r.json.weekdays.map((d) => d.weekday), [1, 2, 3, 4, 5, 6, 0]);
  const mon = r.json.weekdays[0];
  assert.equal(mon.name_vi, 'thứ Hai');
  assert.equal(mon.name_en, 'Monday');
  assert.deepEqual(mon.sessions, [{ start: '07:30', end: '11:30' }, { start: '13:00', end: '17:00' }]);
  assert.equal(mon.minutes, 480);
  assert.deepEqual(r.json.weekdays[5], { weekday: 6, name_vi: 'thứ Bảy', name_en: 'Saturday', sessions: [], minutes: 0 });
  assertProblem(await call(desk, 'GET', `${PATH}?x=1`), 400, { field: 'x' });
});

test('only an admin changes the week, with the CSRF header', async () => {
  const body = { weekdays: DEFAULT_WEEK };
  assertProblem(await request(PATH, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }),
    401, { code: 'not_authenticated' });
  const desk = await login(DESK);
  assertProblem(await call(desk, 'PUT', PATH, body), 403, { code: 'forbidden_role' });
  const admin = await login(ADMIN);
  const noCsrf = await call(admin, 'PUT', PATH, body, { 'X-CSRF-Token': null });
  assert.equal(noCsrf.status, 403, noCsrf.text);
});

test('a body that breaks a rule is refused naming the field, and changes nothing', async () => {
  const admin = await login(ADMIN);
  const before = (await call(admin, 'GET', PATH)).json;
  const jobsBefore = sql('SELECT COUNT(*) FROM calendar_jobs')[0][0];
  const rowsBefore = sql('SELECT COUNT(*) FROM work_sessions')[0][0];
  const bad = [
    [{ weekdays: [day(1, MORNING), day(2, MORNING), day(3, ['13:00', '12:00'])] }, 'weekdays[2].sessions[0].end', 'end before start'],
    [{ weekdays: [day(1, ['08:00', '08:00'])] }, 'weekdays[0].sessions[0].end', 'an empty session'],
    [{ weekdays: [day(7, MORNING)] }, 'weekdays[0].weekday', 'weekday 7'],
    [{ weekdays: [day(-1, MORNING)] }, 'weekdays[0].weekday', 'weekday -1'],
    [{ weekdays: [{ weekday: '1', sessions: [] }] }, 'weekdays[0].weekday', 'weekday as a string'],
    [{ weekdays: [day(1, MORNING), day(1, AFTERNOON)] }, 'weekdays[1].weekday', 'a weekday twice'],
    [{ weekdays: [day(1, ['7:30', '11:30'])] }, 'weekdays[0].sessions[0].start', 'H:MM'],
    [{ weekdays: [day(1, ['07:60', '11:30'])] }, 'weekdays[0].sessions[0].start', 'minute 60'],
    [{ weekdays: [day(1, ['24:00', '24:00'])] }, 'weekdays[0].sessions[0].start', 'a start at 24:00'],
    [{ weekdays: [day(1, ['07:30', '25:00'])] }, 'weekdays[0].sessions[0].end', 'hour 25'],
    [{ weekdays: [day(1, ['07:30', 1130])] }, 'weekdays[0].sessions[0].end', 'a number'],
    [{ weekdays: [day(1, MORNING, ['11:00', '17:00'])] }, 'weekdays[0].sessions[1].start', 'overlapping'],
    [{ weekdays: [day(1, AFTERNOON, MORNING)] }, 'weekdays[0].sessions[1].start', 'not in order'],
    [{ weekdays: [day(5, ['07:00', '08:00'], ['08:00', '09:00'], ['09:00', '10:00'], ['10:00', '11:00'], ['11:00', '12:00'])] },
      'weekdays[0].sessions', 'five sessions'],
    [{ weekdays: [{ weekday: 1, sessions: [{ start: '07:30', end: '11:30', note: 'x' }] }] }, 'weekdays[0].sessions[0].note', 'unknown member'],
    [{ weekdays: [{ weekday: 1, sessions: [], extra: 1 }] }, 'weekdays[0].extra', 'unknown member of a day'],
    [{ weekdays: [{ weekday: 1 }] }, 'weekdays[0].sessions', 'no sessions'],
    [{ weekdays: [1] }, 'weekdays[0]', 'not an object'],
    [{ weekdays: {} }, 'weekdays', 'not an array'],
    [{ weekdays: [0, 1, 2, 3, 4, 5, 6, 0].map((wd) => day(wd)) }, 'weekdays', 'eight weekdays'],
    [{ weekdays: [] }, 'weekdays', 'no session in the whole week'],
    [{ weekdays: [day(1), day(2)] }, 'weekdays', 'only days off'],
  ];
  for (const [body, field, why] of bad) {
    assertProblem(await call(admin, 'PUT', PATH, body), 400, { code: 'invalid_field', field, where: why });
  }
  assertProblem(await call(admin, 'PUT', PATH, {}), 400, { code: 'missing_field', field: 'weekdays' });
  assertProblem(await call(admin, 'PUT', PATH, { weekdays: DEFAULT_WEEK, note: 1 }), 400, { code: 'unknown_field', field: 'note' });
  assertProblem(await call(admin, 'PUT', PATH, '{"weekdays": ['), 400, { code: 'invalid_json' });
  assertProblem(await call(admin, 'PUT', PATH, '{"weekdays": []} x'), 400, { code: 'invalid_json' });
  assertProblem(await call(admin, 'PUT', PATH, JSON.stringify({ weekdays: DEFAULT_WEEK }), { 'Content-Type': 'text/plain' }),
    415, { code: 'unsupported_media_type' });
  assertProblem(await call(admin, 'PUT', PATH, JSON.stringify({ weekdays: DEFAULT_WEEK, pad: 'x'.repeat(9000) })), 413,
    { code: 'body_too_large' });

  assert.deepEqual((await call(admin, 'GET', PATH)).json, before, 'the week is unchanged');
  assert.equal(sql('SELECT COUNT(*) FROM calendar_jobs')[0][0], jobsBefore, 'no recompute job was queued');
  assert.equal(sql('SELECT COUNT(*) FROM work_sessions')[0][0], rowsBefore, 'no row was written');
});

test('saving the week it already is queues nothing', async () => {
  const admin = await login(ADMIN);
  const r = await call(admin, 'PUT', PATH, { weekdays: DEFAULT_WEEK });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.job_id, null);
  assert.equal(r.json.default, true);
});

/** The due date the public calculator gives now, with the calendar as it stands. */
async function calculated(start) {
  return (await getJson(`/api/v1/calendar/due-date?start=${enc(start)}&amount=5&unit=working_days`)).due_at;
}

async function dueOf(desk, code, want) {
  let d;
  for (let i = 0; i < 50; i++) {
    d = await getDossier(desk, code);
    if (d.due_at === want) return d;
    await sleep(200);
  }
  assert.fail(`${code}: due_at ${d.due_at}, expected ${want}`);
}

test('a saved week moves an open dossier\'s due date, with a history event, and the default moves it back', async () => {
  const desk = await login(DESK);
  const admin = await login(ADMIN);
  // procedure 1.004746: 5 working days, never paused yet
  const { code, due_at: due0 } = await receive(desk);
  const received = (await getDossier(desk, code)).received_at;
  assert.equal(await calculated(received), due0, 'the reception used the default week');
  const recalc = () => Number(sql(`SELECT COUNT(*) FROM dossier_events e JOIN dossiers d ON d.id = e.dossier_id
    WHERE d.code = ${q(code)} AND e.action = 'recalculate'`)[0][0]);
  const recalc0 = recalc();

  // mornings start half an hour later, Monday to Friday: each working day is 7.5 hours long,
  // and 5 working days (40 hours) end later
  const later = [1, 2, 3, 4, 5].map((wd) => day(wd, ['08:00', '11:30'], AFTERNOON));
  changed = true;
  const put = await call(admin, 'PUT', PATH, { weekdays: later });
  assert.equal(put.status, 200, put.text);
  assert.equal(put.json.default, false);
  assert.deepEqual(shape(put.json)[1], ['08:00-11:30', '13:00-17:00']);
  assert.deepEqual(shape(put.json)[6], []);
  assert.equal(put.json.weekdays[0].minutes, 450);
  assert.ok(Number.isInteger(put.json.job_id) && put.json.job_id > 0, put.text);
  assert.deepEqual(shape((await call(desk, 'GET', PATH)).json), shape(put.json), 'GET shows what was saved');
  const job = await jobDone(admin, put.json.job_id);
  assert.equal(job.reason, 'đổi giờ làm việc thứ Hai, thứ Ba, thứ Tư, thứ Năm, thứ Sáu');
  assert.ok(job.changed >= 1, `job changed ${job.changed}`);

  const due1 = await calculated(received);
  assert.ok(Date.parse(due1) > Date.parse(due0), `new due ${due1} is not after ${due0}`);
  await dueOf(desk, code, due1);
  assert.equal(recalc(), recalc0 + 1, 'one recalculate event');
  const [[note, actor]] = sql(`SELECT e.note, e.actor FROM dossier_events e JOIN dossiers d ON d.id = e.dossier_id
    WHERE d.code = ${q(code)} AND e.action = 'recalculate' ORDER BY e.seq DESC LIMIT 1`);
  assert.ok(note.startsWith('Lịch làm việc thay đổi (đổi giờ làm việc thứ Hai, thứ Ba, thứ Tư, thứ Năm, thứ Sáu): hạn giải quyết '), note);
  assert.equal(actor, 'system');
  const history = await call(desk, 'GET', `/api/v1/dossiers/${enc(code)}/history`);
  assert.equal(history.status, 200, history.text);
  assert.equal(history.json.intact, true, 'the hash chain is intact');
  assert.equal(history.json.items.at(-1).action, 'recalculate');

  // back to the default: stored as no rows, and the dossier's date comes back
  const back = await call(admin, 'PUT', PATH, { weekdays: DEFAULT_WEEK });
  assert.equal(back.status, 200, back.text);
  assert.equal(back.json.default, true);
  assert.equal(sql('SELECT COUNT(*) FROM work_sessions')[0][0], '0');
  await jobDone(admin, back.json.job_id);
  changed = false;
  await dueOf(desk, code, due0);
  assert.equal(recalc(), recalc0 + 2);
  assert.equal(await calculated(received), due0);
});

test('a Saturday morning session counts as working time', async () => {
  const admin = await login(ADMIN);
  const week = [...DEFAULT_WEEK, day(6, MORNING)];
  changed = true;
  const put = await call(admin, 'PUT', PATH, { weekdays: week });
  assert.equal(put.status, 200, put.text);
  await jobDone(admin, put.json.job_id);
  // Friday 16:00 + 2 working hours: Saturday 08:30 with the Saturday session
  const d = await getJson(`/api/v1/calendar/due-date?start=${enc('2030-03-01T16:00:00+07:00')}&amount=2&unit=hours`);
  assert.equal(d.due_at, '2030-03-02T08:30:00+07:00');
  const back = await call(admin, 'PUT', PATH, { weekdays: DEFAULT_WEEK });
  assert.equal(back.status, 200, back.text);
  await jobDone(admin, back.json.job_id);
  changed = false;
  const d2 = await getJson(`/api/v1/calendar/due-date?start=${enc('2030-03-01T16:00:00+07:00')}&amount=2&unit=hours`);
  assert.equal(d2.due_at, '2030-03-04T08:30:00+07:00');
});
