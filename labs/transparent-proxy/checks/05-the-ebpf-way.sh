#!/bin/bash
# Done when inbound TCP reaches the proxy through the pinned TC + getsockopt programs, without iptables REDIRECT, with
# ports 22 and 15000 excluded, and a connection the programs steered was forwarded to its original destination.
# No test traffic of its own: the evidence is the learner's request, matched by client port between orig_dst (what
# the programs remembered) and the proxy's log (what it forwarded). Three commands run (iptables, bpftool, jq); the
# rest is bash, as the check runs after every command.
. /opt/ebpf-labs/lib/check.sh
SERVER=/run/netns/server
PINS=/sys/fs/bpf/steer
MAPS=/sys/fs/bpf/steer_maps
TC="nsenter --net=/run/netns/server tc"
PROXY_LOG=/run/ebpf-labs/proxy.log
[ -e $PROXY_LOG ] || PROXY_LOG=/dev/null

if [[ $(nsenter --net=$SERVER iptables -w -t nat -S 2>/dev/null) == *"-j REDIRECT"* ]]; then
  fail iptables-left "iptables still redirects in the server pod, so both ways run at once: remove it in the server tab (iptables -t nat -F; iptables -t nat -X)."
fi
missing=""
for pin in $PINS/steer_ingress $PINS/steer_egress $PINS/steer_sockopt $MAPS/orig_dst $MAPS/steer_excluded $MAPS/steer_stats; do
  [ -e "$pin" ] || missing+=" $pin"
done
[ -z "$missing" ] ||
  fail not-loaded "Not loaded and pinned yet (missing:$missing): cd /opt/ebpf-labs/bpf/steer; bpftool prog loadall steer.bpf.o /sys/fs/bpf/steer pinmaps /sys/fs/bpf/steer_maps"

# Everything BPF in one bpftool run (in the pod's netns, for eth0): the pinned programs' ids, what tc and the cgroups
# run, and the three maps. bpftool's batch mode ends with an error entry of its own: only the commands count.
batch=$(printf '%s\n' "prog show pinned $PINS/steer_ingress" "prog show pinned $PINS/steer_egress" \
  "prog show pinned $PINS/steer_sockopt" "net show dev eth0" "cgroup tree $LAB_CGROUP" \
  "map dump pinned $MAPS/steer_excluded" "map dump pinned $MAPS/steer_stats" "map dump pinned $MAPS/orig_dst" |
  nsenter --net=$SERVER bpftool -j batch file - 2>/dev/null)
