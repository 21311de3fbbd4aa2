// SPDX-License-Identifier: GPL-2.0
// splice-proxy -m copy|splice|sockmap [-u UID]: a small transparent L4 proxy in the place of the sidecar's inbound
// listener. It accepts on :15006 what the iptables REDIRECT sends there, reads each connection's original destination
// (SO_ORIGINAL_DST), connects to it from 127.0.0.6 and moves the bytes both ways:
//   copy     read() and write() through a buffer in user space, as HAProxy and Envoy do
//   splice   splice(2) through a pipe: the bytes stay in the kernel, but the proxy still wakes for every chunk
//   sockmap  both sockets go into the splice_socks sockhash and splice.bpf.c moves every skb to the other socket in
//            the kernel; the proxy only sets up, passes on EOF and resets, and tears down
// One thread per connection with blocking sockets: short to read, and enough for a lab's few connections.
// Counters: one JSON line to every connection on 127.0.0.1:15000 (splicectl stats), and the pinned BPF array
// splice_proxy_stats, which the Datapath pane reads.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <netinet/in.h>
#include <linux/tcp.h> /* struct tcp_info with the byte counters; glibc's lacks them */
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include "splice.h"

#define LISTEN_PORT 15006
#define ADMIN_PORT 15000
#define SO_ORIGINAL_DST 80 /* <linux/netfilter_ipv4.h>, which clashes with <netinet/in.h> */
#define BUF_SIZE (64 * 1024)
/* How long a passed-on EOF waits for redirected bytes still queued in the kernel, in ms */
#define DRAIN_TIMEOUT_MS 5000
/* Once a connection is spliced, how long its thread sleeps before it looks for bytes the verdict program passed to
 * user space (a miss): the most a first missed message waits, in ms. Short enough that a connection whose sockets are
 * not in the map (TODO 2) still works, long enough that the looks cost nothing (20 a second, two recv() each). */
#define SPLICED_POLL_MS 50

enum mode { MODE_COPY, MODE_SPLICE, MODE_SOCKMAP };
static enum mode mode;
static int socks_map = -1;

/* What the proxy did, for splicectl stats and the Datapath pane (share_stats below). data_reads are reads that
 * returned payload once the connection was set up (in sockmap mode, after the first EOF only); early_bytes what
 * sockmap mode forwarded by hand because it arrived before the sockets were in the map. */
struct proxy_stats {
	atomic_ulong connections, active, data_reads, data_bytes, wakeups, early_bytes, inserted, removed;
};
static struct proxy_stats unshared_stats, *stats = &unshared_stats;

struct conn {
	int fd[2]; /* 0: the client's socket (accepted), 1: the app's (connected from 127.0.0.6) */
	int pipe[2][2];
	int open[2]; /* this direction (fd[i] -> fd[!i]) still carries bytes */
	int spliced; /* both sockets are in splice_socks */
	char buf[BUF_SIZE];
};

static const char *mode_name(void)
{
	return mode == MODE_COPY ? "copy" : mode == MODE_SPLICE ? "splice" : "sockmap";
}

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		p += w;
		n -= w;
	}
	return 0;
}

/* Moves what is readable on conn->fd[i] now to the other socket; returns the bytes moved, 0 at EOF, -1 on error. */
static ssize_t move(struct conn *c, int i)
{
	int from = c->fd[i], to = c->fd[!i];
	ssize_t n;

	if (mode == MODE_SPLICE) {
		/* TODO 1: splice up to BUF_SIZE bytes from the socket into this direction's pipe (c->pipe[i][1]), then from
		 * the pipe (c->pipe[i][0]) to the other socket until all of them are out. */
		n = 0;
	} else {
		/* copy mode, and sockmap mode for bytes that reach user space anyway. Never blocks: a spliced connection
		 * looks without being told there is something to read (forward() below). */
		n = recv(from, c->buf, sizeof(c->buf), MSG_DONTWAIT);
		if (n > 0 && write_all(to, c->buf, n) < 0)
			return -1;
	}
	if (n > 0) {
		stats->data_reads++;
		stats->data_bytes += n;
	}
	return n;
}

static inline __u64 cookie(int fd)
{
	__u64 v = 0;
	socklen_t len = sizeof(v);

	getsockopt(fd, SOL_SOCKET, SO_COOKIE, &v, &len);
	return v;
}

