#!/bin/bash
set -e
clang -O2 -g -target bpf -I"/usr/include/$(uname -m)-linux-gnu" \
  -c /opt/ebpf-labs/bpf/preflight/preflight.bpf.c -o /tmp/hello.bpf.o
bpftool prog load /tmp/hello.bpf.o /sys/fs/bpf/hello type sockops
bpftool cgroup attach "$LAB_CGROUP" sock_ops pinned /sys/fs/bpf/hello
