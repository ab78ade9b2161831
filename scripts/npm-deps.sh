#!/usr/bin/env bash
# npm packages from the committed lock file; reinstalled only when the lock file changed.
set -eu
cd "$(dirname "$0")/.."
stamp=node_modules/.motcua-lock
if [ -f "$stamp" ] && cmp -s package-lock.json "$stamp"; then
	exit 0
fi
npm ci --no-audit --no-fund --loglevel=error
cp package-lock.json "$stamp"
