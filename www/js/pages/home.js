// Home page: search box, service-level shortcuts, fields with counts, tracking box.

import { getJSON } from '../api.js';
import { h, mount } from '../dom.js';
import { t, formatNumber } from '../i18n.js';
import { initLayout, onLang } from '../layout.js';
import { loadingBox, errorBox, emptyBox } from '../ui.js';

let fields = null;
let error = null;

function render() {
  const box = document.getElementById('fields');
  const total = document.getElementById('home-total');
  if (error) { mount(box, errorBox(error)); total.textContent = ''; return; }
  if (!fields) { mount(box, loadingBox()); return; }
  if (fields.length === 0) { mount(box, emptyBox(t('home.fields_empty'))); total.textContent = ''; return; }
  const sum = fields.reduce((a, f) => a + (Number(f.procedure_count) || 0), 0);
  total.textContent = t('home.total_procedures', { n: formatNumber(sum), f: formatNumber(fields.length) });
  mount(box, h('ul', { class: 'field-list' },
    fields.map((f) => h('li', null,
      h('a', { class: 'field-item', href: 'thu-tuc.html?field=' + encodeURIComponent(f.code) },
        h('span', { class: 'field-name', text: f.name }),
        h('span', { class: 'field-count', text: t('home.procedure_count', { n: formatNumber(f.procedure_count ?? 0) }) }))))));
}

async function load() {
  error = null; fields = null; render();
  try {
    const data = await getJSON('/fields');
    fields = Array.isArray(data.items) ? data.items : [];
  } catch (e) {
    error = e;
  }
  render();
}

function trimOnSubmit(formId, inputId) {
  const form = document.getElementById(formId);
  const input = document.getElementById(inputId);
  form.addEventListener('submit', () => { input.value = input.value.trim(); });
}

initLayout({ page: 'home', title: () => '' });
trimOnSubmit('home-search', 'home-q');
trimOnSubmit('home-track', 'home-track-code');
onLang(render);
load();
