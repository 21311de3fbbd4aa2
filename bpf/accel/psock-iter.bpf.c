// SPDX-License-Identifier: GPL-2.0
// For accel-probe (not part of the lab's exercise): walks the TCP sockets of the reader's network namespace and
// reports those that belong to a sockmap or sockhash, with the sk_msg program each one runs. A socket gets a psock
// (struct sk_psock, hung off sk_user_data) when it is inserted into such a map, and copies the map's programs into
// it then: a socket inserted before an sk_msg program was attached has none, and a socket keeps its program (and,
// through it, the map) after the program is detached from the map and unpinned, until it leaves the map by closing.
// Nothing in user space shows this (ss, /proc/net/tcp), hence this iterator.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

/* Only the fields read here, relocated by name against the running kernel's BTF (CO-RE). */
struct bpf_iter_meta {
	struct seq_file *seq;
} __attribute__((preserve_access_index));

struct sock_common {
	unsigned short skc_family;
	unsigned char skc_state;
	__u32 skc_daddr;
	__u32 skc_rcv_saddr;
	__u16 skc_dport;
	__u16 skc_num;
} __attribute__((preserve_access_index));

struct sock {
	struct sock_common __sk_common;
	void *sk_user_data;
} __attribute__((preserve_access_index));

struct bpf_iter__tcp {
	struct bpf_iter_meta *meta;
	struct sock_common *sk_common;
} __attribute__((preserve_access_index));

struct bpf_prog_aux {
	__u32 id;
} __attribute__((preserve_access_index));

struct bpf_prog {
	struct bpf_prog_aux *aux;
} __attribute__((preserve_access_index));

struct sk_psock_progs {
	struct bpf_prog *msg_parser;
} __attribute__((preserve_access_index));

struct sk_psock {
	struct sk_psock_progs progs;
} __attribute__((preserve_access_index));

/* sk_user_data carries flags in its low bits (SK_USER_DATA_NOCOPY, _BPF, _PSOCK). In the pods nothing but sockmap
 * sets sk_user_data on a TCP socket. */
#define USER_DATA_PTRMASK (~7UL)

/* One record per socket, read by accel-probe (struct psock_record there). Addresses in network byte order (IPv4,
 * or the IPv4 address of an IPv4-mapped socket), ports in host byte order. */
struct psock_record {
	__u32 local_ip4;
	__u32 remote_ip4;
	__u16 local_port;
	__u16 remote_port;
	__u16 family;
	__u16 state;
	__u32 msg_prog_id; /* 0: the socket is in a map but runs no sk_msg program */
};

SEC("iter/tcp")
int psock_sockets(struct bpf_iter__tcp *ctx)
{
	struct sock_common *skc = ctx->sk_common;
	struct psock_record r = {};
	struct sk_psock *psock;
	struct bpf_prog *prog;
	struct sock *sk;
	void *user_data;

	if (!skc)
		return 0;
	/* Full sockets only: a time-wait or request socket has no sk_user_data. */
	sk = (struct sock *)bpf_skc_to_tcp_sock(skc);
	if (!sk)
		return 0;
	user_data = BPF_CORE_READ(sk, sk_user_data);
	if (!user_data)
		return 0;
	psock = (struct sk_psock *)((unsigned long)user_data & USER_DATA_PTRMASK);
	prog = BPF_CORE_READ(psock, progs.msg_parser);
	if (prog)
		r.msg_prog_id = BPF_CORE_READ(prog, aux, id);
	r.family = BPF_CORE_READ(sk, __sk_common.skc_family);
	r.state = BPF_CORE_READ(sk, __sk_common.skc_state);
	r.local_ip4 = BPF_CORE_READ(sk, __sk_common.skc_rcv_saddr);
	r.remote_ip4 = BPF_CORE_READ(sk, __sk_common.skc_daddr);
	r.local_port = BPF_CORE_READ(sk, __sk_common.skc_num);
	r.remote_port = __builtin_bswap16(BPF_CORE_READ(sk, __sk_common.skc_dport));
	bpf_seq_write(ctx->meta->seq, &r, sizeof(r));
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
