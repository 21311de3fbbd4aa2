#!/bin/bash
# Done when a hash map is pinned at /sys/fs/bpf/tour_counts.
if [ ! -e /sys/fs/bpf/tour_counts ]; then
  echo "No map is pinned at /sys/fs/bpf/tour_counts yet: run the bpftool map create command."
  exit 1
fi
type=$(bpftool -j map show pinned /sys/fs/bpf/tour_counts | jq -r .type)
if [ "$type" != hash ]; then
  echo "/sys/fs/bpf/tour_counts is a $type map; remove it (rm /sys/fs/bpf/tour_counts) and create a hash map."
  exit 1
fi
echo "A hash map is pinned at /sys/fs/bpf/tour_counts."
