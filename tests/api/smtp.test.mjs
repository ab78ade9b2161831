// The worker's SMTP client (core/smtp.c) against scripted servers: multi-line replies,
// AUTH PLAIN, temporary and permanent refusals, a server that stalls (timeout), a broken
// reply, STARTTLS required but not offered. Through `motcua-worker --test-mail ADDRESS`
// (exit 0 sent, 3 temporary failure, 4 permanent), so no database is involved. Then
// STARTTLS for real: aiosmtpd with a throw-away certificate, trusted only through
// SSL_CERT_FILE.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, sleep } from './helpers.mjs';

/**
 * A scripted SMTP server on a free loopback port. `reply(cmd, state)` returns the reply
 * text (lines joined by \r\n, without the final CRLF), or null to say nothing.
 */
async function fakeServer(reply, greeting = '220 fake.example ESMTP') {
  const transcript = [];
  const server = createServer((sock) => {
    let buf = '', inData = false, data = '';
    const send = (t) => { if (t !== null && t !== undefined) sock.write(`${t}\r\n`); };
    send(greeting);
    sock.on('data', (chunk) => {
      buf += chunk.toString('latin1');
      for (;;) {
        const i = buf.indexOf('\r\n');
        if (i < 0) break;
        const line = buf.slice(0, i);
        buf = buf.slice(i + 2);
        if (inData) {
          if (line === '.') {
            inData = false;
            transcript.push({ data });
            send(reply('.', { data }));
          } else {
            data += `${line}\r\n`;
          }
          continue;
        }
        transcript.push(line);
        if (/^DATA$/i.test(line)) {
          const r = reply(line, {});
          if (r && r.startsWith('354')) inData = true;
          send(r);
          continue;
        }
        if (/^QUIT$/i.test(line)) { send('221 bye'); sock.end(); continue; }
        send(reply(line, {}));
      }
    });
    sock.on('error', () => {});
  });
  await new Promise((res) => server.listen(0, '127.0.0.1', res));
  return { port: server.address().port, transcript, close: () => new Promise((res) => server.close(res)) };
}

function sendTest(port, env = {}, to = 'dan@example.vn') {
  return new Promise((resolve) => {
    execFile(join(ROOT, 'build/motcua-worker'), ['--test-mail', to], {
      env: { PATH: process.env.PATH, MOTCUA_SMTP_HOST: '127.0.0.1', MOTCUA_SMTP_PORT: String(port),
        MOTCUA_MAIL_FROM: 'no-reply@motcua.local', MOTCUA_SMTP_TIMEOUT: '2', ...env },
      timeout: 20000,
    }, (err, stdout, stderr) => resolve({ code: err ? err.code : 0, stdout, stderr }));
  });
}

const normal = (cmd) => {
  if (/^EHLO /i.test(cmd)) return '250-fake.example greets you\r\n250-PIPELINING\r\n250-8BITMIME\r\n250-AUTH PLAIN LOGIN\r\n250 SIZE 10240000';
  if (/^AUTH PLAIN /i.test(cmd)) return '235 2.7.0 ok';
  if (/^(MAIL FROM|RCPT TO):/i.test(cmd)) return '250 ok';
  if (/^DATA$/i.test(cmd)) return '354 go ahead';
  if (cmd === '.') return '250 2.0.0 queued as 1';
  return '500 what?';
};

test('a normal conversation: multi-line EHLO, envelope, data ended by a lone dot', async () => {
  const s = await fakeServer(normal);
  try {
    const r = await sendTest(s.port);
    assert.equal(r.code, 0, r.stderr);
    const cmds = s.transcript.filter((x) => typeof x === 'string');
    assert.deepEqual(cmds, ['EHLO motcua.local', 'MAIL FROM:<no-reply@motcua.local>', 'RCPT TO:<dan@example.vn>', 'DATA', 'QUIT']);
    const { data } = s.transcript.find((x) => typeof x === 'object');
    assert.match(data, /^From: no-reply@motcua\.local\r\nTo: dan@example\.vn\r\nSubject: =\?UTF-8\?B\?/);
    assert.match(data, /\r\nContent-Type: text\/plain; charset=UTF-8\r\n/);
    assert.ok(!/[^\r]\n/.test(data), 'CRLF line ends only');
  } finally { await s.close(); }
});

test('AUTH PLAIN with the configured user (to localhost without TLS)', async () => {
  const s = await fakeServer(normal);
  try {
    const r = await sendTest(s.port, { MOTCUA_SMTP_USER: 'user', MOTCUA_SMTP_PASSWORD: 'pass' });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(s.transcript.includes('AUTH PLAIN AHVzZXIAcGFzcw=='), s.transcript.join(' | '));
  } finally { await s.close(); }
});

