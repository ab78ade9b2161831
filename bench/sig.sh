#!/usr/bin/env bash
# Signature verification benchmark (issue #5 "Speed"), run by bench/run.sh on its stack;
# prints its section of the results table on stdout.
#
#   1. a fresh test PKI (tests/sig/make-fixtures.sh) and a ~200 KB PDF with one
#      adbe.pkcs7.detached signature (RSA-2048, SHA-256, with the intermediate), signed
#      by build/sigbench sign;
#   2. in-process: build/sigbench verify, one thread, BENCH_SIG_SECONDS of CPU time:
#      verifications per second per core (target: at least 1,500);
#   3. the API: the stack trusts the test root CA (admin API), then build/sigbench fcgi
#      posts the same file to POST /api/v1/signatures/verify straight to motcua-fcgi's
#      FastCGI socket from BENCH_SIG_CONNECTIONS threads (nginx allows 120 a minute per
#      address on this endpoint, which would be measured instead);
#   4. pdfsig (poppler, with an NSS database trusting the same root) on the same file,
#      BENCH_SIG_PDFSIG_RUNS times, one process each as a user runs it;
#   5. the ratios against pdfsig, measured in the same run.
#
# Standalone: VAR=./var-g3 PORT=8103 bench/sig.sh (a running stack with the demo admin).
# Exits non-zero when a step failed.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
VAR=${VAR:-$ROOT/var-bench}
PORT=${PORT:-8092}
BASE=${BASE:-http://127.0.0.1:$PORT}
SECS=${BENCH_SIG_SECONDS:-5}
CONNS=${BENCH_SIG_CONNECTIONS:-16}
RUNS=${BENCH_SIG_PDFSIG_RUNS:-50}
TARGET=1500
say() { printf '[bench sig] %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

[ -x "$ROOT/build/sigbench" ] || die "build/sigbench is missing (make build/sigbench)"
command -v pdfsig >/dev/null || die "pdfsig is missing (Debian: poppler-utils)"
SOCK=$(sed -n 's/^MOTCUA_FCGI_SOCKET=//p' "$VAR/env" | tr -d "'\"")
[ -S "$SOCK" ] || die "no FastCGI socket at '$SOCK' (is the stack in $VAR running?)"

FX=$(mktemp -d /tmp/motcua-sigbench-XXXXXX)
JAR=$FX/cookies
CA_ID=
cleanup() {
	if [ -n "$CA_ID" ]; then
		curl -s -o /dev/null -b "$JAR" -H "X-CSRF-Token: $CSRF" -X DELETE "$BASE/api/v1/trust/cas/$CA_ID" || true
	fi
	rm -rf "$FX"
}
trap cleanup EXIT

say "making the test PKI and the signed PDF"
bash "$ROOT/tests/sig/make-fixtures.sh" "$FX" >/dev/null 2>&1 || die "make-fixtures.sh failed"
"$ROOT/build/sigbench" sign "$FX/big.pdf" "$FX" officer "$FX/bench.pdf" || die "signing failed"
SIZE=$(wc -c < "$FX/bench.pdf")
pdfsig -nssdir "sql:$FX/nss-verify" "$FX/bench.pdf" 2>&1 | grep -q 'Signature is Valid' \
	|| die "pdfsig does not judge the benchmark file valid"

say "in-process: ${SECS} s of CPU, one thread"
read -r _ INPROC INPROC_RUNS < <("$ROOT/build/sigbench" verify "$FX/root.pem" "$FX/inter-crl.der" "$FX/bench.pdf" "$SECS") \
	|| die "in-process verification failed"

say "pdfsig: $RUNS runs"
t0=$(date +%s.%N)
for ((i = 0; i < RUNS; i++)); do
	pdfsig -nssdir "sql:$FX/nss-verify" "$FX/bench.pdf" > /dev/null 2>&1 || die "pdfsig failed"
done
t1=$(date +%s.%N)
PDFSIG_MS=$(awk -v a="$t0" -v b="$t1" -v n="$RUNS" 'BEGIN { printf "%.1f", (b - a) * 1000 / n }')
PDFSIG_RATE=$(awk -v ms="$PDFSIG_MS" 'BEGIN { printf "%.1f", (ms > 0 ? 1000 / ms : 0) }')

say "the API: trusting the test root on the stack, then ${SECS} s from $CONNS connections"
login=$(curl -s -c "$JAR" -H 'Content-Type: application/json' \
	-d '{"username":"admin","password":"motcua-demo-2025"}' "$BASE/api/v1/auth/login")
CSRF=$(sed -n 's/.*"csrf_token":"\([^"]*\)".*/\1/p' <<< "$login")
[ -n "$CSRF" ] || die "cannot sign in as the demo admin: $login"
body=$(node -e 'process.stdout.write(JSON.stringify({ name: "Bench root CA", pem: require("fs").readFileSync(process.argv[1], "utf8") }))' "$FX/root.pem")
ca=$(curl -s -b "$JAR" -H "X-CSRF-Token: $CSRF" -H 'Content-Type: application/json' -d "$body" "$BASE/api/v1/trust/cas")
CA_ID=$(sed -n 's/^{"id":\([0-9]*\).*/\1/p' <<< "$ca")
[ -n "$CA_ID" ] || die "cannot trust the test root: $ca"
body=$(node -e 'process.stdout.write(JSON.stringify({ pem: require("fs").readFileSync(process.argv[1], "utf8") }))' "$FX/inter-crl.pem")
curl -s -o /dev/null -b "$JAR" -H "X-CSRF-Token: $CSRF" -H 'Content-Type: application/json' -d "$body" "$BASE/api/v1/trust/crls"
sleep 4   # each process of the service rebuilds its verifier within 3 s
read -r _ API_RPS API_N API_BAD API_P50 API_P99 < <("$ROOT/build/sigbench" fcgi "$SOCK" "$FX/bench.pdf" 2 "$CONNS") \
	|| die "the API does not answer a valid report"
read -r _ API_RPS API_N API_BAD API_P50 API_P99 < <("$ROOT/build/sigbench" fcgi "$SOCK" "$FX/bench.pdf" "$SECS" "$CONNS") \
	|| die "the API load failed"

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f", (b > 0 ? a / b : 0) }'; }
V=$(awk -v a="$INPROC" -v t="$TARGET" 'BEGIN { print (a + 0 >= t ? "PASS" : "MISS") }')
echo
echo "signature verification: a ${SIZE}-byte PDF, one adbe.pkcs7.detached signature (RSA-2048, SHA-256, chain of 3, CRL)"
printf '  %-44s %10s verifications/s (%s runs)\n' "in-process, one thread (per CPU second)" "$INPROC" "$INPROC_RUNS"
printf '  %-44s %10s req/s (%s connections, %s requests, %s not valid, p50 %s ms, p99 %s ms; %s cores)\n' \
	"API, POST /api/v1/signatures/verify (FastCGI)" "$API_RPS" "$CONNS" "$API_N" "$API_BAD" "$API_P50" "$API_P99" "$(nproc)"
printf '  %-44s %10s verifications/s (%s ms a run, %s runs, one process each)\n' \
	"pdfsig (poppler $(pdfsig -v 2>&1 | awk 'NR == 1 { print $3 }'))" "$PDFSIG_RATE" "$PDFSIG_MS" "$RUNS"
echo "  ratios: in-process / pdfsig $(ratio "$INPROC" "$PDFSIG_RATE"), API / pdfsig $(ratio "$API_RPS" "$PDFSIG_RATE")"
printf '  target: in-process >= %s verifications/s per core   %s (%s)\n' "$TARGET" "$V" "$INPROC"
