// Online payment through the built-in test gateway (VNPay-like): an order answers a
// redirect URL with a valid signature; the gateway's signed notification marks the order
// paid, records the receipt and takes the dossier back to processing; a replay answers the
// same and changes nothing; a forged one is a 403, a wrong amount a 422, an unknown order
// a 404. Signatures are recomputed here with node's crypto: HMAC-SHA256 over the
// parameters sorted by name, joined as k=v&…, the signature itself left out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BASE, VAR, assertProblem } from './helpers.mjs';
import { login, receive, actOk, getDossier, raw, sql, dossierId } from './lib/officer.mjs';

const SECRET = (() => {
  const m = /^MOTCUA_PAYMENT_SECRET=(.*)$/m.exec(readFileSync(join(VAR, 'env'), 'utf8'));
  assert.ok(m, `${VAR}/env has no MOTCUA_PAYMENT_SECRET`);
  return m[1].trim();
})();

function sign(params) {
  const text = Object.keys(params).filter((k) => k !== 'vnp_SecureHash' && params[k] !== '')
    .sort().map((k) => `${k}=${params[k]}`).join('&');
  return createHmac('sha256', SECRET).update(text, 'utf8').digest('hex');
}

function signed(params) {
  return { ...params, vnp_SecureHash: sign(params) };
}

const enc = encodeURIComponent;

/** A dossier received at the desk and then asked to pay `amount` (null: the procedure's fees). */
async function awaitingPayment(desk, amount) {
  const d = await receive(desk);
  const page = await getDossier(desk, d.code);
  const body = amount === null ? { note: 'Nộp lệ phí' } : { amount_vnd: amount };
  const after = await actOk(desk, d.code, 'request_payment', page.version, body);
  assert.equal(after.state.code, 'awaiting_payment');
  return { ...d, version: after.version };
}

function openOrder(code, pin) {
  return raw('POST', `/api/v1/tracking/${enc(code)}/payments`, {
    headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ pin }),
  });
}

