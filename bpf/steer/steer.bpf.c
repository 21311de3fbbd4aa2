// SPDX-License-Identifier: GPL-2.0
/*
 * steer.bpf.c: transparent ingress redirection to the server pod's proxy, the eBPF way.
 *
 * The iptables way: PREROUTING ... -j REDIRECT --to-ports 15006 in the pod's netns, and the proxy asks conntrack
 * for the original destination with getsockopt(SOL_IP, SO_ORIGINAL_DST). The eBPF way, three programs, one map:
 *
 *   steer_ingress  (TC ingress, server pod eth0)  SYN to a steerable port: remember the port in orig_dst, then
 *                  rewrite the destination port of every packet of that connection to 15006.
 *   steer_egress   (TC egress, server pod eth0)   packets from :15006 to a remembered client: rewrite the source
 *                  port back to the original one, so the client only ever sees the port it dialled.
 *   steer_sockopt  (cgroup/getsockopt, server pod cgroup)  the proxy's getsockopt(SOL_IP, SO_ORIGINAL_DST) on an
 *                  accepted socket: answer from orig_dst instead of conntrack.
 *
 * Only the port is rewritten, never an address: the client connected to the pod's address and the proxy listens on
 * 0.0.0.0:15006 in the same pod, so the TCP/IP pseudo-header (addresses) is unchanged and only the port's share of
 * the TCP checksum has to be fixed, which the kernel's bpf_l4_csum_replace() helper does for us.
 *
 * Byte orders: all packet fields and all map keys/values are kept in network order (see steer.h); the only
 * host-order quantities are the STEER_PROXY_PORT constant and struct bpf_sock's src_port (see steer_sockopt).
 *
 * It fails OPEN: whatever steer_ingress does not steer goes to the port the client dialled, straight to the app.
 * That is IPv6 (parse() handles IPv4 only, and the app listens on [::]), IP fragments, and a SYN whose orig_dst
 * entry cannot be written (a full map that cannot evict, an allocation failure). In a mesh the proxy is where
 * mTLS and authorization policy are enforced, so each of these is a policy bypass, not just a missed
 * optimisation. iptables REDIRECT does better on two of them: conntrack reassembles fragments before the nat
 * table sees them, and a new connection whose NAT cannot be set up is dropped (IPv6 needs ip6tables rules of its
 * own, which Istio adds when the pod has IPv6). A production version drops (TC_ACT_SHOT) what it cannot steer,
 * and steers IPv6 too.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/ip.h>
#include <linux/tcp.h>
#include <linux/in.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include <stddef.h>

#include "steer.h"

/* Not in the UAPI headers that a -target bpf build can include (they are glibc's / netfilter's). */
#ifndef AF_INET
#define AF_INET 2
#endif
#ifndef AF_INET6
#define AF_INET6 10
#endif
#ifndef SOL_IP
#define SOL_IP 0 /* == IPPROTO_IP */
#endif
#ifndef SO_ORIGINAL_DST
#define SO_ORIGINAL_DST 80 /* <linux/netfilter_ipv4.h> */
#endif
/* iphdr.frag_off bits (host order; the kernel's are in <net/ip.h>, not UAPI). */
#define STEER_IP_MF 0x2000
#define STEER_IP_OFFSET 0x1fff

/*
 * orig_dst: {client ip, client port, pod ip} -> original destination port. See steer.h for why the key is
 * collision-free.
 *
 * Why LRU: nothing ever deletes a finished connection's entry. The data path cannot tell when the last packet of a
 * connection has gone by (the final ACK after FIN, retransmissions, a RST answering a late segment in TIME_WAIT
 * must all still be rewritten), and a wrongly deleted entry would send those packets to the app's port un-rewritten.
 * An LRU hash evicts the least recently used entries as it fills up (a little before max_entries: free slots are
 * kept in per-CPU lists); every packet of a live connection looks its entry up and so keeps it recent, so what gets
 * evicted first are connections that are long gone. No garbage collector, no timers. A new SYN from the same client
 * address and port simply overwrites the old entry.
 *
 * The price: an open connection that stays idle while 65536 newer ones arrive is evicted too. Its next packet is
 * no longer rewritten, goes to the app's port, finds no socket there and is answered with a RST: the connection
 * breaks. A production version deletes entries when the proxy's socket closes (sock_ops state callbacks, or a
 * conntrack-like timeout) and sizes the map for the connections that can be open at once.
 */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, STEER_MAX_CONNS);
	__type(key, struct steer_key);
	__type(value, struct steer_orig);
} orig_dst SEC(".maps");

