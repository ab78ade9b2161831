// Small DOM builder: everything from the API goes in through textContent or attributes,
// never through innerHTML.

/**
 * h('a', {href: '/x', class: 'btn'}, 'text', child, [more, children])
 * Attributes: "class", "text" (textContent), "dataset" (object), "on" (object of event
 * listeners), booleans (true sets an empty attribute, false/null/undefined skip it).
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs) setAttrs(el, attrs);
  append(el, children);
  return el;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

export function svg(tag, attrs, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v !== null && v !== undefined && v !== false) el.setAttribute(k, String(v));
    }
  }
  append(el, children);
  return el;
}

function setAttrs(el, attrs) {
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') el.className = Array.isArray(v) ? v.filter(Boolean).join(' ') : v;
    else if (k === 'text') el.textContent = String(v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k === 'on') for (const [ev, fn] of Object.entries(v)) el.addEventListener(ev, fn);
    else if (k === 'value') el.value = v;
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
}

export function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else if (c instanceof Node) el.appendChild(c);
    else el.appendChild(document.createTextNode(String(c)));
  }
  return el;
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

/** Replace the children of el. */
export function mount(el, ...children) {
  clear(el);
  return append(el, children);
}

/** Only http(s) links and same-site paths are turned into links (no javascript:, data:...). */
export function safeUrl(url) {
  if (typeof url !== 'string' || url.trim() === '') return null;
  try {
    const u = new URL(url, window.location.href);
    if (u.protocol === 'http:' || u.protocol === 'https:') return u.href;
  } catch (e) { /* not a URL */ }
  return null;
}

/** Text with line breaks: paragraphs for blank-line separated blocks, kept line breaks within. */
export function multiline(text, cls = 'prose') {
  const box = h('div', { class: cls });
  const blocks = String(text ?? '').split(/\n\s*\n/).map((b) => b.trim()).filter(Boolean);
  for (const b of blocks) box.appendChild(h('p', { class: 'pre-line' }, b));
  return box;
}
