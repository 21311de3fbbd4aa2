// SPDX-License-Identifier: GPL-2.0
// sk_msg: for every message sent on a socket in accel_socks, find the peer socket (the mirrored key) and put the
// message straight into its receive queue (BPF_F_INGRESS): no TCP segments, no loopback, no second stack.
// Attached to the accel_socks map, so it runs only for the proxy<->app sockets sock_ops recorded.
#include "accel.h"

SEC("sk_msg")
int accel_redirect(struct sk_msg_md *msg)
{
	struct sock_key peer = {};
	long verdict;

	/* The peer's key is this socket's key mirrored: its local end is our remote end, and the other way round. */
	/* Every field is read once, up front (see key_of in sockops.bpf.c for why). */
	__u32 family = CTX(msg->family);
	__u32 local4 = CTX(msg->local_ip4), remote4 = CTX(msg->remote_ip4);
	__u32 l0 = CTX(msg->local_ip6[0]), l1 = CTX(msg->local_ip6[1]), l2 = CTX(msg->local_ip6[2]);
	__u32 l3 = CTX(msg->local_ip6[3]);
	__u32 r0 = CTX(msg->remote_ip6[0]), r1 = CTX(msg->remote_ip6[1]), r2 = CTX(msg->remote_ip6[2]);
	__u32 r3 = CTX(msg->remote_ip6[3]);

	if (family == AF_INET) {
		peer.local_ip4 = remote4;
		peer.remote_ip4 = local4;
	} else if (family == AF_INET6 && v4_mapped(l0, l1, l2) && v4_mapped(r0, r1, r2)) {
		peer.local_ip4 = r3;
		peer.remote_ip4 = l3;
	} else {
		count(STAT_MISSED, 1);
		return SK_PASS;
	}
	peer.local_port = bpf_ntohl(CTX(msg->remote_port)); /* network order, upper 16 bits: 32-bit load, convert */
	peer.remote_port = CTX(msg->local_port);             /* host byte order already */

	verdict = bpf_msg_redirect_hash(msg, &accel_socks, &peer, BPF_F_INGRESS);
	if (verdict == SK_PASS) {
		count(STAT_REDIRECTED, 1);
		count(STAT_REDIRECTED_BYTES, CTX(msg->size));
	} else {
		count(STAT_MISSED, 1);
	}
	/* Always SK_PASS: on a miss bpf_msg_redirect_hash returns SK_DROP, and returning that would drop the data.
	 * SK_PASS after a successful redirect sends the message to the peer; after a miss, the usual way. */
	return SK_PASS;
}

char LICENSE[] SEC("license") = "GPL";
