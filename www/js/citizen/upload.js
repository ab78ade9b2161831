// multipart/form-data uploads with per-file progress. The body is assembled here (a Blob
// of the parts, in order) instead of by FormData, so the byte range of every file inside
// the body is known exactly: XMLHttpRequest's upload.onprogress reports bytes sent of the
// whole body, and those bytes are mapped onto each file's range to give one progress
// figure per file, from a single request that carries all of them.

import { ApiError } from '../api.js';

const CRLF = '\r\n';
const enc = new TextEncoder();

function randomHex(bytes) {
  const a = new Uint8Array(bytes);
  crypto.getRandomValues(a);
  return Array.from(a, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** A random UUID (crypto.randomUUID where the context has it). */
export function newUuid() {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const h = randomHex(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** As browsers escape names in Content-Disposition (HTML's multipart/form-data encoding). */
function quoted(s) {
  return String(s).replace(/\r/g, '%0D').replace(/\n/g, '%0A').replace(/"/g, '%22');
}

/**
 * Builds the body. fields: [[name, value], …] text fields; files: [{key, name, file}, …]
 * (name: the part's name, e.g. "doc_2"). Returns {blob, contentType, ranges}, where
 * ranges[key] = {start, end} is the file's bytes inside the body.
 */
export function buildMultipart(fields, files) {
  const boundary = '----motcua' + randomHex(16);
  const parts = [];
  const ranges = {};
  let offset = 0;
  const push = (x) => {
    const bytes = typeof x === 'string' ? enc.encode(x) : x;
    parts.push(bytes);
    offset += bytes.size !== undefined ? bytes.size : bytes.byteLength;
  };
  for (const [name, value] of fields) {
    if (value === undefined || value === null) continue;
    push(`--${boundary}${CRLF}Content-Disposition: form-data; name="${quoted(name)}"${CRLF}${CRLF}`);
    push(String(value).replace(/\r?\n/g, CRLF));
    push(CRLF);
  }
  for (const f of files) {
    const type = f.file.type || 'application/octet-stream';
    push(`--${boundary}${CRLF}Content-Disposition: form-data; name="${quoted(f.name)}"; filename="${quoted(f.file.name)}"${CRLF}Content-Type: ${type}${CRLF}${CRLF}`);
    const start = offset;
    push(f.file);
    ranges[f.key] = { start, end: offset };
    push(CRLF);
  }
  push(`--${boundary}--${CRLF}`);
  return { blob: new Blob(parts), contentType: `multipart/form-data; boundary=${boundary}`, ranges };
}

/** The share (0..1) of each file sent when `loaded` bytes of the body have gone. */
export function fileShares(ranges, loaded) {
  const out = {};
  for (const [key, r] of Object.entries(ranges)) {
    const len = r.end - r.start;
    out[key] = len <= 0 ? (loaded >= r.end ? 1 : 0) : Math.max(0, Math.min(1, (loaded - r.start) / len));
  }
  return out;
}

/**
 * POST a multipart body with XMLHttpRequest. opts: {fields, files, headers, onProgress}
 * onProgress(shares, loaded, total) with shares as fileShares() gives them.
 * Resolves with the parsed JSON answer (null if none); rejects with ApiError
 * (status 0 and isNetwork for a network failure).
 */
export function postMultipart(url, { fields = [], files = [], headers = {}, onProgress } = {}) {
  const { blob, contentType, ranges } = buildMultipart(fields, files);
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url, true);
    xhr.withCredentials = true;
    xhr.setRequestHeader('Content-Type', contentType);
    xhr.setRequestHeader('Accept', 'application/json, application/problem+json');
    for (const [k, v] of Object.entries(headers)) if (v) xhr.setRequestHeader(k, v);
    if (onProgress) {
      onProgress(fileShares(ranges, 0), 0, blob.size);
      xhr.upload.onprogress = (ev) => {
        const total = ev.lengthComputable ? ev.total : blob.size;
        onProgress(fileShares(ranges, ev.loaded), ev.loaded, total);
      };
      xhr.upload.onload = () => onProgress(fileShares(ranges, blob.size), blob.size, blob.size);
    }
    xhr.onerror = () => reject(new ApiError(0, null, true));
    xhr.onabort = () => reject(new ApiError(0, null, true));
    xhr.onload = () => {
      const type = (xhr.getResponseHeader('Content-Type') || '').toLowerCase();
      let body = null;
      if (type.includes('json') && xhr.responseText) {
        try { body = JSON.parse(xhr.responseText); } catch (e) { body = null; }
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body);
      else reject(new ApiError(xhr.status, body && typeof body === 'object' ? body : null));
    };
    xhr.send(blob);
  });
}

// ---- File checks and sizes --------------------------------------------------------

export const MAX_FILE = 20 * 1024 * 1024;       // the service's per-file limit
export const MAX_BODY = 100 * 1024 * 1024;      // nginx's and the service's body limit
export const ACCEPT = '.pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png';
const EXT_OK = /\.(pdf|jpe?g|png)$/i;

/** null if the file may be sent, else the i18n key of the reason. */
export function fileProblem(file) {
  if (!file) return null;
  if (!EXT_OK.test(file.name)) return 'c.file.bad_type';
  if (file.size === 0) return 'c.file.empty';
  if (file.size > MAX_FILE) return 'c.file.too_big';
  return null;
}
