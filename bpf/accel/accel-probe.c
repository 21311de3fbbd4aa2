// SPDX-License-Identifier: GPL-2.0
/* accel-probe: the instrument behind the acceleration lab's checks and tools (accel-selftest, accelctl, the step
 * checks). One process, no sleeps: it makes its own test connections and reads what the programs did.
 *
 *   accel-probe sockops DIR     DIR/sockops.bpf.o, attached to a scratch cgroup, on test connections in the server pod
 *   accel-probe redirect DIR    DIR/redirect.bpf.o (with the reference sock_ops) on test connections, both directions
 *   accel-probe attached DIR    what is pinned and attached for the pod, and whether it is DIR's build, loaded by hand
 *   accel-probe live            one connection through the proxy to an [::] listener in the server pod, both ways
 *   accel-probe sockets [--count]  the server pod's TCP sockets that are in a sockmap, with their sk_msg program
 *   accel-probe sockops-loaded  the sock_ops program on the server pod's cgroup: its id and when it was loaded
 *   accel-probe cgroup-progs    every program attached to $LAB_CGROUP or below it (the clean-up step)
 *
 * probe-selftest.c holds the first two, probe-pod.c the others; probe-bpf.c and probe-net.c the helpers.
 * The test programs are loaded without pins (nothing is shared with the lab's own /sys/fs/bpf/accel_*), attached to
 * a scratch cgroup beside the pods' through a bpf_link, and vanish with the process; the scratch cgroup is removed.
 * Output follows /opt/ebpf-labs/lib/check.sh: on success one line saying what was seen (exit 0); on failure a line
 * "::reason CODE" and one line saying what is wrong and what to do (exit 1). Exit 2: the probe itself failed.
 */
#include "probe.h"

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "", *dir = argc > 2 ? argv[2] : "/root/lab";

	setvbuf(stdout, NULL, _IOLBF, 0);
	libbpf_set_print(keep_libbpf_log);
	ncpus = libbpf_num_possible_cpus();
	if (!strcmp(cmd, "sockops"))
		return in_scratch(test_sockops, dir);
	if (!strcmp(cmd, "redirect"))
		return in_scratch(test_redirect, dir);
	if (!strcmp(cmd, "attached"))
		return cmd_attached(dir);
	if (!strcmp(cmd, "live"))
		return cmd_live();
	if (!strcmp(cmd, "sockops-loaded"))
		return cmd_sockops_loaded();
	if (!strcmp(cmd, "cgroup-progs"))
		return cmd_cgroup_progs();
	if (!strcmp(cmd, "sockets"))
		return cmd_sockets(argc > 2 && !strcmp(argv[2], "--count"));
	fprintf(stderr, "usage: accel-probe sockops|redirect|attached [DIR] | live | sockets [--count] | sockops-loaded | cgroup-progs\n");
	return 2;
}

