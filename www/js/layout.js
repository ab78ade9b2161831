// Shared page frame: header (top bar with language switch, red brand band with the
// star mark, navy navigation), footer, document title and language. Every page calls
// initLayout() once; the frame re-renders itself when the language changes.

import { h, svg, mount } from './dom.js';
import { t, getLang, setLang, applyI18n, addStrings } from './i18n.js';

addStrings({
  'nav.due_date': ['Tính hạn giải quyết', 'Due-date calculator'],
  'nav.account': ['Tài khoản', 'My account'],
  'nav.feedback': ['Phản ánh, kiến nghị', 'Feedback'],
  'nav.verify_signature': ['Kiểm tra chữ ký số', 'Check a signature'],
});

const NAV = [
  { page: 'home', href: 'index.html', key: 'nav.home' },
  { page: 'procedures', href: 'thu-tuc.html', key: 'nav.procedures' },
  { page: 'tracking', href: 'tra-cuu.html', key: 'nav.tracking' },
  { page: 'due-date', href: 'tinh-han.html', key: 'nav.due_date' },
  { page: 'feedback', href: 'phan-anh.html', key: 'nav.feedback' },
  { page: 'verify-signature', href: 'kiem-tra-chu-ky.html', key: 'nav.verify_signature' },
  { page: 'account', href: 'tai-khoan.html', key: 'nav.account' },
];

function starPoints(cx, cy, outer, inner) {
  const pts = [];
  for (let i = 0; i < 10; i++) {
    const r = i % 2 === 0 ? outer : inner;
    const a = -Math.PI / 2 + (i * Math.PI) / 5;
    pts.push(`${(cx + r * Math.cos(a)).toFixed(2)},${(cy + r * Math.sin(a)).toFixed(2)}`);
  }
  return pts.join(' ');
}

/** The portal mark: a gold five-pointed star on a red disc inside a gold ring (drawn, not copied). */
export function logoMark(size = 64) {
  return svg('svg', {
    class: 'logo-mark', width: size, height: size, viewBox: '0 0 100 100',
    'aria-hidden': 'true', focusable: 'false',
  },
  svg('circle', { cx: 50, cy: 50, r: 48, fill: '#f6c343' }),
  svg('circle', { cx: 50, cy: 50, r: 43, fill: '#c8102e' }),
  svg('circle', { cx: 50, cy: 50, r: 39, fill: 'none', stroke: '#f6c343', 'stroke-width': 1.5, 'stroke-dasharray': '3 3' }),
  svg('polygon', { points: starPoints(50, 50, 30, 12), fill: '#ffde00' }),
  );
}

function renderHeader(page) {
  const other = getLang() === 'vi' ? 'en' : 'vi';
  const langBtn = h('button', {
    type: 'button', class: 'lang-switch', id: 'lang-switch',
    lang: other, 'aria-label': t('site.lang_switch_label'),
    on: { click: () => setLang(other) },
  }, h('span', { class: 'lang-flag', 'aria-hidden': 'true', text: other === 'en' ? 'EN' : 'VI' }), ' ', t('site.lang_switch'));

  const nav = h('nav', { class: 'site-nav', 'aria-label': t('nav.main_label') },
    h('div', { class: 'container' },
      h('ul', { class: 'nav-list' },
        NAV.map((n) => h('li', null,
          h('a', { href: n.href, 'aria-current': n.page === page ? 'page' : null, text: t(n.key) }))))));

  return [
    h('a', { class: 'skip-link', href: '#main', text: t('site.skip') }),
    h('div', { class: 'topbar' },
      h('div', { class: 'container topbar-inner' },
        h('span', { class: 'topbar-text', text: t('site.topbar') }),
        langBtn)),
    h('header', { class: 'brand-band', role: 'banner' },
      h('div', { class: 'container brand-inner' },
        h('a', { class: 'brand', href: 'index.html' },
          logoMark(64),
          h('span', { class: 'brand-text' },
            h('span', { class: 'brand-title', text: t('site.title') }),
            h('span', { class: 'brand-subtitle', text: t('site.subtitle') }))))),
    nav,
  ];
}

function renderFooter() {
  return h('footer', { class: 'site-footer', role: 'contentinfo' },
    h('div', { class: 'container footer-inner' },
      h('div', { class: 'footer-brand' },
        logoMark(40),
        h('div', null,
          h('p', { class: 'footer-title', text: t('site.title') }),
          h('p', { text: t('footer.about') }),
          h('p', { text: t('footer.hours') }),
          h('p', { class: 'footer-muted', text: t('footer.tz') }))),
      h('div', { class: 'footer-links' },
        h('p', { class: 'footer-title', text: t('footer.links') }),
        h('ul', null, NAV.map((n) => h('li', null, h('a', { href: n.href, text: t(n.key) }))),
          h('li', null, h('a', { href: 'can-bo/dang-nhap.html', class: 'footer-officer', text: t('nav.officer') }))))));
}

/**
 * Render header/footer into #site-header / #site-footer, set <html lang> and the title.
 * title: an i18n key or a function returning the page part of the title.
 */
export function initLayout({ page, title }) {
  document.documentElement.lang = getLang();
  const head = document.getElementById('site-header');
  const foot = document.getElementById('site-footer');
  const draw = () => {
    if (head) mount(head, ...renderHeader(page));
    if (foot) mount(foot, renderFooter());
    applyI18n(document);
    setTitle(typeof title === 'function' ? title() : t(title));
  };
  draw();
  document.addEventListener('langchange', () => {
    draw();
    const btn = document.getElementById('lang-switch');
    if (btn) btn.focus();
  });
}

export function setTitle(part) {
  document.title = part ? `${part} – ${t('site.title')}` : t('site.title');
}

/** Call fn now and after every language change. */
export function onLang(fn) {
  document.addEventListener('langchange', fn);
}
