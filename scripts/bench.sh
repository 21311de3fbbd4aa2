#!/usr/bin/env bash
# npm run bench:<name>: sets up what is missing (like npm start), builds the app if needed, runs scripts/bench-<name>.ts.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
name=${1:?usage: bench.sh NAME}
shift
bash scripts/setup.sh --with-browser >/dev/null
ensure_next_build
export NEXT_TELEMETRY_DISABLED=1
exec node_modules/.bin/tsx "scripts/bench-$name.ts" "$@"
