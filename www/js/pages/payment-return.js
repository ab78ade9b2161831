// Where a payment gateway sends the browser back: the signed result is checked by the
// service, which answers the order as the gateway's notification left it (the return
// itself settles nothing), with the receipt (biên lai) when it is paid.

import { addStrings, t, formatMoney, formatDateTime } from '../i18n.js';
import { h, mount } from '../dom.js';
import { initLayout } from '../layout.js';
import { loadingBox, errorBox } from '../ui.js';
import { postJSON, queryParams } from '../services-api.js';

addStrings({
  'pay.title': ['Kết quả thanh toán', 'Payment result'],
  'pay.paid': ['Thanh toán thành công. Hồ sơ đã được chuyển tiếp để xử lý.', 'Paid. The dossier goes back to processing.'],
  'pay.failed': ['Giao dịch không thành công hoặc đã bị hủy. Bạn có thể thanh toán lại từ trang tra cứu hồ sơ.', 'The payment failed or was cancelled. You can pay again from the tracking page.'],
  'pay.pending': ['Đang chờ xác nhận từ cổng thanh toán. Vui lòng tải lại trang sau ít phút.', 'Waiting for the gateway\'s confirmation. Reload in a few minutes.'],
  'pay.dossier': ['Mã hồ sơ', 'Dossier'],
  'pay.order': ['Mã giao dịch', 'Order'],
  'pay.amount': ['Số tiền', 'Amount'],
  'pay.receipt': ['Biên lai số', 'Receipt number'],
  'pay.issued_at': ['Thời gian thu', 'Paid at'],
  'pay.back': ['Xem hồ sơ', 'View the dossier'],
});

const box = document.getElementById('pay-result');

async function show() {
  mount(box, loadingBox());
  let o;
  try {
    o = await postJSON('/payments/return', queryParams());
  } catch (e) {
    mount(box, errorBox(e));
    return;
  }
  const kind = o.status === 'failed' ? 'error' : 'info';
  const facts = [
    h('dt', { text: t('pay.dossier') }), h('dd', { text: o.dossier_code }),
    h('dt', { text: t('pay.order') }), h('dd', { text: o.order }),
    h('dt', { text: t('pay.amount') }), h('dd', { text: formatMoney(o.amount_vnd) }),
  ];
  if (o.receipt) {
    facts.push(h('dt', { text: t('pay.receipt') }), h('dd', { id: 'pay-receipt', text: o.receipt.number }),
      h('dt', { text: t('pay.issued_at') }), h('dd', { text: formatDateTime(o.receipt.issued_at) }));
  }
  mount(box,
    h('div', { class: `notice notice-${kind}`, role: 'status', id: 'pay-status', dataset: { status: o.status } },
      h('p', { text: t(`pay.${o.status}`) })),
    h('dl', { class: 'facts' }, ...facts),
    h('p', null, h('a', { class: 'btn btn-primary', href: `tra-cuu.html?code=${encodeURIComponent(o.dossier_code)}`, text: t('pay.back') })));
}

initLayout({ page: 'payment', title: 'pay.title' });
show();
