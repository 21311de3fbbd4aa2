#!/bin/bash
# The starting point: the two pods with the iptables redirect on, the image's proxy stopped (the learner's proxy takes
# its port), splicectl on the PATH, and the lab's own preflight: stream verdict programs without a parser.
set -euo pipefail
lab-pods up
redirectctl on
proxyctl stop
# On the PATH of shells and lab scripts alike.
ln -sf /root/lab/splicectl /opt/ebpf-labs/bin/splicectl
if ! out=$(splicectl preflight); then
  echo "This kernel cannot run the lab's sockmap mode: $out" >&2
  echo "The lab needs an sk_skb stream verdict program attached to a sockhash without a stream parser (Linux 5.13 or later, CONFIG_BPF_STREAM_PARSER=y)." >&2
  exit 1
fi
echo "ready: pods up, redirect on, the image's proxy stopped, starter files in /root/lab; $out"
