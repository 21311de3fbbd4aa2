#!/usr/bin/env bash
# npm start: set up what is missing, build the web app if its sources changed, and serve it on http://localhost:3000.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

bash scripts/setup.sh
ensure_next_build
export NODE_ENV=production NEXT_TELEMETRY_DISABLED=1
exec node_modules/.bin/tsx server.ts
