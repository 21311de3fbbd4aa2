/* SPDX-License-Identifier: GPL-2.0 */
/* Shared by sockops.bpf.c and redirect.bpf.c: the socket key, the maps, and the counters.
 *
 * The idea: the transparent proxy and the app talk over loopback inside the server pod. Both ends of that
 * connection are local sockets, so instead of sending each message down the proxy's TCP stack, through lo and up
 * the app's stack, an sk_msg program can put it straight into the peer socket's receive queue. sock_ops records the
 * proxy<->app sockets in a sockhash as they are established; sk_msg looks the peer up and redirects.
 */
#ifndef ACCEL_H
#define ACCEL_H

#include <linux/bpf.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#define AF_INET 2
#define AF_INET6 10

/* The proxy connects to the app from 127.0.0.6 (HAProxy "source", Envoy upstream_bind_config; Istio uses the same
 * address). A socket with this address at either end is a proxy<->app socket, the only kind worth inserting:
 * every socket in the map pays for the sk_msg program on each send, and only these can be matched by a mirrored
 * key. The client<->proxy leg was NATed by the REDIRECT rule: the client's socket sees 10.10.0.2:5201, the proxy's
 * sees :15006, so mirroring one key never gives the other. (A NAT-aware key could: Merbridge stores the original
 * destination in a map at connect time, Cilium translated service addresses in sock_ops. This lab keeps the plain
 * mirrored 4-tuple.) */
#define PROXY_APP_SOURCE bpf_htonl(0x7f000006) /* 127.0.0.6 */

/* One socket, described from its own end. The peer of a socket has the mirrored key: local and remote swapped.
 * Byte orders are chosen once and used everywhere, since the kernel hands them over differently:
 *   addresses: network byte order (as bpf_sock_ops and sk_msg_md give them);
 *   ports:     host byte order. local_port arrives in host order; remote_port arrives in network order in the
 *              upper 16 bits of a 32-bit field, so it is read with a 32-bit load and converted with bpf_ntohl().
 * There is no network namespace in the key: that is safe only because sock_ops is attached to one pod's cgroup,
 * so every socket it inserts lives in the same namespace. A program on a cgroup spanning pods would need the
 * namespace too (bpf_get_netns_cookie(), in sock_ops and sk_msg since 5.15), or 10.10.0.2:5201 of one pod would
 * match 10.10.0.2:5201 of another. */
struct sock_key {
	__u32 local_ip4;
	__u32 remote_ip4;
	__u32 local_port;
	__u32 remote_port;
};

/* Established proxy<->app sockets. A socket leaves the map by itself when it closes (the kernel unlinks it), so the
 * map holds exactly the open proxy<->app connections. The value is the socket cookie when read from user space
 * (bpftool map dump), which needs an 8-byte value. Pinned by name at /sys/fs/bpf/accel_socks, so the sk_msg object
 * loaded later finds the same map. */
struct {
	__uint(type, BPF_MAP_TYPE_SOCKHASH);
	__uint(max_entries, 65536);
	__type(key, struct sock_key);
	__type(value, __u64);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} accel_socks SEC(".maps");

/* Counters that prove the path. `accelctl status` sums them; bpftool map dump pinned /sys/fs/bpf/accel_stats shows
 * them per CPU. */
enum accel_stat {
	STAT_SOCKETS_ADDED = 0,    /* proxy<->app sockets put into accel_socks */
	STAT_REDIRECTED = 1,       /* messages redirected to the peer socket (hits) */
	STAT_REDIRECTED_BYTES = 2, /* their bytes: bytes / messages is the size the proxy writes */
	STAT_MISSED = 3,           /* messages passed on as usual: the peer was not in the map (misses) */
	STAT_MAX,
};

/* Per CPU: every sendmsg() on an accelerated socket bumps two counters, and a counter shared by all CPUs would
 * bounce its cache line between them on every message (the cost would show in the benchmark on many cores). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, STAT_MAX);
	__type(key, __u32);
	__type(value, __u64);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} accel_stats SEC(".maps");

/* Reads a context field exactly where it is written. Without it clang may compute the field's address early and
 * load through it later, and the verifier refuses a load through a modified context pointer. */
#define CTX(field) (*(volatile typeof(field) *)&(field))

static __always_inline void count(__u32 stat, __u64 n)
{
	__u64 *v = bpf_map_lookup_elem(&accel_stats, &stat);

	/* This CPU's slot, a cache line no other CPU writes. Still an atomic add: on one CPU a run can be interrupted
	 * by another (sock_ops runs in softirq for an incoming handshake) or, on a preemptible kernel, preempted by
	 * another task's run of the same program. */
	if (v)
		__sync_fetch_and_add(v, n);
}

/* An IPv4-mapped IPv6 address (::ffff:a.b.c.d): what an AF_INET6 socket listening on [::] (iperf3 -s) sees for
 * an IPv4 peer. Its IPv4 address is the last word. */
static __always_inline int v4_mapped(__u32 w0, __u32 w1, __u32 w2)
{
	return w0 == 0 && w1 == 0 && w2 == bpf_htonl(0x0000ffff);
}

#endif /* ACCEL_H */
