#!/bin/bash
set -e
pod server tcpdump -ni lo -w /root/lab/lo.pcap 'tcp and host 127.0.0.6' 2>/dev/null &
capture=$!
sleep 1
pod client iperf3 -c 10.10.0.2 -t 2 > /dev/null
sleep 0.5
kill -INT $capture
wait $capture || true
tcpdump -nr /root/lab/lo.pcap 2>/dev/null | head -5
