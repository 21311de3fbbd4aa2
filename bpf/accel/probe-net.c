// SPDX-License-Identifier: GPL-2.0
// accel-probe: the network side: pods (network namespaces), cgroups, test sockets, and the scratch cgroups.
#include "probe.h"

/* ---- pods, cgroups, sockets ------------------------------------------------------------------------------ */

const char *lab_cgroup(void)
{
	const char *cg = getenv("LAB_CGROUP");

	if (!cg || !*cg)
		die("LAB_CGROUP is not set (run me through the lab environment)");
	return cg;
}

void enter_pod(const char *pod)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/run/netns/%s", pod);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		fail("no-pods", "there is no %s pod: run lab-pods up", pod);
	if (setns(fd, CLONE_NEWNET))
		die("setns %s: %s", path, strerror(errno));
	close(fd);
}

void join_cgroup(const char *dir)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	f = fopen(path, "w");
	if (!f || fprintf(f, "%d\n", getpid()) < 0 || fclose(f))
		die("cannot join %s: %s", dir, strerror(errno));
}

static struct sockaddr_in6 addr_of(const char *ip, __u16 port)
{
	struct sockaddr_in6 a = { .sin6_family = AF_INET6, .sin6_port = htons(port) };

	if (ip && strchr(ip, ':'))
		inet_pton(AF_INET6, ip, &a.sin6_addr);
	else if (ip) {
		struct sockaddr_in *a4 = (struct sockaddr_in *)&a;

		memset(&a, 0, sizeof(a));
		a4->sin_family = AF_INET;
		a4->sin_port = htons(port);
		inet_pton(AF_INET, ip, &a4->sin_addr);
	}
	return a; /* ip NULL: [::], any address */
}

__u16 port_of(int fd, bool peer)
{
	struct sockaddr_in6 a;
	socklen_t len = sizeof(a);

	if ((peer ? getpeername : getsockname)(fd, (struct sockaddr *)&a, &len))
		return 0;
	return ntohs(a.sin6_port); /* same offset in sockaddr_in */
}

/* A listener on ip (NULL: [::], dual stack, like iperf3 -s) and a free port. */
int listen_on(const char *ip, __u16 *port)
{
	struct sockaddr_in6 a = addr_of(ip, 0);
	int fd = socket(a.sin6_family, SOCK_STREAM | SOCK_CLOEXEC, 0), off = 0;

	if (fd < 0)
		die("socket: %s", strerror(errno));
	if (a.sin6_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off));
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) || listen(fd, 8))
		die("listen on %s: %s", ip ? ip : "[::]", strerror(errno));
	*port = port_of(fd, false);
	return fd;
}

int client_socket(const char *src)
{
	struct sockaddr_in6 a = addr_of(src, 0);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		die("socket: %s", strerror(errno));
	if (src && bind(fd, (struct sockaddr *)&a, sizeof(struct sockaddr_in)))
		die("bind %s: %s", src, strerror(errno));
	return fd;
}

bool wait_for(int fd, short events, int ms)
{
	struct pollfd p = { .fd = fd, .events = events };

	return poll(&p, 1, ms) == 1 && (p.revents & events);
}

/* connect() within ms; false when it did not complete. */
bool connect_within(int fd, const char *ip, __u16 port, int ms)
{
	struct sockaddr_in6 a = addr_of(ip, port);
	int flags = fcntl(fd, F_GETFL), err = 0;
	socklen_t len = sizeof(err);

	fcntl(fd, F_SETFL, flags | O_NONBLOCK);
	if (connect(fd, (struct sockaddr *)&a, sizeof(struct sockaddr_in)) && errno != EINPROGRESS)
		return false;
	if (!wait_for(fd, POLLOUT, ms) || getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) || err)
		return false;
	fcntl(fd, F_SETFL, flags);
	return true;
}

int accept_within(int lfd, int ms)
{
	return wait_for(lfd, POLLIN, ms) ? accept4(lfd, NULL, NULL, SOCK_CLOEXEC) : -1;
}

void conn_listen(struct conn *c, const char *listen_ip)
{
	c->listen_ip = listen_ip;
	c->lfd = listen_on(listen_ip, &c->lport);
}