/* Puts both sockets in splice_socks, each under its peer's cookie (the key the verdict program looks up). */
static int insert(struct conn *c)
{
	/* TODO 2: insert fd[1] under fd[0]'s cookie and fd[0] under fd[1]'s (bpf_map_update_elem, BPF_NOEXIST). */
	stats->inserted += 2;
	return 0;
}

static void remove_from_map(struct conn *c)
{
	/* TODO 4: delete both keys. (The kernel also unlinks a socket from the map when it closes: deleting first
	 * means no skb is redirected to a socket the proxy is closing.) */
}

/* Bytes that arrived before insert() are in the receive queue already. This sandbox's kernel runs the verdict
 * program over them when the socket is inserted (early_bytes stays 0 here); older kernels ran it only for skbs that
 * arrived after, and left these until more came (a stall, when the client waits for an answer). So the proxy reads
 * what is still queued after the insert and forwards it itself (a read that would block means there is none left). */
static int forward_early_bytes(struct conn *c)
{
	for (int i = 0; i < 2; i++) {
		ssize_t n;

		while ((n = recv(c->fd[i], c->buf, sizeof(c->buf), MSG_DONTWAIT)) > 0) {
			if (write_all(c->fd[!i], c->buf, n) < 0)
				return -1;
			stats->early_bytes += n;
		}
		if (n < 0 && errno != EAGAIN)
			return -1;
		if (n == 0) /* EOF already: the forwarding loop passes it on */
			break;
	}
	return 0;
}

static __u64 tcp_counter(int fd, int sent)
{
	struct tcp_info ti;
	socklen_t len = sizeof(ti);

	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) < 0)
		return 0;
	return sent ? ti.tcpi_bytes_sent - ti.tcpi_bytes_retrans : ti.tcpi_bytes_received;
}

/* In sockmap mode, a redirected skb leaves by the other socket from a kernel work queue, a little later (much later
 * when that socket's send buffer is full). Before passing on an EOF that arrived on fd[i], wait until every byte that
 * arrived on fd[i] has left by fd[!i]: otherwise the FIN would overtake bytes still queued in the kernel. TCP_INFO
 * counts both (a FIN that arrived counts as one byte received). */
static int wait_sent(struct conn *c, int i, int fin)
{
	for (int waited = 0; tcp_counter(c->fd[!i], 1) + fin < tcp_counter(c->fd[i], 0); waited++) {
		if (waited == DRAIN_TIMEOUT_MS)
			return -1;
		usleep(1000);
	}
	return 0;
}

/* An error on one side (a reset, say) resets the other: SO_LINGER 0 makes close() send RST instead of FIN. */
static void reset(int fd)
{
	struct linger l = { .l_onoff = 1, .l_linger = 0 };

	setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
}

/* Until both directions have ended: wake when a socket is readable, move its bytes, pass on EOF as a half-close and
 * an error as a reset.
 *
 * A spliced connection (sockmap mode, both sockets inserted) sleeps differently. The verdict program takes every
 * skb with payload, but each one it redirects still wakes a poll() for POLLIN on that socket (the kernel signals
 * "data ready" after the redirect; poll finds nothing readable and sleeps again): the proxy's thread would be
 * scheduled about 1.5 times per round trip for nothing, a large part of what sockmap mode leaves of the tax. So it
 * polls only for POLLRDHUP (the FIN, which the verdict program passes to its own socket), POLLHUP and POLLERR, which
 * those wake-ups do not match. Bytes the verdict program did not redirect (a miss: a socket not in the map, a wrong
 * key, no program attached) then wake nobody either; instead of stalling, the thread wakes every SPLICED_POLL_MS and
 * tries a non-blocking read of each socket. What it finds it forwards and counts (data_reads, data_bytes: a spliced
 * proxy that reads payload is a broken splice, and the checks say so), and the connection goes back to POLLIN for
 * good, so that a connection the kernel does not splice costs one SPLICED_POLL_MS once, not on every message. */
