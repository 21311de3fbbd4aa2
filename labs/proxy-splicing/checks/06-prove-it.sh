#!/bin/bash
# Done when, since the proxy started in sockmap mode, the verdict program redirected at least 20 MB and the proxy read
# no payload (iperf3 through it: the checks' own test connections are far smaller). One jq for the verdict.
. /opt/ebpf-labs/lib/check.sh
s=$(nsenter --net=/run/netns/server bash -c 'exec 3<>/dev/tcp/127.0.0.1/15000 && head -n 1 <&3' 2>/dev/null)
[ -n "$s" ] || fail not-running "Your proxy is not running: splicectl start sockmap, then iperf3 -c 10.10.0.2 -t 3 in the client tab."
IFS=$'\t' read -r code what < <(jq -rn --argjson s "$s" --argjson b "$(bpftool -j map dump pinned /sys/fs/bpf/splice_stats 2>/dev/null || echo '[]')" '
  ($b[1].formatted.value // 0) as $bytes
  | if $s.mode != "sockmap" then "wrong-mode\t\($s.mode)"
    elif $bytes < 20000000 then "too-little\t\($bytes / 1000000 | floor)"
    elif $s.data_reads > 0 then "reads\t\($s.data_reads)"
    else "pass\t\($bytes / 1000000 | floor) MB redirected in the kernel, 0 bytes of payload read by your proxy (\($s.connections_total) connections, \($s.wakeups) wake-ups, \($s.early_bytes) early bytes forwarded by hand)." end')
case "$code" in
  pass) pass "$what" ;;
  wrong-mode) fail wrong-mode "Your proxy runs in $what mode: splicectl restart sockmap, then iperf3 -c 10.10.0.2 -t 3 in the client tab." ;;
  too-little) fail too-little "The verdict program has redirected $what MB so far: run iperf3 -c 10.10.0.2 -t 3 in the client tab (with your proxy in sockmap mode)." ;;
  reads) fail reads "Your proxy read $what chunks of payload in sockmap mode: some bytes went through user space (misses in splice_stats). Check TODO 2 (insert) and the verdict program (step 04), then splicectl restart sockmap." ;;
esac
fail not-running "Your proxy did not answer with its counters: splicectl status."
