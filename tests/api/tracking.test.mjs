// Public dossier tracking (tra cứu hồ sơ) for every demo dossier listed in
// $MOTCUA_VAR/demo-dossiers.tsv: status and labels, the masked name and what stays private
// without the receipt's secret, the secret itself, the timeline, the deadline verdict and
// the times. Requests go through trackingRequest, which stays under nginx's rate limit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  trackingRequest, assertProblem, demoDossiers, DOSSIER_CODE_RE, UNIT_CODE_RE, ISO_VN_RE,
} from './helpers.mjs';

const STATES = ['submitted', 'processing', 'awaiting_supplement', 'awaiting_payment', 'suspended',
  'resolved', 'returned', 'refused', 'withdrawn', 'not_accepted'];
const OPEN = ['processing', 'awaiting_supplement', 'awaiting_payment', 'suspended'];
const FINISHED = ['resolved', 'returned', 'refused', 'withdrawn'];
// what the Vietnamese label must say (DOMAIN.md's wording)
const STATE_WORDS = {
  submitted: /chờ tiếp nhận/i,
  processing: /đang xử lý/i,
  awaiting_supplement: /bổ sung/i,
  awaiting_payment: /nghĩa vụ tài chính/i,
  suspended: /dừng/i,
  resolved: /có kết quả/i,
  returned: /đã trả kết quả/i,
  refused: /từ chối/i,
  withdrawn: /rút/i,
  not_accepted: /không tiếp nhận/i,
};
// the action that must appear in the timeline of a dossier in that state
const STATE_ACTION = {
  submitted: 'submit',
  not_accepted: 'not_accept',
  awaiting_supplement: 'request_supplement',
  awaiting_payment: 'request_payment',
  suspended: 'suspend',
  resolved: 'resolve',
  returned: 'return',
  refused: 'refuse',
  withdrawn: 'withdraw',
};
const TIME_KEYS = ['submitted_at', 'received_at', 'due_at', 'promised_at', 'finished_at', 'returned_at'];
const VIETNAMESE = /[À-ỹĐđ]/u;

const rows = demoDossiers();
const enc = encodeURIComponent;
const track = (code, query = '') => trackingRequest(`/api/v1/tracking/${enc(code)}${query}`);

// A code that is well formed but names no dossier: the first demo dossier's unit and day,
// with a number no demo day reaches.
const UNKNOWN_CODE = rows[0].code.replace(/-\d+$/, '-9999999');
// a secret of the right shape that is not the dossier's
const wrongPin = (pin) => (pin === 'ZZZZ9999QQ' ? 'QQQQ9999ZZ' : 'ZZZZ9999QQ');

test('the demo list has at least one dossier in every state, with codes and secrets', () => {
  assert.ok(rows.length >= STATES.length, `${rows.length} demo dossiers`);
  for (const s of STATES) assert.ok(rows.some((r) => r.state === s), `no demo dossier in state ${s}`);
  for (const r of rows) {
    assert.match(r.code, DOSSIER_CODE_RE, `demo code ${r.code}`);
    assert.match(r.pin, /^[A-Za-z0-9._-]{8,64}$/, `${r.code}: secret shape`);
    assert.ok(['direct', 'online', 'postal'].includes(r.channel), `${r.code}: channel ${r.channel}`);
  }
});

function localDay(iso) {
  return iso.slice(0, 10);        // the times carry +07:00: the date part is the local day
}

function expectedDeadline(d, now) {
  if (d.status.code === 'submitted' || d.status.code === 'not_accepted' || !d.received_at || !d.due_at) return 'none';
  if (d.finished_at) {
    const done = localDay(d.finished_at);
    const due = localDay(d.due_at);
    return done < due ? 'early' : done === due ? 'on_time' : 'late';
  }
  return now <= Date.parse(d.due_at) ? 'within' : 'overdue';
}