static void forward(struct conn *c)
{
	int hangups_only = c->spliced;

	c->open[0] = c->open[1] = 1;
	while (c->open[0] || c->open[1]) {
		struct pollfd p[2] = { { .fd = c->fd[0] }, { .fd = c->fd[1] } };

		for (int i = 0; i < 2; i++)
			p[i].events = !c->open[i] ? 0 : hangups_only ? POLLRDHUP : POLLIN;
		if (poll(p, 2, hangups_only ? SPLICED_POLL_MS : -1) < 0) {
			if (errno == EINTR)
				continue;
			return;
		}
		stats->wakeups++;
		for (int i = 0; i < 2; i++) {
			/* A reset on a socket whose direction has ended (the client read its answer and reset): pass it on, rather
			 * than wake again and again for an error nobody reads. */
			if (!c->open[i] && (p[i].revents & (POLLHUP | POLLERR))) {
				reset(c->fd[!i]);
				return;
			}
			/* Hang-ups only: look at both sockets on every wake-up, the timeout's included (see above). */
			if (!c->open[i] || (!hangups_only && !(p[i].revents & (POLLIN | POLLHUP | POLLERR))))
				continue;
			ssize_t n = move(c, i);

			/* Nothing to read: the verdict program took the bytes (or a woken POLLIN found none). */
			if (n < 0 && (errno == EAGAIN || errno == EINTR))
				continue;
			if (n < 0) {
				reset(c->fd[!i]);
				return;
			}
			/* A miss: this connection is not (or no longer) spliced in the kernel; wait for its bytes with POLLIN. */
			if (n > 0)
				hangups_only = 0;
			if (n == 0) {
				/* TODO 3: a half-close: the client (or the app) will send no more, but may still read. Pass it on
				 * with shutdown(SHUT_WR) on the other socket instead of ending both directions, and keep the other
				 * direction going. */
				if (c->spliced && wait_sent(c, i, 1) < 0) {
					reset(c->fd[!i]);
					return;
				}
				return; /* ends both directions at once */
			}
		}
	}
}

