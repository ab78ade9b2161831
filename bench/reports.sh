#!/usr/bin/env bash
# Form 06 at scale: a province of 200 units (1 province, 19 districts, 180 communes) with
# BENCH_REPORTS_COUNT dossiers (1,000,000) over 36 months, on a stack of its own
# (./var-bench/reports, port 8093; no demo data; ignored by git with var-bench/).
#
#   1. start a fresh stack, import the 200 units and the catalog, time `motcua-admin
#      generate` (which ends with a statistics rebuild) and then `motcua-admin
#      stats-rebuild` alone;
#   2. form 06 of the whole province for one year, many times one after the other through
#      nginx and the API (curl: median and p99 of the total time), for
#        live-year    a calendar year, whole months, counted live (months not closed)
#        live-rolling a year from the 2nd of a month (day rows at both ends)
#        list-year    the same year with subunits=list (one table per district)
#        frozen-year  the same year after its months are closed (stored figures)
#      and the dashboard's queries over the last twelve months (as the page asks them):
#        dash-province, dash-district   GET /api/v1/reports/dashboard
#        indicators, late, modernisation   GET /api/v1/reports/{indicators,late,modernisation}
#      (a query slower than a second is timed BENCH_SLOW_RUNS times only), and against
#      ping in the same run;
#   3. the same year's three queries in the database directly (one mariadb session running
#      them BENCH_RUNS times: the mean);
#   4. the table, printed and written to bench/results/reports-latest.txt.
#
# Knobs: BENCH_REPORTS_COUNT (1000000), BENCH_MONTHS (36), BENCH_SEED (7), BENCH_RUNS (200),
# BENCH_SLOW_RUNS (20),
# BENCH_REPORTS_PORT (8093), VAR (var-bench/reports), BENCH_REUSE=1 reuses the stack's data
# when it holds the dossiers already, BENCH_KEEP=1 leaves the stack running,
# INNODB_BUFFER_POOL (1G).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

export VAR=${VAR:-$ROOT/var-bench/reports} PORT=${BENCH_REPORTS_PORT:-8093} DEMO=0 TRACKING_RATE=off
export INNODB_BUFFER_POOL=${INNODB_BUFFER_POOL:-1G}
# the months stay open until step 2 closes them (the worker would close them at once)
export MOTCUA_STATS_CLOSE_DAYS=36500
COUNT=${BENCH_REPORTS_COUNT:-1000000}
MONTHS=${BENCH_MONTHS:-36}
SEED=${BENCH_SEED:-7}
RUNS=${BENCH_RUNS:-200}
SLOW_RUNS=${BENCH_SLOW_RUNS:-20}
BASE="http://127.0.0.1:$PORT"
RESULTS="$ROOT/bench/results"
TARGET_MS=100
PASSWORD=bench-reports-password