function checkPublic(d, row) {
  assert.equal(d.code, row.code);
  assert.equal(d.status.code, row.state, 'status differs from the demo list');
  assert.match(d.status.label_vi, STATE_WORDS[row.state], `Vietnamese label "${d.status.label_vi}"`);
  assert.match(d.status.label_vi, VIETNAMESE, `label_vi "${d.status.label_vi}" is not Vietnamese`);
  assert.match(d.status.label_en, /^[A-Z][A-Za-z ,-]+$/, `label_en "${d.status.label_en}"`);
  assert.notEqual(d.status.label_en, d.status.label_vi);
  assert.equal(d.channel.code, row.channel);
  assert.match(d.channel.label_vi, /\S/);
  assert.match(d.channel.label_en, /^[A-Z][A-Za-z ]+$/);

  // the receiving unit is the one the code starts with
  assert.match(d.unit.code, UNIT_CODE_RE);
  assert.ok(row.code.startsWith(`${d.unit.code}-`), `unit ${d.unit.code} vs code ${row.code}`);
  assert.match(d.unit.name, VIETNAMESE);
  assert.match(d.procedure.code, /^[A-Za-z0-9._-]+$/);
  assert.ok(d.procedure.name.length > 3);

  // times: ISO 8601 in Vietnam's offset, in the order things happen
  const now = Date.now();
  for (const k of TIME_KEYS) {
    assert.ok(k in d, `${k} missing`);
    if (d[k] !== null) {
      assert.match(d[k], ISO_VN_RE, `${k} = ${d[k]}`);
      if (k !== 'due_at' && k !== 'promised_at') assert.ok(Date.parse(d[k]) <= now + 60_000, `${k} in the future`);
    }
  }
  const seq = ['submitted_at', 'received_at', 'finished_at', 'returned_at'].filter((k) => d[k] !== null);
  for (let i = 1; i < seq.length; i++) {
    assert.ok(Date.parse(d[seq[i - 1]]) <= Date.parse(d[seq[i]]), `${seq[i - 1]} after ${seq[i]}`);
  }
  if (d.received_at && d.due_at) assert.ok(Date.parse(d.received_at) < Date.parse(d.due_at), 'due before reception');
  // the code's date is the day of submission or reception
  const codeDay = row.code.split('-')[1];
  const days = [d.submitted_at, d.received_at].filter(Boolean)
    .map((t) => t.slice(2, 4) + t.slice(5, 7) + t.slice(8, 10));
  assert.ok(days.includes(codeDay), `code date ${codeDay} is neither the submission nor the reception day (${days})`);

  // which times a state has
  const s = row.state;
  if (row.channel === 'online') assert.ok(d.submitted_at, 'online dossier without submitted_at');
  if (s === 'submitted' || s === 'not_accepted') {
    assert.equal(d.received_at, null, `${s} dossier has received_at`);
    assert.equal(d.channel.code, 'online', `${s} dossier not online`);
  } else {
    assert.ok(d.received_at, 'received dossier without received_at');
    assert.ok(d.due_at, 'received dossier without due_at');
  }
  if (OPEN.includes(s) || s === 'submitted') {
    assert.equal(d.finished_at, null, `${s} dossier has finished_at`);
    assert.equal(d.returned_at, null, `${s} dossier has returned_at`);
  }
  if (FINISHED.includes(s) || s === 'not_accepted') assert.ok(d.finished_at, `${s} dossier without finished_at`);
  if (s === 'returned') assert.ok(d.returned_at, 'returned dossier without returned_at');
  if (s === 'resolved') assert.equal(d.returned_at, null, 'resolved dossier already returned');

  // deadline verdict
  assert.ok(['none', 'within', 'overdue', 'early', 'on_time', 'late'].includes(d.deadline.code), d.deadline.code);
  if (s === 'submitted' || s === 'not_accepted') assert.equal(d.deadline.code, 'none', `${s} dossier has a deadline`);
  if (OPEN.includes(s)) assert.ok(['within', 'overdue'].includes(d.deadline.code), `${s}: ${d.deadline.code}`);
  if (FINISHED.includes(s)) assert.ok(['early', 'on_time', 'late'].includes(d.deadline.code), `${s}: ${d.deadline.code}`);
  assert.equal(d.deadline.code, expectedDeadline(d, now),
    `deadline ${d.deadline.code} for received ${d.received_at}, due ${d.due_at}, finished ${d.finished_at}`);
  assert.match(d.deadline.label_vi, VIETNAMESE);
  assert.match(d.deadline.label_en, /^[A-Z][A-Za-z ]+$/);

  // the timeline
  assert.ok(Array.isArray(d.steps) && d.steps.length >= 1, 'no timeline');
  for (const st of d.steps) {
    assert.match(st.at, ISO_VN_RE, `step at ${st.at}`);
    assert.match(st.action, /^[a-z_]+$/);
    assert.ok(typeof st.label_vi === 'string' && st.label_vi.length > 0, `step ${st.action} has no Vietnamese label`);
    assert.ok(typeof st.label_en === 'string' && st.label_en.length > 0, `step ${st.action} has no English label`);
    assert.match(st.unit.code, UNIT_CODE_RE);
    assert.ok(typeof st.unit.name === 'string' && VIETNAMESE.test(st.unit.name), `step unit name "${st.unit.name}"`);
    assert.ok(Date.parse(st.at) <= now + 60_000, `step ${st.action} in the future`);
  }
  for (let i = 1; i < d.steps.length; i++) {
    assert.ok(Date.parse(d.steps[i - 1].at) <= Date.parse(d.steps[i].at),
      `step ${i} (${d.steps[i].action} ${d.steps[i].at}) before step ${i - 1} (${d.steps[i - 1].action} ${d.steps[i - 1].at})`);
  }
  const first = d.steps[0];
  assert.ok(['submit', 'receive'].includes(first.action), `timeline starts with ${first.action}`);
  assert.equal(first.at, d.submitted_at || d.received_at, 'timeline does not start at submission/reception');
  const actions = d.steps.map((x) => x.action);
  if (STATE_ACTION[s]) assert.ok(actions.includes(STATE_ACTION[s]), `${s} dossier without a ${STATE_ACTION[s]} step: ${actions}`);
  if (s === 'submitted') assert.deepEqual(actions, ['submit'], 'a dossier awaiting reception has only been submitted');
  if (d.finished_at) {
    assert.ok(Date.parse(d.steps[d.steps.length - 1].at) >= Date.parse(d.finished_at), 'timeline ends before the finish');
  }

  // what a passer-by must not see
  assert.ok(!('private' in d), 'private part shown without the secret');
  assert.equal(typeof d.applicant_masked, 'string');
  assert.ok(d.applicant_masked.includes('**'), `applicant_masked "${d.applicant_masked}"`);
}

