#!/bin/bash
# Done when nothing of the steering is left (no tc program or clsact qdisc on the server pod's eth0, no steer_sockopt
# on a cgroup, no pins), after something was there to clean (the app has been reached through the proxy), and the
# client's latest connection reached the app directly. iperf3's log says who each connection came from: 127.0.0.6
# through the proxy, 10.10.0.1 directly. No test traffic of its own.
. /opt/ebpf-labs/lib/check.sh
SERVER=/run/netns/server
TC="nsenter --net=/run/netns/server tc"

# What tc runs on eth0 and what the sandbox's cgroups run, in one bpftool run, read as text (no jq: the check runs
# after every command). Its lines: "eth0(2) clsact/ingress steer_ingress:[*fsobj] id 12" for tc, and for
# "cgroup tree" a cgroup's path, then "    ID  ATTACH_TYPE  [FLAGS]  NAME" per program.
TC_LINE='^eth0\([0-9]+\) clsact/(ingress|egress) ([^ :]+)'
PROG_LINE='^ +([0-9]+) +([a-z_]+) .* ([^ ]+) *$'
tc_hooks="" tc_names="" sockopt="" cgroup=""
while IFS= read -r line; do
  if [[ $line =~ $TC_LINE ]]; then
    tc_hooks+="${tc_hooks:+ }${BASH_REMATCH[1]}" tc_names+="${tc_names:+ and }${BASH_REMATCH[2]}"
  elif [[ $line == /* ]]; then cgroup=$line
  elif [[ $line =~ $PROG_LINE ]] && [ "${BASH_REMATCH[3]}" = steer_sockopt ]; then
    sockopt=${sockopt:-"${BASH_REMATCH[1]} $cgroup"}
  fi
done < <(printf '%s\n' "net show dev eth0" "cgroup tree $LAB_CGROUP" | nsenter --net=$SERVER bpftool batch file - 2>/dev/null)

if [ -n "$tc_hooks" ]; then
  cmds=""
  for hook in $tc_hooks; do
    pref=""
    [[ $($TC filter show dev eth0 "$hook" 2>/dev/null) =~ (pref [0-9]+) ]] && pref=" ${BASH_REMATCH[1]}"
    cmds+="${cmds:+; }$TC filter del dev eth0 $hook$pref"
  done
  fail filter-left "A program is still attached to the server pod's eth0 ($tc_names on ${tc_hooks// / and }): $cmds"
fi
if [[ $($TC qdisc show dev eth0 2>/dev/null) == *"qdisc clsact"* ]]; then
  fail qdisc-left "The clsact qdisc is still on the server pod's eth0 (empty now: it held the tc filters): $TC qdisc del dev eth0 clsact"
fi
if [ -n "$sockopt" ]; then
  read -r id cgroup <<<"$sockopt"
  fail sockopt-attached "steer_sockopt (id $id) is still attached to ${cgroup/#$LAB_CGROUP/\$LAB_CGROUP} (a pin is not an attachment: removing it detaches nothing): bpftool cgroup detach ${cgroup/#$LAB_CGROUP/\$LAB_CGROUP} cgroup_getsockopt id $id"
fi
pins=""
for pin in /sys/fs/bpf/steer /sys/fs/bpf/steer_maps; do [ -e "$pin" ] && pins+=" $pin"; done
[ -z "$pins" ] || fail pins-left "Nothing is attached any more, but the pins are still there (they keep the programs and maps loaded): rm -r$pins"

# Who reached the app: was anything ever proxied, and where did the latest connection come from? (iperf3 logs
# "Accepted connection from ADDRESS, port N" per test.)
proxied=0 last=none
while read -r w1 w2 w3 from _; do
  [ "$w1 $w2 $w3" = "Accepted connection from" ] || continue
  last=${from%,}
  [ "$last" = 127.0.0.6 ] && proxied=1
done </run/ebpf-labs/app.log 2>/dev/null
[ "$proxied" = 1 ] ||
  fail nothing-to-clean "Nothing has gone through the proxy in this sandbox yet, so there is nothing to clean up: load the steering and send traffic through it first (step 05)."
[ "$last" = 10.10.0.1 ] ||
  fail no-traffic "Nothing is left loaded; now send traffic from the client tab (iperf3 -c 10.10.0.2 -t 1): it should reach the app directly. (The app's latest connection came through the proxy, from 127.0.0.6: if you sent it after cleaning up, something still redirects: iptables -t nat -S in the server tab.)"
pass "Clean: no tc program, qdisc, cgroup program or pin left, and the client's latest connection reached the app directly (from 10.10.0.1, not 127.0.0.6)."