function postJson(path, body) {
  return raw('POST', path, { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
}

function notify(params) {
  return postJson('/api/v1/payments/notify', params);
}

function gatewayCall(what, params, decision) {
  return postJson(`/api/v1/test-gateway/${what}`, decision ? { ...params, decision } : params);
}

function result(order, amountVnd, code = '00') {
  return signed({
    vnp_TmnCode: 'MOTCUA01', vnp_Amount: String(amountVnd * 100), vnp_TxnRef: order,
    vnp_ResponseCode: code, vnp_TransactionNo: '14000001', vnp_PayDate: '20261122103000',
  });
}

function counts(code) {
  const id = dossierId(code);
  const [row] = sql(`SELECT (SELECT COUNT(*) FROM payment_receipts WHERE dossier_id = ${id}),
    (SELECT COUNT(*) FROM dossier_events WHERE dossier_id = ${id}),
    (SELECT version FROM dossiers WHERE id = ${id}),
    (SELECT GROUP_CONCAT(status ORDER BY id) FROM payment_orders WHERE dossier_id = ${id})`);
  return { receipts: Number(row[0]), events: Number(row[1]), version: Number(row[2]), orders: row[3] };
}

test('an order answers the test gateway URL, signed over its sorted parameters', async () => {
  const desk = await login('giomy.motcua');
  const d = await awaitingPayment(desk, 75000);
  const r = await openOrder(d.code, d.pin);
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.status, 'pending');
  assert.equal(r.json.amount_vnd, 75000);
  assert.match(r.json.order, /^TT\d{12}[0-9A-F]{12}$/);
  const url = new URL(r.json.redirect_url);
  assert.equal(url.pathname, '/thanh-toan-thu-nghiem.html');
  const params = Object.fromEntries(url.searchParams);
  assert.equal(params.vnp_TxnRef, r.json.order);
  assert.equal(params.vnp_Amount, '7500000');
  assert.equal(params.vnp_SecureHash, sign(params), 'the redirect URL carries a valid signature');
  assert.equal(params.vnp_ReturnUrl, `${BASE}/thanh-toan.html`);

  // the gateway checks the order it is shown, and refuses a tampered amount
  const check = await gatewayCall('check', params);
  assert.equal(check.status, 200, check.text);
  assert.equal(check.json.amount_vnd, 75000);
  assert.equal(check.json.order, r.json.order);
  assertProblem(await gatewayCall('check', { ...params, vnp_Amount: '100' }), 403, { code: 'invalid_signature' });
  // and sends browsers back to this service only
  const away = { ...params, vnp_ReturnUrl: 'https://attacker.example/' };
  assertProblem(await gatewayCall('check', { ...away, vnp_SecureHash: sign(away) }), 422, { field: 'vnp_ReturnUrl' });

  // wrong pin, wrong state
  assertProblem(await openOrder(d.code, 'WRONGPIN99'), 404);
  const other = await receive(desk);
  assertProblem(await openOrder(other.code, other.pin), 409, { code: 'invalid_state' });
});

test('a signed notification pays the order, records the receipt and resumes the dossier; a replay changes nothing', async () => {
  const desk = await login('giomy.motcua');
  const d = await awaitingPayment(desk, 50000);
  const order = (await openOrder(d.code, d.pin)).json.order;
  const before = counts(d.code);

  const first = await notify(result(order, 50000));
  assert.equal(first.status, 200, first.text);
  assert.equal(first.json.status, 'paid');
  assert.match(first.json.receipt.number, /^BL-\d{6}-\d{7,}$/);
  assert.equal(first.json.receipt.amount_vnd, 50000);
  assert.ok(first.json.receipt.issued_at);
  const page = await getDossier(desk, d.code);
  assert.equal(page.state.code, 'processing');
  const last = page.history[page.history.length - 1];
  assert.equal(last.action, 'pay');
  assert.equal(last.actor, 'applicant');
  assert.match(last.note, /biên lai BL-/);
  assert.equal(page.history_intact, true);
  const after = counts(d.code);
  assert.equal(after.receipts, before.receipts + 1);
  assert.equal(after.events, before.events + 1);

  const again = await notify(result(order, 50000));
  assert.equal(again.status, 200);
  assert.deepEqual(again.json, first.json, 'a replay answers the same');
  assert.deepEqual(counts(d.code), after, 'a replay changes nothing');

  // the browser's return (posted by /thanh-toan.html): checked, the order as it stands
  const ret = result(order, 50000);
  const back = await postJson('/api/v1/payments/return', ret);
  assert.equal(back.status, 200, back.text);
  assert.equal(back.json.status, 'paid');
  assert.equal(back.json.dossier_code, d.code);
  assertProblem(await postJson('/api/v1/payments/return', { ...ret, vnp_ResponseCode: '24' }), 403);
});

test('a forged notification is a 403, a wrong amount a 422, an unknown order a 404; nothing changes', async () => {
  const desk = await login('giomy.motcua');
  const d = await awaitingPayment(desk, 30000);
  const order = (await openOrder(d.code, d.pin)).json.order;
  const before = counts(d.code);

  const forged = { ...result(order, 30000), vnp_SecureHash: createHmac('sha256', 'not-the-secret').update('x').digest('hex') };
  assertProblem(await notify(forged), 403, { code: 'invalid_signature' });
  const altered = { ...result(order, 30000), vnp_Amount: '100' };
  assertProblem(await notify(altered), 403, { code: 'invalid_signature' });
  assertProblem(await notify(result(order, 29000)), 422, { code: 'amount_mismatch' });
  assertProblem(await notify(result('TT000000000000DEADBEEF0000', 30000)), 404, { code: 'order_not_found' });
  assertProblem(await notify({ vnp_TxnRef: order }), 400);
  assert.deepEqual(counts(d.code), before);
  assert.equal((await getDossier(desk, d.code)).state.code, 'awaiting_payment');

  // a cancelled payment fails the order and leaves the dossier waiting
  const cancelled = await notify(result(order, 30000, '24'));
  assert.equal(cancelled.status, 200);
  assert.equal(cancelled.json.status, 'failed');
  assert.equal(cancelled.json.receipt, null);
  assert.equal((await getDossier(desk, d.code)).state.code, 'awaiting_payment');
});

test('the fees of the procedure are the amount when the officer set none', async () => {
  const desk = await login('giomy.motcua');
  const d = await awaitingPayment(desk, null);
  const id = dossierId(d.code);
  const [[fees]] = sql(`SELECT COALESCE(SUM(f.amount_vnd), 0) FROM dossiers d
    JOIN procedure_channels c ON c.procedure_id = d.procedure_id AND c.channel = d.channel
    JOIN procedure_fees f ON f.procedure_id = d.procedure_id AND f.channel_seq = c.seq
    WHERE d.id = ${id} AND c.seq = (SELECT MIN(seq) FROM procedure_channels
      WHERE procedure_id = d.procedure_id AND channel = d.channel)`);
  const r = await openOrder(d.code, d.pin);
  if (Number(fees) === 0) {
    assertProblem(r, 422, { code: 'nothing_to_pay' });
  } else {
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.amount_vnd, Number(fees));
  }
  const [[requested]] = sql(`SELECT COALESCE(amount_vnd, 'null') FROM payment_requests WHERE dossier_id = ${id} ORDER BY id DESC LIMIT 1`);
  assert.equal(requested, 'null', 'the request recorded no amount of its own');
});

test('the test gateway pays: it notifies the service and sends the browser back signed', async () => {
  const desk = await login('giomy.motcua');
  const d = await awaitingPayment(desk, 20000);
  const o = (await openOrder(d.code, d.pin)).json;
  const params = Object.fromEntries(new URL(o.redirect_url).searchParams);
  assertProblem(await gatewayCall('pay', params), 400, { field: 'decision' });
  const r = await gatewayCall('pay', params, 'pay');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.notification.status, 'paid');
  const back = new URL(r.json.return_url);
  assert.equal(back.pathname, '/thanh-toan.html');
  const ret = Object.fromEntries(back.searchParams);
  assert.equal(ret.vnp_ResponseCode, '00');
  assert.equal(ret.vnp_SecureHash, sign(ret));
  assert.equal(counts(d.code).orders, 'paid');
  assert.equal((await getDossier(desk, d.code)).state.code, 'processing');
  // the page's return call shows it paid
  const shown = await postJson('/api/v1/payments/return', ret);
  assert.equal(shown.json.status, 'paid');
  assert.equal(shown.json.gateway_response, 'success');
});

test('cancel at the test gateway fails the order and leaves the dossier awaiting payment', async () => {
  const desk = await login('giomy.motcua');
  const d = await awaitingPayment(desk, 20000);
  const o = (await openOrder(d.code, d.pin)).json;
  const params = Object.fromEntries(new URL(o.redirect_url).searchParams);
  const r = await gatewayCall('pay', params, 'cancel');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.notification.status, 'failed');
  assert.equal((await getDossier(desk, d.code)).state.code, 'awaiting_payment');
  // a new order can be opened after a failed one
  const again = await openOrder(d.code, d.pin);
  assert.equal(again.status, 201);
});
