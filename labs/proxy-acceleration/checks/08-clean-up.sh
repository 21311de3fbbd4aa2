#!/bin/bash
# Done when the acceleration was on in this sandbox (accelctl on and step 05's check leave a line in accel-history)
# and nothing of it is left: no program attached to any cgroup of the sandbox ($LAB_CGROUP and the pods' below it),
# no accel_* pin, and no socket of the server pod still in a sockmap (an open accelerated connection keeps the sk_msg
# program and the map alive after detach and rm).
. /opt/ebpf-labs/lib/check.sh
[ -s /run/ebpf-labs/accel-history ] || fail never-on "Nothing to clean up yet: the acceleration has not been attached in this sandbox (step 05 attaches it)."
probe=/opt/ebpf-labs/bpf/accel/accel-probe
# Every program on the sandbox's cgroups ("CGROUP TYPE ID NAME" lines; the probe, not bpftool cgroup tree, which
# loads the kernel's BTF whenever something is attached: up to 2.5 s on a busy machine).
progs=$("$probe" cgroup-progs 2>&1) || fail probe-failed "The check could not list the programs on the sandbox's cgroups (${progs##*$'\n'}): run bpftool cgroup tree \$LAB_CGROUP to look yourself."
left=""
while IFS=$'\t' read -r cg type id name; do
  [ -n "$id" ] && left+="${left:+; }$name on $cg (bpftool cgroup detach $cg $type id $id)"
done <<<"$progs"
[ -z "$left" ] || fail still-attached "Still attached: $left. Detach it (by id if its pin is gone), then remove the pins."
pins=$(cd /sys/fs/bpf && ls -d accel_* 2>/dev/null | tr '\n' ' ')
[ -z "$pins" ] || fail pins-left "Still pinned in /sys/fs/bpf: ${pins% }. Remove them with rm once the programs are detached."
# Only a socket of an open connection can still be in a sockmap (one leaves the map as it closes). The iterator that
# finds them costs about 0.3 s (up to 1.3 s on a busy machine), so it runs only when the server pod has such a socket.
if [ -n "$(nsenter --net=/run/netns/server ss -Htn state connected exclude time-wait 2>/dev/null)" ]; then
  open=$("$probe" sockets --count 2>&1) && [[ $open =~ ^[0-9]+$ ]] ||
    fail probe-failed "The check could not look for accelerated sockets (${open##*$'\n'}): accelctl sockets lists them."
  [ "$open" -eq 0 ] || fail open-connections "$open sockets of the server pod are still accelerated: connections opened while the acceleration was on keep their sk_msg program, and through it the map, and stay redirected until they close (accelctl sockets lists them). End them (Ctrl+C the iperf3 or sockperf that holds them)."
fi
pass "Clean: nothing attached to the sandbox's cgroups, no pins, no accelerated socket left: the kernel has freed the programs and the maps."
