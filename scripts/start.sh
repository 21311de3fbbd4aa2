#!/usr/bin/env bash
# npm start: set up what is missing, build the web app if its sources changed, and serve it on http://localhost:3000.
# The server exits on a bug (status 70) or may be killed (out of memory): it is started again, a few times a minute
# at most. Learners' shells live in their sandboxes, so they only see their terminals reconnect.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

bash scripts/setup.sh
ensure_next_build
export NODE_ENV=production NEXT_TELEMETRY_DISABLED=1

MAX_RESTARTS_PER_MINUTE=5
restarts=()
child=
stopping=
trap 'stopping=1; [ -n "$child" ] && kill -TERM "$child" 2>/dev/null' TERM INT
while :; do
  node_modules/.bin/tsx server.ts &
  child=$!
  status=0
  wait "$child" || status=$?
  # A trapped signal interrupts wait: wait again for the server's own exit.
  if [ -n "$stopping" ]; then wait "$child" 2>/dev/null || true; exit 0; fi
  # 0: shut down on request; 1: a configuration or lock problem that a restart would not fix.
  if [ "$status" -eq 0 ] || [ "$status" -eq 1 ]; then exit "$status"; fi
  now=$(date +%s)
  recent=()
  for t in "${restarts[@]}"; do [ $((now - t)) -lt 60 ] && recent+=("$t"); done
  restarts=("${recent[@]}" "$now")
  if [ "${#restarts[@]}" -gt "$MAX_RESTARTS_PER_MINUTE" ]; then
    die "the server stopped $MAX_RESTARTS_PER_MINUTE times within a minute (last status $status): not restarting; see the log above"
  fi
  say "the server stopped (status $status); starting it again"
  sleep 1
done
