#!/bin/bash
# The reference verdict program (solutions/files/splice.bpf.c), built, loaded and attached to the sockhash.
set -e
cp /opt/ebpf-labs/solution-files/splice.bpf.c /root/lab/splice.bpf.c
cd /root/lab
make splice.bpf.o
bpftool prog load splice.bpf.o /sys/fs/bpf/splice_verdict type sk_skb
bpftool prog attach pinned /sys/fs/bpf/splice_verdict stream_verdict pinned /sys/fs/bpf/splice_socks
