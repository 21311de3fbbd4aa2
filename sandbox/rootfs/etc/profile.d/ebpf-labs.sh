# Lab environment for login shells (LAB_CGROUP, LAB_PROXY, ...), written by sandbox-prepare.
if [ -r /etc/ebpf-labs/env ]; then set -a; . /etc/ebpf-labs/env; set +a; fi
export PATH=/opt/ebpf-labs/bin:$PATH
