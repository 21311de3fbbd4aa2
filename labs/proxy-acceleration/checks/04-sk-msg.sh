#!/bin/bash
# Done when ~/lab/redirect.bpf.o redirects proxy<->app messages both ways, from AF_INET and IPv4-mapped senders,
# counts them, and passes misses on (accel-selftest: with the reference sock_ops, in a scratch cgroup, without pins).
exec /opt/ebpf-labs/bpf/accel/accel-selftest redirect /root/lab
