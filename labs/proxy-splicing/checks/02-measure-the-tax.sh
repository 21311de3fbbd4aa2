#!/bin/bash
# Done when netbench tax measured direct and through the learner's proxy in copy mode (the results file is newer than
# the proxy's start, and the proxy still runs in copy mode).
. /opt/ebpf-labs/lib/check.sh
f=/run/ebpf-labs/netbench-tax.json
jq -e '.direct.gbps > 0 and .proxy.gbps > 0 and .direct.avg_us > 0 and .proxy.avg_us > 0' "$f" >/dev/null 2>&1 \
  || fail no-measurement "No measurement of both modes yet: run netbench tax -t 3 in the sandbox tab."
s=$(/root/lab/splicectl stats --json 2>/dev/null) || fail not-running "Your proxy is not running: splicectl start copy, then netbench tax -t 3."
pid=$(cat /run/ebpf-labs/splice-proxy.pid 2>/dev/null)
[ -n "$pid" ] && [ "$f" -nt /run/ebpf-labs/splice-proxy.pid ] && [ "$(jq -r .mode <<<"$s")" = copy ] \
  || fail not-copy "The last netbench tax did not measure your proxy in copy mode (it started, or changed mode, after the measurement): splicectl restart copy, then netbench tax -t 3."
pass "$(jq -r '"Measured with your proxy in copy mode: throughput x\(.proxy.gbps / .direct.gbps * 100 | round / 100), latency \(.direct.p50_us) -> \(.proxy.p50_us) us (p50): a tax of \(.proxy.p50_us - .direct.p50_us | . * 10 | round / 10) us per message."' "$f")"
