#!/bin/bash
# unload.sh: removes everything load.sh set up, in the reverse order (steering stops first). Idempotent: with
# nothing loaded it says so and exits 0. Connections steered so far break (their packets are no longer rewritten).
set -euo pipefail
# shellcheck source=/dev/null
[ -n "${LAB_CGROUP:-}" ] || . /etc/ebpf-labs/env

BPFFS=${LAB_BPFFS:-/sys/fs/bpf}
PROGS=$BPFFS/steer
MAPS=$BPFFS/steer_maps
NETNS=server
DEV=eth0
CGROUP=$LAB_CGROUP/server
PREF=100
did=0

say() { echo "steer: $*"; did=1; }
# See load.sh: "ip netns exec" would hide /sys/fs/bpf; tc needs nothing from it here, but stay consistent.
in_netns() { nsenter --net="/run/netns/$NETNS" "$@"; }

# 1. tc filters: ingress first (stop steering new packets), then egress. Only our priority, only if it is ours.
if [ -e "/run/netns/$NETNS" ] && in_netns ip link show dev "$DEV" >/dev/null 2>&1; then
  for hook in ingress egress; do
    if grep -q "steer_$hook" <<<"$(in_netns tc filter show dev "$DEV" "$hook" pref "$PREF" 2>/dev/null)"; then
      in_netns tc filter del dev "$DEV" "$hook" pref "$PREF"
      say "detached steer_$hook from $DEV $hook in netns $NETNS"
    fi
  done
  # Remove the clsact qdisc when nothing else uses it (load.sh may have added it).
  if grep -q '^qdisc clsact' <<<"$(in_netns tc qdisc show dev "$DEV")" \
     && [ -z "$(in_netns tc filter show dev "$DEV" ingress)" ] && [ -z "$(in_netns tc filter show dev "$DEV" egress)" ]; then
    in_netns tc qdisc del dev "$DEV" clsact
    say "removed the (empty) clsact qdisc from $DEV in netns $NETNS"
  fi
fi

# 2. cgroup/getsockopt: every steer_sockopt attached to the pod's cgroup (by name: the pin may be gone already).
if [ -d "$CGROUP" ]; then
  while read -r id type; do
    [ -n "$id" ] || continue
    bpftool cgroup detach "$CGROUP" "$type" id "$id"
    say "detached steer_sockopt (id $id) from $CGROUP ($type)"
  done < <(bpftool -j cgroup show "$CGROUP" 2>/dev/null | jq -r '.[]? | select(.name == "steer_sockopt") | "\(.id) \(.attach_type)"')
fi

# 3. Pins. With nothing attached any more, removing them frees the programs and the maps.
for pin in "$PROGS" "$MAPS"; do
  if [ -e "$pin" ]; then
    rm -rf "$pin"
    say "removed $pin"
  fi
done

[ "$did" = 1 ] && echo "steer: off" || echo "steer: nothing was loaded"