say() { printf '[bench-reports] %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

stop_stack() {
	if [ "${BENCH_KEEP:-0}" = 1 ]; then
		say "stack left running: VAR=$VAR PORT=$PORT scripts/stack.sh stop"
	else
		scripts/stack.sh stop >/dev/null 2>&1 || true
	fi
}

[ -x build/motcua-admin ] && [ -x build/motcua-fcgi ] || die "build first (make build)"

REUSE=0
if [ "${BENCH_REUSE:-0}" = 1 ] && [ -f "$VAR/env" ]; then
	REUSE=1
	scripts/stack.sh stop >/dev/null 2>&1 || true   # the data stays; the binaries are the new ones
else
	scripts/stack.sh stop >/dev/null 2>&1 || true
	rm -rf "$VAR"
fi
mkdir -p "$VAR" "$RESULTS"
trap stop_stack EXIT
say "starting the stack in $VAR (port $PORT)"
scripts/stack.sh start > "$VAR/stack.log" 2>&1 || { tail -20 "$VAR/stack.log" >&2; die "the stack did not start"; }
WORK="$VAR/bench"
mkdir -p "$WORK"
set -a
# shellcheck disable=SC1091
. "$VAR/env"
set +a
sql() {
	MYSQL_PWD="$MOTCUA_DB_PASSWORD" mariadb --no-defaults --socket="$MOTCUA_DB_SOCKET" \
		-u"$MOTCUA_DB_USER" "$MOTCUA_DB_NAME" -N -B "$@"
}
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

# ---- 1. data
if [ "$REUSE" = 1 ] && [ "$(sql -e "SELECT COUNT(*) >= $COUNT FROM dossiers")" = 1 ]; then
	say "reusing the dossiers of $VAR (BENCH_REUSE=1); its months opened again"
	sql -e "DELETE FROM stats_frozen; DELETE FROM stats_closed_months"
	GEN_SECS=-
else
	# 1 province, 19 districts, 180 communes (10 under the first nine districts, 9 under the others)
	{
		echo '{"units": ['
		echo '{"code": "000.00.00.H99", "name": "Ủy ban nhân dân tỉnh Thử Nghiệm", "short_name": "Tỉnh Thử Nghiệm", "level": "province", "level_label": "Tỉnh", "parent": null}'
		for d in $(seq 1 19); do
			dd=$(printf '%02d' "$d")
			echo ",{\"code\": \"000.00.$dd.H99\", \"name\": \"Ủy ban nhân dân huyện Số $d\", \"short_name\": \"Huyện Số $d\", \"level\": \"district\", \"level_label\": \"Huyện\", \"parent\": \"000.00.00.H99\"}"
			n=$([ "$d" -le 9 ] && echo 10 || echo 9)
			for c in $(seq 1 "$n"); do
				cc=$(printf '%02d' "$c")
				echo ",{\"code\": \"000.$cc.$dd.H99\", \"name\": \"Ủy ban nhân dân xã Số $c huyện Số $d\", \"short_name\": \"Xã Số $c-$d\", \"level\": \"commune\", \"level_label\": \"Xã\", \"parent\": \"000.00.$dd.H99\"}"
			done
		done
		echo ']}'
	} > "$WORK/units.json"
	build/motcua-admin import-units "$WORK/units.json" >&2
	build/motcua-admin import-procedures sql/seed/procedures.json >&2
	[ "$(sql -e 'SELECT COUNT(*) FROM units')" = 200 ] || die "expected 200 units"
	MOTCUA_NEW_PASSWORD=$PASSWORD build/motcua-admin create-officer --username bench.admin \
		--name "Quản trị thử tải" --unit 000.00.00.H99 --roles admin,monitor >&2
	say "generating $COUNT dossiers over $MONTHS months"
	t0=$(now)
	build/motcua-admin generate --count "$COUNT" --months "$MONTHS" --seed "$SEED" 2> "$WORK/generate.log" ||
		{ tail -20 "$WORK/generate.log" >&2; die "generate failed"; }
	t1=$(now)
	GEN_SECS=$(secs "$t0" "$t1")
	say "generated in $GEN_SECS s (its statistics included)"
fi
t1=$(now)
build/motcua-admin stats-rebuild 2> "$WORK/rebuild.log" || { cat "$WORK/rebuild.log" >&2; die "stats-rebuild failed"; }
t2=$(now)
REBUILD_SECS=$(secs "$t1" "$t2")
say "stats rebuilt in $REBUILD_SECS s"
DOSSIERS=$(sql -e "SELECT COUNT(*) FROM dossiers")
FACTS=$(sql -e "SELECT COUNT(*) FROM stats_facts")
DAYROWS=$(sql -e "SELECT COUNT(*) FROM stats_day")
MONTHROWS=$(sql -e "SELECT COUNT(*) FROM stats_month")

# ---- 2. through the API
login=$(curl -s -i -H 'Content-Type: application/json' \
	-d "{\"username\":\"bench.admin\",\"password\":\"$PASSWORD\"}" "$BASE/api/v1/auth/login")
COOKIE=$(printf '%s' "$login" | tr -d '\r' | sed -n 's/^[Ss]et-[Cc]ookie: \(motcua_session=[^;]*\).*/\1/p' | head -1)
CSRF=$(printf '%s' "$login" | sed -n 's/.*"csrf_token":"\([^"]*\)".*/\1/p' | head -1)
[ -n "$COOKIE" ] || die "cannot sign in as bench.admin"

# the last whole calendar year in the data
YEAR=$(( $(TZ=Asia/Ho_Chi_Minh date +%Y) - 1 ))
FORM="$BASE/api/v1/reports/form06?unit=000.00.00.H99"

# timed NAME URL [optional]: RUNS sequential requests (SLOW_RUNS when the first takes over a
# second); sets P50[NAME] P99[NAME] (ms), N[NAME] and FIRST[NAME] (the first request, ms).
# An optional request that fails is reported as its status instead of stopping the run.
declare -A P50 P99 LABEL N FIRST
timed() {
	local name=$1 url=$2 optional=${3:-} status first runs=$RUNS warm
	first=$(curl -s -o "$WORK/$name.body" -w '%{http_code} %{time_total}' -H "Cookie: $COOKIE" "$url")
	status=${first%% *}
	if [ "$status" != 200 ] && [ -n "$optional" ]; then
		say "$name: $url answered $status: $(head -c 300 "$WORK/$name.body")"
		P50[$name]="HTTP $status" P99[$name]=- N[$name]=1
		FIRST[$name]=$(awk -v t="${first#* }" 'BEGIN { printf "%.1f", t * 1000 }')
		return 0
	fi
	[ "$status" = 200 ] || die "$url answered $status: $(head -c 300 "$WORK/$name.body")"
	FIRST[$name]=$(awk -v t="${first#* }" 'BEGIN { printf "%.1f", t * 1000 }')
	warm=3
	if awk -v t="${first#* }" 'BEGIN { exit !(t > 1) }' && [ "$SLOW_RUNS" -lt "$RUNS" ]; then
		runs=$SLOW_RUNS warm=0          # the first request warmed it up
	fi
	N[$name]=$runs
	for _ in $(seq 1 "$warm"); do curl -s -o /dev/null -H "Cookie: $COOKIE" "$url"; done
	for _ in $(seq 1 "$runs"); do
		curl -s -o /dev/null -w '%{time_total}\n' -H "Cookie: $COOKIE" "$url"
	done | sort -n > "$WORK/$name.times"
	P50[$name]=$(awk '{ a[NR] = $1 * 1000 } END { printf "%.1f", a[int((NR + 1) / 2)] }' "$WORK/$name.times")
	P99[$name]=$(awk '{ a[NR] = $1 * 1000 } END { i = int(NR * 0.99 + 0.999); if (i > NR) i = NR; printf "%.1f", a[i] }' "$WORK/$name.times")
	say "$name: median ${P50[$name]} ms, p99 ${P99[$name]} ms ($runs runs; the first ${FIRST[$name]} ms)"
}

names=(ping live-year live-rolling list-year frozen-year)
LABEL[ping]="GET /api/v1/ping (baseline)"
LABEL[live-year]="form06 province, $YEAR, live"
LABEL[live-rolling]="form06 province, $YEAR-01-02..$((YEAR + 1))-01-01"
LABEL[list-year]="form06 province, $YEAR, subunits=list"
LABEL[frozen-year]="form06 province, $YEAR, closed months"
timed ping "$BASE/api/v1/ping"
timed live-year "$FORM&from=$YEAR-01-01&to=$YEAR-12-31"
grep -q '"frozen":false' "$WORK/live-year.body" || die "the year was expected live"
timed live-rolling "$FORM&from=$YEAR-01-02&to=$((YEAR + 1))-01-01"
timed list-year "$FORM&from=$YEAR-01-01&to=$YEAR-12-31&subunits=list"
# the dashboard page's queries, the last twelve months up to today (local days)
TODAY=$(TZ=Asia/Ho_Chi_Minh date +%F)
FROM12=$(TZ=Asia/Ho_Chi_Minh date -d "$(TZ=Asia/Ho_Chi_Minh date +%Y-%m-01) -11 months" +%F)
names+=(dash-province dash-district indicators late modernisation)
LABEL[dash-province]="dashboard province, 12 months"
LABEL[dash-district]="dashboard one district, 12 months"
LABEL[indicators]="indicators province, 12 months"
LABEL[late]="late province, 12 months"
LABEL[modernisation]="modernisation province, 12 months"
timed dash-province "$BASE/api/v1/reports/dashboard?unit=000.00.00.H99"
grep -q "\"from\":\"$FROM12\"" "$WORK/dash-province.body" || die "the dashboard's default period does not start on $FROM12"
timed dash-district "$BASE/api/v1/reports/dashboard?unit=000.00.01.H99"
timed indicators "$BASE/api/v1/reports/indicators?unit=000.00.00.H99&from=$FROM12&to=$TODAY" optional
timed late "$BASE/api/v1/reports/late?unit=000.00.00.H99&from=$FROM12&to=$TODAY" optional
timed modernisation "$BASE/api/v1/reports/modernisation?unit=000.00.00.H99&from=$FROM12&to=$TODAY" optional
for m in 01 02 03 04 05 06 07 08 09 10 11 12; do
	status=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H "Cookie: $COOKIE" -H "X-CSRF-Token: $CSRF" \
		"$BASE/api/v1/reports/months/$YEAR-$m/close")
	[ "$status" = 201 ] || [ "$status" = 200 ] || die "closing $YEAR-$m answered $status"
