#!/bin/bash
# Done when splicectl compare measured the four modes for every size it measured, the sockmap rows were redirected,
# and the other rows redirected nothing.
. /opt/ebpf-labs/lib/check.sh
f=/run/ebpf-labs/splice-compare.json
IFS=$'\t' read -r code what < <(jq -r '
  if ((.rows | length) < 4 or any(.rows[]; .p50_us == null or .gbps == null)
      or any(.rows | group_by(.size)[]; length < 4)) then "none"
  else
    ([.rows[] | select(.mode == "sockmap" and .redirected == 0) | .size] | join(", ")) as $idle
    | ([.rows[] | select(.mode != "sockmap" and .redirected > 0) | "\(.mode) \(.size)"] | join(", ")) as $leak
    | (.rows | map(.size) | if index(1024) then 1024 else .[0] end) as $size
    | (.rows | map(select(.size == $size)) | map({(.mode): .p50_us}) | add) as $m
    | if $idle != "" then "not-redirected\t\($idle)"
      elif $leak != "" then "leak\t\($leak)"
      else "pass\t\($size)-byte p50: direct \($m.direct) us, copy \($m.copy), splice \($m.splice), sockmap \($m.sockmap)" +
        (if $m.copy > $m.direct then ": sockmap removed \((($m.copy - $m.sockmap) / ($m.copy - $m.direct) * 100) | round)% of copy mode'"'"'s latency tax" else "" end)
      end
  end' "$f" 2>/dev/null || echo none)
case "$code" in
  pass) pass "Measured every mode on this sandbox. $what." ;;
  not-redirected) fail not-redirected "The sockmap rows for $what bytes were not redirected (the verdict program moved nothing): they measured user space. Check step 05, then splicectl compare -t 3 again." ;;
  leak) fail leak "Rows that should not be redirected were ($what): run splicectl compare -t 3 again." ;;
esac
fail no-comparison "No comparison yet: run splicectl compare -t 3 in the sandbox tab."
