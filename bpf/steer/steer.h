/* SPDX-License-Identifier: GPL-2.0 */
/*
 * steer.h: what the steering programs (steer.bpf.c) share with each other and with whoever reads their maps.
 *
 * The "eBPF way" of transparent ingress redirection: instead of iptables REDIRECT + conntrack,
 *   - TC ingress on the server pod's eth0 rewrites the TCP destination port of inbound connections to the
 *     proxy's port and remembers the original port in the orig_dst map (keyed as below),
 *   - TC egress rewrites the proxy's replies back, so the client never sees :15006,
 *   - cgroup/getsockopt answers the proxy's getsockopt(SOL_IP, SO_ORIGINAL_DST) from the same map.
 */
#ifndef STEER_H
#define STEER_H

#include <linux/types.h>

/* The proxy's inbound listener (Istio's 15006); host byte order here, compare with bpf_htons(). */
#define STEER_PROXY_PORT 15006

/* Map sizes. orig_dst is LRU: no entry is ever deleted when a connection ends (see steer.bpf.c). */
#define STEER_MAX_CONNS 65536
#define STEER_MAX_EXCLUDED 64

/*
 * The key of orig_dst: one inbound connection, as {client address, client port, pod address}.
 *
 * Why these three fields: after the rewrite every steered connection is, for the pod's TCP stack,
 * {client_ip, client_port} -> {pod_ip, 15006}. The fourth element is the same for all of them, so the
 * kernel itself cannot hold two live connections with the same key: the key is exactly as unique as the
 * proxy's own sockets, i.e. collision-free. It can be built from a packet (ingress: saddr, sport, daddr;
 * egress: daddr, dport, saddr) and from the proxy's accepted socket (remote address and port, local address)
 * -- the original destination port, which is what we are looking for, is deliberately not part of it.
 *
 * All fields are in NETWORK byte order, exactly as on the wire, so the data path never swaps bytes.
 * _pad must be zero: the hash map compares all 12 bytes.
 */
struct steer_key {
	__be32 client_ip;   /* network order: the remote (client) IPv4 address, iph->saddr on ingress */
	__be16 client_port; /* network order: the remote (client) TCP port, th->source on ingress */
	__u16 _pad;         /* always 0 */
	__be32 pod_ip;      /* network order: the local (pod) IPv4 address the client connected to */
};

/* The value of orig_dst: where the client was going before TC ingress rewrote it to :15006. */
struct steer_orig {
	__be16 port; /* network order: the original destination port (e.g. htons(5201)) */
	__u16 _pad;  /* always 0 */
};

/*
 * steer_stats: a BPF_MAP_TYPE_ARRAY of __u64 counters, indexed by these (key = host-order __u32 index).
 * Read with: bpftool map dump pinned /sys/fs/bpf/steer_maps/steer_stats
 */
enum steer_stat {
	STEER_STAT_SYN = 0,          /* inbound SYNs steered to the proxy (one per connection) */
	STEER_STAT_INGRESS = 1,      /* inbound packets whose destination port was rewritten to 15006 (SYNs too) */
	STEER_STAT_EGRESS = 2,       /* outbound packets whose source port was rewritten from 15006 back */
	STEER_STAT_GETSOCKOPT = 3,   /* SO_ORIGINAL_DST queries answered from orig_dst */
	STEER_STAT_BYPASS = 4,       /* inbound SYNs let through untouched: excluded port or the proxy port itself */
	STEER_STAT_GETSOCKOPT_MISS = 5, /* SO_ORIGINAL_DST queries on a :15006 socket with no orig_dst entry */
	STEER_STAT_MAX,
};

#endif /* STEER_H */
