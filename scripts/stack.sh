#!/usr/bin/env bash
# Starts or stops the local stack: MariaDB, motcua-fcgi, motcua-worker and nginx, all under $VAR, all on
# loopback or unix sockets. Every process started is recorded in a pid file under
# $VAR/run, and `stop` signals exactly those.
#
#   VAR=./var PORT=8080 scripts/stack.sh start|stop|status
#   TRACKING_RATE=10r/s (nginx rate limit of the tracking endpoint; "off" for benchmarks)
#   DEMO=1 loads the demo data set on first start (the default), DEMO=0 does not.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
VAR=$(mkdir -p "${VAR:-$ROOT/var}" && cd "${VAR:-$ROOT/var}" && pwd)
PORT=${PORT:-8080}
TRACKING_RATE=${TRACKING_RATE:-10r/s}
DEMO=${DEMO:-1}
THREADS=${MOTCUA_THREADS:-8}
RUN=$VAR/run LOG=$VAR/log
ME=$(id -un)
DB_SOCK=$RUN/mysqld.sock

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

wait_for() { # wait_for SECONDS DESCRIPTION COMMAND...
	local n=$(( $1 * 10 )) what=$2; shift 2
	while ! "$@" >/dev/null 2>&1; do
		n=$((n - 1))
		if [ $n -le 0 ]; then echo "timed out waiting for $what" >&2; return 1; fi
		sleep 0.1
	done
}

sql_root() { mariadb --no-defaults --socket="$DB_SOCK" -u"$ME" "$@"; }

start_db() {
	if alive "$RUN/mysqld.pid"; then return; fi
	if [ ! -d "$VAR/db/mysql" ]; then
		echo "initialising MariaDB data directory in $VAR/db"
		mariadb-install-db --no-defaults --datadir="$VAR/db" --user="$ME" \
			--auth-root-authentication-method=socket --skip-test-db >"$LOG/mariadb-install.log" 2>&1
	fi
	mariadbd --no-defaults --datadir="$VAR/db" --socket="$DB_SOCK" --pid-file="$RUN/mysqld.pid" \
		--skip-networking --user="$ME" --log-error="$LOG/mariadb.log" \
		--character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
		--innodb-buffer-pool-size="${INNODB_BUFFER_POOL:-256M}" --innodb-log-file-size=256M \
		--max-connections=300 --local-infile=1 --skip-name-resolve \
		</dev/null >/dev/null 2>&1 &
	wait_for 60 "MariaDB" mariadb-admin --no-defaults --socket="$DB_SOCK" -u"$ME" ping
	if [ ! -f "$VAR/env" ]; then
		local pw
		pw=$(openssl rand -hex 16)
		sql_root -e "CREATE DATABASE IF NOT EXISTS motcua CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
			CREATE USER IF NOT EXISTS 'motcua'@'localhost' IDENTIFIED BY '$pw';
			GRANT ALL PRIVILEGES ON motcua.* TO 'motcua'@'localhost';"
		umask 077
		cat > "$VAR/env" <<ENV
MOTCUA_DB_SOCKET=$DB_SOCK
MOTCUA_DB_USER=motcua
MOTCUA_DB_PASSWORD=$pw
MOTCUA_DB_NAME=motcua
MOTCUA_FCGI_SOCKET=$RUN/fcgi.sock
MOTCUA_FILES_DIR=$VAR/files
MOTCUA_PUBLIC_URL=http://127.0.0.1:$PORT
MOTCUA_THREADS=$THREADS
ENV
	fi
}

load_env() { set -a; . "$VAR/env"; set +a; }

migrate_and_seed() {
	"$ROOT/build/motcua-admin" migrate --dir "$ROOT/sql"
	if [ "$DEMO" = 1 ]; then
		"$ROOT/build/motcua-admin" seed-demo --data "$ROOT/sql/seed" --out "$VAR/demo-dossiers.tsv"
	fi
}

