// The warnings panel (cảnh báo): GET /api/v1/warnings rendered into the element with
// id="warnings" of any officer page (the inbox, the manager dashboard). Counts per kind as
// tabs, the most urgent kind first; the items with a link to the dossier (or the feedback,
// or the accounts page); "more" loads the next page. The element's data-unit attribute,
// when set, narrows the panel to that unit's subtree (changing it reloads the panel);
// data-per-page sets how many items a page shows (default 5).
// Importing this module is enough: it mounts itself once the page has loaded.

import './strings.js';
import { h, mount, clear, safeUrl } from '../dom.js';
import { t, addStrings, formatDateTime, formatNumber } from '../i18n.js';
import { api } from './client.js';
import { problemBox } from './widgets.js';

export const KINDS = ['overdue', 'due_soon', 'supplement_overdue', 'stuck', 'resolved_not_returned', 'feedback_due', 'unused_accounts'];
const VARIANT = {
  overdue: 'danger', due_soon: 'warning', supplement_overdue: 'warning', stuck: 'warning',
  resolved_not_returned: 'info', feedback_due: 'warning', unused_accounts: 'neutral',
};
const PER_PAGE = 5;            // data-per-page overrides it (1..100)

addStrings({
  'w.title': ['Cảnh báo', 'Warnings'],
  'w.lead': ['Những việc cần chú ý trong phạm vi của bạn hôm nay.', 'What needs attention in your units today.'],
  'w.tabs': ['Loại cảnh báo', 'Kinds of warning'],
  'w.all': ['Tất cả', 'All'],
  'w.none': ['Không có cảnh báo nào. Mọi việc đều trong hạn.', 'No warnings: everything is on track.'],
  'w.more': ['Xem thêm', 'Show more'],
  'w.loading': ['Đang tải cảnh báo…', 'Loading warnings…'],
  'w.total': ['{n} việc cần chú ý', '{n} items need attention'],
  'w.due': ['Hạn: {d}', 'Due: {d}'],
  'w.since.overdue': ['Quá hạn từ {d}', 'Overdue since {d}'],
  'w.since.stuck': ['Lần xử lý cuối: {d}', 'Last action: {d}'],
  'w.since.resolved_not_returned': ['Có kết quả từ {d}', 'Result ready since {d}'],
  'w.since.supplement_overdue': ['Yêu cầu bổ sung từ {d}', 'Supplement requested on {d}'],
  'w.since.feedback_due': ['Nhận ngày {d}', 'Received on {d}'],
  'w.since.unused_accounts': ['Lần sử dụng cuối: {d}', 'Last used: {d}'],
  'w.kind.overdue': ['Quá hạn', 'Overdue'],
  'w.kind.due_soon': ['Sắp đến hạn', 'Due within a working day'],
  'w.kind.supplement_overdue': ['Chờ bổ sung quá hạn', 'Supplement overdue'],
  'w.kind.stuck': ['Hồ sơ treo', 'Stuck'],
  'w.kind.resolved_not_returned': ['Có kết quả, chưa trả', 'Resolved, not returned'],
  'w.kind.feedback_due': ['Phản ánh đến hạn', 'Feedback due'],
  'w.kind.unused_accounts': ['Tài khoản không sử dụng', 'Unused accounts'],
  'w.digest': ['Nhận thư tổng hợp cảnh báo hằng ngày', 'Receive the daily warnings e-mail'],
});

function ensureStyles() {
  if (document.querySelector('link[data-warnings-css]')) return;
  document.head.appendChild(h('link', {
    rel: 'stylesheet', href: new URL('../../css/warnings.css', import.meta.url).href, dataset: { warningsCss: '1' },
  }));
}

function kindLabel(k) { return t('w.kind.' + k); }

function itemView(it) {
  const href = safeUrl(it.link) || '#';
  const when = [];
  if (it.due_at && it.kind !== 'overdue') when.push(t('w.due', { d: formatDateTime(it.due_at) }));
  if (it.since) when.push(t('w.since.' + it.kind, { d: formatDateTime(it.since) }));
  return h('li', { class: ['warning-item', 'warning-' + it.kind], dataset: { kind: it.kind, code: it.code || '' } },
    h('span', { class: ['badge', 'badge-' + (VARIANT[it.kind] || 'neutral'), 'warning-kind'], text: kindLabel(it.kind) }),
    h('span', { class: 'warning-main' },
      it.code ? h('a', { class: 'warning-code code', href, text: it.code }) : null,
      it.code ? h('span', { class: 'warning-title', text: it.title || '' })
        : h('a', { class: 'warning-title', href, text: it.title || '' }),
      h('span', { class: 'warning-sub muted' },
        it.unit && it.unit.name ? h('span', { class: 'warning-unit', text: it.unit.name }) : null,
        when.length ? h('span', { class: 'warning-when', text: when.join(' · ') }) : null)));
}

