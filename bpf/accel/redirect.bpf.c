// SPDX-License-Identifier: GPL-2.0
// sk_msg: for every message sent on a socket in accel_socks, find the peer socket (the mirrored key) and put the
// message straight into its receive queue (BPF_F_INGRESS): no TCP segments, no loopback, no second stack.
// Attached to the accel_socks map, so it runs only for the proxy<->app sockets sock_ops recorded.
#include "accel.h"

/* Runs inside the sender's sendmsg(), once per call (the proxy's writes: their size is whatever the proxy read from
 * the client, not what the client wrote). The data is still copied from the sender's buffer into kernel pages, and
 * the receiver still copies it out: what the redirect saves is TCP (segments, ACKs, the loopback softirq and the
 * second receive path), not copies. */
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

	/* A hash lookup by key (bpf_msg_redirect_map would take an index into a BPF_MAP_TYPE_SOCKMAP array). With
	 * BPF_F_INGRESS the message goes onto the peer's receive side (its psock's ingress_msg list, which the peer's
	 * recvmsg() reads before its TCP receive queue); without it, the message would be sent out of the peer socket. */
	verdict = bpf_msg_redirect_hash(msg, &accel_socks, &peer, BPF_F_INGRESS);
	if (verdict == SK_PASS) {
		count(STAT_REDIRECTED, 1);
		count(STAT_REDIRECTED_BYTES, CTX(msg->size));
	} else {
		count(STAT_MISSED, 1);
	}
	/* Always SK_PASS. On a miss bpf_msg_redirect_hash returns SK_DROP, and returning that would drop the data (the
	 * sender's sendmsg() fails with EACCES). SK_PASS after a successful redirect delivers to the peer; after a miss,
	 * it sends the message the usual way, over TCP. A miss is not free: if a later message of the same connection
	 * is redirected while the missed one still waits in the peer's TCP receive queue, the peer reads the later one
	 * first (ingress_msg before the receive queue). */
	return SK_PASS;
}

char LICENSE[] SEC("license") = "GPL";
