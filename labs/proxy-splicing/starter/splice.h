/* SPDX-License-Identifier: GPL-2.0 */
/* What splice.bpf.c and splice-proxy.c share: the pinned maps' names and the counters' slots. */
#ifndef SPLICE_H
#define SPLICE_H

/* Pinned by name in the BPF filesystem when the program is loaded (LIBBPF_PIN_BY_NAME). */
#define SPLICE_SOCKS_PIN "/sys/fs/bpf/splice_socks"
#define SPLICE_STATS_PIN "/sys/fs/bpf/splice_stats"
/* The proxy's own counters (struct proxy_stats in splice-proxy.c), pinned by the proxy when it starts. */
#define PROXY_STATS_PIN "/sys/fs/bpf/splice_proxy_stats"

/* splice_stats: an array of __u64, one slot per counter. */
enum splice_stat {
	SPLICE_REDIRECTED,       /* skbs the verdict program sent to the other socket */
	SPLICE_REDIRECTED_BYTES, /* their payload bytes */
	SPLICE_MISSES,           /* skbs that arrived on a socket with no peer in the map: passed to user space */
	SPLICE_STATS,
};

#endif