# ... and, from the proxy's log, the latest steered connection (its client address and port in orig_dst) that the
# proxy forwarded to its original destination (log line: CLIENT -> DST forwarded to UPSTREAM from ...).
eval "$(jq -L /opt/ebpf-labs/lib -r --rawfile log $PROXY_LOG 'include "bpf";
  [.[] | select(.command) | .output] as $o
  | ($o[0].id // 0) as $ing | ($o[1].id // 0) as $egr | ($o[2].id // 0) as $sop
  | ($o[3][0].tc // []) as $tc
  | ([($o[7] // [])[] | {key: "\(.key[0:4] | ip4):\(.key[4:6] | be)", value: "10.10.0.2:\(.value[0:2] | be)"}] | from_entries) as $steered
  | ([$log | split("\n")[] | split(" ") | select(length > 5 and $steered[.[0]] == .[2] and .[5] == .[2]) | "\(.[0]) -> \(.[2])"]
     | last // "") as $example
  | "ing=\($ing) egr=\($egr) sop=\($sop)",
    "tc_ingress=\([$tc[] | select(.kind | endswith("ingress")) | .id | tostring] | join(" ") | @sh)",
    "tc_egress=\([$tc[] | select(.kind | endswith("egress")) | .id | tostring] | join(" ") | @sh)",
    "sockopt_at=\([($o[4] // [])[] | .cgroup as $cg | .programs[] | select(.id == $sop) | $cg] | join(" ") | @sh)",
    "excluded=\([($o[5] // [])[] | .key | be] | sort | map(tostring) | join(" ") | @sh)",
    "stats=(\([($o[6] // [])[] | .formatted.value | tostring] | join(" ")))",
    "example=\($example | @sh)"
' <<<"$batch" 2>/dev/null)"

for hook in ingress egress; do
  [ "$hook" = ingress ] && want=$ing attached=$tc_ingress || want=$egr attached=$tc_egress
  if [ -z "$attached" ]; then
    fail no-tc-program "No program on the server pod's eth0 $hook: $TC filter add dev eth0 $hook pref 100 handle 1 bpf da pinned $PINS/steer_$hook (after $TC qdisc add dev eth0 clsact)"
  fi
  if [[ " $attached " != *" $want "* ]]; then
    fail not-the-pinned-program "The program on eth0 $hook (id $attached) is not the pinned steer_$hook (id $want): loaded on its own, it has maps of its own, which steer_sockopt never reads. Attach the pinned one: $TC filter replace dev eth0 $hook pref 100 handle 1 bpf da pinned $PINS/steer_$hook"
  fi
done
if [[ " $sockopt_at " != *" $LAB_CGROUP "* && " $sockopt_at " != *" $LAB_CGROUP/server "* ]]; then
  if [[ " $sockopt_at " == *" $LAB_CGROUP/client "* ]]; then
    fail sockopt-wrong-cgroup "steer_sockopt is attached to the client pod's cgroup, but the proxy, which asks for SO_ORIGINAL_DST, runs in the server pod: bpftool cgroup detach \$LAB_CGROUP/client cgroup_getsockopt pinned $PINS/steer_sockopt; bpftool cgroup attach \$LAB_CGROUP/server cgroup_getsockopt pinned $PINS/steer_sockopt multi"
  fi
  fail no-sockopt "steer_sockopt is not attached to the server pod's cgroup: the proxy cannot learn where its connections were going. bpftool cgroup attach \$LAB_CGROUP/server cgroup_getsockopt pinned $PINS/steer_sockopt multi"
fi

have() { [[ " $excluded " == *" $1 "* ]]; }
if ! have 22 || ! have 15000; then
  if have 5632 || have 38970; then
    fail byte-order "steer_excluded holds port $(have 5632 && echo '5632 (0x1600), not 22' || echo '38970 (0x983a), not 15000'): its key is the port in network byte order, high byte first. Delete the wrong keys (bpftool map delete pinned $MAPS/steer_excluded key 22 0, or key 0x98 0x3a) and add key 0 22 and key 0x3a 0x98."
  fi
  absent=$(for p in 22 15000; do have $p || printf ' %s' "$p"; done)
  fail excluded-missing "steer_excluded lacks port(s)$absent (it holds: ${excluded:-nothing}), so connections to them go to the proxy too: bpftool map update pinned $MAPS/steer_excluded key 0 22 value 1; bpftool map update pinned $MAPS/steer_excluded key 0x3a 0x98 value 1"
fi

syn=${stats[0]:-0} answered=${stats[3]:-0} missed=${stats[5]:-0}
[ "$syn" -gt 0 ] ||
  fail no-traffic "Loaded and attached, ports 22 and 15000 excluded; now send traffic from the client tab (iperf3 -c 10.10.0.2 -t 1) and look at /opt/ebpf-labs/bpf/steer/show.sh."
[ "$answered" -gt 0 ] ||
  fail no-answer "$syn connection(s) were steered to the proxy, but steer_sockopt never answered its SO_ORIGINAL_DST ($missed lookups missed orig_dst): /opt/ebpf-labs/bpf/steer/show.sh, and proxyctl log 4."
[ -n "$example" ] ||
  fail not-forwarded "$syn connection(s) were steered and steer_sockopt answered $answered time(s), but the proxy's log shows none of them forwarded to its original destination: proxyctl log 4, and /opt/ebpf-labs/bpf/steer/show.sh."
pass "Steered by eBPF, without iptables: $syn connection(s) went to the proxy, steer_sockopt answered SO_ORIGINAL_DST $answered time(s), and the proxy forwarded steered connections to where they were going (latest: $example). Ports 22 and 15000 are excluded."
