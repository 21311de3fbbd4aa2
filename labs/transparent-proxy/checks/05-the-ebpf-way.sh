#!/bin/bash
# Done when inbound TCP reaches the proxy through the TC + getsockopt programs, without iptables REDIRECT.
if pod server iptables -w -t nat -S 2>/dev/null | grep -q -- '-j REDIRECT'; then
  echo "iptables still redirects in the server pod: remove it (iptables -t nat -F; iptables -t nat -X in the server tab)."
  exit 1
fi
for hook in ingress egress; do
  if ! pod server tc filter show dev eth0 "$hook" 2>/dev/null | grep -q "steer_$hook"; then
    echo "No steer_$hook program on the server pod's eth0 $hook: tc filter add dev eth0 $hook ... bpf da pinned /sys/fs/bpf/steer/steer_$hook"
    exit 1
  fi
done
attached=$(bpftool -j cgroup show "$LAB_CGROUP/server" 2>/dev/null)
if [ -z "$attached" ] || ! jq -e 'any(.[]; .name == "steer_sockopt")' <<<"$attached" >/dev/null; then
  echo "steer_sockopt is not attached to the server pod's cgroup: the proxy cannot learn the original destination (bpftool cgroup attach \$LAB_CGROUP/server cgroup_getsockopt ...)."
  exit 1
fi
before=$(proxyctl log 1000 | grep -c -- '-> 10.10.0.2:11111 forwarded to 10.10.0.2:11111')
pod client sockperf ping-pong --tcp -i 10.10.0.2 -p 11111 -t 1 >/dev/null 2>&1 || { echo "A test connection from the client failed: proxyctl status, and /opt/ebpf-labs/bpf/steer/show.sh"; exit 1; }
after=$(proxyctl log 1000 | grep -c -- '-> 10.10.0.2:11111 forwarded to 10.10.0.2:11111')
if [ "$after" -le "$before" ]; then
  echo "A test connection did not go through the proxy with its original destination: look at /opt/ebpf-labs/bpf/steer/show.sh."
  exit 1
fi
answers=$(/opt/ebpf-labs/bpf/steer/show.sh --json | jq .stats.getsockopt_answered)
echo "Steered by eBPF: the proxy forwarded a test connection to its original destination ($answers SO_ORIGINAL_DST answers from the map)."
