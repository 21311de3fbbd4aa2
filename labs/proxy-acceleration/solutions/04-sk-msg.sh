#!/bin/bash
set -e
cp /opt/ebpf-labs/bpf/accel/redirect.bpf.c /root/lab/redirect.bpf.c
make -C /root/lab redirect.bpf.o
