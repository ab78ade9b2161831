// Pieces of the citizen pages: the upload slot of one document (file input, name, size,
// progress bar), the copy button, radio groups. Field errors and problem boxes are the
// officer pages' (next to the field the problem names, else at the top of the form).

import './strings.js';
import { h, mount } from '../dom.js';
import { t, formatNumber } from '../i18n.js';
import { ACCEPT, MAX_FILE, fileProblem } from './upload.js';

export { field, fieldError, showProblem, clearErrors, problemBox, noticeBox, nextId } from '../officer/widgets.js';

/** 1536 -> "1,5 KB" (vi) / "1.5 KB" (en). */
export function formatSize(bytes) {
  const n = Number(bytes) || 0;
  if (n < 1024) return t('c.bytes', { n: formatNumber(n) });
  if (n < 1024 * 1024) return t('c.kb', { n: formatNumber(n / 1024, { maximumFractionDigits: 1 }) });
  return t('c.mb', { n: formatNumber(n / (1024 * 1024), { maximumFractionDigits: 1 }) });
}

let slotUid = 0;

/**
 * One document's upload slot: {seq, name, required, meta (node or text), kept (a file
 * already held by a draft: {name, size}), part (the multipart name; "doc_<seq>")}. Returns {el, file(), setProgress(share),
 * setDone(), reset(), error(text)}. The wrapper carries data-field="doc_<seq>" so a
 * problem naming that part lands next to it.
 */
export function fileSlot({ seq, name, required, meta, kept, onChange, part }) {
  slotUid += 1;
  const id = `doc-${seq}-${slotUid}`;
  const partName = part || 'doc_' + seq;
  const errId = id + '-error';
  // The native input is hidden (its button speaks the browser's language, not the page's)
  // behind a label styled as a button; it stays focusable and is what the label opens.
  const input = h('input', {
    type: 'file', id, name: partName, accept: ACCEPT, class: 'file-input visually-hidden',
    'aria-describedby': `${id}-info ${errId}`, dataset: { seq: String(seq), required: required ? 'true' : 'false' },
  });
  const info = h('span', { class: 'file-info', id: `${id}-info` });
  const bar = h('progress', { class: 'file-progress', max: '100', value: '0', 'aria-label': t('c.file.progress') + ': ' + name });
  const pct = h('span', { class: 'file-pct' });
  const progressRow = h('div', { class: 'file-progress-row', hidden: true }, bar, pct);
  const err = h('p', { class: 'field-error', id: errId, 'aria-live': 'polite' });
  const removeBtn = h('button', { type: 'button', class: 'btn btn-link btn-sm file-remove', hidden: true, text: t('c.file.remove') });
  let chosen = null;
  let keptFile = kept || null;

  function showInfo() {
    if (chosen) {
      mount(info, h('span', { class: 'file-name', text: chosen.name }), ' ', h('span', { class: 'file-size', text: '(' + formatSize(chosen.size) + ')' }));
    } else if (keptFile) {
      mount(info, h('span', { class: 'file-kept', text: t('c.sub.draft_file_kept', { name: keptFile.name || '' }) }),
        keptFile.size ? h('span', { class: 'file-size', text: ' (' + formatSize(keptFile.size) + ')' }) : null);
    } else {
      mount(info, h('span', { class: 'muted', text: t('c.file.none') }));
    }
    removeBtn.hidden = !chosen;
  }

  input.addEventListener('change', () => {
    const f = input.files && input.files[0];
    err.textContent = '';
    input.setAttribute('aria-invalid', 'false');
    progressRow.hidden = true;
    const why = fileProblem(f);
    if (why) {
      err.textContent = t(why, { max: formatSize(MAX_FILE) });
      input.setAttribute('aria-invalid', 'true');
      input.value = '';
      chosen = null;
    } else {
      chosen = f || null;
    }
    showInfo();
    if (onChange) onChange();
  });
  removeBtn.addEventListener('click', () => {
    input.value = '';
    chosen = null;
    progressRow.hidden = true;
    showInfo();
    if (onChange) onChange();
    input.focus();
  });
  showInfo();

  const el = h('li', { class: ['doc-slot', required ? 'is-required' : null], dataset: { field: partName, seq: String(seq) } },
    h('div', { class: 'doc-slot-head' },
      h('label', { for: id, class: 'doc-slot-name' },
        name,
        required ? h('span', { class: 'req', 'aria-hidden': 'true', text: ' *' }) : h('span', { class: 'muted doc-optional', text: ' ' + t('c.optional') }),
        required ? h('span', { class: 'visually-hidden', text: ' ' + t('c.req_mark') }) : null),
      meta ? h('p', { class: 'doc-slot-meta' }, meta) : null),
    h('div', { class: 'doc-slot-file' }, input,
      h('label', { for: id, class: 'btn btn-outline btn-sm file-choose', 'aria-hidden': 'true', dataset: { i18n: 'c.file.choose' }, text: t('c.file.choose') }),
      info, removeBtn),
    progressRow,
    err);

  return {
    el,
    seq,
    name,
    part: partName,
    required: !!required,
    file: () => chosen,
    kept: () => keptFile,
    setProgress(share) {
      const p = Math.round(Math.max(0, Math.min(1, share)) * 100);
      progressRow.hidden = false;
      bar.value = p;
      bar.dataset.pct = String(p);
      el.dataset.progress = String(p);
      pct.textContent = p >= 100 ? t('c.file.uploaded') : p > 0 ? t('c.file.uploading', { p }) : t('c.file.waiting');
    },
    setDone() { this.setProgress(1); keptFile = chosen ? { name: chosen.name, size: chosen.size } : keptFile; },
    hideProgress() { progressRow.hidden = true; },
    error(text) { err.textContent = text; input.setAttribute('aria-invalid', 'true'); },
    clearError() { err.textContent = ''; input.setAttribute('aria-invalid', 'false'); },
    focus() { input.focus(); },
    disable(on) { input.disabled = !!on; removeBtn.disabled = !!on; },
  };
}

