#!/bin/bash
set -e
pod server iptables -t nat -F
pod server iptables -t nat -X
/opt/ebpf-labs/bpf/steer/load.sh
pod client iperf3 -c 10.10.0.2 -t 1
