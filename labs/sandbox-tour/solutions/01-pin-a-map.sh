#!/bin/bash
set -e
bpftool map create /sys/fs/bpf/tour_counts type hash key 4 value 8 entries 16 name tour_counts
