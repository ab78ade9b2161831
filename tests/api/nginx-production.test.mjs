// The production server block (nginx/motcua.conf) must load in a real nginx: it is not
// used by the local stack, so without this test a typo would only show on deployment.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, copyFileSync, rmSync } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(new URL('../..', import.meta.url).pathname);

test('nginx/motcua.conf passes nginx -t with its paths pointed at a scratch directory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'motcua-nginx-'));
  try {
    const site = readFileSync(join(ROOT, 'nginx/motcua.conf'), 'utf8')
      .replaceAll('/etc/ssl/motcua/', `${dir}/`)
      .replaceAll('/etc/nginx/motcua-security-headers.conf', join(ROOT, 'nginx/security-headers.conf'))
      .replaceAll('/srv/motcua/www', join(ROOT, 'www'))
      .replaceAll('/var/log/nginx/', `${dir}/`)
      .replace(/listen \[::\]:\d+[^;]*;/g, '')
      .replace('listen 80;', 'listen 127.0.0.1:18080;')
      .replace('listen 443 ssl http2;', 'listen 127.0.0.1:18443 ssl http2;');
    writeFileSync(join(dir, 'site.conf'), site);
    copyFileSync('/etc/nginx/fastcgi_params', join(dir, 'fastcgi_params'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1',
      '-subj', '/CN=motcua.test', '-keyout', join(dir, 'privkey.pem'), '-out', join(dir, 'fullchain.pem')],
    { stdio: 'ignore' });
    writeFileSync(join(dir, 'nginx.conf'),
      `pid ${dir}/nginx.pid;\nerror_log ${dir}/error.log;\nevents {}\n` +
      `http { include /etc/nginx/mime.types; include ${dir}/site.conf; }\n`);
    const r = spawnSync('nginx', ['-t', '-p', dir, '-c', join(dir, 'nginx.conf')], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /test is successful/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
