// The form06-seed fixture (fcgi/tools/fixture.h): a district of the demo province and its
// four communes whose Biểu số 06 for the first half of 2025 is known in advance, from the
// figures DOMAIN.md quotes. tests/run.sh loads it when the test stack starts (before the
// worker, so no month is closed without it); load() loads it into any other stack (it is
// idempotent), with the database settings of $MOTCUA_VAR/env as motcua-admin reads them.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, VAR } from '../helpers.mjs';
import { sql } from './officer.mjs';

export const DISTRICT = '000.00.29.H45';
export const COMMUNES = ['000.21.29.H45', '000.22.29.H45', '000.23.29.H45', '000.24.29.H45'];
export const FROM = '2025-01-01';
export const TO = '2025-06-30';

/** The seed reports' figures (DOMAIN.md "Statistics"). */
export const EXPECTED = {
  district: { received: 826, in_time: 764, late: 7, within: 54, overdue: 1 },
  communes: { received: 4231, in_time: 3831, late: 29, within: 370, overdue: 1 },
};

/** Fixture accounts share the demo password. */
export const MONITOR = 'hailang.giamsat';
export const COMMUNE_DESK = 'haian.motcua';

function env() {
  const out = { ...process.env };
  for (const line of readFileSync(join(VAR, 'env'), 'utf8').split('\n')) {
    const m = /^\s*([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line);
    if (m) out[m[1]] = m[2].replace(/^['"]|['"]$/g, '');
  }
  return out;
}

let loaded = false;
/** Loads the fixture unless it is there already. */
export function load() {
  if (loaded) return;
  const out = execFileSync(join(ROOT, 'build/motcua-admin'), ['load-fixture', 'form06-seed'],
    { cwd: ROOT, env: env(), encoding: 'utf8' });
  assert.match(out, /form06-seed/, out);
  if (!/already loaded/.test(out)) {
    // loaded only now: a month of the period closed before would keep figures without it
    const closed = sql(`SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()
      AND TABLE_NAME = 'stats_closed_months'`)[0][0] === '1'
      ? Number(sql(`SELECT COUNT(*) FROM stats_closed_months WHERE month BETWEEN '${FROM}' AND '${TO}'`)[0][0]) : 0;
    assert.equal(closed, 0, 'months of the fixture\'s period were closed before it was loaded: '
      + 'start the stack with FIXTURES=form06-seed (tests/run.sh does)');
  }
  loaded = true;
}
