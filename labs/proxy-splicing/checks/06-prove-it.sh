#!/bin/bash
# Done when, since the proxy started in sockmap mode, the verdict program redirected at least 20 MB and the proxy read
# no payload (iperf3 through it: the checks' own test connections are far smaller).
. /opt/ebpf-labs/lib/check.sh
s=$(/root/lab/splicectl stats --json 2>/dev/null) || fail not-running "Your proxy is not running: splicectl start sockmap, then iperf3 -c 10.10.0.2 -t 3 in the client tab."
[ "$(jq -r .mode <<<"$s")" = sockmap ] || fail wrong-mode "Your proxy runs in $(jq -r .mode <<<"$s") mode: splicectl restart sockmap, then iperf3 -c 10.10.0.2 -t 3 in the client tab."
bytes=$(bpftool -j map dump pinned /sys/fs/bpf/splice_stats 2>/dev/null | jq '[.[] | .formatted.value] | .[1] // 0')
[ "${bytes:-0}" -ge 20000000 ] || fail too-little "The verdict program has redirected $(( ${bytes:-0} / 1000000 )) MB so far: run iperf3 -c 10.10.0.2 -t 3 in the client tab (with your proxy in sockmap mode)."
reads=$(jq .data_reads <<<"$s")
[ "$reads" -eq 0 ] || fail reads "Your proxy read $reads chunks of payload in sockmap mode: some bytes went through user space (misses in splice_stats). Check TODO 2 (insert) and the verdict program (step 04), then splicectl restart sockmap."
pass "$(( bytes / 1000000 )) MB redirected in the kernel, 0 bytes of payload read by your proxy ($(jq -r '"\(.connections_total) connections, \(.wakeups) wake-ups, \(.early_bytes) early bytes forwarded by hand"' <<<"$s"))."
