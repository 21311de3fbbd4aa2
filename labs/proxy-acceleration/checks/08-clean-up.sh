#!/bin/bash
# Done when the acceleration was on in this sandbox (accelctl on and step 05's check leave a line in accel-history)
# and nothing of it is left: no program attached to any cgroup of the sandbox ($LAB_CGROUP and the pods' below it),
# no accel_* pin, and no socket of the server pod still in a sockmap (an open accelerated connection keeps the sk_msg
# program and the map alive after detach and rm).
. /opt/ebpf-labs/lib/check.sh
[ -s /run/ebpf-labs/accel-history ] || fail never-on "Nothing to clean up yet: the acceleration has not been attached in this sandbox (step 05 attaches it)."
left=$(bpftool -j cgroup tree "$LAB_CGROUP" 2>/dev/null | jq -r --arg lab "$LAB_CGROUP" '
  [.[]? | (.cgroup | sub("^" + $lab; "$LAB_CGROUP")) as $cg | .programs[]?
   | "\(.name) on \($cg) (bpftool cgroup detach \($cg) \(.attach_type | sub("^cgroup_"; "")) id \(.id))"] | join("; ")')
[ -z "$left" ] || fail still-attached "Still attached: $left. Detach it (by id if its pin is gone), then remove the pins."
pins=$(cd /sys/fs/bpf && ls -d accel_* 2>/dev/null | tr '\n' ' ')
[ -z "$pins" ] || fail pins-left "Still pinned in /sys/fs/bpf: ${pins% }. Remove them with rm once the programs are detached."
open=$(/opt/ebpf-labs/bpf/accel/accel-probe sockets --count 2>/dev/null)
[ "${open:-0}" -eq 0 ] || fail open-connections "$open sockets of the server pod are still accelerated: connections opened while the acceleration was on keep their sk_msg program, and through it the map, and stay redirected until they close (accelctl sockets lists them). End them (Ctrl+C the iperf3 or sockperf that holds them)."
pass "Clean: nothing attached to the sandbox's cgroups, no pins, no accelerated socket left: the kernel has freed the programs and the maps."
