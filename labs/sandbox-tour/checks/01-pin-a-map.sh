#!/bin/bash
# Done when a hash map with 4-byte keys and 8-byte values is pinned at /sys/fs/bpf/tour_counts.
. /opt/ebpf-labs/lib/check.sh
PIN=/sys/fs/bpf/tour_counts
if [ ! -e $PIN ]; then
  near=$(compgen -G '/sys/fs/bpf/tour*' | head -n 1)
  [ -z "$near" ] || fail wrong-path "Found $near, but the map must be pinned at $PIN: rm $near, then run the bpftool map create command again with that path."
  fail not-pinned "No map is pinned at $PIN yet: run the bpftool map create command."
fi
info=$(bpftool -j map show pinned $PIN 2>/dev/null)
[ -n "$info" ] || fail not-a-map "$PIN is not a map (something else is pinned there): rm $PIN, then create the map."
read -r type key value < <(jq -r '"\(.type) \(.bytes_key) \(.bytes_value)"' <<<"$info")
[ "$type" = hash ] || fail wrong-type "$PIN is a map of type $type, not hash: rm $PIN, then create it again with type hash."
[ "$key" = 4 ] && [ "$value" = 8 ] ||
  fail wrong-size "The map has $key-byte keys and $value-byte values, not 4 and 8: rm $PIN, then create it again with key 4 value 8."
pass "A hash map (4-byte keys, 8-byte values) is pinned at $PIN: it stays there after bpftool exits."