void conn_connect(struct conn *c, const char *src, const char *dst)
{
	c->src = src;
	c->cli = client_socket(src);
	if (!connect_within(c->cli, dst, c->lport, 1000))
		die("connect %s -> %s:%u: %s", src, dst, c->lport, strerror(errno));
	c->cport = port_of(c->cli, false);
	c->app = accept_within(c->lfd, 1000);
	if (c->app < 0)
		die("accept on %s:%u failed", c->listen_ip ? c->listen_ip : "[::]", c->lport);
}

struct sock_key key_of(const char *local, __u16 lport, const char *remote, __u16 rport)
{
	struct sock_key k = { .local_port = lport, .remote_port = rport };

	inet_pton(AF_INET, local, &k.local_ip4);
	inet_pton(AF_INET, remote, &k.remote_ip4);
	return k;
}

/* The keys sock_ops should have stored for a connection: the app's (accepted) socket and the connecting one. */
struct sock_key app_key(const struct conn *c)
{
	return key_of(c->listen_ip ? c->listen_ip : SERVER_IP, c->lport, c->src, c->cport);
}

struct sock_key cli_key(const struct conn *c)
{
	return key_of(c->src, c->cport, c->listen_ip ? c->listen_ip : SERVER_IP, c->lport);
}

bool has_key(int socks, struct sock_key k)
{
	__u64 cookie;

	return !bpf_map_lookup_elem(socks, &k, &cookie);
}

int all_keys(int socks, struct sock_key *keys, int max)
{
	struct sock_key k, *prev = NULL;
	int n = 0;

	while (n < max && !bpf_map_get_next_key(socks, prev, &k)) {
		keys[n] = k;
		prev = &keys[n++];
	}
	return n;
}

/* Waits (at most ms) until every key is in the map. */
void wait_for_keys(int socks, const struct sock_key *keys, int n, int ms)
{
	for (int waited = 0; waited <= ms; waited += 5) {
		int found = 0;

		for (int i = 0; i < n; i++)
			found += has_key(socks, keys[i]);
		if (found == n)
			return;
		usleep(5000);
	}
}

const char *ip4(__u32 a, char *buf)
{
	return inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN);
}

/* TCP's own byte counters of a socket: a redirected message passes neither. */
void tcp_bytes(int fd, __u64 *received, __u64 *sent)
{
	struct tcp_info ti = {};
	socklen_t len = sizeof(ti);

	getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len);
	*received = ti.tcpi_bytes_received;
	*sent = ti.tcpi_bytes_sent;
}

/* Reads up to len bytes that arrive on fd within ms. */
size_t read_within(int fd, char *buf, size_t len, int ms)
{
	size_t got = 0;

	while (got < len && wait_for(fd, POLLIN, got ? 50 : ms)) {
		ssize_t n = recv(fd, buf + got, len - got, MSG_DONTWAIT);

		if (n <= 0)
			break;
		got += n;
	}
	return got;
}

/* ---- scratch cgroups: the test's sockets live there, so the pods' own programs never see them -------------- */

char scratch[PATH_MAX], scratch_in[PATH_MAX + 4], scratch_out[PATH_MAX + 4];

static void remove_scratch(void)
{
	/* The child has exited: the cgroups are empty. A dying socket may keep one busy for a moment. */
	for (int i = 0; i < 100; i++) {
		rmdir(scratch_in);
		rmdir(scratch_out);
		if (!rmdir(scratch) || errno == ENOENT)
			return;
		usleep(10000);
	}
}

/* Runs test() in a child inside fresh scratch cgroups ("in" gets the programs, "out" none) and removes them after. */
int in_scratch(void (*test)(const char *dir), const char *dir)
{
	int status;
	pid_t pid;

	snprintf(scratch, sizeof(scratch), "%s/accel-probe.%d", lab_cgroup(), getpid());
	snprintf(scratch_in, sizeof(scratch_in), "%s/in", scratch);
	snprintf(scratch_out, sizeof(scratch_out), "%s/out", scratch);
	if (mkdir(scratch, 0755) || mkdir(scratch_in, 0755) || mkdir(scratch_out, 0755))
		die("cannot create the scratch cgroup %s: %s", scratch, strerror(errno));
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0) {
		test(dir);
		exit(0);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	remove_scratch();
	return WIFEXITED(status) ? WEXITSTATUS(status) : 2;
}

int scratch_cgroup_fd(void)
{
	int fd = open(scratch_in, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		die("open %s: %s", scratch_in, strerror(errno));
	return fd;
}

