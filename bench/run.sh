#!/usr/bin/env bash
# make bench: the load benchmarks, on a stack of their own (./var-bench, port 8092, no
# rate limit on tracking), with 1,000,000 generated dossiers on top of the demo data.
#
#   1. start a fresh stack and time `motcua-admin generate` (dossiers/s);
#   2. wrk, 64 connections, 15 s each after a short warm-up, all on 127.0.0.1:
#        static   nginx serving an 80-byte JSON file (/bench-static.json)
#        ping     GET /api/v1/ping
#        tracking GET /api/v1/tracking/{code}, codes drawn from 10,000 real ones
#        search   GET /api/v1/procedures?q=dang+ky
#   3. the memory of motcua-fcgi (supervisor + worker: VmRSS, VmHWM);
#   4. a table with the ratios against static and ping (DESIGN.md: benchmarks report
#      ratios against baselines measured in the same run, never bare times), printed and
#      written to bench/results/latest.txt; then the stack is stopped.
#
# Knobs (environment): BENCH_COUNT (1000000), BENCH_MONTHS (36), BENCH_SEED (7),
# BENCH_DURATION (15 s), BENCH_WARMUP (3 s), BENCH_WARMUP_TRACKING (20 s: the codes walked
# in order first), BENCH_CONNECTIONS (64), BENCH_PORT (8092),
# BENCH_KEEP=1 leaves the stack running, BENCH_REUSE=1 reuses var-bench as it is when it
# already holds BENCH_COUNT dossiers (no generation: only the load is measured),
# INNODB_BUFFER_POOL (1G here: the million dossiers take 4.5 GB, and the stack's 256M
# default would measure the disk rather than the service).
# Exits 0 when every step ran (the verdicts are in the table), 1 when one failed.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

export VAR="$ROOT/var-bench" PORT=${BENCH_PORT:-8092} TRACKING_RATE=off DEMO=1
export INNODB_BUFFER_POOL=${INNODB_BUFFER_POOL:-1G}
COUNT=${BENCH_COUNT:-1000000}
MONTHS=${BENCH_MONTHS:-36}
SEED=${BENCH_SEED:-7}
DURATION=${BENCH_DURATION:-15}
WARMUP=${BENCH_WARMUP:-3}
CONNS=${BENCH_CONNECTIONS:-64}
WRK_THREADS=2
BASE="http://127.0.0.1:$PORT"
RESULTS="$ROOT/bench/results"
# targets (DESIGN.md, performance budgets)
TRACKING_VS_PING_MIN=0.6
TRACKING_P99_MAX_MS=20
MEMORY_MAX_MB=64

