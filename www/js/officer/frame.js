// The officer pages' frame: top bar (language switch), red brand band with the signed-in
// officer (name, unit, roles, sign-out), and the navigation their roles allow. Every
// officer page but the sign-in page calls initOfficerPage(), which checks the session
// (GET /api/v1/auth/me) and sends the browser to dang-nhap.html?next=… without one.

import './strings.js';
import { h, mount } from '../dom.js';
import { t, getLang, setLang, applyI18n, label, addStrings } from '../i18n.js';
import { logoMark } from '../layout.js';
import { fetchSession, logout, goToLogin, hasRole } from './client.js';
import { problemBox } from './widgets.js';

addStrings({ 'o.nav.analysis': ['Trễ hạn, hiện đại hóa', 'Lateness, modernisation'] });

const NAV = [
  { page: 'inbox', href: 'index.html', key: 'o.nav.inbox' },
  { page: 'reception', href: 'tiep-nhan.html', key: 'o.nav.reception', role: 'desk' },
  { page: 'accounts', href: 'tai-khoan.html', key: 'o.nav.accounts', role: 'admin' },
  { page: 'calendar', href: 'lich-lam-viec.html', key: 'o.nav.calendar', role: 'admin' },
  { page: 'dashboard', href: 'thong-ke.html', key: 'o.nav.dashboard', roles: ['monitor', 'leader', 'admin'] },
  { page: 'form06', href: 'bao-cao.html', key: 'o.nav.form06', roles: ['monitor', 'leader', 'admin'] },
  { page: 'analysis', href: 'phan-tich.html', key: 'o.nav.analysis', roles: ['monitor', 'leader', 'admin'] },
  { page: 'certificates', href: 'chung-thu-so.html', key: 'o.nav.certificates', roles: ['leader', 'clerk'] },
];

export function roleLabel(role) { return label('role', role); }

function officerBox(officer) {
  const roles = Array.isArray(officer.roles) ? officer.roles : [];
  return h('div', { class: 'officer-box', 'aria-label': t('o.officer_box'), role: 'group' },
    h('div', { class: 'officer-who' },
      h('span', { class: 'officer-name', id: 'officer-name', text: officer.full_name || officer.username }),
      h('span', { class: 'officer-unit', id: 'officer-unit', text: officer.unit ? officer.unit.name || officer.unit.code : '' }),
      h('span', { class: 'officer-roles', id: 'officer-roles' },
        roles.map((r) => h('span', { class: 'role-chip', dataset: { role: r }, text: roleLabel(r) })))),
    h('button', {
      type: 'button', class: 'btn btn-logout', id: 'logout',
      on: { click: onLogout },
    }, t('o.logout')));
}

async function onLogout(ev) {
  const btn = ev.currentTarget;
  btn.disabled = true;
  try {
    await logout();
  } catch (e) { /* the cookie may already be gone: go to the sign-in page anyway */ }
  window.location.assign('dang-nhap.html?signed_out=1');
}

function renderHeader(page, officer) {
  const other = getLang() === 'vi' ? 'en' : 'vi';
  const langBtn = h('button', {
    type: 'button', class: 'lang-switch', id: 'lang-switch',
    lang: other, 'aria-label': t('site.lang_switch_label'),
    on: { click: () => setLang(other) },
  }, h('span', { class: 'lang-flag', 'aria-hidden': 'true', text: other === 'en' ? 'EN' : 'VI' }), ' ', t('site.lang_switch'));

  const links = officer ? NAV.filter((n) => (!n.role || hasRole(officer, n.role)) && (!n.roles || n.roles.some((r) => hasRole(officer, r)))) : [];
  const nav = h('nav', { class: 'site-nav officer-nav', 'aria-label': t('o.nav.label') },
    h('div', { class: 'container officer-nav-inner' },
      h('ul', { class: 'nav-list' },
        links.map((n) => h('li', null,
          h('a', { href: n.href, id: 'nav-' + n.page, 'aria-current': n.page === page ? 'page' : null, text: t(n.key) })))),
      h('a', { class: 'nav-portal', href: '../index.html', text: t('o.nav.portal') })));

  return [
    h('a', { class: 'skip-link', href: '#main', text: t('site.skip') }),
    h('div', { class: 'topbar' },
      h('div', { class: 'container topbar-inner' },
        h('span', { class: 'topbar-text', text: t('o.site.topbar') }),
        langBtn)),
    h('header', { class: 'brand-band officer-band', role: 'banner' },
      h('div', { class: 'container brand-inner officer-brand-inner' },
        h('a', { class: 'brand', href: officer ? 'index.html' : 'dang-nhap.html' },
          logoMark(56),
          h('span', { class: 'brand-text' },
            h('span', { class: 'brand-title', text: t('o.site.title') }),
            h('span', { class: 'brand-subtitle', text: t('o.site.subtitle') }))),
        officer ? officerBox(officer) : null)),
    nav,
  ];
}

function renderFooter() {
  return h('footer', { class: 'site-footer officer-footer', role: 'contentinfo' },
    h('div', { class: 'container' },
      h('p', { text: t('o.footer.about') }),
      h('p', { text: t('footer.hours') }),
      h('p', { class: 'footer-muted', text: t('footer.tz') })));
}

function setTitle(part) {
  const site = t('o.site.title');
  document.title = part ? `${part} – ${site}` : site;
}

/**
 * Draw the frame now and after each language change.
 * title: i18n key or function; officer: the session's officer or null (sign-in page).
 */
export function drawFrame({ page, title, officer }) {
  document.documentElement.lang = getLang();
  const head = document.getElementById('site-header');
  const foot = document.getElementById('site-footer');
  const draw = () => {
    if (head) mount(head, ...renderHeader(page, officer));
    if (foot) mount(foot, renderFooter());
    applyI18n(document);
    setTitle(typeof title === 'function' ? title() : t(title));
  };
  draw();
  return draw;
}

let frameRedraw = null;
document.addEventListener('langchange', () => {
  if (frameRedraw) frameRedraw();
  const btn = document.getElementById('lang-switch');
  if (btn) btn.focus();
});

/**
 * Check the session, draw the frame. Resolves to the session ({officer, csrf_token}) or to
 * null when the page cannot be used (redirecting to sign-in, no permission, API down); in
 * those cases a message is already shown in #page.
 * roles: the page needs one of these roles (empty: any officer).
 */
export async function initOfficerPage({ page, title, roles = [] }) {
  frameRedraw = drawFrame({ page, title, officer: null });
  const box = document.getElementById('page');
  let session;
  try {
    session = await fetchSession();
  } catch (e) {
    if (box) mount(box, problemBox(e));
    return null;
  }
  if (!session || !session.officer) {
    if (box) mount(box, h('div', { class: 'notice notice-info', role: 'status', text: t('o.session_expired') }));
    goToLogin();
    return null;
  }
  const officer = session.officer;
  frameRedraw = drawFrame({ page, title, officer });
  document.body.dataset.officer = officer.username || '';
  if (roles.length && !roles.some((r) => hasRole(officer, r))) {
    if (box) mount(box, h('div', { class: 'notice notice-error', role: 'alert', id: 'no-permission' }, h('p', { class: 'notice-title', text: t('o.no_permission') })));
    return null;
  }
  return session;
}

/** Redraw the frame (e.g. after the page's own title changed). */
export function redrawFrame() { if (frameRedraw) frameRedraw(); }

export function setFrame(redraw) { frameRedraw = redraw; }