/** A button that copies the text of `source` (an element) to the clipboard. */
export function copyButton(source, { id } = {}) {
  const status = h('span', { class: 'copy-status', 'aria-live': 'polite' });
  const btn = h('button', {
    type: 'button', class: 'btn btn-outline btn-sm copy-btn', id: id || null, text: t('c.copy'),
    on: {
      click: async () => {
        const text = source.textContent;
        let ok = false;
        try {
          if (navigator.clipboard && navigator.clipboard.writeText) { await navigator.clipboard.writeText(text); ok = true; }
        } catch (e) { ok = false; }
        if (!ok) {
          // Fallback: select the text so the user can copy it.
          const range = document.createRange();
          range.selectNodeContents(source);
          const sel = window.getSelection();
          sel.removeAllRanges();
          sel.addRange(range);
          try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
        }
        status.textContent = ok ? t('c.copied') : t('c.copy_failed');
        btn.dataset.copied = ok ? 'true' : 'false';
      },
    },
  });
  return h('span', { class: 'copy-wrap' }, btn, status);
}

/** A radio group as a fieldset: {legend, name, options: [[value, i18n key]], value, required, id}. */
export function radioGroup({ legend, name, options, value, required, id, inline = true }) {
  const base = id || 'rg-' + name;
  return h('fieldset', { class: 'form-field radio-fieldset', dataset: { field: name }, id: base },
    h('legend', null, legend, required ? h('span', { class: 'req', 'aria-hidden': 'true', text: ' *' }) : null),
    h('div', { class: inline ? 'radio-row' : 'radio-col' },
      options.map(([v, l]) => h('label', { class: 'radio', for: `${base}-${v}` },
        h('input', { type: 'radio', name, id: `${base}-${v}`, value: v, checked: v === value, required: !!required }),
        h('span', { text: t(l), dataset: { i18n: l } })))),
    h('p', { class: 'field-error', id: base + '-error', 'aria-live': 'polite' }));
}

export function radioValue(form, name) {
  const r = form.querySelector(`input[type="radio"][name="${CSS.escape(name)}"]:checked`);
  return r ? r.value : '';
}

