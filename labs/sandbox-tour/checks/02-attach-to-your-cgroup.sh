#!/bin/bash
# Done when a sock_ops program is attached to the sandbox's own cgroup. Also says so when the learner's program
# (pinned at /sys/fs/bpf/hello) is attached to the root of the machine's cgroup v2 hierarchy instead, which a sandbox
# on a cgroup v1 host mounts at /run/ebpf-labs/cgroup2 (sandbox-prepare): every process on the machine runs it.
# (bpftool prints nothing at all when no program is attached, and jq -e accepts empty input: test for it.)
. /opt/ebpf-labs/lib/check.sh
PIN=/sys/fs/bpf/hello
ROOT=/run/ebpf-labs/cgroup2
id=$([ -e $PIN ] && bpftool -j prog show pinned $PIN 2>/dev/null | jq -r '.id // empty')
at_root=$([ -n "$id" ] && [[ $LAB_CGROUP == $ROOT/* ]] && bpftool -j cgroup show $ROOT 2>/dev/null)
if [ -n "$at_root" ] && jq -e --argjson id "$id" 'any(.[]; .id == $id)' <<<"$at_root" >/dev/null 2>&1; then
  fail attached-to-root "Your program is attached to $ROOT, the root of the cgroup hierarchy: every process on the machine runs it. Detach it now: bpftool cgroup detach $ROOT sock_ops pinned $PIN (your sandbox's own cgroup is \$LAB_CGROUP)."
fi
attached=$(bpftool -j cgroup show "$LAB_CGROUP" 2>/dev/null)
found=$([ -n "$attached" ] && jq -r 'map(select(.attach_type | test("sock_ops"))) | first | select(.) | "\(.name) (id \(.id))"' <<<"$attached")
[ -z "$found" ] || pass "A sock_ops program, $found, is attached to your cgroup ($LAB_CGROUP): every TCP socket your sandbox's processes use runs it."
[ -z "$id" ] || fail not-attached "The program is loaded (id $id) but not attached: bpftool cgroup attach \$LAB_CGROUP sock_ops pinned $PIN"
[ ! -e /tmp/hello.bpf.o ] || fail not-loaded "The program is built (/tmp/hello.bpf.o) but not loaded: bpftool prog load /tmp/hello.bpf.o $PIN type sockops"
fail not-built "The program is not built yet: build it with clang (the step's clang command), then load it with bpftool prog load."
