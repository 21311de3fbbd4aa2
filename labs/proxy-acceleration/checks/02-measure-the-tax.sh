#!/bin/bash
# Done when netbench tax has measured both modes (its results file holds a direct and a proxy run).
f=/run/ebpf-labs/netbench-tax.json
if [ ! -s "$f" ] || ! jq -e '.direct.gbps > 0 and .proxy.gbps > 0 and .direct.avg_us > 0 and .proxy.avg_us > 0' "$f" >/dev/null 2>&1; then
  echo "No measurement yet: run netbench tax -t 5 in the sandbox tab."
  exit 1
fi
jq -r '"Measured: through the proxy, throughput x\(.proxy.gbps / .direct.gbps * 100 | round / 100) and latency x\(.proxy.avg_us / .direct.avg_us * 100 | round / 100) of direct."' "$f"
