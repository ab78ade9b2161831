#!/usr/bin/env bash
# Starts or stops the local stack: MariaDB, motcua-fcgi, motcua-worker and nginx, all under $VAR, all on
# loopback or unix sockets. Every process started is recorded in a pid file under
# $VAR/run, and `stop` signals exactly those.
#
#   VAR=./var PORT=8080 scripts/stack.sh start|stop|status
#   TRACKING_RATE=10r/s (nginx rate limit of the tracking endpoint; "off" for benchmarks)
#   DEMO=1 loads the demo data set on first start (the default), DEMO=0 does not.
#   FIXTURES="form06-seed" loads test fixtures (tools/fixture.h) too; tests/run.sh does.
#   SMTP_SINK=1 (the default) runs an aiosmtpd mail sink on a free loopback port that
#   stores every message in the Maildir $VAR/mail; the worker's SMS go to $VAR/sms.log.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
VAR=$(mkdir -p "${VAR:-$ROOT/var}" && cd "${VAR:-$ROOT/var}" && pwd)
PORT=${PORT:-8080}
TRACKING_RATE=${TRACKING_RATE:-10r/s}
DEMO=${DEMO:-1}
FIXTURES=${FIXTURES:-}
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
	# the test payment gateway's shared secret, for the local stack only
	grep -q '^MOTCUA_PAYMENT_SECRET=' "$VAR/env" ||
		echo "MOTCUA_PAYMENT_SECRET=$(openssl rand -hex 32)" >> "$VAR/env"
}

load_env() { set -a; . "$VAR/env"; set +a; }

# A local mail sink (Debian's python3-aiosmtpd) so the outbox really speaks SMTP: every
# message lands in the Maildir $VAR/mail. Its port, free when chosen, is written to
# $VAR/env (MOTCUA_SMTP_HOST/PORT) with the SMS sink; a running sink keeps its port.
start_smtp() {
	local port
	[ "${SMTP_SINK:-1}" = 1 ] || return 0
	if alive "$RUN/smtp.pid" && [ -f "$RUN/smtp.port" ]; then
		port=$(cat "$RUN/smtp.port")
	else
		# the port it had before if still free: a worker left running keeps its settings
		port=$(/usr/bin/python3 -c 'import socket, sys
s = socket.socket()
try: s.bind(("127.0.0.1", int(sys.argv[1])))
except (OSError, ValueError): s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])' "$(cat "$RUN/smtp.port" 2>/dev/null || echo 0)")
		mkdir -p "$VAR/mail/cur" "$VAR/mail/new" "$VAR/mail/tmp"
		setsid /usr/bin/python3 -m aiosmtpd -n -l "127.0.0.1:$port" -c aiosmtpd.handlers.Mailbox "$VAR/mail" \
			</dev/null >>"$LOG/smtp.log" 2>&1 &
		echo $! > "$RUN/smtp.pid"
		echo "$port" > "$RUN/smtp.port"
		wait_for 10 "the SMTP sink" /usr/bin/python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 1)"
	fi
	sed -i -e '/^MOTCUA_SMTP_HOST=/d' -e '/^MOTCUA_SMTP_PORT=/d' -e '/^MOTCUA_SMS_SINK=/d' \
		-e '/^MOTCUA_MAIL_FROM=/d' "$VAR/env"
	cat >> "$VAR/env" <<ENV
MOTCUA_SMTP_HOST=127.0.0.1
MOTCUA_SMTP_PORT=$port
MOTCUA_SMS_SINK=$VAR/sms.log
MOTCUA_MAIL_FROM=no-reply@motcua.local
ENV
}

migrate_and_seed() {
	"$ROOT/build/motcua-admin" migrate --dir "$ROOT/sql"
	if [ "$DEMO" = 1 ]; then
		"$ROOT/build/motcua-admin" seed-demo --data "$ROOT/sql/seed" --out "$VAR/demo-dossiers.tsv"
	fi
	# before the worker starts, so no month of a fixture is closed without it
	for fixture in $FIXTURES; do
		"$ROOT/build/motcua-admin" load-fixture "$fixture"
	done
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
	start_smtp
	load_env
	migrate_and_seed
	if [ "$DEMO" = 1 ]; then VAR="$VAR" "$ROOT/scripts/demo-pki.sh"; load_env; fi
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
	stop_one "SMTP sink" smtp.pid
	;;
status)
	for p in mysqld fcgi worker nginx smtp; do
		if alive "$RUN/$p.pid"; then echo "$p: running (pid $(cat "$RUN/$p.pid"))"; else echo "$p: stopped"; fi
	done
	;;
*)
	echo "usage: VAR=dir PORT=n $0 start|stop|status" >&2
	exit 2
	;;
esac
