#!/bin/bash
# Done when a sock_ops program is attached to the sandbox's own cgroup.
if bpftool -j cgroup show "$LAB_CGROUP" | jq -e 'map(select(.attach_type | test("sock_ops"))) | length > 0' >/dev/null; then
  echo "A sock_ops program is attached to $LAB_CGROUP."
  exit 0
fi
if [ ! -e /sys/fs/bpf/hello ]; then
  echo "The program is not loaded: build it with clang, then load it with bpftool prog load."
else
  echo "The program is loaded but not attached: run bpftool cgroup attach \$LAB_CGROUP sock_ops pinned /sys/fs/bpf/hello."
fi
exit 1
