#!/bin/bash
# Done when the app has accepted a connection straight from the client pod (iperf3 logs "Accepted connection from
# ADDRESS, port N" for each test). Bash reads the log itself: the check runs after every command.
. /opt/ebpf-labs/lib/check.sh
from_server=0
while read -r w1 w2 w3 from _; do
  [ "$w1 $w2 $w3" = "Accepted connection from" ] || continue
  [ "$from" = 10.10.0.1, ] && pass "The app accepted a connection from the client pod (10.10.0.1), directly: no proxy on the way."
  [ "$from" = 10.10.0.2, ] && from_server=1
done </run/ebpf-labs/app.log 2>/dev/null
((!from_server)) ||
  fail wrong-pod "The app saw a connection from 10.10.0.2, the server pod itself: run iperf3 -c 10.10.0.2 -t 1 in the client tab, so that it comes from the client pod."
fail no-traffic "The app has not seen the client yet: run iperf3 -c 10.10.0.2 -t 1 in the client tab (the sandbox tab is outside both pods and has no route to 10.10.0.2)."