for (const row of rows) {
  test(`tracking ${row.state} dossier ${row.code} (${row.channel})`, async () => {
    const pub = await track(row.code);
    assert.equal(pub.status, 200, `${pub.status} ${pub.text.slice(0, 300)}`);
    assert.match(pub.type, /^application\/json\b/);
    checkPublic(pub.json, row);

    const priv = await track(row.code, `?pin=${enc(row.pin)}`);
    assert.equal(priv.status, 200, `with the secret: ${priv.status} ${priv.text.slice(0, 300)}`);
    const p = priv.json.private;
    assert.ok(p && p.applicant, 'no private part with the secret');
    const name = p.applicant.name;
    assert.ok(typeof name === 'string' && name.trim().split(/\s+/).length >= 2, `applicant name "${name}"`);
    assert.ok(Array.isArray(p.documents) && p.documents.length >= 1, 'no documents with the secret');
    for (const doc of p.documents) {
      assert.ok(doc.name.length > 0);
      assert.equal(typeof doc.digitized, 'boolean');
      assert.equal(typeof doc.paper_only, 'boolean');
    }
    assert.equal(typeof p.result_ready, 'boolean');
    if (row.state === 'resolved' || row.state === 'returned') assert.equal(p.result_ready, true, 'result not ready');
    // apart from the private part, the same answer
    const { private: _, ...rest } = priv.json;
    assert.deepEqual(rest, pub.json, 'the answer with the secret differs beyond its private part');

    // the masked name hides the given names and does not contain the full name
    const masked = pub.json.applicant_masked;
    assert.ok(!masked.includes(name), `masked "${masked}" contains the name "${name}"`);
    const words = name.trim().split(/\s+/);
    const maskedWords = masked.split(/\s+/);
    assert.equal(maskedWords.length, words.length, `"${masked}" vs "${name}"`);
    // word by word: a later word may repeat the first ("Công ty … Công nghệ"), which stays
    words.forEach((w, i) => {
      if (i > 0 && [...w].length > 1) assert.notEqual(maskedWords[i], w, `masked "${masked}" shows the given name "${w}"`);
    });
    // nothing personal anywhere in the public answer
    for (const [k, v] of Object.entries(p.applicant)) {
      if (typeof v === 'string' && v.length >= 5) assert.ok(!pub.text.includes(v), `public answer contains the applicant's ${k}`);
    }

    // a wrong secret of the right shape: the same 404 as a code that does not exist
    const wrong = await track(row.code, `?pin=${wrongPin(row.pin)}`);
    const unknown = await track(UNKNOWN_CODE);
    assertProblem(unknown, 404, { code: 'dossier_not_found' });
    assert.equal(wrong.status, 404, `wrong secret: ${wrong.status}`);
    assert.equal(wrong.type, unknown.type);
    assert.equal(wrong.text, unknown.text, 'a wrong secret is answered differently from an unknown code');
  });
}

