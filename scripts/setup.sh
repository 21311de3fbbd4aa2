#!/usr/bin/env bash
# npm run setup: installs and starts what eBPF Labs needs, and only what is missing:
# npm dependencies, a Docker engine (Debian's docker.io when none answers), the sandbox image.
#   --with-browser  also Chromium (for the browser tests) and ShellCheck (for lab validation)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

require_node
ensure_npm_deps
ensure_docker
ensure_image
if [ "${1:-}" = "--with-browser" ]; then ensure_chromium; ensure_shellcheck; fi
say "ready"
