#!/bin/bash
# Done when a hash map with 4-byte keys and 8-byte values is pinned at /sys/fs/bpf/tour_counts. One command runs
# (bpftool, read as text: "ID: TYPE  name NAME ..." then "key 4B  value 8B ..."), the rest is bash: the check runs
# after every command.
. /opt/ebpf-labs/lib/check.sh
PIN=/sys/fs/bpf/tour_counts
if [ ! -e $PIN ]; then
  near=$(compgen -G '/sys/fs/bpf/tour*')
  [ -z "$near" ] || fail wrong-path "Found ${near%%$'\n'*}, but the map must be pinned at $PIN: rm ${near%%$'\n'*}, then run the bpftool map create command again with that path."
  fail not-pinned "No map is pinned at $PIN yet: run the bpftool map create command."
fi
info=$(bpftool map show pinned $PIN 2>/dev/null)
[[ $info =~ ^[0-9]+:\ ([a-z_]+) ]] || fail not-a-map "$PIN is not a map (something else is pinned there): rm $PIN, then create the map."
type=${BASH_REMATCH[1]}
[ "$type" = hash ] || fail wrong-type "$PIN is a map of type $type, not hash: rm $PIN, then create it again with type hash."
[[ $info =~ key\ ([0-9]+)B\ +value\ ([0-9]+)B ]] && key=${BASH_REMATCH[1]} value=${BASH_REMATCH[2]}
[ "$key" = 4 ] && [ "$value" = 8 ] ||
  fail wrong-size "The map has $key-byte keys and $value-byte values, not 4 and 8: rm $PIN, then create it again with key 4 value 8."
pass "A hash map (4-byte keys, 8-byte values) is pinned at $PIN: it stays there after bpftool exits."
