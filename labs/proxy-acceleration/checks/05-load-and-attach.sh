#!/bin/bash
# Done when sock_ops is attached to the server pod's cgroup and sk_msg redirects proxy<->app traffic.
# A short sockperf run through the proxy must raise the redirect counter.
attached=$(bpftool -j cgroup show "$LAB_CGROUP/server" 2>/dev/null)
if [ -z "$attached" ] || ! jq -e 'any(.[]; .attach_type | test("sock_ops"))' <<<"$attached" >/dev/null; then
  echo "No sock_ops program is attached to the server pod's cgroup: bpftool cgroup attach \$LAB_CGROUP/server sock_ops pinned /sys/fs/bpf/accel_sockops"
  exit 1
fi
if [ ! -e /sys/fs/bpf/accel_socks ] || [ ! -e /sys/fs/bpf/accel_stats ]; then
  echo "The maps are not pinned at /sys/fs/bpf/accel_socks and accel_stats: load sockops.bpf.o built from accel.h"
  exit 1
fi
before=$(accelctl status --json | jq .redirected)
pod client sockperf ping-pong --tcp -i 10.10.0.2 -p 11111 -t 1 >/dev/null 2>&1
after=$(accelctl status --json | jq .redirected)
if [ "$after" -le "$before" ]; then
  echo "Traffic through the proxy was not redirected: is redirect.bpf.o attached to accel_socks as msg_verdict?"
  exit 1
fi
echo "Attached: $((after - before)) messages of a test connection went straight to the peer socket."
