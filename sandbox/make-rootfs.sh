#!/usr/bin/env bash
# make-rootfs.sh DIR: a minimal Debian bookworm root filesystem in DIR, for when no registry can serve the base
# image. lib/sandbox/image.ts imports DIR under the base image's tag. Needs root; installs debootstrap if missing.
set -euo pipefail
dir=${1:?usage: make-rootfs.sh DIR}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}

if ! command -v debootstrap >/dev/null; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    echo "installing debootstrap"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
  else
    echo "debootstrap is missing: install it (apt-get install debootstrap) and run again as root" >&2
    exit 1
  fi
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "debootstrap needs root: run the set-up as root, or make the base image available to Docker yourself" >&2
  exit 1
fi
debootstrap --variant=minbase bookworm "$dir" "$mirror" | grep -E '^I: (Retrieving Release|Validating Packages|Installing core|Base system installed)' || true
[ -x "$dir/bin/bash" ] || { echo "debootstrap did not produce a root filesystem in $dir" >&2; exit 1; }
rm -rf "$dir"/var/cache/apt/archives/*.deb "$dir"/var/lib/apt/lists/*
