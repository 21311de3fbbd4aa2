// SPDX-License-Identifier: GPL-2.0
// accel-probe attached|live|sockets|sockops-loaded: the acceleration of the server pod itself.
#include "probe.h"
#include "psock-iter.skel.h"

/* ---- accel-probe sockets: the server pod's sockets that are in a sockmap ----------------------------------- */

int read_psocks(struct psock_record *out, int max)
{
	struct psock_iter_bpf *skel;
	struct bpf_link *link;
	int fd, n = 0;
	ssize_t got;

	enter_pod("server");
	skel = psock_iter_bpf__open_and_load();
	if (!skel)
		die("cannot load the socket iterator: %s", libbpf_log);
	link = bpf_program__attach_iter(skel->progs.psock_sockets, NULL);
	if (!link)
		die("cannot attach the socket iterator: %s", strerror(errno));
	fd = bpf_iter_create(bpf_link__fd(link)); /* walks the netns of its creator: the server pod's */
	if (fd < 0)
		die("bpf_iter_create: %s", strerror(errno));
	while (n < max && (got = read(fd, &out[n], sizeof(*out) * (max - n))) > 0)
		n += got / sizeof(*out);
	close(fd);
	bpf_link__destroy(link);
	psock_iter_bpf__destroy(skel);
	return n;
}

static const char *tcp_state(int s)
{
	static const char *names[] = { "?", "ESTABLISHED", "SYN-SENT", "SYN-RECV", "FIN-WAIT-1", "FIN-WAIT-2", "TIME-WAIT",
				       "CLOSED", "CLOSE-WAIT", "LAST-ACK", "LISTEN", "CLOSING" };

	return s > 0 && s < (int)(sizeof(names) / sizeof(names[0])) ? names[s] : "?";
}

static void prog_name(__u32 id, char *name, size_t size)
{
	struct bpf_prog_info info;
	int fd = bpf_prog_get_fd_by_id(id);

	snprintf(name, size, "?");
	if (fd >= 0 && !prog_info(fd, &info, NULL, 0))
		snprintf(name, size, "%s", info.name);
	if (fd >= 0)
		close(fd);
}

int cmd_sockets(bool count_only)
{
	struct psock_record r[1024];
	char l[INET_ADDRSTRLEN], rem[INET_ADDRSTRLEN], name[BPF_OBJ_NAME_LEN];
	int n = read_psocks(r, 1024);

	if (count_only) {
		printf("%d\n", n);
		return 0;
	}
	if (n == 0) {
		printf("no TCP socket of the server pod is in a sockmap or sockhash\n");
		return 0;
	}
	printf("server pod TCP sockets in a sockmap or sockhash (%d), with the sk_msg program each one runs:\n", n);
	for (int i = 0; i < n; i++) {
		printf("  %s:%u <-> %s:%u  %-11s  ", ip4(r[i].local_ip4, l), r[i].local_port, ip4(r[i].remote_ip4, rem),
		       r[i].remote_port, tcp_state(r[i].state));
		if (r[i].msg_prog_id) {
			prog_name(r[i].msg_prog_id, name, sizeof(name));
			printf("sk_msg %s (id %u)\n", name, r[i].msg_prog_id);
		} else {
			printf("no sk_msg program: inserted before one was attached to the map\n");
		}
	}
	return 0;
}

/* ---- accel-probe attached DIR: the pod's acceleration, loaded and attached by hand from DIR's build ---------- */

struct pinned_prog {
	int fd;
	struct bpf_prog_info info;
	__u32 map_ids[16];
};

static bool get_pinned_prog(const char *name, struct pinned_prog *p)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), PINS "/%s", name);
	p->fd = bpf_obj_get(path);
	return p->fd >= 0 && !prog_info(p->fd, &p->info, p->map_ids, 16);
}

static bool uses_map(const struct pinned_prog *p, __u32 map_id)
{
	for (__u32 i = 0; i < p->info.nr_map_ids && i < 16; i++)
		if (p->map_ids[i] == map_id)
			return true;
	return false;
}

