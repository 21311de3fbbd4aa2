#!/bin/bash
# Done when the learner's build in ~/lab is loaded and attached by hand as the step says (pins accel_sockops and
# accel_redirect, sk_msg on accel_socks, sock_ops on the server pod's cgroup, not loaded by accelctl, no socket
# inserted before the sk_msg program was attached), and one test connection through the proxy to an [::] listener
# in the server pod goes socket to socket both ways (the step says that connection shows in the learner's counters).
. /opt/ebpf-labs/lib/check.sh
probe=/opt/ebpf-labs/bpf/accel/accel-probe
out=$("$probe" attached /root/lab) || { printf '%s\n' "$out"; exit 1; }
out=$("$probe" live) || { printf '%s\n' "$out"; exit 1; }
# The clean-up step's check needs to know the acceleration was on at some point.
echo "$(date +%s) step 05" >> /run/ebpf-labs/accel-history
pass "Attached by hand from your build, in the right order. $out"
