#!/bin/sh
# Container start: migrate the external database, start motcua-fcgi (its supervisor
# restarts the worker process) and motcua-worker (background jobs) as www-data, then
# nginx in the foreground. SIGTERM stops them all.
set -eu
motcua-admin migrate --dir /srv/motcua/sql
if [ "${MOTCUA_DEMO:-0}" = 1 ]; then
	motcua-admin seed-demo --data /srv/motcua/sql/seed
fi
setpriv --reuid=www-data --regid=www-data --init-groups motcua-fcgi &
fcgi=$!
setpriv --reuid=www-data --regid=www-data --init-groups motcua-worker &
worker=$!
trap 'kill -TERM $worker $fcgi; nginx -s quit; wait $fcgi $worker' TERM INT
# the socket appears once the service has checked the schema
i=0
while [ ! -S "$MOTCUA_FCGI_SOCKET" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
nginx -g 'daemon off;' &
wait $!