/* Ids of the programs of `type` attached directly to a cgroup (n at most 8). */
static __u32 attached_to(const char *cgroup, enum bpf_attach_type type, __u32 *ids, __u32 flags)
{
	int fd = open(cgroup, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	__u32 cnt = 8, attach_flags = 0;

	if (fd < 0)
		return 0;
	if (bpf_prog_query(fd, type, flags, &attach_flags, ids, &cnt))
		cnt = 0;
	close(fd);
	return cnt;
}

/* The tag of the program of `type` in DIR's object, loaded without pins: the kernel's hash of its instructions. */
static void build_tag(const char *dir, const char *name, enum bpf_prog_type type, const char *sec, __u8 tag[BPF_TAG_SIZE])
{
	char path[PATH_MAX];
	struct bpf_prog_info info;
	struct bpf_object *obj;

	need_build(dir, name, path, sizeof(path));
	obj = open_unpinned(path);
	struct bpf_program *prog = program_of(obj, type, path, sec);
	load(obj, path);
	if (prog_info(bpf_program__fd(prog), &info, NULL, 0))
		die("prog info: %s", strerror(errno));
	memcpy(tag, info.tag, BPF_TAG_SIZE);
	bpf_object__close(obj);
}

int cmd_attached(const char *dir)
{
	char server[PATH_MAX], client[PATH_MAX];
	const char *lab = lab_cgroup();
	struct pinned_prog sockops = {}, redirect = {};
	struct bpf_map_info socks_info;
	__u32 ids[8], parent_ids[8], n, msg_ids[1], msg_n = 1, flags = 0;
	__u8 tag[BPF_TAG_SIZE];
	int socks;

	snprintf(server, sizeof(server), "%s/server", lab);
	snprintf(client, sizeof(client), "%s/client", lab);
	n = attached_to(server, BPF_CGROUP_SOCK_OPS, ids, 0);
	if (n == 0) {
		if (attached_to(lab, BPF_CGROUP_SOCK_OPS, ids, 0))
			fail("wrong-cgroup", "a sock_ops program is attached to $LAB_CGROUP, the parent of both pods, not to the server pod's cgroup: detach it (bpftool cgroup detach $LAB_CGROUP sock_ops id %u) and attach to $LAB_CGROUP/server", ids[0]);
		if (attached_to(client, BPF_CGROUP_SOCK_OPS, ids, 0))
			fail("wrong-cgroup", "a sock_ops program is attached to the client pod's cgroup: the proxy and the app run in the server pod. Detach it (bpftool cgroup detach $LAB_CGROUP/client sock_ops id %u) and attach to $LAB_CGROUP/server", ids[0]);
		if (get_pinned_prog("accel_sockops", &sockops))
			fail("sockops-not-attached", "accel_sockops is loaded but not attached: bpftool cgroup attach $LAB_CGROUP/server sock_ops pinned /sys/fs/bpf/accel_sockops");
		fail("not-loaded", "no sock_ops program is attached to the server pod's cgroup: load and attach your programs as below (bpftool prog load ... /sys/fs/bpf/accel_sockops type sockops, ...)");
	}
	if (attached_to(lab, BPF_CGROUP_SOCK_OPS, parent_ids, 0))
		fail("wrong-cgroup", "a sock_ops program is also attached to $LAB_CGROUP, the parent of both pods: detach it (bpftool cgroup detach $LAB_CGROUP sock_ops id %u)", parent_ids[0]);
	if (!get_pinned_prog("accel_sockops", &sockops))
		fail("pins", "a sock_ops program (id %u) is attached to the server pod's cgroup, but nothing is pinned at /sys/fs/bpf/accel_sockops: load it there (bpftool prog load sockops.bpf.o /sys/fs/bpf/accel_sockops type sockops)", ids[0]);
	if (sockops.info.type != BPF_PROG_TYPE_SOCK_OPS)
		fail("pins", "/sys/fs/bpf/accel_sockops is not a sock_ops program: rm it and load sockops.bpf.o there with type sockops");
	if (n > 1 || ids[0] != sockops.info.id)
		fail("stale-attachment", "the server pod's cgroup runs sock_ops program id %u, not the one pinned at /sys/fs/bpf/accel_sockops (id %u): detach the other (bpftool cgroup detach $LAB_CGROUP/server sock_ops id %u)",
		     ids[0] == sockops.info.id ? ids[1] : ids[0], sockops.info.id, ids[0] == sockops.info.id ? ids[1] : ids[0]);
	socks = bpf_obj_get(PINS "/accel_socks");
	if (socks < 0 || map_info(socks, &socks_info) || socks_info.type != BPF_MAP_TYPE_SOCKHASH)
		fail("maps", "the sockhash is not pinned at /sys/fs/bpf/accel_socks: loading sockops.bpf.o pins it (LIBBPF_PIN_BY_NAME in accel.h); rm /sys/fs/bpf/accel_sockops and load again");
	if (access(PINS "/accel_stats", F_OK))
		fail("maps", "the counters are not pinned at /sys/fs/bpf/accel_stats: loading sockops.bpf.o pins them; rm /sys/fs/bpf/accel_sockops and load again");
	if (!uses_map(&sockops, socks_info.id))
		fail("maps-differ", "the sock_ops program fills another accel_socks than the one pinned at /sys/fs/bpf/accel_socks (a pin was removed between loads): rm the accel_* pins, then load and attach both programs again");
	if (!get_pinned_prog("accel_redirect", &redirect))
		fail("redirect-not-loaded", "nothing is pinned at /sys/fs/bpf/accel_redirect: bpftool prog load redirect.bpf.o /sys/fs/bpf/accel_redirect type sk_msg");
	if (redirect.info.type != BPF_PROG_TYPE_SK_MSG)
		fail("pins", "/sys/fs/bpf/accel_redirect is not an sk_msg program: rm it and load redirect.bpf.o there with type sk_msg");
	if (bpf_prog_query(socks, BPF_SK_MSG_VERDICT, 0, &flags, msg_ids, &msg_n) == 0) {
		if (msg_n == 0)
			fail("msg-not-attached", "accel_redirect is loaded but not attached to the map: bpftool prog attach pinned /sys/fs/bpf/accel_redirect msg_verdict pinned /sys/fs/bpf/accel_socks");
		if (msg_ids[0] != redirect.info.id)
			fail("stale-attachment", "accel_socks runs sk_msg program id %u, not the one pinned at /sys/fs/bpf/accel_redirect (id %u): attach the pinned one (bpftool prog attach pinned /sys/fs/bpf/accel_redirect msg_verdict pinned /sys/fs/bpf/accel_socks replaces it)",
			     msg_ids[0], redirect.info.id);
	} /* else: a kernel too old to list a sockmap's programs; the test connection tells */
	if (!uses_map(&redirect, socks_info.id))
		fail("maps-differ", "the sk_msg program looks peers up in another accel_socks than the one sock_ops fills (a pin was removed between the two loads): rm the accel_* pins, then load and attach both programs again");

	FILE *f = fopen(ACCELCTL_PROGS, "r");
	__u32 by_tool[2];
	if (f && fscanf(f, "%u %u", &by_tool[0], &by_tool[1]) == 2 &&
	    (by_tool[0] == sockops.info.id || by_tool[1] == redirect.info.id))
		fail("loaded-by-accelctl", "these programs were loaded by accelctl (accelctl on, or the editor's Load), not by your bpftool commands: run accelctl off, then this step's commands");
	if (f)
		fclose(f);

	build_tag(dir, "sockops", BPF_PROG_TYPE_SOCK_OPS, "sockops", tag);
	if (memcmp(tag, sockops.info.tag, BPF_TAG_SIZE))
		fail("not-your-build", "the sock_ops program attached is not your current build of %s/sockops.bpf.o (rebuilt since, or loaded from elsewhere): load it again (rm /sys/fs/bpf/accel_sockops first)", dir);
	build_tag(dir, "redirect", BPF_PROG_TYPE_SK_MSG, "sk_msg", tag);
	if (memcmp(tag, redirect.info.tag, BPF_TAG_SIZE))
		fail("not-your-build", "the sk_msg program attached is not your current build of %s/redirect.bpf.o (rebuilt since, or loaded from elsewhere): load it again (rm /sys/fs/bpf/accel_redirect first)", dir);

	/* Only a socket in the map can lack the sk_msg program. The iterator that tells costs 0.3 s or more (it loads the
	 * kernel's BTF), so an empty map, the usual case once the learner's connections have closed, skips it. */
	struct sock_key any;
	struct psock_record r[1024];
	int ns = bpf_map_get_next_key(socks, NULL, &any) ? 0 : read_psocks(r, 1024), without = 0;
	char l[INET_ADDRSTRLEN], rem[INET_ADDRSTRLEN];
	for (int i = 0; i < ns; i++)
		without += !r[i].msg_prog_id;
	for (int i = 0; i < ns; i++)
		if (!r[i].msg_prog_id)
			fail("attach-order", "%d socket(s) of the server pod joined accel_socks before an sk_msg program was attached to it (e.g. %s:%u <-> %s:%u): sock_ops was attached first. A socket takes the map's sk_msg program when it is inserted, so these are never redirected. Attach sk_msg to the map before sock_ops to the cgroup, and end those connections",
			     without, ip4(r[i].local_ip4, l), r[i].local_port, ip4(r[i].remote_ip4, rem), r[i].remote_port);
	pass("Attached by hand from your build: sock_ops (id %u) on the server pod's cgroup, sk_msg (id %u) on accel_socks.", sockops.info.id, redirect.info.id);
}

/* ---- accel-probe live: one connection through the proxy, to an IPv4-mapped app socket ---------------------- */

int cmd_live(void)
{
	char server[PATH_MAX], ping[200], pong[100], buf[256], peer[INET6_ADDRSTRLEN];
	struct sock_key app, proxy;
	struct counters stats = { -1, true };
	struct bpf_map_info info;
	__u64 before[STAT_MAX], after[STAT_MAX], rx0, tx0, rx1, tx1;
	struct sockaddr_in6 from;
	socklen_t len = sizeof(from);
	int socks, cfd, lfd, afd;
	__u16 port, proxy_port;

	socks = bpf_obj_get(PINS "/accel_socks");
	stats.fd = bpf_obj_get(PINS "/accel_stats");
	if (socks < 0 || stats.fd < 0 || map_info(stats.fd, &info))
		fail("maps", "accel_socks and accel_stats are not pinned in /sys/fs/bpf: load sockops.bpf.o as below");
	stats.percpu = info.type == BPF_MAP_TYPE_PERCPU_ARRAY;

	/* The client's socket first, outside the server pod's cgroup; then the app's side, inside it (like the app). */
	enter_pod("client");
	cfd = client_socket(NULL);
	enter_pod("server");
	snprintf(server, sizeof(server), "%s/server", lab_cgroup());
	join_cgroup(server);
	lfd = listen_on(NULL, &port);
	if (!connect_within(cfd, SERVER_IP, port, PROXY_MS))
		fail("proxy", "a test connection from the client pod to %s:%u was not accepted: is the proxy running (proxyctl status) and the redirect on (redirectctl status)?", SERVER_IP, port);
	afd = accept_within(lfd, PROXY_MS);
	if (afd < 0)
		fail("proxy", "the proxy accepted a test connection but did not connect to its destination (an [::] listener on %s:%u): see proxyctl log", SERVER_IP, port);
	getpeername(afd, (struct sockaddr *)&from, &len);
	inet_ntop(AF_INET6, &from.sin6_addr, peer, sizeof(peer));
	proxy_port = ntohs(from.sin6_port);
	if (strcmp(peer, "::ffff:" PROXY_IP))
		fail("proxy", "the proxy connected to the app from %s, not from 127.0.0.6: restart it (proxyctl restart)", peer);
	app = key_of(SERVER_IP, port, PROXY_IP, proxy_port);
	proxy = key_of(PROXY_IP, proxy_port, SERVER_IP, port);
	struct sock_key both[] = { app, proxy };
	wait_for_keys(socks, both, 2, 300);
	if (!has_key(socks, app) && !has_key(socks, proxy))
		fail("not-recorded", "neither socket of a test connection through the proxy entered accel_socks: is your sock_ops program attached to $LAB_CGROUP/server?");
	if (!has_key(socks, app))
		fail("ipv4-mapped", "the app's side of a test connection through the proxy (accepted by an [::] listener, IPv4-mapped like iperf3's) did not enter accel_socks: sockops.bpf.c must record IPv4-mapped AF_INET6 sockets (step 03, TODO 2)");
	if (!has_key(socks, proxy))
		fail("not-recorded", "the proxy's socket of a test connection (127.0.0.6:%u -> %s:%u) did not enter accel_socks: sockops.bpf.c must record the connecting side (step 03)", proxy_port, SERVER_IP, port);

	memset(ping, 'c', sizeof(ping));
	memset(pong, 's', sizeof(pong));
	counters_now(&stats, before);
	tcp_bytes(afd, &rx0, &tx0);
	if (send(cfd, ping, sizeof(ping), MSG_NOSIGNAL) != sizeof(ping) || read_within(afd, buf, sizeof(ping), PROXY_MS) != sizeof(ping))
		fail("lost", "a test message sent through the proxy never reached the app's side: with the acceleration off (accelctl off) does traffic flow? If so, look at what sk_msg does with the proxy's messages");
	tcp_bytes(afd, &rx1, &tx1);
	if (rx1 != rx0)
		fail("not-redirected", "the proxy's message to the app crossed loopback as TCP: the sk_msg program did not redirect it (is it attached to accel_socks, and does its lookup find the app's socket?)");
	if (send(afd, pong, sizeof(pong), MSG_NOSIGNAL) != sizeof(pong) || read_within(cfd, buf, sizeof(pong), PROXY_MS) != sizeof(pong))
		fail("lost", "the app's reply to a test message never reached the client: look at what sk_msg does with the app's messages");
	tcp_bytes(afd, &rx1, &tx1);
	if (tx1 != tx0)
		fail("ipv4-mapped", "the app's reply, sent on its IPv4-mapped socket (AF_INET6, like iperf3's), crossed loopback as TCP: redirect.bpf.c must build the peer's key for IPv4-mapped senders (step 04, TODO 2)");
	counters_now(&stats, after);
	close(afd);
	close(cfd);
	close(lfd);
	pass("The shortcut works: a test connection through the proxy to an [::] listener (port %u) went socket to socket both ways (accel_stats: +%llu messages, +%llu bytes; the test connection is also in proxyctl stats).",
	     port, (unsigned long long)(after[STAT_REDIRECTED] - before[STAT_REDIRECTED]),
	     (unsigned long long)(after[STAT_REDIRECTED_BYTES] - before[STAT_REDIRECTED_BYTES]));
}


/* ---- accel-probe sockops-loaded: "ID SECONDS", the sock_ops program on the server pod's cgroup and when it was
 * loaded (Unix time), for step 06's check to date a capture against. Nothing, exit 1, when none is attached. ------ */

int cmd_sockops_loaded(void)
{
	char server[PATH_MAX];
	struct bpf_prog_info info;
	struct timespec real, boot;
	__u32 ids[8];
	int fd;

	snprintf(server, sizeof(server), "%s/server", lab_cgroup());
	if (!attached_to(server, BPF_CGROUP_SOCK_OPS, ids, 0))
		return 1;
	fd = bpf_prog_get_fd_by_id(ids[0]);
	if (fd < 0 || prog_info(fd, &info, NULL, 0))
		return 1;
	/* load_time counts nanoseconds since boot (CLOCK_BOOTTIME). */
	clock_gettime(CLOCK_REALTIME, &real);
	clock_gettime(CLOCK_BOOTTIME, &boot);
	printf("%u %lld\n", ids[0], (long long)(real.tv_sec - boot.tv_sec + (time_t)(info.load_time / 1000000000ULL)));
	return 0;
}


/* ---- accel-probe cgroup-progs: every program attached to $LAB_CGROUP or a cgroup below it, one line each:
 * "CGROUP<TAB>ATTACH_TYPE<TAB>ID<TAB>NAME", CGROUP written from $LAB_CGROUP on. Attach types as bpftool accepts
 * them (sock_ops, as the lab writes it; otherwise libbpf's names). `bpftool cgroup tree` says the same, but loads the
 * kernel's 5 MB BTF whenever something is attached: 0.3 s on an idle machine, 2.5 s on a busy one, after every
 * command of the clean-up step. ------------------------------------------------------------------------------- */

static size_t lab_len;

static int list_cgroup_progs(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	char name[BPF_OBJ_NAME_LEN];
	__u32 ids[64], cnt, attach_flags;
	int fd;

	(void)st;
	(void)ftw;
	if (flag != FTW_D)
		return 0;
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	for (int type = 0; type < __MAX_BPF_ATTACH_TYPE; type++) {
		const char *type_name = libbpf_bpf_attach_type_str(type);

		cnt = 64;
		attach_flags = 0;
		if (!type_name || bpf_prog_query(fd, type, 0, &attach_flags, ids, &cnt))
			continue; /* not a cgroup attach type, or one this kernel does not know */
		if (type == BPF_CGROUP_SOCK_OPS)
			type_name = "sock_ops";
		for (__u32 i = 0; i < cnt; i++) {
			prog_name(ids[i], name, sizeof(name));
			printf("$LAB_CGROUP%s\t%s\t%u\t%s\n", path + lab_len, type_name, ids[i], name);
		}
	}
	close(fd);
	return 0;
}

int cmd_cgroup_progs(void)
{
	const char *lab = lab_cgroup();

	lab_len = strlen(lab);
	if (nftw(lab, list_cgroup_progs, 16, FTW_PHYS))
		die("cannot walk %s: %s", lab, strerror(errno));
	return 0;
}
