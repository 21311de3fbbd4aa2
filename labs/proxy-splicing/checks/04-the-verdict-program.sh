#!/bin/bash
# Done when the learner's build of splice.bpf.c is loaded and pinned as /sys/fs/bpf/splice_verdict (an sk_skb program),
# its maps pinned by name (splice_socks a sockhash with 8-byte keys), and the program uses splice_socks (the starter's
# does not: its redirect is TODO 2). Whether it is attached and redirects well, step 05's test connections tell.
. /opt/ebpf-labs/lib/check.sh
[ -f /root/lab/splice.bpf.o ] || fail no-build "No ~/lab/splice.bpf.o yet: make -C ~/lab."
prog=$(bpftool -j prog show pinned /sys/fs/bpf/splice_verdict 2>/dev/null) \
  || fail not-loaded "Nothing is pinned at /sys/fs/bpf/splice_verdict: bpftool prog load ~/lab/splice.bpf.o /sys/fs/bpf/splice_verdict type sk_skb"
[ "$(jq -r .type <<<"$prog")" = sk_skb ] || fail wrong-type "/sys/fs/bpf/splice_verdict is a $(jq -r .type <<<"$prog") program: load it with type sk_skb."
map=$(bpftool -j map show pinned /sys/fs/bpf/splice_socks 2>/dev/null) || fail no-map "/sys/fs/bpf/splice_socks is not pinned: it is pinned when splice.bpf.o is loaded (LIBBPF_PIN_BY_NAME). Remove the program's pin and load it again."
[ "$(jq -r '"\(.type) \(.bytes_key)"' <<<"$map")" = "sockhash 8" ] \
  || fail wrong-map "splice_socks is a $(jq -r '"\(.type) with \(.bytes_key)-byte keys"' <<<"$map"): the proxy looks sockets up by a socket cookie, so it must be a BPF_MAP_TYPE_SOCKHASH keyed by a __u64. Fix it, make, rm /sys/fs/bpf/splice_*, load and attach again."
jq -e --argjson m "$(jq .id <<<"$map")" '.map_ids | index($m)' <<<"$prog" >/dev/null \
  || fail no-redirect "Your program never uses splice_socks: it redirects nothing yet (TODO 2: bpf_sk_redirect_hash). Complete TODO 1 to 3, make, then rm /sys/fs/bpf/splice_verdict and load and attach again."
# Loaded from the current build? Load ~/lab/splice.bpf.o once more under a scratch pin and compare the tags.
tmp=/sys/fs/bpf/splice_check_$$
if bpftool prog load /root/lab/splice.bpf.o "$tmp" type sk_skb 2>/dev/null; then
  tag=$(bpftool -j prog show pinned "$tmp" | jq -r .tag); rm -f "$tmp"
  [ "$tag" = "$(jq -r .tag <<<"$prog")" ] || fail not-your-build "The program pinned at /sys/fs/bpf/splice_verdict is not your current build of splice.bpf.c: rm /sys/fs/bpf/splice_verdict, then load and attach it again."
fi
pass "splice_verdict (sk_skb, id $(jq .id <<<"$prog")) is loaded from your build and uses the sockhash splice_socks. Step 05 puts sockets in it."
