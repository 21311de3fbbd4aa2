#!/bin/bash
# Done when the learner's proxy (~/lab/splice-proxy) runs in copy mode on :15006 and has forwarded a connection from
# the client pod to the app. Reads the proxy's counters and log directly (a check runs after every command).
. /opt/ebpf-labs/lib/check.sh
[ -x /root/lab/splice-proxy ] || fail no-build "No ~/lab/splice-proxy yet: build it with make -C ~/lab."
# The mode the running proxy announced when it started (the last such line of its log), if it runs.
mode=
pid=$(cat /run/ebpf-labs/splice-proxy.pid 2>/dev/null)
[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && mode=$(grep -o '^splice-proxy: [a-z]* mode' /run/ebpf-labs/splice-proxy.log | tail -n 1 | cut -d' ' -f2)
[ -n "$mode" ] || fail not-running "Your proxy is not running: splicectl start copy (in the sandbox tab)."
[ "$mode" = copy ] || fail wrong-mode "Your proxy runs in $mode mode: start it in copy mode (splicectl restart copy)."
line=$(grep -E '^10\.10\.0\.1:[0-9]+ -> 10\.10\.0\.2:5201 forwarded to 10\.10\.0\.2:5201 \(copy\)$' /run/ebpf-labs/splice-proxy.log 2>/dev/null | tail -n 1)
[ -n "$line" ] || fail no-client-connection "Your proxy has not forwarded a connection from the client pod yet: run iperf3 -c 10.10.0.2 -t 2 in the client tab."
pass "Your proxy forwarded the client's connection in copy mode: $line."
