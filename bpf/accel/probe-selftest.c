// SPDX-License-Identifier: GPL-2.0
// accel-probe sockops|redirect DIR: the learner's programs on test connections in a scratch cgroup (steps 03, 04).
#include "probe.h"

/* ---- accel-probe sockops DIR ----------------------------------------------------------------------------- */

static const char *who(const struct conn *c, bool app, char *buf, size_t size)
{
	const char *lip = c->listen_ip ? c->listen_ip : SERVER_IP;

	if (app)
		snprintf(buf, size, "the accepted socket %s:%u <- %s:%u%s", lip, c->lport, c->src, c->cport,
			 c->listen_ip ? "" : " (IPv4-mapped, from an [::] listener)");
	else
		snprintf(buf, size, "the connecting socket %s:%u -> %s:%u", c->src, c->cport, lip, c->lport);
	return buf;
}

void test_sockops(const char *dir)
{
	char path[PATH_MAX], a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN], w[160];
	struct conn A = {}, B = {}, C = {}, D = {};
	struct bpf_object *obj;
	struct bpf_program *prog;
	struct sock_key keys[64];
	struct counters stats;
	int socks, n;

	need_build(dir, "sockops", path, sizeof(path));
	obj = open_unpinned(path);
	prog = program_of(obj, BPF_PROG_TYPE_SOCK_OPS, path, "sockops");
	need_map(obj, "accel_socks", path);
	need_map(obj, "accel_stats", path);
	load(obj, path);
	socks = bpf_map__fd(bpf_object__find_map_by_name(obj, "accel_socks"));
	stats = counters_of(bpf_object__find_map_by_name(obj, "accel_stats"));

	enter_pod("server");
	join_cgroup(scratch_in);
	if (!bpf_program__attach_cgroup(prog, scratch_cgroup_fd()))
		fail("attach", "%s cannot be attached to a cgroup (%s)", path, strerror(errno));

	/* A: proxy<->app, IPv4 listener; B: the same to an [::] listener (iperf3 -s); C: without 127.0.0.6, must stay
	 * out; D: to a listener on 127.0.0.6, so the accepted socket has 127.0.0.6 as its local end. */
	conn_listen(&A, SERVER_IP);
	conn_connect(&A, PROXY_IP, SERVER_IP);
	conn_listen(&B, NULL);
	conn_connect(&B, PROXY_IP, SERVER_IP);
	conn_listen(&C, SERVER_IP);
	conn_connect(&C, SERVER_IP, SERVER_IP);
	conn_listen(&D, PROXY_IP);
	conn_connect(&D, SERVER_IP, PROXY_IP);
	struct sock_key want[] = { app_key(&A), cli_key(&A), app_key(&B), cli_key(&B), app_key(&D), cli_key(&D) };
	wait_for_keys(socks, want, 6, 200);
	n = all_keys(socks, keys, 64);

	for (int i = 0; i < n; i++)
		if (keys[i].local_port > 65535 || keys[i].remote_port > 65535)
			fail("byte-order", "a port in a key is larger than 65535 (%u): remote_port is in network byte order in the upper 16 bits of its 32-bit field; read all 32 bits and convert them with bpf_ntohl()",
			     keys[i].local_port > 65535 ? keys[i].local_port : keys[i].remote_port);
	if (n == 0)
		fail("nothing-added", "nothing was added to accel_socks: on both ESTABLISHED callbacks (TODO 6), fill the key (TODOs 1 to 3), keep the socket when one end is 127.0.0.6 (TODO 4: PROXY_APP_SOURCE is in network byte order, like the addresses) and insert it with bpf_sock_hash_update (TODO 5)");
	for (int i = 0; i < n; i++) {
		struct sock_key k = keys[i];

		if (!k.local_port && !k.remote_port)
			fail("ports", "the ports in a key are 0: fill key->local_port and key->remote_port (TODO 3)");
		if (!k.remote_port)
			fail("byte-order", "remote_port is 0 in a key: the port sits in the upper 16 bits of the 32-bit field, so a 16-bit conversion (bpf_ntohs) or a 16-bit read loses it; read all 32 bits and convert with bpf_ntohl()");
		if (!k.local_port)
			fail("ports", "local_port is 0 in a key: key->local_port = CTX(skops->local_port) (host byte order already)");
		for (int j = 0; j < 6; j++) {
			if (k.local_port == __builtin_bswap16(want[j].local_port) && k.local_port != want[j].local_port &&
			    k.remote_ip4 == want[j].remote_ip4 && k.local_ip4 == want[j].local_ip4)
				fail("byte-order", "a key has local_port %u where the socket's port is %u: skops->local_port is in host byte order already; do not convert it",
				     k.local_port, want[j].local_port);
			if (k.remote_port == __builtin_bswap16(want[j].remote_port) && k.remote_port != want[j].remote_port &&
			    k.remote_ip4 == want[j].remote_ip4 && k.local_ip4 == want[j].local_ip4)
				fail("byte-order", "a key has remote_port %u where the peer's port is %u: it is still in network byte order; convert the 32-bit field with bpf_ntohl() (not a shift)",
				     k.remote_port, want[j].remote_port);
		}
		if (k.local_port == C.lport || k.remote_port == C.lport)
			fail("filter", "a connection without 127.0.0.6 (%s -> %s:%u) was inserted: keep only sockets with 127.0.0.6 at one end (TODO 4). Every socket in the map pays for the sk_msg program on each send",
			     SERVER_IP, SERVER_IP, C.lport);
		if (!k.local_ip4 || !k.remote_ip4)
			fail("addresses", "a key has the address 0.0.0.0 (%s -> %s): fill key->local_ip4 and key->remote_ip4 (TODO 1 for AF_INET sockets, TODO 2 for IPv4-mapped ones)",
			     ip4(k.local_ip4, a), ip4(k.remote_ip4, b));
	}
	for (int j = 0; j < 6; j++) {
		struct sock_key swapped = want[j];

		swapped.local_ip4 = want[j].remote_ip4;
		swapped.remote_ip4 = want[j].local_ip4;
		if (!has_key(socks, want[j]) && has_key(socks, swapped))
			fail("addresses", "the key of %s has its addresses swapped: local_ip4 is the socket's own address (skops->local_ip4), remote_ip4 the peer's",
			     who(j < 2 ? &A : j < 4 ? &B : &D, !(j % 2), w, sizeof(w)));
	}

	bool a_app = has_key(socks, want[0]), a_cli = has_key(socks, want[1]), b_app = has_key(socks, want[2]),
	     b_cli = has_key(socks, want[3]), d_app = has_key(socks, want[4]), d_cli = has_key(socks, want[5]);

	if (b_app && !a_app && !a_cli && !b_cli && !d_app && !d_cli)
		fail("ipv4", "only the socket accepted by the [::] listener (IPv4-mapped) was inserted: AF_INET sockets need their addresses too (TODO 1: key->local_ip4 = local4; key->remote_ip4 = remote4)");
	if (!a_cli && !b_cli && !d_cli && (a_app || d_app))
		fail("active", "the connecting sockets (the proxy's side) were not inserted: call record() on BPF_SOCK_OPS_ACTIVE_ESTABLISHED_CB too (TODO 6); sockhash updates are allowed only in the ESTABLISHED callbacks, not in TCP_CONNECT_CB");
	if (!a_app && !b_app && !d_app && (a_cli || d_cli))
		fail("passive", "the accepted sockets (the app's side) were not inserted: call record() on BPF_SOCK_OPS_PASSIVE_ESTABLISHED_CB too (TODO 6)");
	if (!a_app && !b_app && d_app && a_cli && !d_cli)
		fail("filter", "only sockets whose own (local) address is 127.0.0.6 were inserted, so the app's sockets are missing (127.0.0.6 is their remote end): keep a socket when either end is 127.0.0.6 (TODO 4)");
	if (a_app && !a_cli && !d_app && d_cli)
		fail("filter", "only sockets whose remote address is 127.0.0.6 were inserted, so the proxy's sockets are missing (127.0.0.6 is their local end): keep a socket when either end is 127.0.0.6 (TODO 4)");
	if (!b_app)
		fail("ipv4-mapped", "%s is missing: a socket accepted by an [::] listener (iperf3 -s) is AF_INET6 with IPv4-mapped addresses (::ffff:10.10.0.2); take its IPv4 addresses from the last words, l3 and r3 (TODO 2)",
		     who(&B, true, w, sizeof(w)));
	for (int j = 0; j < 6; j++)
		if (!has_key(socks, want[j]))
			fail(j % 2 ? "active" : "passive", "%s is missing from accel_socks, or its key is wrong: its key is {local %s, remote %s, local_port %u, remote_port %u}",
			     who(j < 2 ? &A : j < 4 ? &B : &D, !(j % 2), w, sizeof(w)), ip4(want[j].local_ip4, a),
			     ip4(want[j].remote_ip4, b), want[j].local_port, want[j].remote_port);

	__u64 added = counter(&stats, STAT_SOCKETS_ADDED);

	if (added == 0)
		fail("count", "the sockets are in accel_socks but STAT_SOCKETS_ADDED is 0: count each insertion, count(STAT_SOCKETS_ADDED, 1) when bpf_sock_hash_update() returns 0 (TODO 5)");
	if (added != 6)
		fail("count", "STAT_SOCKETS_ADDED is %llu for 6 inserted sockets: count once per successful bpf_sock_hash_update()",
		     (unsigned long long)added);
	pass("sock_ops records both ends of proxy<->app connections with mirrored, host-order keys (IPv4 and IPv4-mapped), counts them (6 added), and leaves other connections out.");
}

