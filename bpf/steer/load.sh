#!/bin/bash
# load.sh: the "eBPF way" of transparent ingress redirection to the server pod's proxy (see README.md).
#   - builds steer.bpf.o if it is missing or older than its sources,
#   - loads its three programs and pins them in /sys/fs/bpf/steer, its maps in /sys/fs/bpf/steer_maps,
#   - fills steer_excluded with $STEER_EXCLUDED_PORTS (default "22 15000"),
#   - attaches steer_sockopt to the server pod's cgroup ($LAB_CGROUP/server) as cgroup_getsockopt,
#     steer_egress and steer_ingress to eth0 in netns "server" (tc clsact, direct-action).
# Run as root in the sandbox. Loading again replaces what is loaded (unload.sh first). Prints what it did.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=/dev/null
[ -n "${LAB_CGROUP:-}" ] || . /etc/ebpf-labs/env

BPFFS=${LAB_BPFFS:-/sys/fs/bpf}
PROGS=$BPFFS/steer            # bpffs names must not contain dots
MAPS=$BPFFS/steer_maps
NETNS=server
DEV=eth0
CGROUP=$LAB_CGROUP/server
PREF=100                      # our tc filters' priority, on both hooks (unload.sh removes exactly that)
EXCLUDED_PORTS=${STEER_EXCLUDED_PORTS-22 15000}
OBJ=$HERE/steer.bpf.o

say() { echo "steer: $*"; }
die() { echo "steer: $*" >&2; exit 1; }

# Runs a command in the pod's network namespace only. Not "ip netns exec": it also remounts /sys for the netns,
# which hides /sys/fs/bpf (and its pins) from the command, and tc could then not find "pinned" programs.
in_netns() { nsenter --net="/run/netns/$NETNS" "$@"; }

[ "$(id -u)" = 0 ] || die "run me as root"
mountpoint -q "$BPFFS" || die "no BPF filesystem at $BPFFS"
[ -e "/run/netns/$NETNS" ] || die "there is no network namespace '$NETNS' (no server pod)"
in_netns ip link show dev "$DEV" >/dev/null 2>&1 || die "there is no $DEV in netns $NETNS"
[ -d "$CGROUP" ] || die "there is no server pod cgroup $CGROUP"
for port in $EXCLUDED_PORTS; do
  if ! [[ $port =~ ^[0-9]{1,5}$ ]] || ((port < 1 || port > 65535)); then die "bad excluded port '$port'"; fi
done

# 1. Build (make knows whether the object is up to date).
if [ ! -f "$OBJ" ] || [ "$HERE/steer.bpf.c" -nt "$OBJ" ] || [ "$HERE/steer.h" -nt "$OBJ" ]; then
  make -s -C "$HERE" steer.bpf.o
  say "built $OBJ"
fi

# 2. Loaded already? Start from a clean slate so that a changed object really is the one that runs.
if [ -e "$PROGS" ] || [ -e "$MAPS" ]; then
  say "already loaded: unloading first"
  "$HERE/unload.sh"
fi

# From here on, any failure (set -e or die) undoes whatever was done.
rollback() {
  local rc=$?
  if [ "$rc" -ne 0 ]; then
    echo "steer: load failed, undoing" >&2
    "$HERE/unload.sh" >&2 || true
  fi
  exit "$rc"
}
trap rollback EXIT

# 3. Load and pin. On failure libbpf prints the verifier log ("-- BEGIN PROG LOAD LOG --") to stderr: show it all.
if ! out=$(bpftool prog loadall "$OBJ" "$PROGS" pinmaps "$MAPS" 2>&1); then
  echo "$out" >&2
  die "bpftool prog loadall $OBJ failed (verifier log above)"
fi
[ -z "$out" ] || echo "$out" | grep -v 'libbpf strict mode' >&2 || true
for p in steer_ingress steer_egress steer_sockopt; do
  [ -e "$PROGS/$p" ] || die "$OBJ has no program $p"
done
for m in orig_dst steer_excluded steer_stats; do
  [ -e "$MAPS/$m" ] || die "$OBJ has no map $m"
done
ids=$(bpftool -j prog show | jq -r '[.[] | select(.name | startswith("steer_")) | "\(.name)=\(.id)"] | join(" ")')
say "loaded $OBJ: programs in $PROGS ($ids), maps in $MAPS (orig_dst steer_excluded steer_stats)"

# 4. Excluded ports: the map key is the port in network byte order, i.e. its high byte first.
for port in $EXCLUDED_PORTS; do
  bpftool map update pinned "$MAPS/steer_excluded" key $((port >> 8)) $((port & 255)) value 1
done
say "excluded ports (never steered): ${EXCLUDED_PORTS:-none} (and the proxy port 15006 itself)"

# 5. Attach, the answering side first: once steer_ingress runs, the proxy gets connections whose original
#    destination only steer_sockopt can tell, and whose replies only steer_egress can turn back.
bpftool cgroup attach "$CGROUP" cgroup_getsockopt pinned "$PROGS/steer_sockopt" multi
say "attached steer_sockopt to $CGROUP (cgroup_getsockopt)"
if ! grep -q '^qdisc clsact' <<<"$(in_netns tc qdisc show dev "$DEV")"; then
  in_netns tc qdisc add dev "$DEV" clsact
  say "added a clsact qdisc to $DEV in netns $NETNS"
fi
in_netns tc filter replace dev "$DEV" egress pref "$PREF" handle 1 bpf da pinned "$PROGS/steer_egress"
say "attached steer_egress to $DEV egress in netns $NETNS (tc pref $PREF)"
in_netns tc filter replace dev "$DEV" ingress pref "$PREF" handle 1 bpf da pinned "$PROGS/steer_ingress"
say "attached steer_ingress to $DEV ingress in netns $NETNS (tc pref $PREF)"

trap - EXIT
say "on: inbound TCP to the server pod now goes to :15006 without iptables"
say "counters: $HERE/show.sh, or bpftool map dump pinned $MAPS/steer_stats (0 SYNs steered, 1 ingress rewrites, 2 egress rewrites, 3 getsockopt answers, 4 SYNs bypassed, 5 getsockopt misses)"
