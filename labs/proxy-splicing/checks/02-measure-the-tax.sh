#!/bin/bash
# Done when netbench tax measured direct and through the learner's proxy in copy mode (the results file is newer than
# the proxy's start, and the proxy still runs in copy mode).
. /opt/ebpf-labs/lib/check.sh
f=/run/ebpf-labs/netbench-tax.json
# The mode the running proxy announced when it started (the last such line of its log), if it runs.
mode=
pid=$(cat /run/ebpf-labs/splice-proxy.pid 2>/dev/null)
[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && mode=$(grep -o '^splice-proxy: [a-z]* mode' /run/ebpf-labs/splice-proxy.log | tail -n 1 | cut -d' ' -f2)
msg=$(jq -r 'if (.direct.gbps > 0 and .proxy.gbps > 0 and .direct.p50_us > 0 and .proxy.p50_us > 0) | not then empty else
  "Measured with your proxy in copy mode: throughput x\(.proxy.gbps / .direct.gbps * 100 | round / 100), latency p50 \(.direct.p50_us) -> \(.proxy.p50_us) us: a tax of \(.proxy.p50_us - .direct.p50_us | . * 10 | round / 10) us per message." end' "$f" 2>/dev/null)
[ -n "$msg" ] || fail no-measurement "No measurement of both modes yet: run netbench tax -t 3 in the sandbox tab."
[ -n "$mode" ] || fail not-running "Your proxy is not running: splicectl start copy, then netbench tax -t 3."
[ "$mode" = copy ] && [ "$f" -nt /run/ebpf-labs/splice-proxy.pid ] \
  || fail not-copy "The last netbench tax did not measure your proxy in copy mode (it started, or changed mode, after the measurement): splicectl restart copy, then netbench tax -t 3."
pass "$msg"
