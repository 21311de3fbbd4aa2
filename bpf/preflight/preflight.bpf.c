// SPDX-License-Identifier: GPL-2.0
// The smallest sock_ops program: the sandbox preflight loads it and attaches it to the sandbox's cgroup to
// prove that cgroup-attached eBPF works on this host. It does nothing to the sockets it sees.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("sockops")
int preflight_sockops(struct bpf_sock_ops *skops)
{
	return 1;
}

char LICENSE[] SEC("license") = "GPL";
