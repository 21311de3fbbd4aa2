#!/bin/bash
# Done when the proxy has forwarded a connection from the client pod to the app.
. /opt/ebpf-labs/lib/check.sh
line=$(proxyctl log 100 2>/dev/null | grep -E '^10\.10\.0\.1:[0-9]+ -> 10\.10\.0\.2:5201 forwarded to 10\.10\.0\.2:5201' | tail -n 1)
[ -n "$line" ] || fail no-client-connection "No connection from the client pod has gone through the proxy yet: run iperf3 -c 10.10.0.2 -t 2 in the client tab (a shell in the client pod; the sandbox tab has no route to 10.10.0.2)."
pass "The proxy forwarded your client's connection to the app: $line"