start_fcgi() {
	if alive "$RUN/fcgi.pid"; then return; fi
	rm -f "$RUN/fcgi.sock"
	setsid "$ROOT/build/motcua-fcgi" </dev/null >>"$LOG/fcgi.log" 2>&1 &
	echo $! > "$RUN/fcgi.pid"
	if ! wait_for 20 "motcua-fcgi" test -S "$RUN/fcgi.sock"; then
		tail -5 "$LOG/fcgi.log" >&2
		return 1
	fi
}

start_worker() {
	if alive "$RUN/worker.pid"; then return; fi
	setsid "$ROOT/build/motcua-worker" </dev/null >>"$LOG/worker.log" 2>&1 &
	echo $! > "$RUN/worker.pid"
}

start_nginx() {
	local rate_zone="" rate_use="" user_directive=""
	# as root, nginx would drop its workers to "nobody", who may not reach the service's
	# socket (0660); locally they run as the user who started the stack
	[ "$(id -u)" -eq 0 ] && user_directive="user root;"
	if [ "$TRACKING_RATE" != off ]; then
		rate_zone="limit_req_zone \$binary_remote_addr zone=tracking:10m rate=$TRACKING_RATE;"
		rate_use="limit_req zone=tracking burst=20 nodelay;"
	fi
	mkdir -p "$VAR/nginx/tmp"
	sed -e "s|@PORT@|$PORT|g" -e "s|@VAR@|$VAR|g" -e "s|@WWW@|$ROOT/www|g" \
	    -e "s|@FCGI_SOCKET@|$RUN/fcgi.sock|g" -e "s|@USER@|$ME|g" \
	    -e "s|@RATE_ZONE@|$rate_zone|g" -e "s|@RATE_USE@|$rate_use|g" \
	    -e "s|@NGINX_INCLUDE@|/etc/nginx|g" -e "s|@ROOT@|$ROOT|g" \
	    -e "s|@USER_DIRECTIVE@|$user_directive|g" \
	    "$ROOT/nginx/dev.conf.in" > "$VAR/nginx/nginx.conf"
	if alive "$RUN/nginx.pid"; then
		nginx -p "$VAR/nginx" -c "$VAR/nginx/nginx.conf" -e "$LOG/nginx-error.log" -s reload
		return
	fi
	nginx -p "$VAR/nginx" -c "$VAR/nginx/nginx.conf" -e "$LOG/nginx-error.log"
	wait_for 10 "nginx" curl -fsS "http://127.0.0.1:$PORT/api/v1/ping"
}

stop_one() { # stop_one NAME PIDFILE
	local pidf=$RUN/$2 pid n=300
	[ -f "$pidf" ] || return 0
	pid=$(cat "$pidf")
	if kill -0 "$pid" 2>/dev/null; then
		kill -TERM "$pid"
		while kill -0 "$pid" 2>/dev/null && [ $n -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
		if kill -0 "$pid" 2>/dev/null; then
			echo "$1 (pid $pid) did not stop in 30 s; killing it" >&2
			kill -KILL "$pid" 2>/dev/null || true
		fi
	fi
	rm -f "$pidf"
}

case "${1:-}" in
start)
	mkdir -p "$RUN" "$LOG" "$VAR/files"
	start_db
	load_env
	migrate_and_seed
	start_fcgi
	start_worker
	start_nginx
	echo "motcua is running: http://127.0.0.1:$PORT/  (stop with: make stop)"
	;;
stop)
	stop_one nginx nginx.pid
	stop_one motcua-worker worker.pid
	stop_one motcua-fcgi fcgi.pid
	stop_one MariaDB mysqld.pid
	;;
status)
	for p in mysqld fcgi worker nginx; do
		if alive "$RUN/$p.pid"; then echo "$p: running (pid $(cat "$RUN/$p.pid"))"; else echo "$p: stopped"; fi
	done
	;;
*)
	echo "usage: VAR=dir PORT=n $0 start|stop|status" >&2
	exit 2
	;;
esac
