#!/bin/bash
# Done when ~/lab/redirect.bpf.o redirects proxy<->app messages and passes misses on (accel-selftest).
exec /opt/ebpf-labs/bpf/accel/accel-selftest redirect /root/lab
