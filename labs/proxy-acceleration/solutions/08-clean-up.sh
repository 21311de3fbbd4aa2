#!/bin/bash
set -e
bpftool cgroup detach "$LAB_CGROUP/server" sock_ops pinned /sys/fs/bpf/accel_sockops
bpftool prog detach pinned /sys/fs/bpf/accel_redirect msg_verdict pinned /sys/fs/bpf/accel_socks
rm /sys/fs/bpf/accel_sockops /sys/fs/bpf/accel_redirect /sys/fs/bpf/accel_socks /sys/fs/bpf/accel_stats