done
timed frozen-year "$FORM&from=$YEAR-01-01&to=$YEAR-12-31"
grep -q '"frozen":true' "$WORK/frozen-year.body" || die "the closed year was expected frozen"
# the live and the stored figures of the year agree
diff <(sed 's/"frozen":[a-z]*//' "$WORK/live-year.body") <(sed 's/"frozen":[a-z]*//' "$WORK/frozen-year.body") >/dev/null ||
	die "the closed year's figures differ from the live ones"

# ---- 3. in the database: the year's flows and its two balances, server-side time
DBQ="SELECT s.unit_id, s.field_id, s.rec_online, s.rec_direct_postal, s.fin_before, s.fin_on_time, s.fin_late
  FROM stats_month s WHERE s.month BETWEEN '$YEAR-01-01' AND '$YEAR-12-01';
  SELECT s.unit_id, s.field_id, s.open_eom, s.overdue_eom FROM stats_month s WHERE s.month = '$((YEAR - 1))-12-01';
  SELECT s.unit_id, s.field_id, s.open_eom, s.overdue_eom FROM stats_month s WHERE s.month = '$YEAR-12-01';"
# one client session runs them RUNS times (the client's start-up would swamp a single run)
for _ in $(seq 1 "$RUNS"); do printf '%s\n' "$DBQ"; done > "$WORK/db.sql"
sql -e "SELECT 1" > /dev/null
a=$(now)
sql -e "SELECT 1" > /dev/null
b=$(now)
sql < "$WORK/db.sql" > /dev/null
c=$(now)
DBMEAN=$(awk -v a="$a" -v b="$b" -v c="$c" -v n="$RUNS" 'BEGIN { printf "%.1f", ((c - b) - (b - a)) * 1000 / n }')
ROWS_YEAR=$(sql -e "SELECT COUNT(*) FROM stats_month s JOIN units u ON u.id = s.unit_id WHERE s.month BETWEEN '$YEAR-01-01' AND '$YEAR-12-01'")

