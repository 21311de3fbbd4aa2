#!/bin/bash
# Done when netbench compare has measured proxy and proxy+accel for the four message sizes.
f=/run/ebpf-labs/netbench-compare.json
if [ ! -s "$f" ] || ! jq -e 'length >= 8 and all(.[]; .gbps > 0) and all(.[] | select(.size <= 16384); .avg_us > 0)' "$f" >/dev/null 2>&1; then
  echo "No comparison yet: run netbench compare -t 5 in the sandbox tab."
  exit 1
fi
jq -r '(map(select(.size == 64)) | (.[] | select(.mode == "proxy") | .avg_us) as $p | (.[] | select(.mode == "proxy+accel") | .avg_us) as $a
  | "Measured: 64-byte latency \($p) us through the proxy, \($a) us with the shortcut (\((1 - $a / $p) * 100 | round)% lower).")' "$f"
