#!/bin/bash
set -e
cd /root/lab
bpftool prog load sockops.bpf.o /sys/fs/bpf/accel_sockops type sockops
bpftool prog load redirect.bpf.o /sys/fs/bpf/accel_redirect type sk_msg
# sk_msg on the map first: a socket takes the map's sk_msg program when sock_ops inserts it.
bpftool prog attach pinned /sys/fs/bpf/accel_redirect msg_verdict pinned /sys/fs/bpf/accel_socks
bpftool cgroup attach "$LAB_CGROUP/server" sock_ops pinned /sys/fs/bpf/accel_sockops
