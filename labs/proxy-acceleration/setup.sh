#!/bin/bash
# The starting point: Lab 1's topology with the iptables redirect on, and the starter files in ~/lab.
set -euo pipefail
lab-pods up
redirectctl on
cp /opt/ebpf-labs/bpf/accel/accel.h /opt/ebpf-labs/bpf/accel/Makefile /root/lab/
echo "ready: pods up, redirect on, starter files in /root/lab"