/** One panel bound to `el`; returns { reload }. */
export function warningsPanel(el) {
  let kind = '';
  let data = null;
  let items = [];
  let page = 1;
  let error = null;
  let controller = null;
  let digest = null;              // { subscribed, hour } of the signed-in officer

  async function fetchPage(p) {
    if (controller) controller.abort();
    controller = new AbortController();
    const per = parseInt(el.dataset.perPage, 10);
    const params = { page: p, per_page: per >= 1 && per <= 100 ? per : PER_PAGE };
    if (kind) params.kind = kind;
    if (el.dataset.unit) params.unit = el.dataset.unit;
    return api.get('/warnings', params, { signal: controller.signal, noRedirect: true });
  }

  async function load(reset = true) {
    try {
      const next = reset ? 1 : page + 1;
      const r = await fetchPage(next);
      data = r;
      page = next;
      items = reset ? r.items : items.concat(r.items);
      error = null;
    } catch (e) {
      if (e && e.name === 'AbortError') return;
      error = e;
    }
    render();
  }

  function tabs() {
    const counts = (data && data.counts) || {};
    const total = KINDS.reduce((n, k) => n + (Number(counts[k]) || 0), 0);
    const tab = (k, n) => h('button', {
      type: 'button', role: 'tab', class: ['warning-tab', k === kind ? 'is-active' : null, n === 0 ? 'is-empty' : null],
      'aria-selected': k === kind ? 'true' : 'false', dataset: { kind: k || 'all' },
      on: { click: () => { if (kind !== k) { kind = k; load(true); } } },
    }, h('span', { class: 'warning-tab-label', text: k ? kindLabel(k) : t('w.all') }),
    h('span', { class: ['badge', n > 0 ? 'badge-' + (k ? VARIANT[k] : 'primary') : 'badge-neutral', 'warning-count'], text: formatNumber(n) }));
    return h('div', { class: 'warning-tabs', role: 'tablist', 'aria-label': t('w.tabs') },
      tab('', total),
      KINDS.filter((k) => Number(counts[k]) > 0 || k === kind).map((k) => tab(k, Number(counts[k]) || 0)));
  }

  function render() {
    el.classList.add('warnings-panel');
    const head = h('div', { class: 'warnings-head' },
      h('h2', { class: 'card-title warnings-title', id: el.getAttribute('aria-labelledby') || null, text: t('w.title') }),
      data ? h('p', { class: 'muted warnings-total', text: t('w.total', { n: formatNumber(Number(data.total) || 0) }) }) : null);
    if (error && error.status === 401) { clear(el); return; }   // the page signs in again
    if (error) { mount(el, head, problemBox(error)); return; }
    if (!data) { mount(el, head, h('p', { class: 'muted', role: 'status', text: t('w.loading') })); return; }
    const total = Number(data.total) || 0;
    mount(el, head, tabs(),
      items.length === 0 ? h('p', { class: 'notice notice-empty warnings-empty', text: t('w.none') })
        : h('ul', { class: 'warning-list' }, items.map(itemView)),
      items.length < total ? h('button', {
        type: 'button', class: 'btn btn-outline warnings-more', text: t('w.more'),
        on: { click: () => load(false) },
      }) : null,
      digestToggle());
  }

  function digestToggle() {
    if (!digest) return null;
    const id = 'warnings-digest-' + Math.random().toString(36).slice(2, 8);
    return h('p', { class: 'warnings-digest' },
      h('input', {
        type: 'checkbox', id, checked: digest.subscribed === true,
        on: {
          change: async (ev) => {
            const box = ev.target;
            box.disabled = true;
            try { digest = await api.put('/warnings/digest', { subscribed: box.checked }); } catch (e) { box.checked = !box.checked; }
            box.disabled = false;
          },
        },
      }),
      h('label', { for: id, text: t('w.digest') }));
  }

  async function loadDigest() {
    try { digest = await api.get('/warnings/digest', null, { noRedirect: true }); } catch (e) { digest = null; }
    render();
  }

  render();
  load(true);
  loadDigest();
  new MutationObserver(() => load(true)).observe(el, { attributes: true, attributeFilter: ['data-unit'] });
  document.addEventListener('langchange', render);
  return { reload: () => load(true) };
}

let mounted = null;

/** Mounts the panel into #warnings once (the pages call nothing; importing is enough). */
export function mountWarnings() {
  const el = document.getElementById('warnings');
  if (!el || mounted) return mounted;
  ensureStyles();
  el.setAttribute('aria-live', 'polite');
  clear(el);
  mounted = warningsPanel(el);
  return mounted;
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', mountWarnings);
else mountWarnings();
