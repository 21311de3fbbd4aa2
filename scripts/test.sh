#!/usr/bin/env bash
# npm test: the whole suite, on a fresh machine too. Installs and starts what it needs (npm dependencies, a Docker
# engine, the sandbox image, Chromium), builds the app, then runs type checks, unit, integration and browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

started=$(date +%s)
bash scripts/setup.sh --with-browser
ensure_next_build
export NEXT_TELEMETRY_DISABLED=1

say "type check"
node_modules/.bin/tsc --noEmit -p .
say "lint"
npm run --silent lint
say "import rules"
npm run --silent lint:imports
say "unit tests"
node_modules/.bin/vitest run --project unit
say "integration tests (real Docker engine, real sandboxes)"
node_modules/.bin/vitest run --project integration
say "browser tests (real Chromium)"
node_modules/.bin/vitest run --project browser
say "lab self-tests: every check fails before its solution and passes after (real sandboxes)"
node_modules/.bin/tsx scripts/lab.ts validate
node_modules/.bin/tsx scripts/lab.ts test --all --timings
say "all tests passed in $(( $(date +%s) - started )) s"
