#!/bin/bash
# Done when a sock_ops program is attached to the sandbox's own cgroup.
# (bpftool prints nothing at all when no program is attached, and jq -e accepts empty input: test for it.)
attached=$(bpftool -j cgroup show "$LAB_CGROUP")
if [ -n "$attached" ] && jq -e 'map(select(.attach_type | test("sock_ops"))) | length > 0' <<<"$attached" >/dev/null; then
  echo "A sock_ops program is attached to your cgroup ($LAB_CGROUP)."
  exit 0
fi
if [ ! -e /sys/fs/bpf/hello ]; then
  echo "The program is not loaded yet: build it with clang, then load it with bpftool prog load."
else
  echo "The program is loaded but not attached: run bpftool cgroup attach \$LAB_CGROUP sock_ops pinned /sys/fs/bpf/hello."
fi
exit 1