# ---- 4. the table
{
	echo "motcua reports benchmark, $(date -u '+%Y-%m-%d %H:%M') UTC, commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
	echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo); $(mariadb --version | sed 's/.*Distrib \([^,]*\),.*/MariaDB \1/')"
	echo
	echo "data: $DOSSIERS dossiers over $MONTHS months in 200 units; MariaDB buffer pool $INNODB_BUFFER_POOL"
	echo "  generate ${GEN_SECS} s (with its stats-rebuild); stats-rebuild alone ${REBUILD_SECS} s"
	echo "  aggregates: $FACTS facts, $DAYROWS day rows, $MONTHROWS month rows ($ROWS_YEAR in $YEAR)"
	echo
	echo "sequential requests through nginx (curl total time, ms), 127.0.0.1: $RUNS each,"
	echo "$SLOW_RUNS for one whose first request took over a second (runs column); first: that request"
	printf '%-48s %9s %9s %6s %9s\n' "request" "p50 ms" "p99 ms" "runs" "first ms"
	for n in "${names[@]}"; do
		printf '%-48s %9s %9s %6s %9s\n' "${LABEL[$n]}" "${P50[$n]}" "${P99[$n]}" "${N[$n]}" "${FIRST[$n]}"
	done
	printf '%-48s %9s %9s\n' "the year's 3 queries in MariaDB (mean of $RUNS)" "$DBMEAN" "-"
	echo
	echo "target: form06 province-year and the dashboard < $TARGET_MS ms (p99)"
	for n in live-year live-rolling frozen-year dash-province dash-district; do
		v=$(awk -v p="${P99[$n]}" -v t="$TARGET_MS" 'BEGIN { print (p < t) ? "PASS" : "MISS" }')
		printf '  %-46s %s (p99 %s ms, median %s ms)\n' "${LABEL[$n]}" "$v" "${P99[$n]}" "${P50[$n]}"
	done
} > "$RESULTS/reports-latest.txt"
cat "$RESULTS/reports-latest.txt"
say "written to bench/results/reports-latest.txt; raw timings in $WORK"
