// The signed-in officer's own signing certificates (can-bo/chung-thu-so.html): the list
// with each one's status judged now (expired, revoked flagged), registration, withdrawal.

import './strings.js';
import { mount } from '../dom.js';
import { addStrings } from '../i18n.js';
import { initOfficerPage } from './frame.js';
import { certificatesPanel } from './certificates.js';

addStrings({
  'o.cert.my_title': ['Chứng thư số của tôi', 'My signing certificates'],
  'o.cert.my_lead': ['Chứng thư số dùng để ký kết quả giải quyết hồ sơ. Chỉ chữ ký bằng chứng thư số đã đăng ký ở đây mới được ghi nhận là của bạn.',
    'The certificates you sign results with. Only a signature made with a certificate registered here counts as yours.'],
});

async function main() {
  const session = await initOfficerPage({ page: 'certificates', title: 'o.cert.my_title' });
  if (!session) return;
  const draw = () => {
    const p = certificatesPanel(session.officer.username, null, true);
    mount(document.getElementById('page'), p.msg, p.listBox, p.form);
  };
  draw();
  document.addEventListener('langchange', draw);
}

main();
