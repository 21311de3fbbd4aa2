#!/bin/bash
# Done when netbench tax has measured both modes (its results file holds a direct and a proxy run).
. /opt/ebpf-labs/lib/check.sh
f=/run/ebpf-labs/netbench-tax.json
jq -e '.direct.gbps > 0 and .proxy.gbps > 0 and .direct.avg_us > 0 and .proxy.avg_us > 0' "$f" >/dev/null 2>&1 \
  || fail no-measurement "No measurement of both modes yet: run netbench tax -t 5 in the sandbox tab (netbench iperf and latency measure one mode only)."
pass "$(jq -r '"Measured: through the proxy, throughput x\(.proxy.gbps / .direct.gbps * 100 | round / 100) and latency x\(.proxy.avg_us / .direct.avg_us * 100 | round / 100) of direct."' "$f")"
