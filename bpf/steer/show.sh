#!/bin/bash
# show.sh [--json]: what the steering programs are doing, decoded from their pinned maps.
#   counters (steer_stats), excluded ports (steer_excluded), remembered connections (orig_dst).
# bpftool's own dumps print the network-order fields as host integers (port 22 shows as 5632 on x86): this decodes
# the raw bytes instead.
set -euo pipefail
BPFFS=${LAB_BPFFS:-/sys/fs/bpf}
MAPS=$BPFFS/steer_maps
[ -e "$MAPS/steer_stats" ] || { echo "steer: not loaded (load.sh loads it)" >&2; exit 1; }

# The counters are host-order integers: bpftool's BTF-"formatted" view of them is right as it is.
stats=$(bpftool -j map dump pinned "$MAPS/steer_stats" | jq -c '
  ["syn_steered", "ingress_rewritten", "egress_rewritten", "getsockopt_answered", "syn_bypassed", "getsockopt_missed"]
    as $names | [.[] | {key: ($names[.formatted.key] // "stat\(.formatted.key)"), value: .formatted.value}] | from_entries')
# Ports and addresses are network order: decode the raw bytes ("0x16" ...) instead (lib/bpf.jq).
jqb() { jq -L /opt/ebpf-labs/lib -c "include \"bpf\"; $1"; }
excluded=$(bpftool -j map dump pinned "$MAPS/steer_excluded" | jqb '[.[] | .key | be] | sort')
conns=$(bpftool -j map dump pinned "$MAPS/orig_dst" | jqb '
  [.[] | {client: "\(.key[0:4] | ip4):\(.key[4:6] | be)", pod: (.key[8:12] | ip4), orig_port: (.value[0:2] | be)}]')

if [ "${1:-}" = --json ]; then
  jq -nc --argjson s "$stats" --argjson e "$excluded" --argjson c "$conns" '{stats: $s, excluded: $e, connections: $c}'
  exit 0
fi
echo "counters:"
jq -r 'to_entries[] | "  \(.key + ":" | . + " " * (22 - length))\(.value)"' <<<"$stats"
echo "excluded ports: $(jq -r 'map(tostring) | join(" ")' <<<"$excluded") (and 15006)"
echo "remembered connections (client -> pod:original port, proxy sees pod:15006): $(jq length <<<"$conns")"
jq -r '.[-20:][] | "  \(.client) -> \(.pod):\(.orig_port)"' <<<"$conns"