/* ---- accel-probe redirect DIR ---------------------------------------------------------------------------- */

/* One message from one socket to its peer, and what became of it. */
struct transfer {
	const char *what;
	size_t len;
	int err;              /* send()'s errno, 0 when it was sent */
	bool arrived, by_tcp; /* at the peer; through TCP (the peer's TCP byte counter moved) */
	bool echoed, echo_by_tcp; /* came back to the sender instead */
	__u64 d[STAT_MAX];    /* what the counters did meanwhile */
};

static void send_one(struct transfer *t, const struct counters *stats, int from, int to)
{
	char out[256], in[256];
	__u64 before[STAT_MAX], after[STAT_MAX], rx0, tx0, rx1, tx1, erx0, etx0, erx1, etx1;

	memset(out, t->what[0], t->len);
	counters_now(stats, before);
	tcp_bytes(to, &rx0, &tx0);
	tcp_bytes(from, &erx0, &etx0);
	if (send(from, out, t->len, MSG_NOSIGNAL) < 0)
		t->err = errno;
	else if (read_within(to, in, t->len, ARRIVE_MS) == t->len) {
		t->arrived = true;
		tcp_bytes(to, &rx1, &tx1);
		t->by_tcp = rx1 != rx0;
	} else if (read_within(from, in, t->len, 50) > 0) {
		t->echoed = true;
		tcp_bytes(from, &erx1, &etx1);
		t->echo_by_tcp = erx1 != erx0;
	}
	counters_now(stats, after);
	for (int i = 0; i < STAT_MAX; i++)
		t->d[i] = after[i] - before[i];
}

