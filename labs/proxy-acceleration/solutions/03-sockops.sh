#!/bin/bash
set -e
cp /opt/ebpf-labs/bpf/accel/sockops.bpf.c /root/lab/sockops.bpf.c
make -C /root/lab sockops.bpf.o
