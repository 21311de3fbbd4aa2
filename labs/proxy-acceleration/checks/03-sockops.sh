#!/bin/bash
# Done when ~/lab/sockops.bpf.o records both ends of proxy<->app connections correctly (accel-selftest).
exec /opt/ebpf-labs/bpf/accel/accel-selftest sockops /root/lab
