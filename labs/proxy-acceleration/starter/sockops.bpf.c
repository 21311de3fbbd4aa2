// SPDX-License-Identifier: GPL-2.0
// Starter: complete the TODOs. sock_ops: when a proxy<->app connection is established, put both of its sockets into accel_socks.
// Attached to the server pod's cgroup, so it sees the sockets of the proxy and the app (and nothing else).
#include "accel.h"

/* Fills `key` with the socket's own view of its connection; 0 when it is not an IPv4 (or IPv4-mapped) one.
 * Every field is read once, up front and unconditionally: reading them inside the branches lets clang merge the
 * branches into one load through a computed context pointer, which the verifier refuses. */
static __always_inline int key_of(struct bpf_sock_ops *skops, struct sock_key *key)
{
	__u32 family = CTX(skops->family);
	__u32 local4 = CTX(skops->local_ip4), remote4 = CTX(skops->remote_ip4);
	__u32 l0 = CTX(skops->local_ip6[0]), l1 = CTX(skops->local_ip6[1]), l2 = CTX(skops->local_ip6[2]);
	__u32 l3 = CTX(skops->local_ip6[3]);
	__u32 r0 = CTX(skops->remote_ip6[0]), r1 = CTX(skops->remote_ip6[1]), r2 = CTX(skops->remote_ip6[2]);
	__u32 r3 = CTX(skops->remote_ip6[3]);

	if (family == AF_INET) {
		/* TODO 1: fill key->local_ip4 and key->remote_ip4 (network byte order, as they are). */
	} else if (family == AF_INET6 && v4_mapped(l0, l1, l2) && v4_mapped(r0, r1, r2)) {
		/* TODO 2: iperf3 -s listens on [::], so its accepted sockets are AF_INET6 with IPv4-mapped addresses
		 * (::ffff:a.b.c.d). The IPv4 address is the last 32-bit word: l3 and r3. */
	} else {
		return 0;
	}
	/* TODO 3: the ports, both stored in host byte order. skops->local_port is in host byte order already.
	 * skops->remote_port is in network byte order, in the upper 16 bits of its 32-bit field: read all 32 bits
	 * (CTX(skops->remote_port)) and convert with bpf_ntohl(). */
	return 1;
}

static __always_inline void record(struct bpf_sock_ops *skops)
{
	struct sock_key key = {};

	if (!key_of(skops, &key))
		return;
	/* TODO 4: keep only proxy<->app sockets: return unless one end (local or remote) is PROXY_APP_SOURCE. */

	/* TODO 5: put the socket into accel_socks with bpf_sock_hash_update(skops, &accel_socks, &key, BPF_ANY)
	 * (0 = added), and count it: count(STAT_SOCKETS_ADDED, 1). BPF_ANY, not BPF_NOEXIST: a key can be reused by a
	 * new connection before the old socket's entry is gone. The socket takes the map's sk_msg program as it is
	 * inserted: a socket inserted before an sk_msg program was attached to the map never runs one. */
}

/* The kernel calls a sock_ops program at fixed points of a TCP socket's life (connect, the two ESTABLISHED
 * callbacks, RTO, listen, ...), not on every state change: that needs BPF_SOCK_OPS_STATE_CB_FLAG set per socket with
 * bpf_sock_ops_cb_flags_set(). Insertion needs nothing more: sockhash updates from sock_ops are allowed only in the
 * ESTABLISHED callbacks (and on listen), and a closing socket leaves the map by itself. */
SEC("sockops")
int accel_sockops(struct bpf_sock_ops *skops)
{
	/* TODO 6: call record(skops) when a connection is established, both ways:
	 * BPF_SOCK_OPS_ACTIVE_ESTABLISHED_CB (our connect() completed: the proxy's socket to the app) and
	 * BPF_SOCK_OPS_PASSIVE_ESTABLISHED_CB (a connection we accepted: the app's socket from the proxy). */
	(void)record;
	return 1;
}

char LICENSE[] SEC("license") = "GPL";