void test_redirect(const char *dir)
{
	char path[PATH_MAX], ref[] = REFERENCE_DIR "/sockops.bpf.o";
	struct conn A = {}, B = {}, E = {};
	struct bpf_object *sockops, *obj;
	struct bpf_program *prog;
	struct counters stats;
	int socks;

	need_build(dir, "redirect", path, sizeof(path));
	/* The reference sock_ops records the sockets, so this step tests your sk_msg program alone. */
	sockops = open_unpinned(ref);
	load(sockops, ref);
	obj = open_unpinned(path);
	prog = program_of(obj, BPF_PROG_TYPE_SK_MSG, path, "sk_msg");
	socks = bpf_map__fd(bpf_object__find_map_by_name(sockops, "accel_socks"));
	stats = counters_of(bpf_object__find_map_by_name(sockops, "accel_stats"));
	if (bpf_map__reuse_fd(need_map(obj, "accel_socks", path), socks) ||
	    bpf_map__reuse_fd(need_map(obj, "accel_stats", path), stats.fd))
		fail("maps", "%s's maps do not match the reference's: restore accel.h (the editor's Reset file)", path);
	load(obj, path);

	enter_pod("server");
	/* E's listener is created outside the programs' cgroup: its sockets never enter the map, so messages to it miss. */
	join_cgroup(scratch_out);
	conn_listen(&E, SERVER_IP);
	join_cgroup(scratch_in);
	/* The order the lab teaches: sk_msg on the map first, then sock_ops on the cgroup. */
	if (bpf_prog_attach(bpf_program__fd(prog), socks, BPF_SK_MSG_VERDICT, 0))
		fail("attach", "%s cannot be attached to a sockhash as msg_verdict (%s)", path, strerror(errno));
	if (!bpf_program__attach_cgroup(program_of(sockops, BPF_PROG_TYPE_SOCK_OPS, ref, "sockops"), scratch_cgroup_fd()))
		die("attach the reference sock_ops: %s", strerror(errno));

	conn_listen(&A, SERVER_IP);
	conn_connect(&A, PROXY_IP, SERVER_IP);
	conn_listen(&B, NULL);
	conn_connect(&B, PROXY_IP, SERVER_IP);
	conn_connect(&E, PROXY_IP, SERVER_IP);
	struct sock_key want[] = { app_key(&A), cli_key(&A), app_key(&B), cli_key(&B), cli_key(&E) };
	wait_for_keys(socks, want, 5, 300);

	/* Distinct sizes, so that a byte counter that counts something else shows. */
	struct transfer t[] = {
		{ "p", 100 }, /* A: the proxy's AF_INET socket to the app */
		{ "a", 60 },  /* A: the app's AF_INET socket to the proxy */
		{ "q", 120 }, /* B: the proxy's socket to the app's IPv4-mapped one */
		{ "b", 80 },  /* B: the app's IPv4-mapped socket to the proxy */
		{ "m", 40 },  /* E: a miss: the peer is not in the map */
	};
	send_one(&t[0], &stats, A.cli, A.app);
	send_one(&t[1], &stats, A.app, A.cli);
	send_one(&t[2], &stats, B.cli, B.app);
	send_one(&t[3], &stats, B.app, B.cli);
	send_one(&t[4], &stats, E.cli, E.app);

	bool all_dropped = true;
	for (int i = 0; i < 4; i++)
		all_dropped &= t[i].err == EACCES;
	if (all_dropped)
		fail("sk-drop", "every message was dropped: sendmsg() failed with EACCES, which is what an SK_DROP verdict does. Redirect with bpf_msg_redirect_hash (TODO 4) and return SK_PASS (TODO 5)");
	if (t[4].err == EACCES)
		fail("sk-drop", "a message whose peer is not in the map was dropped: the sender's sendmsg() failed with EACCES. bpf_msg_redirect_hash() returns SK_DROP on a miss, and returning that drops the data; return SK_PASS (TODO 5)");
	for (int i = 0; i < 5; i++)
		if (t[i].err)
			fail("send", "sending a test message failed (%s)", strerror(t[i].err));
	for (int i = 0; i < 4; i++) {
		if (t[i].echoed && t[i].echo_by_tcp)
			fail("ingress", "a message came back to the socket that sent it, over TCP: without BPF_F_INGRESS, bpf_msg_redirect_hash() sends the message out of the peer socket (back to the sender). Pass BPF_F_INGRESS to put it on the peer's receive side");
		if (t[i].echoed)
			fail("mirror", "a message was redirected to the socket that sent it: the key looked up is the sender's own. The peer's key is the sender's mirrored: peer.local_* is our remote end, peer.remote_* our local end");
		if (!t[i].arrived)
			fail("lost", "a message on a proxy<->app connection never arrived at the peer: redirect it to the peer socket (the mirrored key) with BPF_F_INGRESS");
	}
	if (!t[4].arrived)
		fail("lost", "a message whose peer is not in the map never arrived: on a miss, return SK_PASS so that it goes over TCP as usual");

	bool redirected[4];
	int n = 0;
	for (int i = 0; i < 4; i++)
		n += redirected[i] = !t[i].by_tcp;
	if (n == 0) {
		__u64 counted = 0;
		for (int i = 0; i < 4; i++)
			counted += t[i].d[STAT_REDIRECTED] + t[i].d[STAT_MISSED];
		if (counted == 0)
			fail("no-redirect", "no message was redirected (they all went over TCP) and none was counted: look the peer up and redirect, bpf_msg_redirect_hash(msg, &accel_socks, &peer, BPF_F_INGRESS), and count the outcome (TODO 4)");
		fail("no-redirect", "no message was redirected: every lookup missed and the messages went over TCP. The peer's key mirrors ours: addresses swapped (TODO 1), and the ports, peer.local_port = bpf_ntohl(CTX(msg->remote_port)), peer.remote_port = CTX(msg->local_port) (TODO 3)");
	}
	if (redirected[0] && redirected[1] && redirected[2] && !redirected[3])
		fail("ipv4-mapped", "messages from the app's IPv4-mapped socket (accepted on [::], like iperf3 -s) went over TCP: in the IPv4-mapped branch, fill the peer's key from r3 and l3, mirrored (TODO 2)");
	if (!redirected[0] && !redirected[1] && !redirected[2] && redirected[3])
		fail("ipv4", "messages from AF_INET sockets went over TCP (only the IPv4-mapped socket's were redirected): fill the peer's addresses in the AF_INET branch, mirrored (TODO 1)");
	if (n < 4)
		fail("partial", "%d of 4 test messages were redirected, the others went over TCP: build the peer's key the same way in every branch (mirrored addresses, TODOs 1 and 2; ports, TODO 3)", n);

	__u64 hits = 0, bytes = 0, missed = 0;
	for (int i = 0; i < 4; i++) {
		hits += t[i].d[STAT_REDIRECTED];
		bytes += t[i].d[STAT_REDIRECTED_BYTES];
		missed += t[i].d[STAT_MISSED];
	}
	if (t[4].d[STAT_REDIRECTED])
		fail("count", "a miss was counted as redirected: count STAT_REDIRECTED only when bpf_msg_redirect_hash() returned SK_PASS, STAT_MISSED otherwise");
	if (hits == 0)
		fail("count", "the messages were redirected but STAT_REDIRECTED did not grow: count(STAT_REDIRECTED, 1) when bpf_msg_redirect_hash() returns SK_PASS (TODO 4)");
	if (hits != 4 || missed)
		fail("count", "4 messages were redirected, STAT_REDIRECTED grew by %llu and STAT_MISSED by %llu: count each message once, as a hit or as a miss",
		     (unsigned long long)hits, (unsigned long long)missed);
	if (bytes == 0)
		fail("count-bytes", "STAT_REDIRECTED_BYTES did not grow: add each redirected message's size, count(STAT_REDIRECTED_BYTES, CTX(msg->size)) (TODO 4)");
	if (bytes != 360)
		fail("count-bytes", "STAT_REDIRECTED_BYTES grew by %llu for 4 redirected messages of 360 bytes in all: add each message's size, CTX(msg->size)",
		     (unsigned long long)bytes);
	if (t[4].d[STAT_MISSED] != 1)
		fail("count", "a miss was not counted: count(STAT_MISSED, 1) when bpf_msg_redirect_hash() did not return SK_PASS (TODO 4)");
	pass("sk_msg redirects proxy<->app messages to the peer both ways, from AF_INET and IPv4-mapped sockets (4 redirected, 360 bytes counted), and passes a miss on over TCP (counted).");
}

