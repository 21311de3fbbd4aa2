#!/bin/bash
# Done when the steering programs are gone (no tc filters, no getsockopt program, no pins) and clients reach the
# app directly again.
if pod server tc filter show dev eth0 ingress 2>/dev/null | grep -q . || pod server tc filter show dev eth0 egress 2>/dev/null | grep -q .; then
  echo "A tc filter is still on the server pod's eth0: tc filter del dev eth0 ingress pref 100 (and egress)."
  exit 1
fi
attached=$(bpftool -j cgroup show "$LAB_CGROUP/server" 2>/dev/null)
if [ -n "$attached" ] && jq -e 'any(.[]; .name == "steer_sockopt")' <<<"$attached" >/dev/null; then
  echo "steer_sockopt is still attached to the server pod's cgroup: bpftool cgroup detach ..."
  exit 1
fi
if [ -e /sys/fs/bpf/steer ] || [ -e /sys/fs/bpf/steer_maps ]; then
  echo "The pins are still there: rm -r /sys/fs/bpf/steer /sys/fs/bpf/steer_maps"
  exit 1
fi
before=$(grep -c 'Accepted connection from 10.10.0.1' /run/ebpf-labs/app.log)
pod client iperf3 -c 10.10.0.2 -t 1 >/dev/null 2>&1 || { echo "The client cannot reach the app: is it running (lab-pods status)?"; exit 1; }
after=$(grep -c 'Accepted connection from 10.10.0.1' /run/ebpf-labs/app.log)
if [ "$after" -le "$before" ]; then
  echo "A test connection did not reach the app directly: is something still redirecting? (iptables -t nat -S in the server tab)"
  exit 1
fi
echo "Clean: no programs left, and the client reaches the app directly."
