#!/bin/bash
set -e
cd /root/lab
bpftool prog load sockops.bpf.o /sys/fs/bpf/accel_sockops type sockops
bpftool cgroup attach "$LAB_CGROUP/server" sock_ops pinned /sys/fs/bpf/accel_sockops
bpftool prog load redirect.bpf.o /sys/fs/bpf/accel_redirect type sk_msg
bpftool prog attach pinned /sys/fs/bpf/accel_redirect msg_verdict pinned /sys/fs/bpf/accel_socks