/*
 * steer_excluded: destination ports that bypass the proxy (like Istio's excludeInboundPorts). Key: the port in
 * NETWORK order (__be16), so "bpftool map update ... key 0 22 value 1" reads as port 0x0016 = 22. Value: unused (1).
 * It starts empty: load.sh fills it (22 and 15000 by default) so that the policy lives in one visible place.
 * The proxy's own port 15006 is always left alone (hard-coded below): steering it would be a loop.
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, STEER_MAX_EXCLUDED);
	__type(key, __be16);
	__type(value, __u8);
} steer_excluded SEC(".maps");

/*
 * steer_stats: __u64 counters indexed by enum steer_stat (steer.h). A plain ARRAY (one shared value per index,
 * atomically incremented) rather than a PERCPU_ARRAY so that "bpftool map dump" shows one readable number each;
 * the price, a shared cache line per packet, is small next to what it replaces (conntrack + NAT).
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, STEER_STAT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} steer_stats SEC(".maps");

static __always_inline void count(__u32 idx)
{
	__u64 *c = bpf_map_lookup_elem(&steer_stats, &idx);

	if (c)
		__sync_fetch_and_add(c, 1);
}

/* What the TC programs need from a packet. All network order. */
struct pkt {
	__be32 saddr;
	__be32 daddr;
	__u32 l4_off; /* offset of the TCP header from skb->data (the Ethernet header in TC) */
	struct tcphdr th;
};

/* The key of one steered connection, built the same way in the three places that meet it: TC ingress (the client is
 * the packet's source), TC egress (its destination) and getsockopt (the accepted socket's remote end). */
static __always_inline struct steer_key conn_key(__be32 client_ip, __be16 client_port, __be32 pod_ip)
{
	struct steer_key key = { .client_ip = client_ip, .client_port = client_port, ._pad = 0, .pod_ip = pod_ip };

	return key;
}

/* Parses an unfragmented IPv4 TCP packet; returns 0 on success. bpf_skb_load_bytes copies through non-linear
 * (paged, GSO) skbs, so no bpf_skb_pull_data() is needed just to read the headers. Anything else (IPv6, a
 * fragment) is not parsed, so not steered: it reaches the app directly (fails open, see the top). */
static __always_inline int parse(struct __sk_buff *skb, struct pkt *p)
{
	struct iphdr iph;

	if (skb->protocol != bpf_htons(ETH_P_IP))
		return -1;
	if (bpf_skb_load_bytes(skb, ETH_HLEN, &iph, sizeof(iph)))
		return -1;
	if (iph.version != 4 || iph.ihl < 5 || iph.protocol != IPPROTO_TCP)
		return -1;
	/* A non-first fragment has no TCP header, and the first one must not be rewritten without the rest. */
	if (iph.frag_off & bpf_htons(STEER_IP_MF | STEER_IP_OFFSET))
		return -1;
	p->saddr = iph.saddr;
	p->daddr = iph.daddr;
	p->l4_off = ETH_HLEN + iph.ihl * 4;
	if (bpf_skb_load_bytes(skb, p->l4_off, &p->th, sizeof(p->th)))
		return -1;
	return 0;
}

/*
 * Rewrites a TCP port at port_off from `from` to `to` (both network order), checksum first.
 *
 * bpf_l4_csum_replace(..., sizeof(__be16)) (no BPF_F_PSEUDO_HDR: a port is not part of the pseudo-header) applies
 * the RFC 1624 incremental update when the checksum field holds a full checksum (CHECKSUM_NONE/COMPLETE/
 * UNNECESSARY). On a veth, TCP packets usually carry CHECKSUM_PARTIAL: the field then holds only the pseudo-header
 * sum and the rest is computed later (by "hardware", or never, since veth -> local socket trusts it). The helper
 * knows that and leaves the field alone; fixing it by hand here would corrupt it. With CHECKSUM_COMPLETE the skb's
 * running sum (skb->csum) stays valid too: the port and the checksum field change by opposite amounts.
 * Both helpers make the skb writable (unclone) themselves, and invalidate any direct packet pointers.
 */
static __always_inline int rewrite_port(struct __sk_buff *skb, __u32 port_off, __u32 l4_off, __be16 from, __be16 to)
{
	if (bpf_l4_csum_replace(skb, l4_off + offsetof(struct tcphdr, check), from, to, sizeof(__be16)))
		return -1;
	if (bpf_skb_store_bytes(skb, port_off, &to, sizeof(to), 0))
		return -1;
	return 0;
}

