#!/bin/bash
# Done when nothing of the acceleration is left: no sock_ops on the server pod's cgroup, no pins, and traffic
# through the proxy is not redirected any more.
attached=$(bpftool -j cgroup show "$LAB_CGROUP/server" 2>/dev/null)
if [ -n "$attached" ] && jq -e 'any(.[]; .attach_type | test("sock_ops"))' <<<"$attached" >/dev/null; then
  echo "A sock_ops program is still attached to the server pod's cgroup: bpftool cgroup detach \$LAB_CGROUP/server sock_ops pinned /sys/fs/bpf/accel_sockops"
  exit 1
fi
left=$(cd /sys/fs/bpf && ls -d accel_* 2>/dev/null | tr '\n' ' ')
if [ -n "$left" ]; then
  echo "Still pinned in /sys/fs/bpf: $left(remove them with rm once the programs are detached)."
  exit 1
fi
if ! pod client sockperf ping-pong --tcp -i 10.10.0.2 -p 11111 -t 1 >/dev/null 2>&1; then
  echo "Traffic through the proxy fails now: is the proxy running (proxyctl status)?"
  exit 1
fi
echo "Clean: nothing attached to the server pod's cgroup, no pins left, and traffic flows through the proxy as before."
