# Shared helpers for the set-up scripts. Each ensure_* installs or starts something only when it is missing.
say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }
die() { printf '\033[1;31m[setup] %s\033[0m\n' "$*" >&2; exit 1; }

can_apt() { [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; }

APT_UPDATED=
apt_install() {
  if [ -z "$APT_UPDATED" ]; then
    say "apt-get update"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    APT_UPDATED=1
  fi
  say "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

require_node() {
  local major
  major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null) || die "Node.js is missing: install Node.js 20 or newer."
  [ "$major" -ge 20 ] || die "Node.js $(node -v) is too old: install Node.js 20 or newer."
}

# npm ci when package-lock.json changed since the last install (a hash kept in node_modules).
ensure_npm_deps() {
  local want have
  want=$(sha256sum package-lock.json | cut -c1-16)
  have=$(cat node_modules/.ebpf-labs-lock 2>/dev/null || true)
  if [ "$want" != "$have" ] || [ ! -d node_modules/next ]; then
    say "installing npm dependencies (npm ci)"
    npm ci --no-audit --no-fund --loglevel=error
    echo "$want" > node_modules/.ebpf-labs-lock
  fi
}

docker_answers() { NEXT_TELEMETRY_DISABLED=1 node_modules/.bin/tsx scripts/docker-check.ts; }

# A Docker engine: the one DOCKER_HOST names, the running local one, or Debian's docker.io installed and started.
ensure_docker() {
  docker_answers && return 0
  if [ -n "${DOCKER_HOST:-}" ] && [[ "$DOCKER_HOST" != unix://* ]]; then
    die "DOCKER_HOST=$DOCKER_HOST does not answer: start that engine, or unset DOCKER_HOST to use a local one."
  fi
  if ! command -v dockerd >/dev/null; then
    can_apt || die "No Docker engine runs and this script cannot install one (it needs root and apt-get).
  Install Docker (https://docs.docker.com/engine/install/), start it, and run this again."
    apt_install docker.io
  fi
  docker_answers && return 0 # the package may have started it (systemd)
  if command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
    say "starting docker (systemctl)"
    systemctl start docker || true
  else
    [ "$(id -u)" -eq 0 ] || die "dockerd is installed but not running; start it as root (sudo dockerd &) and run this again."
    # Sandboxes run with no network, so the engine needs no bridge and must not rewrite the host's firewall.
    say "starting dockerd (log: /var/log/ebpf-labs-dockerd.log)"
    setsid nohup dockerd --bridge=none --iptables=false >>/var/log/ebpf-labs-dockerd.log 2>&1 < /dev/null &
  fi
  for _ in $(seq 60); do
    docker_answers >/dev/null 2>&1 && { docker_answers; return 0; }
    sleep 0.5
  done
  die "dockerd did not come up within 30 s; see /var/log/ebpf-labs-dockerd.log"
}

ensure_image() {
  NEXT_TELEMETRY_DISABLED=1 node_modules/.bin/tsx scripts/build-image.ts || die "the sandbox image could not be built (see above)."
}

ensure_shellcheck() {
  if command -v shellcheck >/dev/null; then return 0; fi
  can_apt || die "ShellCheck is needed to validate labs (npm run lab -- validate): install it (apt-get install shellcheck) and run again."
  apt_install shellcheck
}

ensure_chromium() {
  if command -v chromium >/dev/null; then return 0; fi
  can_apt || die "Chromium is needed for the browser tests: install it (apt-get install chromium) and run again."
  apt_install chromium
}

# next build when the app's sources changed since the last build.
ensure_next_build() {
  local want have
  want=$(cat package-lock.json next.config.js tsconfig.json $(find app components lib public -type f 2>/dev/null | sort) 2>/dev/null | sha256sum | cut -c1-16)
  have=$(cat .next/.ebpf-labs-sources 2>/dev/null || true)
  if [ "$want" != "$have" ] || [ ! -f .next/BUILD_ID ]; then
    say "building the web app (next build)"
    NEXT_TELEMETRY_DISABLED=1 node_modules/.bin/next build >/tmp/ebpf-labs-next-build.log 2>&1 \
      || { tail -40 /tmp/ebpf-labs-next-build.log; die "next build failed (full log: /tmp/ebpf-labs-next-build.log)"; }
    echo "$want" > .next/.ebpf-labs-sources
  fi
}