SEC("tc")
int steer_ingress(struct __sk_buff *skb)
{
	const __be16 proxy_port = bpf_htons(STEER_PROXY_PORT);
	struct steer_orig *orig;
	struct pkt p;

	/* Only what is addressed to this pod: PACKET_HOST means "our MAC" (eth_type_trans set it before TC ingress).
	 * A pod does not route, so that is every unicast packet for one of its addresses. */
	if (skb->pkt_type != PACKET_HOST)
		return TC_ACT_OK;
	if (parse(skb, &p))
		return TC_ACT_OK;

	struct steer_key key = conn_key(p.saddr, p.th.source, p.daddr);

	if (p.th.syn && !p.th.ack) {
		/* A new inbound connection. Not steered: the proxy's own port (a loop) and excluded ports. Any entry
		 * left for this key by an earlier connection from the same client port is dropped, or the egress
		 * program would rewrite this connection's replies. */
		if (p.th.dest == proxy_port || bpf_map_lookup_elem(&steer_excluded, &p.th.dest)) {
			bpf_map_delete_elem(&orig_dst, &key);
			count(STEER_STAT_BYPASS);
			return TC_ACT_OK;
		}
		struct steer_orig val = { .port = p.th.dest, ._pad = 0 };

		/* BPF_ANY: a retransmitted SYN rewrites the same value; a reused client port replaces the old one. */
		if (bpf_map_update_elem(&orig_dst, &key, &val, BPF_ANY))
			return TC_ACT_OK; /* cannot remember it: it goes to the app directly (fails open, see the top) */
		count(STEER_STAT_SYN);
	} else {
		/* Any other packet: steered only if its connection was. The port must match too, so a connection that
		 * was never steered (opened before load.sh, or to an excluded port) is never touched. */
		orig = bpf_map_lookup_elem(&orig_dst, &key);
		if (!orig || orig->port != p.th.dest)
			return TC_ACT_OK;
	}

	/* Past this point a failed rewrite would leave a connection half on the proxy, half on the app: drop the
	 * packet instead (TCP retransmits it). */
	if (rewrite_port(skb, p.l4_off + offsetof(struct tcphdr, dest), p.l4_off, p.th.dest, proxy_port))
		return TC_ACT_SHOT;
	count(STEER_STAT_INGRESS);
	return TC_ACT_OK;
}

SEC("tc")
int steer_egress(struct __sk_buff *skb)
{
	const __be16 proxy_port = bpf_htons(STEER_PROXY_PORT);
	struct steer_orig *orig;
	struct pkt p;

	if (parse(skb, &p))
		return TC_ACT_OK;
	if (p.th.source != proxy_port)
		return TC_ACT_OK;

	/* The same connection seen from the other side: the client is the destination now. */
	struct steer_key key = conn_key(p.daddr, p.th.dest, p.saddr);

	orig = bpf_map_lookup_elem(&orig_dst, &key);
	if (!orig) /* a client that dialled :15006 itself, or a connection that was never steered */
		return TC_ACT_OK;
	if (rewrite_port(skb, p.l4_off + offsetof(struct tcphdr, source), p.l4_off, proxy_port, orig->port))
		return TC_ACT_SHOT;
	count(STEER_STAT_EGRESS);
	return TC_ACT_OK;
}

/* ::ffff:a.b.c.d, the IPv4-mapped IPv6 address of a.b.c.d (RFC 4291 2.5.5.2): 80 zero bits, 16 one bits, the
 * IPv4 address. w0..w2 are the first three 32-bit words of struct bpf_sock's src_ip6 or dst_ip6 (network order). */
static __always_inline int is_v4_mapped(__u32 w0, __u32 w1, __u32 w2)
{
	return w0 == 0 && w1 == 0 && w2 == bpf_htonl(0x0000ffff);
}

