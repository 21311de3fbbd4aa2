// SPDX-License-Identifier: GPL-2.0
// Starter: complete the TODOs. sk_msg: for every message sent on a socket in accel_socks, find the peer socket (the mirrored key) and put the
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
		/* TODO 1: the peer's key mirrors ours: peer.local_ip4 is our remote address, peer.remote_ip4 our local. */
	} else if (family == AF_INET6 && v4_mapped(l0, l1, l2) && v4_mapped(r0, r1, r2)) {
		/* TODO 2: the same for IPv4-mapped sockets (the app's, accepted on [::]): the last words, r3 and l3. */
	} else {
		count(STAT_MISSED, 1);
		return SK_PASS;
	}
	/* TODO 3: the ports, mirrored, in host byte order: peer.local_port is our remote port (network order in the
	 * upper 16 bits: bpf_ntohl(CTX(msg->remote_port))), peer.remote_port our local port (host order). */

	/* TODO 4: redirect to the peer's receive side:
	 *   verdict = bpf_msg_redirect_hash(msg, &accel_socks, &peer, BPF_F_INGRESS);
	 * (a hash lookup by key; bpf_msg_redirect_map would take an index into a BPF_MAP_TYPE_SOCKMAP array). With
	 * BPF_F_INGRESS the message goes onto the peer's ingress_msg list, which the peer's recvmsg() reads before its
	 * TCP receive queue; without it, the message would be sent out of the peer socket. Then count: STAT_REDIRECTED
	 * and STAT_REDIRECTED_BYTES (with CTX(msg->size)) when verdict is SK_PASS, STAT_MISSED otherwise. */
	verdict = SK_DROP;

	/* TODO 5: what must this program return? bpf_msg_redirect_hash() returns SK_DROP when the peer is not in the
	 * map, and returning SK_DROP drops the message: the sender's sendmsg() fails with EACCES. */
	return verdict;
}

char LICENSE[] SEC("license") = "GPL";
