#!/bin/bash
set -e
/opt/ebpf-labs/bpf/steer/unload.sh
