#!/usr/bin/env bash
# make test: a throw-away stack (var-test, port 8091), then every test: unit (C, cmocka),
# API (node:test against the running stack), browser (node:test + playwright-core driving
# Debian's Chromium). Ends with one line "N passed, N failed".
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
export VAR="$ROOT/var-test" PORT=${TEST_PORT:-8091}
export MOTCUA_URL="http://127.0.0.1:$PORT"
OUT="$ROOT/tests/output"
passed=0 failed=0

count() { # count LABEL PASSED FAILED
	passed=$((passed + $2)); failed=$((failed + $3))
	printf '%-8s %d passed, %d failed\n' "$1" "$2" "$3"
}

teardown() { scripts/stack.sh stop >/dev/null 2>&1 || true; }
trap teardown EXIT

rm -rf "$OUT"; mkdir -p "$OUT"
# a fresh stack each run: tests start from the same demo data every time
scripts/stack.sh stop >/dev/null 2>&1 || true
rm -rf "$VAR"
# the fixture of the exactness tests (tests/api/exactness.test.mjs) is loaded with it
if ! FIXTURES=form06-seed scripts/stack.sh start > "$OUT/stack.log" 2>&1; then
	cat "$OUT/stack.log"
	echo "the test stack did not start"
	echo "0 passed, 1 failed"
	exit 1
fi
export MOTCUA_VAR="$VAR"

# Unit tests: each cmocka program prints its own summary; we add them up.
for t in build/tests/test_*; do
	[ -x "$t" ] || continue
	name=$(basename "$t")
	"$t" > "$OUT/$name.log" 2>&1
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$OUT/$name.log" | tail -1)
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$OUT/$name.log" | tail -1)
	if [ -z "$p$f" ]; then f=1; grep -v '^\[ *OK' "$OUT/$name.log" | tail -20; fi
	[ -n "${f:-}" ] && [ "${f:-0}" != 0 ] && grep -E 'FAILED|Error|error' "$OUT/$name.log" | head -20
	count "$name" "${p:-0}" "${f:-0}"
done

# API and browser tests: node's runner, one file at a time (the rate-limit test must not
# race the others), TAP output parsed for the totals.
for suite in api e2e; do
	files=$(ls tests/$suite/*.test.mjs 2>/dev/null)
	[ -n "$files" ] || continue
	node --test --test-concurrency=1 --test-reporter=tap $files > "$OUT/$suite.tap" 2>&1
	p=$(sed -n 's/^# pass \([0-9]*\)/\1/p' "$OUT/$suite.tap" | tail -1)
	f=$(sed -n 's/^# fail \([0-9]*\)/\1/p' "$OUT/$suite.tap" | tail -1)
	if [ -z "$p" ]; then f=1; tail -30 "$OUT/$suite.tap"; fi
	[ "${f:-0}" != 0 ] && grep -B2 -A25 '^not ok\|^    not ok' "$OUT/$suite.tap" | head -150
	count "$suite" "${p:-0}" "${f:-0}"
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
