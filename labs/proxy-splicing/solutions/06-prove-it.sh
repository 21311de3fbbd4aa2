#!/bin/bash
set -e
pod client iperf3 -c 10.10.0.2 -t 2 > /dev/null
splicectl stats
bpftool map dump pinned /sys/fs/bpf/splice_stats