/*
 * getsockopt(fd, SOL_IP, SO_ORIGINAL_DST, &sockaddr_in, &len) from any process of the server pod's cgroup.
 * The kernel has already run its own getsockopt (conntrack's getorigdst) when this runs, and ctx->retval holds its
 * result. It does not fail here: whenever the pod's netns has a nat table, conntrack tracks the connection, but it
 * saw the packets after TC ingress had rewritten them, so it answers 10.10.0.2:15006, the proxy itself. (Without
 * conntrack it fails with ENOENT.) ctx->optval..optval_end is a kernel buffer as large as the caller's (up to a
 * page), and whatever optlen we leave is how much of it is copied back to the caller.
 *
 * ctx->sk is the proxy's accepted socket: local pod_ip:15006, remote client_ip:client_port. Two kinds:
 *   AF_INET   a proxy listening on 0.0.0.0:15006 (HAProxy and Envoy here),
 *   AF_INET6  a dual-stack proxy listening on [::]:15006: an IPv4 client's connection is an IPv4-mapped socket
 *             (::ffff:10.10.0.1 -> ::ffff:10.10.0.2). Such a proxy still asks SOL_IP/SO_ORIGINAL_DST (Envoy does,
 *             since the connection is IPv4) and the kernel answers it with a sockaddr_in, so this program must
 *             answer it too. (A real IPv6 connection would ask SOL_IPV6/IP6T_SO_ORIGINAL_DST; it is never
 *             steered: see "fails open" at the top.)
 * struct bpf_sock's byte orders are not uniform, which is the classic trap here:
 *   src_ip4, dst_ip4  network order (for a v4-mapped socket too; we read the same address from src_ip6[3])
 *   src_port          HOST order (the local port, 15006)
 *   dst_port          NETWORK order (the remote port): a __be16 followed by 16 bits of zero padding in the UAPI
 *                     header used here (linux-libc-dev 6.1); older headers declared a __u32 whose first two bytes
 *                     in memory were the port. A 16-bit load of those two bytes is right with both headers and on
 *                     either endianness; no shifting, no bpf_ntohl().
 * So the orig_dst key, all network order, is { remote IPv4 address, dst_port, local IPv4 address }.
 *
 * The answer replaces the kernel's whatever it was: conntrack only ever saw the already rewritten :15006 (TC
 * ingress runs before netfilter), and orig_dst knows better.
 *
 * Always return 1. A cgroup sockopt program returning 0 makes the syscall fail with EPERM regardless of retval;
 * "not ours" must mean "leave the kernel's result (optval, optlen, retval) exactly as it is".
 */
SEC("cgroup/getsockopt")
int steer_sockopt(struct bpf_sockopt *ctx)
{
	struct bpf_sock *sk = ctx->sk;
	struct sockaddr_in *sin;
	struct steer_orig *orig;
	__be32 client_ip, pod_ip;
	__u32 local6[4], remote6[4];

	if (ctx->level != SOL_IP || ctx->optname != SO_ORIGINAL_DST)
		return 1;
	if (!sk)
		return 1;
	/* A TCP socket whose local port is the proxy's (host order). */
	if (sk->protocol != IPPROTO_TCP || sk->src_port != STEER_PROXY_PORT)
		return 1;
	/* Every address field is read up front, whatever the family: the verifier allows no pointer arithmetic on a
	 * socket, and clang would otherwise merge the loads of the two branches below into one load through a
	 * computed pointer (sk + 24 or sk + 40). Reading the IPv6 fields of an IPv4 socket is allowed (zeros). */
	client_ip = sk->dst_ip4;
	pod_ip = sk->src_ip4;
	for (int i = 0; i < 4; i++) {
		remote6[i] = sk->dst_ip6[i];
		local6[i] = sk->src_ip6[i];
	}
	if (sk->family == AF_INET6) {
		if (!is_v4_mapped(remote6[0], remote6[1], remote6[2]) || !is_v4_mapped(local6[0], local6[1], local6[2]))
			return 1; /* a real IPv6 connection: never steered */
		client_ip = remote6[3];
		pod_ip = local6[3];
	} else if (sk->family != AF_INET) {
		return 1;
	}

	struct steer_key key = conn_key(client_ip, sk->dst_port, pod_ip);

	orig = bpf_map_lookup_elem(&orig_dst, &key);
	if (!orig) {
		count(STEER_STAT_GETSOCKOPT_MISS);
		return 1;
	}

	sin = ctx->optval;
	if ((void *)(sin + 1) > ctx->optval_end) /* the caller's buffer is smaller than a sockaddr_in */
		return 1;
	/* A sockaddr_in for both families, as the kernel's own getorigdst() gives. */
	sin->sin_family = AF_INET;
	sin->sin_port = orig->port; /* network order, as sockaddr_in wants */
	sin->sin_addr.s_addr = pod_ip; /* network order: the pod address the client dialled */
	__builtin_memset(sin->__pad, 0, sizeof(sin->__pad));
	/* Two separate 32-bit stores: optlen and retval are adjacent, and clang would otherwise merge "16, 0" into
	 * one 64-bit store, which the verifier rejects ("invalid bpf_context access off=32 size=8"). */
	*(volatile __s32 *)&ctx->optlen = sizeof(*sin);
	*(volatile __s32 *)&ctx->retval = 0;
	count(STEER_STAT_GETSOCKOPT);
	return 1;
}

char LICENSE[] SEC("license") = "GPL";
