#!/bin/bash
# Done when the learner's proxy (~/lab/splice-proxy) runs in copy mode on :15006 and has forwarded a connection from
# the client pod to the app.
. /opt/ebpf-labs/lib/check.sh
[ -x /root/lab/splice-proxy ] || fail no-build "No ~/lab/splice-proxy yet: build it with make -C ~/lab."
s=$(/root/lab/splicectl stats --json 2>/dev/null) || fail not-running "Your proxy is not running: splicectl start copy (in the sandbox tab)."
[ "$(jq -r .mode <<<"$s")" = copy ] || fail wrong-mode "Your proxy runs in $(jq -r .mode <<<"$s") mode: start it in copy mode (splicectl restart copy)."
line=$(/root/lab/splicectl log 50 | grep -E '^10\.10\.0\.1:[0-9]+ -> 10\.10\.0\.2:5201 forwarded to 10\.10\.0\.2:5201 \(copy\)' | tail -n 1)
[ -n "$line" ] || fail no-client-connection "Your proxy has not forwarded a connection from the client pod yet: run iperf3 -c 10.10.0.2 -t 2 in the client tab."
pass "Your proxy forwarded the client's connection in copy mode: $line ($(jq -r '"\(.data_reads) reads of \(.data_bytes) bytes so far"' <<<"$s"))."
