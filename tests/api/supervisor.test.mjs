// The supervisor restarts the FastCGI worker when it dies, on the same socket, so the
// service comes back by itself and nginx never needs a reload.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

const BASE = process.env.MOTCUA_URL || 'http://127.0.0.1:8091';
const VAR = process.env.MOTCUA_VAR;

function workerPids(supervisor) {
  const out = execFileSync('ps', ['-o', 'pid=', '--ppid', String(supervisor)]).toString();
  return out.split('\n').map((s) => s.trim()).filter(Boolean).map(Number);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

test('a killed worker is replaced and the API answers again', async () => {
  assert.ok(VAR, 'MOTCUA_VAR must name the stack\'s var directory');
  const supervisor = Number(readFileSync(`${VAR}/run/fcgi.pid`, 'utf8').trim());
  const before = workerPids(supervisor);
  assert.equal(before.length, 1, 'one worker under the supervisor');
  assert.equal((await fetch(`${BASE}/api/v1/ping`)).status, 200);

  process.kill(before[0], 'SIGKILL');
  let after = [];
  let status = 0;
  for (let i = 0; i < 50; i++) {
    await sleep(100);
    after = workerPids(supervisor);
    if (after.length === 1 && after[0] !== before[0]) {
      status = (await fetch(`${BASE}/api/v1/ping`)).status;
      if (status === 200) break;
    }
  }
  assert.equal(after.length, 1);
  assert.notEqual(after[0], before[0], 'a new worker process');
  assert.equal(status, 200, 'the API answers through the new worker');
  // and it still reaches the database
  const health = await (await fetch(`${BASE}/api/v1/health`)).json();
  assert.equal(health.database, 'ok');
});
