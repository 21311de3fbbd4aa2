// SPDX-License-Identifier: GPL-2.0
// The kernel half of the sockmap mode: a stream verdict program for the sockets of splice_socks. It runs for every
// skb that arrives on one of them and sends it out of that connection's other socket, so the payload never reaches
// the proxy's user space.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "splice.h"

// Key: the socket cookie (bpf_get_socket_cookie, SO_COOKIE; host order, unique while the kernel runs) of the socket
// the bytes ARRIVE on. Value: the socket they must LEAVE by. The proxy inserts each socket under its peer's cookie, so
// the program answers "where do bytes that arrived on me go?" with one lookup.
struct {
	__uint(type, BPF_MAP_TYPE_SOCKHASH);
	__uint(max_entries, 8192);
	__type(key, __u64);
	__type(value, __u64);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} splice_socks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, SPLICE_STATS);
	__type(key, __u32);
	__type(value, __u64);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} splice_stats SEC(".maps");

static __always_inline void count(__u32 slot, __u64 n)
{
	__u64 *v = bpf_map_lookup_elem(&splice_stats, &slot);

	if (v)
		__sync_fetch_and_add(v, n);
}

SEC("sk_skb/stream_verdict")
int splice_verdict(struct __sk_buff *skb)
{
	// TODO 1: the key of the socket this skb arrived on.
	__u64 key = 0;
	__u32 len = skb->len;

	// TODO 2: the FIN arrives as an skb without payload. Pass it to the socket (SK_PASS), where it is the EOF the
	// proxy waits for to pass the half-close on; redirected, it would reach a socket the proxy shuts down meanwhile.
	// TODO 3: redirect to the peer's egress (flags 0: out of the peer socket, towards its remote end; BPF_F_INGRESS
	// would queue the bytes on the peer's own receive queue, for the proxy to read).
	if (0) {
		count(SPLICE_REDIRECTED, 1);
		count(SPLICE_REDIRECTED_BYTES, len);
		return SK_PASS;
	}
	// TODO 4: no peer in the map (the proxy has not inserted it yet, or already removed it): the helper's verdict is
	// SK_DROP then, and dropped bytes are lost for good. Pass them to the socket: the proxy reads and forwards them.
	count(SPLICE_MISSES, 1);
	return SK_DROP;
}

char LICENSE[] SEC("license") = "GPL";
