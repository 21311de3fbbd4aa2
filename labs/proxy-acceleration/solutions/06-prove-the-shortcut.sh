#!/bin/bash
set -e
# Capture the proxy<->app leg on the server's loopback while a fresh iperf3 run goes through the proxy.
# timeout is a safety net: the capture ends after 20 s even if the signal below never reaches it.
timeout -s INT 20 pod server tcpdump -ni lo -w /root/lab/lo.pcap 'tcp and host 127.0.0.6' > /dev/null 2>&1 &
capture=$!
sleep 1
pod client iperf3 -c 10.10.0.2 -t 2 > /dev/null
sleep 0.5
kill -TERM $capture 2>/dev/null || true
wait $capture || true
tcpdump -nr /root/lab/lo.pcap 2>/dev/null | head -5
