#!/bin/bash
set -e
splicectl stop
bpftool prog detach pinned /sys/fs/bpf/splice_verdict stream_verdict pinned /sys/fs/bpf/splice_socks
rm /sys/fs/bpf/splice_verdict /sys/fs/bpf/splice_socks /sys/fs/bpf/splice_stats
proxyctl start
