#!/bin/bash
# Done when netbench compare has measured proxy and proxy+accel for the four message sizes, from the learner's build
# in ~/lab, and every proxy+accel row was really redirected (sk_msg counted redirects during its iperf3 run).
. /opt/ebpf-labs/lib/check.sh
f=/run/ebpf-labs/netbench-compare.json
# One jq for the whole verdict: "CODE<TAB>what it saw".
IFS=$'\t' read -r code what < <(jq -r '
  if (.dir == "/root/lab" and (.rows | length >= 8) and all(.rows[]; .gbps > 0)
      and all(.rows[] | select(.size <= 16384); .avg_us > 0)) | not then "none"
  else
    ([.rows[] | select(.mode == "proxy+accel" and .redirected == 0) | .size] | join(", ")) as $idle
    | ([.rows[] | select(.mode == "proxy" and .redirected > 0) | .size] | join(", ")) as $leak
    | (.rows | map(select(.size == 64))) as $r | ($r[] | select(.mode == "proxy")) as $p | ($r[] | select(.mode == "proxy+accel")) as $a
    | ((1 - $a.avg_us / $p.avg_us) * 100 | round) as $gain
    | if $idle != "" then "not-redirected\t\($idle)"
      elif $leak != "" then "proxy-redirected\t\($leak)"
      else "pass\t64-byte latency \($p.avg_us) us through the proxy, \($a.avg_us) us with the shortcut (\(if $gain >= 0 then "\($gain)% lower" else "\(-$gain)% higher" end)); with 64-byte client writes, sk_msg redirected \($a.redirected) messages of \($a.redirected_bytes / $a.redirected | floor) bytes on average"
      end
  end' "$f" 2>/dev/null || echo none)
case "$code" in
  pass) pass "Measured: $what." ;;
  not-redirected) fail not-redirected "The proxy+accel rows for $what-byte writes were not redirected (sk_msg redirected nothing during their iperf3 run): they measured the proxy against itself. Make sure the acceleration works (step 05's check), then run netbench compare -t 5 again." ;;
  proxy-redirected) fail proxy-redirected "The proxy rows for $what-byte writes were redirected: the acceleration was not off while they ran. Run netbench compare -t 5 again." ;;
esac
for o in sockops redirect; do
  [ -f "/root/lab/$o.bpf.o" ] || fail no-build "/root/lab/$o.bpf.o is missing, and netbench compare measures your build (it refuses to run without it): make -C ~/lab, then netbench compare -t 5."
done
fail no-comparison "No comparison yet: run netbench compare -t 5 in the sandbox tab."