test('a code that does not exist answers 404, with or without a secret', async () => {
  const a = await track(UNKNOWN_CODE);
  const b = await track(UNKNOWN_CODE, `?pin=${rows[0].pin}`);
  assertProblem(a, 404, { code: 'dossier_not_found', field: 'code' });
  assert.equal(b.status, 404);
  assert.equal(b.text, a.text);
  // no word of the answer says whether the code or the secret was wrong
  assert.doesNotMatch(a.text, /secret is wrong|wrong secret|wrong pin|code exists/i);
});

test('a code typed in lower case finds the same dossier', async () => {
  const row = rows.find((r) => /[A-Z]/.test(r.code));
  const r = await track(row.code.toLowerCase());
  assert.equal(r.status, 200, r.text.slice(0, 200));
  assert.equal(r.json.code, row.code);
});

test('a secret shorter than 8 characters is refused as "pin"', async () => {
  const code = rows[0].code;
  for (const pin of ['1234567', 'a', '']) {
    assertProblem(await track(code, `?pin=${pin}`), 400, { field: 'pin', where: `pin=${pin}` });
  }
  // the real secret cut short is no different from any other short one
  assertProblem(await track(code, `?pin=${enc(rows[0].pin.slice(0, 7))}`), 400, { field: 'pin' });
});

test('a malformed secret is refused as "pin"', async () => {
  const code = rows[0].code;
  for (const pin of ['abcd%20efgh', 'abcd%00efgh', 'x'.repeat(65), 'ab%C3%28cdefgh', 'abcdefgh;']) {
    assertProblem(await track(code, `?pin=${pin}`), 400, { field: 'pin', where: `pin=${pin.slice(0, 20)}` });
  }
  assertProblem(await track(code, '?pin=abcdefgh&pin=abcdefgh'), 400, { field: 'pin', where: 'repeated pin' });
  assertProblem(await track(code, '?secret=abcdefgh'), 400, { field: 'secret', code: 'unknown_parameter' });
});

const MALFORMED_CODES = [
  ['not a code', 'abc'],
  ['30 February', '000.00.20.H12-250230-0001'],
  ['month 13', '000.00.20.H12-251301-0001'],
  ['five-digit number with a leading zero', '000.00.20.H12-250304-00001'],
  ['number zero', '000.00.20.H12-250304-0000'],
  ['three-digit number', '000.00.20.H12-250304-001'],
  ['bad unit code', '000.00.20.H1-250304-0001'],
  ['unit code with a letter for a digit', '000.0A.20.H12-250304-0001'],
  ['four parts', '000.00.20.H12-250304-0001-1'],
  ['two-digit year only', '000.00.20.H12-2503-0001'],
  ['too long', `000.00.20.H12-250304-${'1'.repeat(30)}`],
  ['spaces', '000.00.20.H12 250304 0001'],
];

for (const [what, code] of MALFORMED_CODES) {
  test(`a malformed code (${what}) answers 400 about "code"`, async () => {
    const r = await track(code);
    const p = assertProblem(r, 400, { field: 'code', where: code });
    assert.match(p.title, /mã hồ sơ/i);
  });
}