test('a 4xx is temporary, a 5xx to RCPT permanent, 530 (set-up) temporary; the reply is kept', async () => {
  for (const [code, exit] of [['451 4.3.0 try later', 3], ['550 5.1.1 no such user', 4], ['530 5.7.0 must issue STARTTLS', 3]]) {
    const s = await fakeServer((cmd) => (/^RCPT/i.test(cmd) ? code : normal(cmd)));
    try {
      const r = await sendTest(s.port);
      assert.equal(r.code, exit, `${code}: ${r.stderr}`);
      assert.ok(r.stderr.includes(code.slice(0, 3)), r.stderr);
      assert.ok(!s.transcript.includes('DATA'), 'no DATA after a refused recipient');
    } finally { await s.close(); }
  }
});

test('a server that stalls costs the timeout, not forever', async () => {
  const s = await fakeServer((cmd) => (/^EHLO/i.test(cmd) ? null : normal(cmd)));
  try {
    const t0 = Date.now();
    const r = await sendTest(s.port, { MOTCUA_SMTP_TIMEOUT: '1' });
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /timed out/);
    assert.ok(Date.now() - t0 < 5000, `took ${Date.now() - t0} ms`);
  } finally { await s.close(); }
});

test('malformed or inconsistent replies are errors', async () => {
  for (const bad of ['250-first\r\n251 second', 'hello there']) {
    const s = await fakeServer((cmd) => (/^EHLO/i.test(cmd) ? bad : normal(cmd)));
    try {
      const r = await sendTest(s.port);
      assert.equal(r.code, 3, r.stderr);
      assert.match(r.stderr, /reply/);
    } finally { await s.close(); }
  }
});

test('STARTTLS required but not offered: nothing is sent in clear', async () => {
  const s = await fakeServer(normal);
  try {
    const r = await sendTest(s.port, { MOTCUA_SMTP_STARTTLS: '1' });
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /STARTTLS/);
    assert.ok(!s.transcript.some((x) => typeof x === 'string' && /^MAIL/i.test(x)));
  } finally { await s.close(); }
});

test('a remote server is not given the password without TLS', async () => {
  const s = await fakeServer(normal);
  try {
    // "localhost" and 127.0.0.1 are exempt; any other name is remote
    const r = await sendTest(s.port, { MOTCUA_SMTP_HOST: 'mail.example.invalid', MOTCUA_SMTP_USER: 'u' });
    assert.equal(r.code, 3);
    assert.match(r.stderr, /AUTH without STARTTLS/);
    assert.equal(s.transcript.length, 0);
  } finally { await s.close(); }
});

async function freePort() {
  const srv = createServer();
  await new Promise((res) => srv.listen(0, '127.0.0.1', res));
  const { port } = srv.address();
  await new Promise((res) => srv.close(res));
  return port;
}

test('STARTTLS: the server certificate is checked (system CAs, host name), then the mail goes', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'motcua-tls-'));
  const mail = join(dir, 'mail');
  for (const sub of ['cur', 'new', 'tmp']) mkdirSync(join(mail, sub), { recursive: true });
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost',
    '-addext', 'subjectAltName=DNS:localhost', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
  const port = await freePort();
  const sink = spawn('/usr/bin/python3', ['-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${port}`, '--tlscert', join(dir, 'cert.pem'),
    '--tlskey', join(dir, 'key.pem'), '-c', 'aiosmtpd.handlers.Mailbox', mail], { stdio: 'ignore' });
  t.after(() => { sink.kill(); rmSync(dir, { recursive: true, force: true }); });
  for (let up = false, n = 0; !up; n++) {
    assert.ok(n < 100, 'aiosmtpd did not start');
    up = await new Promise((res) => { const c = connect(port, '127.0.0.1', () => { c.destroy(); res(true); }); c.on('error', () => res(false)); });
    if (!up) await sleep(100);
  }
  const tls = { MOTCUA_SMTP_HOST: 'localhost', MOTCUA_SMTP_STARTTLS: '1', MOTCUA_SMTP_TIMEOUT: '5' };
  // not trusted: refused before anything is sent
  let r = await sendTest(port, tls);
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, /certificate/);
  // trusted, but another name: refused
  r = await sendTest(port, { ...tls, MOTCUA_SMTP_HOST: '127.0.0.1', SSL_CERT_FILE: join(dir, 'cert.pem') });
  assert.equal(r.code, 3, r.stderr);
  // without STARTTLS this server refuses MAIL (530): a set-up problem, so temporary
  r = await sendTest(port, { MOTCUA_SMTP_HOST: 'localhost' });
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, /530/);
  assert.equal(readdirSync(join(mail, 'new')).length, 0);
  r = await sendTest(port, { ...tls, SSL_CERT_FILE: join(dir, 'cert.pem') });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(readdirSync(join(mail, 'new')).length, 1);
});
