#!/bin/bash
set -e
/opt/ebpf-labs/bpf/steer/unload.sh
pod client iperf3 -c 10.10.0.2 -t 1
