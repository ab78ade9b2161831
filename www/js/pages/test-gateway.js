// The built-in test payment gateway's page (VNPay-like): shows the merchant's signed order
// after the gateway's server checked it, then "pay" or "cancel". The gateway's server
// signs the result, notifies the service (IPN) and answers where to send the browser.

import { addStrings, t, formatMoney } from '../i18n.js';
import { h, mount } from '../dom.js';
import { initLayout } from '../layout.js';
import { loadingBox, errorBox } from '../ui.js';
import { postJSON, queryParams } from '../services-api.js';

addStrings({
  'gw.title': ['Cổng thanh toán thử nghiệm', 'Test payment gateway'],
  'gw.lead': ['Cổng thanh toán giả lập dùng để thử nghiệm: không có tiền thật nào được chuyển.', 'A simulated gateway for testing: no real money moves.'],
  'gw.merchant': ['Đơn vị nhận tiền', 'Merchant'],
  'gw.order': ['Mã giao dịch', 'Order'],
  'gw.amount': ['Số tiền', 'Amount'],
  'gw.description': ['Nội dung', 'Description'],
  'gw.pay': ['Thanh toán', 'Pay'],
  'gw.cancel': ['Hủy giao dịch', 'Cancel'],
  'gw.working': ['Đang xử lý giao dịch…', 'Processing…'],
});

const box = document.getElementById('gw-order');
const params = queryParams();

function row(key, value, id) {
  return [h('dt', { text: t(key) }), h('dd', { id, text: value })];
}

async function decide(decision, buttons) {
  for (const b of buttons) b.disabled = true;
  mount(box, loadingBox());
  try {
    const r = await postJSON('/test-gateway/pay', { ...params, decision });
    window.location.assign(r.return_url);
  } catch (e) {
    mount(box, errorBox(e));
  }
}

async function show() {
  mount(box, loadingBox());
  let order;
  try {
    order = await postJSON('/test-gateway/check', params);
  } catch (e) {
    mount(box, errorBox(e));
    return;
  }
  const pay = h('button', { type: 'button', class: 'btn btn-primary btn-lg', id: 'gw-pay', text: t('gw.pay') });
  const cancel = h('button', { type: 'button', class: 'btn btn-outline', id: 'gw-cancel', text: t('gw.cancel') });
  pay.addEventListener('click', () => decide('pay', [pay, cancel]));
  cancel.addEventListener('click', () => decide('cancel', [pay, cancel]));
  mount(box,
    h('dl', { class: 'facts' },
      ...row('gw.merchant', order.merchant),
      ...row('gw.order', order.order, 'gw-order-ref'),
      ...row('gw.amount', formatMoney(order.amount_vnd), 'gw-amount'),
      ...row('gw.description', order.description)),
    h('div', { class: 'filters-actions' }, cancel, pay));
}

initLayout({ page: 'payment', title: 'gw.title' });
show();
