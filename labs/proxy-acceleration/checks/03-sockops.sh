#!/bin/bash
# Done when ~/lab/sockops.bpf.o records both ends of proxy<->app connections correctly (accel-selftest: the program
# in a scratch cgroup, without pins, on test connections in the server pod; about 30 ms).
exec /opt/ebpf-labs/bpf/accel/accel-selftest sockops /root/lab