say() { printf '[bench] %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

stop_stack() {
	if [ "${BENCH_KEEP:-0}" = 1 ]; then
		say "stack left running: VAR=$VAR PORT=$PORT scripts/stack.sh stop"
	else
		scripts/stack.sh stop >/dev/null 2>&1 || true
	fi
}

if [ ! -x build/motcua-admin ] || [ ! -x build/motcua-fcgi ]; then
	die "build first (make bench does)"
fi
scripts/deps.sh wrk
command -v wrk >/dev/null || die "wrk is not installed"

# A fresh stack every run, the generation being part of what is measured, unless asked
# to reuse one.
REUSE=0
if [ "${BENCH_REUSE:-0}" = 1 ] && [ -f "$VAR/env" ]; then
	REUSE=1
else
	scripts/stack.sh stop >/dev/null 2>&1 || true
	rm -rf "$VAR"
fi
mkdir -p "$VAR" "$RESULTS"
trap stop_stack EXIT
say "starting the stack in $VAR (port $PORT)"
if ! scripts/stack.sh start > "$VAR/stack.log" 2>&1; then
	tail -20 "$VAR/stack.log" >&2
	die "the stack did not start"
fi
WORK="$VAR/bench"
mkdir -p "$WORK" "$VAR/static"
set -a
# shellcheck disable=SC1091
. "$VAR/env"
set +a
sql() {
	MYSQL_PWD="$MOTCUA_DB_PASSWORD" mariadb --no-defaults --socket="$MOTCUA_DB_SOCKET" \
		-u"$MOTCUA_DB_USER" "$MOTCUA_DB_NAME" -N -B "$@"
}

# ---- 1. generation
if [ "$REUSE" = 1 ] && [ "$(sql -e "SELECT COUNT(*) >= $COUNT FROM dossiers")" = 1 ]; then
	say "reusing the dossiers of $VAR (BENCH_REUSE=1): generation not measured"
	t0=0 t1=0
	rm -f "$WORK/generate.log"
else
	say "generating $COUNT dossiers over $MONTHS months (seed $SEED)"
	t0=$(date +%s.%N)
	if ! build/motcua-admin generate --count "$COUNT" --months "$MONTHS" --seed "$SEED" --append \
		2> "$WORK/generate.log"; then
		tail -20 "$WORK/generate.log" >&2
		die "generate failed"
	fi
	t1=$(date +%s.%N)
fi
GEN_SECS=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
GEN_RATE=$(awk -v n="$COUNT" -v s="$GEN_SECS" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }')
GEN_LINE=$(grep -E '^generate: [0-9]+ dossiers, ' "$WORK/generate.log" 2>/dev/null | tail -1 || true)
LOAD_LINE=$(grep -E '^generate: load seconds' "$WORK/generate.log" 2>/dev/null | tail -1 || true)
TOTAL_DOSSIERS=$(sql -e "SELECT COUNT(*) FROM dossiers")
say "generated in ${GEN_SECS} s (${GEN_RATE} dossiers/s); $TOTAL_DOSSIERS dossiers in the database"

# ---- 2. what the load needs
# an 80-byte JSON body for the static baseline
head='{"status":"ok","service":"motcua","what":"static baseline","pad":"'
pad=$(printf '%*s' $((80 - ${#head} - 2)) '' | tr ' ' 'x')
printf '%s%s"}' "$head" "$pad" > "$VAR/static/bench.json"
[ "$(wc -c < "$VAR/static/bench.json")" -eq 80 ] || die "static body is not 80 bytes"
sql -e "SELECT code FROM dossiers ORDER BY RAND($SEED) LIMIT 10000" > "$WORK/codes.txt"
[ "$(wc -l < "$WORK/codes.txt")" -gt 0 ] || die "no dossier codes"
export BENCH_CODES="$WORK/codes.txt"

names=(static ping tracking search)
labels=("nginx static 80-byte JSON" "GET /api/v1/ping" "GET /api/v1/tracking/{code}" \
	"GET /api/v1/procedures?q=dang+ky")
urls=("$BASE/bench-static.json" "$BASE/api/v1/ping" "$BASE/api/v1/tracking/$(head -1 "$WORK/codes.txt")" \
	"$BASE/api/v1/procedures?q=dang+ky")
for i in "${!names[@]}"; do
	status=$(curl -s -o "$WORK/${names[$i]}.body" -w '%{http_code}' "${urls[$i]}" || true)
	[ "$status" = 200 ] || die "${urls[$i]} answered $status, not 200 (see $WORK/${names[$i]}.body)"
done
urls[2]="$BASE/api/v1/tracking/"

# ---- 3. load
# parse_wrk FILE -> "requests_per_s p50_ms p99_ms non2xx socket_errors"
parse_wrk() {
	awk '
	function ms(v) {
		if (v ~ /us$/) return substr(v, 1, length(v) - 2) / 1000
		if (v ~ /ms$/) return substr(v, 1, length(v) - 2) + 0
		if (v ~ /m$/)  return substr(v, 1, length(v) - 1) * 60000
		if (v ~ /s$/)  return substr(v, 1, length(v) - 1) * 1000
		return v + 0
	}
	/^ +50%/ { p50 = ms($2) }
	/^ +99%/ { p99 = ms($2) }
	/^Requests\/sec:/ { rps = $2 }
	/Non-2xx or 3xx responses:/ { bad = $NF }
	/Socket errors:/ { gsub(/,/, ""); err = $4 + $6 + $8 + $10 }
	END { printf "%.0f %.2f %.2f %d %d\n", rps, p50, p99, bad, err }' "$1"
}

# Tracking reads rows spread over the whole data set: walk the codes in order first, in
# parallel, so that the measure finds them where a running service would (in the buffer
# pool) rather than on a cold disk. Bounded by BENCH_WARMUP_TRACKING seconds.
WARM_TRACKING=${BENCH_WARMUP_TRACKING:-20}
say "warming up tracking: the codes in order, ${WARM_TRACKING} s at most"
BENCH_ORDER=walk BENCH_WRK_THREADS=$WRK_THREADS wrk -t"$WRK_THREADS" -c"$CONNS" \
	-d"${WARM_TRACKING}s" -s "$ROOT/bench/tracking.lua" "$BASE/api/v1/tracking/" \
	> "$WORK/wrk-warm-tracking.txt" 2>&1 || die "tracking warm-up failed"
WARM_REQS=$(awk '/requests in/ { print $1 }' "$WORK/wrk-warm-tracking.txt")
say "warm-up: ${WARM_REQS:-?} tracking requests"

declare -A RPS P50 P99 BAD ERR
for i in "${!names[@]}"; do
	n=${names[$i]}
	script=()
	[ "$n" = tracking ] && script=(-s "$ROOT/bench/tracking.lua")
	say "wrk $n: ${CONNS} connections, ${WARMUP} s warm-up, ${DURATION} s measured"
	wrk -t"$WRK_THREADS" -c"$CONNS" -d"${WARMUP}s" "${script[@]}" "${urls[$i]}" > /dev/null 2>&1 || true
	wrk -t"$WRK_THREADS" -c"$CONNS" -d"${DURATION}s" --latency "${script[@]}" "${urls[$i]}" \
		> "$WORK/wrk-$n.txt" 2>&1 || die "wrk failed for $n (see $WORK/wrk-$n.txt)"
	read -r "RPS[$n]" "P50[$n]" "P99[$n]" "BAD[$n]" "ERR[$n]" < <(parse_wrk "$WORK/wrk-$n.txt")
	[ "${RPS[$n]}" -gt 0 ] || die "no requests measured for $n (see $WORK/wrk-$n.txt)"
done

# ---- 4. memory of motcua-fcgi: the supervisor (pid file) and its worker(s)
SUP=$(cat "$VAR/run/fcgi.pid")
PIDS="$SUP $(pgrep -P "$SUP" || true)"
RSS_KB=0 HWM_KB=0 NPROC=0
for p in $PIDS; do
	[ -r "/proc/$p/status" ] || continue
	r=$(awk '/^VmRSS:/ { print $2 }' "/proc/$p/status")
	h=$(awk '/^VmHWM:/ { print $2 }' "/proc/$p/status")
	RSS_KB=$((RSS_KB + ${r:-0})) HWM_KB=$((HWM_KB + ${h:-0})) NPROC=$((NPROC + 1))
done

# ---- 5. the table
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
# verdict A OP B (OP: ge, le, lt) -> PASS or MISS
verdict() {
	if awk -v a="$1" -v op="$2" -v b="$3" 'BEGIN {
		ok = op == "ge" ? a + 0 >= b + 0 : op == "le" ? a + 0 <= b + 0 : a + 0 < b + 0
		exit !ok }'; then echo PASS; else echo MISS; fi
}
R_TP=$(ratio "${RPS[tracking]}" "${RPS[ping]}")
R_TS=$(ratio "${RPS[tracking]}" "${RPS[static]}")
R_PS=$(ratio "${RPS[ping]}" "${RPS[static]}")
R_QS=$(ratio "${RPS[search]}" "${RPS[static]}")
RSS_MB=$(awk -v k="$RSS_KB" 'BEGIN { printf "%.1f", k / 1024 }')
HWM_MB=$(awk -v k="$HWM_KB" 'BEGIN { printf "%.1f", k / 1024 }')
V_RATIO=$(verdict "$R_TP" ge "$TRACKING_VS_PING_MIN")
V_P99=$(verdict "${P99[tracking]}" le "$TRACKING_P99_MAX_MS")
V_MEM=$(verdict "$HWM_MB" lt "$MEMORY_MAX_MB")
EVENTS=$(sed -n 's/.* dossiers, [0-9]* documents, \([0-9]*\) events.*/\1/p' <<< "$GEN_LINE")

{
	echo "motcua benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
	echo "machine: $(nproc) cores, $(awk '/^MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo); $(nginx -v 2>&1 | sed 's|.*/||;s|^|nginx |'), $(mariadbd --version 2>/dev/null | awk '{ print "MariaDB " $3 }')"
	echo
	echo "data: $TOTAL_DOSSIERS dossiers in the database; MariaDB buffer pool $INNODB_BUFFER_POOL"
	if [ "$GEN_SECS" = 0.0 ]; then
		echo "generate: not measured (BENCH_REUSE=1)"
	else
		printf 'generate: %s dossiers over %s months in %s s = %s dossiers/s (%s events, loaded with them)\n' \
			"$COUNT" "$MONTHS" "$GEN_SECS" "$GEN_RATE" "${EVENTS:-?}"
	fi
	if [ -n "$LOAD_LINE" ]; then echo "  ${LOAD_LINE#generate: }"; fi
	echo
	echo "wrk: $CONNS connections, $WRK_THREADS threads, ${DURATION} s per endpoint after ${WARMUP} s warm-up, 127.0.0.1"
	echo "     (tracking: ${WARM_REQS:-?} requests walking the $(wc -l < "$WORK/codes.txt") codes in order first)"
	printf '%-34s %10s %9s %9s %9s %9s\n' "endpoint" "req/s" "p50 ms" "p99 ms" "non-2xx" "sock.err"
	for i in "${!names[@]}"; do
		n=${names[$i]}
		printf '%-34s %10s %9s %9s %9s %9s\n' "${labels[$i]}" "${RPS[$n]}" "${P50[$n]}" "${P99[$n]}" \
			"${BAD[$n]}" "${ERR[$n]}"
	done
	echo
	echo "ratios of throughput:"
	echo "  ping / static       $R_PS"
	echo "  tracking / static   $R_TS"
	echo "  tracking / ping     $R_TP"
	echo "  search / static     $R_QS"
	echo
	echo "targets:"
	printf '  tracking >= %s x ping throughput   %-4s (%s)\n' "$TRACKING_VS_PING_MIN" "$V_RATIO" "$R_TP"
	printf '  tracking p99 <= %s ms              %-4s (%s ms)\n' "$TRACKING_P99_MAX_MS" "$V_P99" "${P99[tracking]}"
	printf '  motcua-fcgi memory < %s MB         %-4s (VmRSS %s MB, VmHWM %s MB; %s processes: supervisor + workers)\n' \
		"$MEMORY_MAX_MB" "$V_MEM" "$RSS_MB" "$HWM_MB" "$NPROC"
} > "$RESULTS/latest.txt"
cat "$RESULTS/latest.txt"
BASE="$BASE" bash "$ROOT/bench/sig.sh" | tee -a "$RESULTS/latest.txt" || die "the signature benchmark failed"
VAR="$ROOT/var-bench/reports" bash "$ROOT/bench/reports.sh" | tee -a "$RESULTS/latest.txt" || die "the reports benchmark failed"
say "written to bench/results/latest.txt; raw wrk output in $WORK"