static int connect_upstream(int down, struct sockaddr_in *dst)
{
	socklen_t len = sizeof(*dst);
	struct sockaddr_in src = { .sin_family = AF_INET };
	int fd;

	/* The address the client asked for, before the REDIRECT rewrote it to :15006. */
	if (getsockopt(down, SOL_IP, SO_ORIGINAL_DST, dst, &len) < 0)
		return -1;
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return -1;
	/* From 127.0.0.6, as Istio's sidecar does: the app sees a local peer, and the redirect never matches it. */
	inet_pton(AF_INET, "127.0.0.6", &src.sin_addr);
	if (bind(fd, (struct sockaddr *)&src, sizeof(src)) < 0 || connect(fd, (struct sockaddr *)dst, sizeof(*dst)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static void *serve(void *arg)
{
	struct conn *c = arg;
	struct sockaddr_in peer, dst;
	socklen_t len = sizeof(peer);
	char from[INET_ADDRSTRLEN], to[INET_ADDRSTRLEN];
	int one = 1, ok = 1;

	getpeername(c->fd[0], (struct sockaddr *)&peer, &len);
	c->fd[1] = connect_upstream(c->fd[0], &dst);
	inet_ntop(AF_INET, &peer.sin_addr, from, sizeof(from));
	if (c->fd[1] < 0) {
		fprintf(stderr, "%s:%d: cannot reach the original destination: %s\n", from, ntohs(peer.sin_port), strerror(errno));
		reset(c->fd[0]);
		goto out;
	}
	inet_ntop(AF_INET, &dst.sin_addr, to, sizeof(to));
	printf("%s:%d -> %s:%d forwarded to %s:%d (%s)\n", from, ntohs(peer.sin_port), to, ntohs(dst.sin_port), to,
	       ntohs(dst.sin_port), mode_name());
	for (int i = 0; i < 2; i++)
		setsockopt(c->fd[i], IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (mode == MODE_SPLICE)
		for (int i = 0; i < 2; i++)
			ok = ok && pipe2(c->pipe[i], O_CLOEXEC) == 0;
	if (mode == MODE_SOCKMAP) {
		/* Insert first, then forward what came before: bytes that arrive in between are the program's. */
		ok = c->spliced = insert(c) == 0;
		if (!ok)
			fprintf(stderr, "%s:%d: cannot insert into splice_socks: %s\n", from, ntohs(peer.sin_port), strerror(errno));
		ok = ok && forward_early_bytes(c) == 0;
	}
	if (ok)
		forward(c);
	if (c->spliced)
		remove_from_map(c);
	close(c->fd[1]);
out:
	close(c->fd[0]);
	for (int i = 0; i < 2 && mode == MODE_SPLICE; i++)
		for (int j = 0; j < 2; j++)
			if (c->pipe[i][j] > 0)
				close(c->pipe[i][j]);
	stats->active--;
	free(c);
	return NULL;
}

static int listen_on(const char *addr, int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;

	inet_pton(AF_INET, addr, &a.sin_addr);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(fd, 128) < 0)
		die(addr);
	return fd;
}

/* The counters in a BPF array the proxy maps into its memory: the sandbox's sampler reads it like any pinned map
 * (map.splice_proxy_stats.N, N the field's place in struct proxy_stats), and counting stays a memory write, no system
 * call per read in the forwarding path. Created afresh at each start, as root (the mapping outlives the switch to the
 * proxy's user). Without it (no BPF here) the counters stay in the proxy's own memory, for splicectl stats only. */
static void share_stats(void)
{
	LIBBPF_OPTS(bpf_map_create_opts, opts, .map_flags = BPF_F_MMAPABLE);
	size_t size = (sizeof(struct proxy_stats) + getpagesize() - 1) / getpagesize() * getpagesize();
	int fd;
	void *p;

	unlink(PROXY_STATS_PIN);
	fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "splice_proxy", sizeof(__u32), sizeof(__u64),
			    sizeof(struct proxy_stats) / sizeof(__u64), &opts);
	if (fd < 0 || bpf_obj_pin(fd, PROXY_STATS_PIN) < 0) {
		fprintf(stderr, "splice-proxy: counters not shared in %s: %s\n", PROXY_STATS_PIN, strerror(errno));
		if (fd >= 0)
			close(fd);
		return;
	}
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (p == MAP_FAILED) {
		fprintf(stderr, "splice-proxy: counters not shared: mmap %s: %s\n", PROXY_STATS_PIN, strerror(errno));
		unlink(PROXY_STATS_PIN);
		return;
	}
	stats = p;
}

static void *admin(void *arg)
{
	int lfd = *(int *)arg;

	for (;;) {
		int fd = accept(lfd, NULL, NULL);
		struct rusage ru;

		if (fd < 0)
			continue;
		/* All the proxy's threads, those of closed connections included: what it costs in scheduling. */
		getrusage(RUSAGE_SELF, &ru);
		dprintf(fd,
			"{\"mode\":\"%s\",\"connections_total\":%lu,\"connections_active\":%lu,\"data_reads\":%lu,"
			"\"data_bytes\":%lu,\"wakeups\":%lu,\"early_bytes\":%lu,\"inserted\":%lu,\"removed\":%lu,"
			"\"context_switches\":%ld}\n",
			mode_name(), stats->connections, stats->active, stats->data_reads, stats->data_bytes, stats->wakeups,
			stats->early_bytes, stats->inserted, stats->removed, ru.ru_nvcsw + ru.ru_nivcsw);
		close(fd);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	int opt, lfd, afd;
	uid_t uid = 1337;
	pthread_t t;
	pthread_attr_t attr;

	while ((opt = getopt(argc, argv, "m:u:")) != -1) {
		if (opt == 'm' && !strcmp(optarg, "copy"))
			mode = MODE_COPY;
		else if (opt == 'm' && !strcmp(optarg, "splice"))
			mode = MODE_SPLICE;
		else if (opt == 'm' && !strcmp(optarg, "sockmap"))
			mode = MODE_SOCKMAP;
		else if (opt == 'u')
			uid = atoi(optarg);
		else {
			fprintf(stderr, "usage: splice-proxy -m copy|splice|sockmap [-u UID]\n");
			return 2;
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	/* A write to a socket whose peer has gone is an error to handle (EPIPE), not a reason to end every connection. */
	signal(SIGPIPE, SIG_IGN);
	/* Opened as root: the map fd stays usable after the switch to the proxy's own user below. */
	if (mode == MODE_SOCKMAP && (socks_map = bpf_obj_get(SPLICE_SOCKS_PIN)) < 0)
		die(SPLICE_SOCKS_PIN " (load splice.bpf.o first)");
	share_stats();
	lfd = listen_on("0.0.0.0", LISTEN_PORT);
	afd = listen_on("127.0.0.1", ADMIN_PORT);
	if (setgroups(0, NULL) < 0 || setresgid(uid, uid, uid) < 0 || setresuid(uid, uid, uid) < 0)
		die("dropping privileges");
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_create(&t, &attr, admin, &afd);
	printf("splice-proxy: %s mode, listening on :%d as uid %u\n", mode_name(), LISTEN_PORT, uid);
	for (;;) {
		int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
		struct conn *c;

		if (fd < 0)
			continue;
		c = calloc(1, sizeof(*c));
		c->fd[0] = fd;
		stats->connections++;
		stats->active++;
		if (pthread_create(&t, &attr, serve, c) != 0) {
			close(fd);
			free(c);
			stats->active--;
		}
	}
}
