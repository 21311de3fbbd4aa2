// SPDX-License-Identifier: GPL-2.0
/*
 * datapath-sampler: the sandbox's datapath counters, one JSON line per sample on stdout.
 *
 * The server runs it once per sandbox (docker exec, stdin a pipe) and reads a line every --interval-ms:
 *   {"seq":1,"t_ms":12345.678,"m":{"<metric>":<integer>,...},"na":{"<family>":"<why it is missing>",...}}
 * It gathers, per pod (network namespace in /run/netns): interface counters, established TCP sockets on the
 * given ports, the iptables nat REDIRECT counters; and, for the sandbox: the counters and entry counts of the
 * BPF maps pinned in bpffs, the run counts of pinned programs and of those attached to the pods' cgroups.
 *
 * Why in C and in one process: a sample is taken twice a second for as long as a learner keeps the page open.
 * Running ip, iptables, ss or bpftool for it would fork and exec a dozen programs per tick; done in-process
 * (setns, /proc reads, sock_diag, libnftables, bpf syscalls) a tick costs a millisecond or two of CPU.
 *
 * It exits on SIGTERM/SIGINT/SIGHUP, when stdout goes away, after --count samples, and when stdin (if a pipe or
 * a socket, as under docker exec -i) reaches end of file: the server going away must never leave it running.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/inet_diag.h>
#include <linux/magic.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <nftables/libnftables.h>

#define PROG "datapath-sampler"

#define DEFAULT_INTERVAL_MS 500
#define MIN_INTERVAL_MS 100 /* below this the sampler's own cost stops being negligible */
#define MAX_INTERVAL_MS 3600000
#define MAX_PORTS 16
/* Pods beyond this are ignored: each costs two setns and a netlink dump per tick. The labs make two. */
#define MAX_PODS 32
#define NETNS_DIR "/run/netns" /* where "ip netns add" bind-mounts the namespaces it names */
#define DEFAULT_BPFFS "/sys/fs/bpf"
#define LAB_ENV_FILE "/etc/ebpf-labs/env"
#define BPFFS_MAX_DEPTH 2 /* /sys/fs/bpf/accel_stats and /sys/fs/bpf/steer_maps/steer_stats */
/* An array of __u64 this small is a set of counters (accel_stats, steer_stats); a bigger one is data. */
#define COUNTER_VALUE_SIZE 8
#define COUNTER_MAX_ENTRIES 32
/* A sockmap is an array: its occupied slots can only be counted with one lookup per slot. */
#define SOCKMAP_SCAN_MAX 1024
/* Hash maps are counted this many entries per BPF_MAP_LOOKUP_BATCH call, within this much buffer memory. */
#define HASH_BATCH_ENTRIES 1024
#define HASH_BATCH_MEMORY (1 << 20)
#define MAX_QUERY_PROGS 64 /* programs per cgroup hook; the kernel allows 64 in multi mode */
#define METRIC_NAME_MAX 1024
#define DIAG_RECV_BUFFER 32768 /* sock_diag replies: ~100 bytes a socket, a batch per recv */
#define USEC_PER_SEC 1000000ULL
#define NSEC_PER_USEC 1000ULL

/* The nat table iptables-nft keeps in each netns. libnftables reads it over netlink, like "nft list". */
#define NAT_LIST_CMD "list table ip nat"

struct options {
	unsigned int interval_ms;
	unsigned int ports[MAX_PORTS];
	int nports;
	unsigned long long count; /* 0: until told to stop */
	const char *cgroup_root;  /* NULL: no cgroup counters */
	const char *bpffs;
};

/* A growable string; the sample's JSON and the /proc files are read into these. */
struct strbuf {
	char *p;
	size_t len, cap;
};

/* One pod, as seen at the previous tick, with what is worth keeping between ticks. */
struct pod {
	char name[NAME_MAX + 1];
	dev_t dev; /* identity of its network namespace (the nsfs inode): a pod made again under */
	ino_t ino; /* the same name is a new namespace, whose nft context must be a new one too */
	/* Created after setns into the pod: its netlink socket belongs to the namespace of whoever created it,
	 * so it lists that pod's tables from then on. It also keeps the namespace alive: freed as soon as the
	 * pod is gone from /run/netns. */
	struct nft_ctx *nft;
	bool seen;
};

struct sampler {
	struct options opt;
	int home_netns; /* ours, to return to after visiting the pods */
	int stats_fd;   /* held while we run: see enable_run_time_stats() */
	int stats_errno; /* why the kernel refused, when it did */
	int ncpus;      /* possible CPUs: a per-CPU map's value has one slot for each */
	__u64 *percpu_vals;
	struct pod pods[MAX_PODS];
	int npods;
	struct strbuf file;                 /* a /proc file or libnftables' output */
	struct strbuf batch_keys, batch_values; /* scratch for hash-map batch lookups */
	struct strbuf line;                 /* the sample's JSON line */
};

/* One sample under construction: the members of "m" and of "na", without their braces. */
struct sample {
	struct strbuf m, na;
};

/* ---- small helpers ---------------------------------------------------------------------------------------- */

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, PROG ": ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

static void sb_reserve(struct strbuf *b, size_t extra)
{
	size_t cap = b->cap ? b->cap : 4096;

	if (b->len + extra + 1 <= b->cap)
		return;
	while (cap < b->len + extra + 1)
		cap *= 2;
	b->p = realloc(b->p, cap);
	if (!b->p)
		die("out of memory");
	b->cap = cap;
}

static void sb_vprintf(struct strbuf *b, const char *fmt, va_list ap)
{
	va_list again;
	int n;

	va_copy(again, ap);
	n = vsnprintf(NULL, 0, fmt, again);
	va_end(again);
	if (n < 0)
		return;
	sb_reserve(b, (size_t)n);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

static void sb_printf(struct strbuf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sb_vprintf(b, fmt, ap);
	va_end(ap);
}

/* A JSON string. Names come from pods, devices and pin paths, which may hold any byte but '/' (and NUL). */
static void sb_json_string(struct strbuf *b, const char *s)
{
	sb_reserve(b, strlen(s) * 6 + 2);
	b->p[b->len++] = '"';
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			b->len += (size_t)sprintf(b->p + b->len, "\\%c", c);
		else if (c < 0x20)
			b->len += (size_t)sprintf(b->p + b->len, "\\u%04x", c);
		else
			b->p[b->len++] = (char)c;
	}
	b->p[b->len++] = '"';
	b->p[b->len] = '\0';
}

static void sb_member(struct strbuf *b, const char *fmt, va_list ap)
{
	char name[METRIC_NAME_MAX];

	vsnprintf(name, sizeof(name), fmt, ap);
	if (b->len)
		sb_printf(b, ",");
	sb_json_string(b, name);
	sb_printf(b, ":");
}

/* metric(s, value, "if.%s.%s.rx_bytes", pod, dev) */
__attribute__((format(printf, 3, 4))) static void metric(struct sample *s, uint64_t value, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sb_member(&s->m, fmt, ap);
	va_end(ap);
	sb_printf(&s->m, "%" PRIu64, value);
}

/* not_available(s, "nat.server", "no iptables nat table in the %s pod", pod): why a family has no metrics. */
__attribute__((format(printf, 3, 4))) static void not_available(struct sample *s, const char *family,
								  const char *fmt, ...)
{
	char reason[METRIC_NAME_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	if (s->na.len)
		sb_printf(&s->na, ",");
	sb_json_string(&s->na, family);
	sb_printf(&s->na, ":");
	sb_json_string(&s->na, reason);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* Reads a whole /proc file (they report no size: read to EOF). False when it cannot be opened. */
static bool read_file(struct strbuf *b, const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	b->len = 0;
	if (fd < 0)
		return false;
	do {
		sb_reserve(b, 16384);
		n = read(fd, b->p + b->len, b->cap - b->len - 1);
		if (n > 0)
			b->len += (size_t)n;
	} while (n > 0 || (n < 0 && errno == EINTR));
	b->p[b->len] = '\0';
	close(fd);
	return n == 0;
}

static int visible_entry(const struct dirent *e)
{
	return e->d_name[0] != '.';
}

/* ---- pods: interfaces, TCP sockets, iptables nat ---------------------------------------------------------- */

/* /proc/thread-self/net/dev, after setns: the pod's interfaces. The proc net directory is resolved for the
 * calling thread's netns at open time, which is why every file is opened after the setns, never kept open.
 * Columns after "dev:": rx bytes packets errs drop fifo frame compressed multicast, then tx bytes packets ... */
static void read_net_dev(struct sampler *sp, struct sample *s, const char *pod)
{
	char *save = NULL, *line;
	int lineno = 0;

	if (!read_file(&sp->file, "/proc/thread-self/net/dev"))
		return;
	for (line = strtok_r(sp->file.p, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		uint64_t rx_bytes, rx_packets, tx_bytes, tx_packets;
		char *colon = strchr(line, ':');

		if (++lineno <= 2 || !colon) /* two header lines */
			continue;
		*colon = '\0'; /* device names cannot contain ':' (dev_valid_name) */
		while (*line == ' ')
			line++;
		if (sscanf(colon + 1, "%" SCNu64 " %" SCNu64 " %*s %*s %*s %*s %*s %*s %" SCNu64 " %" SCNu64, &rx_bytes,
			   &rx_packets, &tx_bytes, &tx_packets) != 4)
			continue;
		metric(s, rx_packets, "if.%s.%s.rx_packets", pod, line);
		metric(s, rx_bytes, "if.%s.%s.rx_bytes", pod, line);
		metric(s, tx_packets, "if.%s.%s.tx_packets", pod, line);
		metric(s, tx_bytes, "if.%s.%s.tx_bytes", pod, line);
	}
}

/* Sends one sock_diag dump request for ESTABLISHED TCP sockets and adds them to counts[], per --port.
 * Why not /proc/net/tcp{,6}: each read of those walks the whole established hash table, which all network
 * namespaces share (sized by host memory: 262144 buckets on a 2-CPU test host), and a file takes two reads:
 * about 5 ms of CPU per file per pod, more than this sampler's whole budget. A dump walks it once. ("ss" uses
 * the same interface.)
 * In the reply, ports are in network byte order (unlike /proc/net/tcp, which prints them in host order). */
static bool dump_established(int nl, __u16 type, __u8 family, const struct options *o, uint64_t *counts)
{
	struct {
		struct nlmsghdr nlh;
		union {
			struct inet_diag_req v1;     /* TCPDIAG_GETSOCK */
			struct inet_diag_req_v2 v2;  /* SOCK_DIAG_BY_FAMILY */
		};
	} req;
	char buf[DIAG_RECV_BUFFER] __attribute__((aligned(NLMSG_ALIGNTO)));
	ssize_t n;

	memset(&req, 0, sizeof(req));
	req.nlh.nlmsg_type = type;
	req.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	if (type == TCPDIAG_GETSOCK) {
		req.nlh.nlmsg_len = NLMSG_LENGTH(sizeof(req.v1));
		req.v1.idiag_family = family;
		req.v1.idiag_states = 1U << TCP_ESTABLISHED;
	} else {
		req.nlh.nlmsg_len = NLMSG_LENGTH(sizeof(req.v2));
		req.v2.sdiag_family = family;
		req.v2.sdiag_protocol = IPPROTO_TCP;
		req.v2.idiag_states = 1U << TCP_ESTABLISHED;
	}
	if (send(nl, &req, req.nlh.nlmsg_len, 0) < 0)
		return false;
	while ((n = recv(nl, buf, sizeof(buf), 0)) > 0) {
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
			const struct inet_diag_msg *msg = NLMSG_DATA(h);

			if (h->nlmsg_type == NLMSG_DONE)
				return true;
			if (h->nlmsg_type == NLMSG_ERROR) {
				errno = -((const struct nlmsgerr *)NLMSG_DATA(h))->error;
				return false;
			}
			if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*msg)) || msg->idiag_state != TCP_ESTABLISHED)
				continue;
			for (int i = 0; i < o->nports; i++)
				counts[i] += ntohs(msg->id.idiag_sport) == o->ports[i];
		}
	}
	return false;
}

static void read_tcp_ports(struct sampler *sp, struct sample *s, const char *pod)
{
	uint64_t counts[MAX_PORTS] = { 0 };
	char family[NAME_MAX + 8];
	bool ok;
	int nl;

	if (!sp->opt.nports)
		return;
	/* Created after setns, on every tick: a sock_diag socket dumps the sockets of the netns it was made in. */
	nl = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	/* Both IPv4 and IPv6: a listener on [::] (iperf3) accepts IPv4 clients as IPv4-mapped IPv6 sockets. The
	 * old TCPDIAG_GETSOCK request dumps both families in one walk of the hash table; a kernel without it gets
	 * one SOCK_DIAG_BY_FAMILY dump per family. */
	ok = nl >= 0 && dump_established(nl, TCPDIAG_GETSOCK, AF_INET, &sp->opt, counts);
	if (nl >= 0 && !ok) {
		memset(counts, 0, sizeof(counts));
		ok = dump_established(nl, SOCK_DIAG_BY_FAMILY, AF_INET, &sp->opt, counts) &&
		     dump_established(nl, SOCK_DIAG_BY_FAMILY, AF_INET6, &sp->opt, counts);
	}
	if (nl >= 0)
		close(nl);
	if (!ok) {
		snprintf(family, sizeof(family), "tcp.%s", pod);
		not_available(s, family, "cannot list the TCP connections in the %s pod (sock_diag: %s)", pod,
			      strerror(errno));
		return;
	}
	for (int i = 0; i < sp->opt.nports; i++)
		metric(s, counts[i], "tcp.%s.%u.established", pod, sp->opt.ports[i]);
}

/* True for a rule whose verdict is a REDIRECT: nft shows it as "redirect to :15006" when it can translate
 * iptables' target, and as 'xt target "REDIRECT"' (the compat expression iptables-nft stores) when it cannot.
 * "jump PROXY_IN_REDIRECT" is not one: only the whole, lower-case word counts, and not as a jump's target. */
static bool is_redirect_rule(const char *line)
{
	const char *p;

	if (strstr(line, "xt target \"REDIRECT\"") || strstr(line, "xt target REDIRECT"))
		return true;
	for (p = line; (p = strstr(p, "redirect")); p += strlen("redirect")) {
		bool word = (p == line || p[-1] == ' ' || p[-1] == '\t') && (p[8] == '\0' || p[8] == ' ');
		bool jump_target = p - line >= 5 && (!strncmp(p - 5, "jump ", 5) || !strncmp(p - 5, "goto ", 5));

		if (word && !jump_target)
			return true;
	}
	return false;
}

static struct nft_ctx *nft_open(void)
{
	struct nft_ctx *nft = nft_ctx_new(NFT_CTX_DEFAULT);

	if (!nft)
		return NULL;
	/* Both into memory: the listing is parsed, and errors ("No such file or directory" when the table does
	 * not exist) must not reach stderr. */
	if (nft_ctx_buffer_output(nft) || nft_ctx_buffer_error(nft)) {
		nft_ctx_free(nft);
		return NULL;
	}
	/* "meta l4proto 6" rather than "tcp": a name would be looked up in /etc/protocols on every listing. */
	nft_ctx_output_set_flags(nft, NFT_CTX_OUTPUT_NUMERIC_PROTO);
	return nft;
}

/* The iptables nat table's REDIRECT counters, through libnftables (the image's iptables is iptables-nft, so its
 * rules are nftables rules). iptables-nft gives every rule a counter: "counter packets X bytes Y". */
static void read_nat(struct sampler *sp, struct sample *s, struct pod *pod)
{
	char family[NAME_MAX + 8], *save = NULL, *line;
	uint64_t packets = 0, bytes = 0;
	const char *out, *err;
	int rc;

	snprintf(family, sizeof(family), "nat.%s", pod->name);
	if (!pod->nft && !(pod->nft = nft_open())) {
		not_available(s, family, "could not start libnftables to read the %s pod's iptables rules", pod->name);
		return;
	}
	rc = nft_run_cmd_from_buffer(pod->nft, NAT_LIST_CMD);
	/* Reading a buffer also rewinds it: read both after every command, or they grow without end. */
	out = nft_ctx_get_output_buffer(pod->nft);
	err = nft_ctx_get_error_buffer(pod->nft);
	if (rc != 0) {
		if (strstr(err, "No such file or directory"))
			not_available(s, family, "no iptables nat table in the %s pod (no redirect set up)", pod->name);
		else
			not_available(s, family, "could not list the iptables nat table in the %s pod: %.*s", pod->name,
				      (int)strcspn(err, "\n"), err);
		return;
	}
	sp->file.len = 0;
	sb_printf(&sp->file, "%s", out);
	for (line = strtok_r(sp->file.p, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		const char *counter = strstr(line, "counter packets ");
		uint64_t p, b;

		if (counter && is_redirect_rule(line) &&
		    sscanf(counter, "counter packets %" SCNu64 " bytes %" SCNu64, &p, &b) == 2) {
			packets += p;
			bytes += b;
		}
	}
	metric(s, packets, "nat.%s.redirect_packets", pod->name);
	metric(s, bytes, "nat.%s.redirect_bytes", pod->name);
}

static struct pod *find_pod(struct sampler *sp, const char *name)
{
	for (int i = 0; i < sp->npods; i++)
		if (!strcmp(sp->pods[i].name, name))
			return &sp->pods[i];
	if (sp->npods == MAX_PODS)
		return NULL;
	memset(&sp->pods[sp->npods], 0, sizeof(struct pod));
	snprintf(sp->pods[sp->npods].name, sizeof(sp->pods[0].name), "%s", name);
	return &sp->pods[sp->npods++];
}

/* Enters one pod's netns and reads it. Returns 0, or the errno that kept us out. */
static int collect_pod(struct sampler *sp, struct sample *s, const char *name)
{
	char path[PATH_MAX];
	struct stat st;
	struct pod *pod;
	int fd, err = 0;

	snprintf(path, sizeof(path), NETNS_DIR "/%s", name);
	/* Opened afresh every tick: "ip netns delete" unmounts and removes the file, and a kept fd would keep a
	 * deleted namespace alive. Between the unmount and the unlink the file is an empty one: setns refuses it. */
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno;
	if (fstat(fd, &st) || setns(fd, CLONE_NEWNET))
		err = errno;
	close(fd);
	if (err)
		return err;
	pod = find_pod(sp, name);
	if (!pod)
		return 0;
	if (pod->nft && (pod->dev != st.st_dev || pod->ino != st.st_ino)) {
		nft_ctx_free(pod->nft);
		pod->nft = NULL;
	}
	pod->dev = st.st_dev;
	pod->ino = st.st_ino;
	pod->seen = true;
	read_net_dev(sp, s, name);
	read_tcp_ports(sp, s, name);
	read_nat(sp, s, pod);
	return 0;
}

/* Forgets the pods that are gone, and with them their nft contexts (and their hold on the namespace). */
static void forget_unseen_pods(struct sampler *sp)
{
	int kept = 0;

	for (int i = 0; i < sp->npods; i++) {
		if (sp->pods[i].seen)
			sp->pods[kept++] = sp->pods[i];
		else if (sp->pods[i].nft)
			nft_ctx_free(sp->pods[i].nft);
	}
	sp->npods = kept;
}

static void collect_pods(struct sampler *sp, struct sample *s)
{
	struct dirent **names = NULL;
	int n, entered = 0, denied = 0;

	for (int i = 0; i < sp->npods; i++)
		sp->pods[i].seen = false;
	n = scandir(NETNS_DIR, &names, visible_entry, alphasort); /* rescanned each tick: pods come and go */
	for (int i = 0; i < n; i++) {
		int err = collect_pod(sp, s, names[i]->d_name);

		entered += !err;
		denied += err == EPERM;
		free(names[i]);
	}
	free(names);
	if (entered && setns(sp->home_netns, CLONE_NEWNET))
		die("cannot return to my own network namespace: %s", strerror(errno));
	forget_unseen_pods(sp);
	if (!entered && denied)
		not_available(s, "pods", "cannot enter the pods' network namespaces (the sampler needs CAP_SYS_ADMIN)");
	else if (!entered)
		not_available(s, "pods", "no pods: run lab-pods up");
}

/* ---- BPF: pinned maps and programs, cgroup attachments ---------------------------------------------------- */

struct prog_stats {
	uint64_t progs, run_cnt, run_time_ns;
};

static void add_prog_stats(struct prog_stats *st, int prog_fd)
{
	struct bpf_prog_info info;
	__u32 len = sizeof(info);

	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(prog_fd, &info, &len))
		return;
	st->run_cnt += info.run_cnt;
	st->run_time_ns += info.run_time_ns;
}

/* Sums the run counters of the programs a bpf_prog_query returned (each may be detached meanwhile). */
static void add_prog_ids(struct prog_stats *st, const __u32 *ids, __u32 n)
{
	st->progs += n;
	for (__u32 i = 0; i < n; i++) {
		int fd = bpf_prog_get_fd_by_id(ids[i]);

		if (fd < 0)
			continue;
		add_prog_stats(st, fd);
		close(fd);
	}
}

/* Programs attached to target_fd (a cgroup or a sockmap) at one hook. False when the kernel cannot tell. */
static bool query_attached(int target_fd, enum bpf_attach_type type, struct prog_stats *st)
{
	__u32 ids[MAX_QUERY_PROGS], cnt = MAX_QUERY_PROGS, flags = 0;

	memset(st, 0, sizeof(*st));
	/* query_flags 0: what is attached to this very cgroup, as "bpftool cgroup show" lists it; a program
	 * attached to an ancestor also runs for the pod but belongs to that ancestor. */
	if (bpf_prog_query(target_fd, type, 0, &flags, ids, &cnt))
		return false;
	add_prog_ids(st, ids, cnt < MAX_QUERY_PROGS ? cnt : MAX_QUERY_PROGS);
	return true;
}

/* Counters: an ARRAY or PERCPU_ARRAY of __u64 (accel_stats, steer_stats). Key: a host-order __u32 index. */
static void read_counter_array(struct sampler *sp, struct sample *s, int fd, const struct bpf_map_info *info,
			       const char *rel)
{
	int slots = info->type == BPF_MAP_TYPE_PERCPU_ARRAY ? sp->ncpus : 1;

	if (info->value_size != COUNTER_VALUE_SIZE || info->max_entries > COUNTER_MAX_ENTRIES)
		return;
	for (__u32 i = 0; i < info->max_entries; i++) {
		uint64_t sum = 0;

		/* A per-CPU lookup fills one 8-byte slot per possible CPU. */
		if (bpf_map_lookup_elem(fd, &i, sp->percpu_vals))
			continue;
		for (int c = 0; c < slots; c++)
			sum += sp->percpu_vals[c];
		metric(s, sum, "map.%s.%u", rel, i);
	}
}

/* Counts keys one bpf_map_get_next_key at a time, at most max_entries (a map changing under us may otherwise
 * restart the walk). */
static uint64_t count_keys_one_by_one(struct sampler *sp, int fd, const struct bpf_map_info *info)
{
	char *a, *b, *cur = NULL;
	uint64_t n = 0;

	sp->batch_keys.len = 0;
	sb_reserve(&sp->batch_keys, 2 * (size_t)info->key_size);
	a = sp->batch_keys.p;
	b = a + info->key_size;
	while (n < info->max_entries && !bpf_map_get_next_key(fd, cur, cur == a ? b : a)) {
		cur = cur == a ? b : a;
		n++;
	}
	return n;
}

/* Counts a hash map's keys HASH_BATCH_ENTRIES at a time with BPF_MAP_LOOKUP_BATCH: one syscall per batch rather
 * than per key. It matters for LRU maps such as steer's orig_dst, which keeps an entry for every connection ever
 * steered (up to 65536). False when the kernel cannot batch this map: the caller then counts one by one. */
static bool count_keys_batched(struct sampler *sp, int fd, const struct bpf_map_info *info, uint64_t *count)
{
	bool percpu = info->type == BPF_MAP_TYPE_PERCPU_HASH || info->type == BPF_MAP_TYPE_LRU_PERCPU_HASH;
	size_t value_bytes = percpu ? (size_t)((info->value_size + 7) / 8 * 8) * (size_t)sp->ncpus : info->value_size;
	size_t fit = HASH_BATCH_MEMORY / (value_bytes + info->key_size);
	__u32 chunk = fit < HASH_BATCH_ENTRIES ? (fit ? (__u32)fit : 1) : HASH_BATCH_ENTRIES;
	/* The batch position: for a hash map, the index of the next bucket (a __u32). */
	__u64 in_batch = 0, out_batch = 0;
	bool first = true;
	uint64_t n = 0;

	sp->batch_keys.len = sp->batch_values.len = 0;
	sb_reserve(&sp->batch_keys, (size_t)chunk * info->key_size);
	sb_reserve(&sp->batch_values, (size_t)chunk * value_bytes);
	for (;;) {
		DECLARE_LIBBPF_OPTS(bpf_map_batch_opts, opts);
		__u32 got = chunk;
		int err = bpf_map_lookup_batch(fd, first ? NULL : &in_batch, &out_batch, sp->batch_keys.p,
					       sp->batch_values.p, &got, &opts);

		/* ENOENT: the map has no more entries after this batch. Anything else (no batch support, or a
		 * bucket bigger than the chunk: ENOSPC) and the one-by-one walk answers instead. */
		if (err && errno != ENOENT)
			return false;
		n += got;
		if (err || n >= info->max_entries)
			break;
		in_batch = out_batch;
		first = false;
	}
	*count = n < info->max_entries ? n : info->max_entries;
	return true;
}

/* Occupied slots of a sockmap, by lookup. A user-space lookup returns the socket's cookie, and only when the
 * value is 8 bytes wide; a narrower one (or a sockmap too big to scan every tick) is not counted. */
static bool count_sockmap(int fd, const struct bpf_map_info *info, uint64_t *count)
{
	*count = 0;
	if (info->value_size != sizeof(__u64) || info->max_entries > SOCKMAP_SCAN_MAX)
		return false;
	for (__u32 i = 0; i < info->max_entries; i++) {
		__u64 cookie;

		*count += !bpf_map_lookup_elem(fd, &i, &cookie);
	}
	return true;
}

/* The sk_msg verdict program attached to a sockmap/sockhash (accelctl's redirect). Kernels before 5.19 cannot
 * be asked (EINVAL): then nothing is reported. */
static void read_msg_verdict(struct sample *s, int fd, const char *rel)
{
	struct prog_stats st;

	if (!query_attached(fd, BPF_SK_MSG_VERDICT, &st))
		return;
	metric(s, st.progs, "map.%s.msg_verdict.progs", rel);
	metric(s, st.run_cnt, "map.%s.msg_verdict.run_cnt", rel);
	metric(s, st.run_time_ns, "map.%s.msg_verdict.run_time_ns", rel);
}

static void read_map(struct sampler *sp, struct sample *s, int fd, const char *rel)
{
	struct bpf_map_info info;
	__u32 len = sizeof(info);
	uint64_t entries;

	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		return;
	switch (info.type) {
	case BPF_MAP_TYPE_ARRAY:
	case BPF_MAP_TYPE_PERCPU_ARRAY:
		read_counter_array(sp, s, fd, &info, rel);
		break;
	case BPF_MAP_TYPE_HASH:
	case BPF_MAP_TYPE_LRU_HASH:
	case BPF_MAP_TYPE_PERCPU_HASH:
	case BPF_MAP_TYPE_LRU_PERCPU_HASH:
		if (!count_keys_batched(sp, fd, &info, &entries))
			entries = count_keys_one_by_one(sp, fd, &info);
		metric(s, entries, "map.%s.entries", rel);
		break;
	case BPF_MAP_TYPE_SOCKHASH: /* no batch operations on sockhash */
		metric(s, count_keys_one_by_one(sp, fd, &info), "map.%s.entries", rel);
		read_msg_verdict(s, fd, rel);
		break;
	case BPF_MAP_TYPE_SOCKMAP:
		if (count_sockmap(fd, &info, &entries))
			metric(s, entries, "map.%s.entries", rel);
		read_msg_verdict(s, fd, rel);
		break;
	default:
		break;
	}
}

static void read_prog(struct sample *s, int fd, const char *rel)
{
	struct prog_stats st = { 0 };

	add_prog_stats(&st, fd);
	metric(s, st.run_cnt, "prog.%s.run_cnt", rel);
	metric(s, st.run_time_ns, "prog.%s.run_time_ns", rel);
}

enum bpf_kind { BPF_KIND_OTHER, BPF_KIND_MAP, BPF_KIND_PROG };

/* bpf_obj_get hands back an fd without saying what it is, and bpf_obj_get_info_by_fd fills a map's or a
 * program's info into whatever struct it is given. The fd's /proc link names the object's anon inode
 * ("anon_inode:bpf-map", "anon_inode:bpf-prog", "anon_inode:bpf_link"): one readlink tells. */
static enum bpf_kind bpf_fd_kind(int fd)
{
	char link[64], target[64];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, target, sizeof(target) - 1);
	if (n < 0)
		return BPF_KIND_OTHER;
	target[n] = '\0';
	if (!strcmp(target, "anon_inode:bpf-map"))
		return BPF_KIND_MAP;
	if (!strcmp(target, "anon_inode:bpf-prog"))
		return BPF_KIND_PROG;
	return BPF_KIND_OTHER;
}

/* One pinned object. Returns 1 for a map or a program, else 0. Its fd is closed before returning: the sampler
 * runs for hours, and a kept fd would also keep a map the learner unpinned alive. */
static int read_pinned(struct sampler *sp, struct sample *s, const char *path, const char *rel)
{
	int fd = bpf_obj_get(path), found = 1;

	if (fd < 0)
		return 0;
	switch (bpf_fd_kind(fd)) {
	case BPF_KIND_MAP:
		read_map(sp, s, fd, rel);
		break;
	case BPF_KIND_PROG:
		read_prog(s, fd, rel);
		break;
	default:
		found = 0; /* a pinned link, say: its program is reported where it is attached */
	}
	close(fd);
	return found;
}

/* Walks bpffs down to BPFFS_MAX_DEPTH. rel: the path below bpffs ("" at the top). Returns the objects found. */
static int walk_bpffs(struct sampler *sp, struct sample *s, const char *dir, const char *rel, int depth)
{
	struct dirent **names = NULL;
	int n = scandir(dir, &names, visible_entry, alphasort), found = 0;

	for (int i = 0; i < n; i++) {
		char path[PATH_MAX], child[PATH_MAX];
		struct stat st;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		snprintf(child, sizeof(child), "%s%s%s", rel, *rel ? "/" : "", names[i]->d_name);
		free(names[i]);
		if (lstat(path, &st))
			continue;
		if (S_ISDIR(st.st_mode) && depth < BPFFS_MAX_DEPTH)
			found += walk_bpffs(sp, s, path, child, depth + 1);
		else if (S_ISREG(st.st_mode))
			found += read_pinned(sp, s, path, child);
	}
	free(names);
	return found;
}

static void collect_bpffs(struct sampler *sp, struct sample *s)
{
	struct statfs fs;

	if (statfs(sp->opt.bpffs, &fs) || fs.f_type != BPF_FS_MAGIC)
		not_available(s, "bpf", "no BPF filesystem at %s (the sandbox was not prepared)", sp->opt.bpffs);
	else if (!walk_bpffs(sp, s, sp->opt.bpffs, "", 1))
		not_available(s, "bpf", "no BPF programs or maps pinned yet");
}

/* What is attached to each pod's cgroup, pinned or not: a learner's program loaded and attached by their own
 * loader counts too. */
static void collect_cgroups(struct sampler *sp, struct sample *s)
{
	static const struct {
		enum bpf_attach_type type;
		const char *name;
	} hooks[] = { { BPF_CGROUP_SOCK_OPS, "sock_ops" }, { BPF_CGROUP_GETSOCKOPT, "getsockopt" } };

	if (!sp->opt.cgroup_root) {
		not_available(s, "cgroups", "the pods' cgroups are unknown: LAB_CGROUP is not set and " LAB_ENV_FILE
					    " is missing (pass --cgroup-root)");
		return;
	}
	for (int i = 0; i < sp->npods; i++) {
		const char *pod = sp->pods[i].name;
		char dir[PATH_MAX], family[NAME_MAX + 8];
		int fd;

		snprintf(dir, sizeof(dir), "%s/%s", sp->opt.cgroup_root, pod);
		snprintf(family, sizeof(family), "cgroup.%s", pod);
		fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0) {
			not_available(s, family, "the %s pod has no cgroup (%s: %s)", pod, dir, strerror(errno));
			continue;
		}
		for (size_t h = 0; h < sizeof(hooks) / sizeof(hooks[0]); h++) {
			struct prog_stats st;

			if (!query_attached(fd, hooks[h].type, &st)) {
				not_available(s, family, "cannot list the programs attached to %s (%s)", dir, strerror(errno));
				break;
			}
			metric(s, st.progs, "cgroup.%s.%s.progs", pod, hooks[h].name);
			metric(s, st.run_cnt, "cgroup.%s.%s.run_cnt", pod, hooks[h].name);
			metric(s, st.run_time_ns, "cgroup.%s.%s.run_time_ns", pod, hooks[h].name);
		}
		close(fd);
	}
}

/* run_cnt and run_time_ns only count while run-time statistics are on. They stay on while someone holds a
 * BPF_STATS_RUN_TIME fd (or kernel.bpf_stats_enabled is 1), and go off when the last holder exits. It is
 * host-wide while held: every BPF program on the machine, not only this sandbox's, then pays two clock reads
 * per run. So the fd is held for the sampler's life only, never left behind. */
static void enable_run_time_stats(struct sampler *sp)
{
	sp->stats_fd = bpf_enable_stats(BPF_STATS_RUN_TIME);
	sp->stats_errno = sp->stats_fd < 0 ? errno : 0;
}

static void collect_stats_state(struct sampler *sp, struct sample *s)
{
	bool on = sp->stats_fd >= 0;

	if (!on) {
		struct strbuf *b = &sp->file;

		on = read_file(b, "/proc/sys/kernel/bpf_stats_enabled") && b->p[0] == '1';
		if (!on)
			not_available(s, "run_cnt",
				      "BPF run-time statistics are off (turning them on failed: %s), so run_cnt and "
				      "run_time_ns stay 0",
				      strerror(sp->stats_errno));
	}
	metric(s, on, "bpf.stats_enabled");
}

/* ---- one tick, and the loop ------------------------------------------------------------------------------- */

static void write_all(const char *p, size_t len)
{
	while (len) {
		ssize_t n = write(STDOUT_FILENO, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EPIPE)
			exit(0); /* the reader is gone: that is our cue */
		if (n < 0)
			die("cannot write to stdout: %s", strerror(errno));
		p += n;
		len -= (size_t)n;
	}
}

static void take_sample(struct sampler *sp, struct sample *s, unsigned long long seq)
{
	struct strbuf *line = &sp->line;
	uint64_t start = now_ns();
	struct rusage ru;

	s->m.len = s->na.len = 0;
	sb_reserve(&s->m, 0);
	sb_reserve(&s->na, 0);
	collect_pods(sp, s);
	collect_cgroups(sp, s);
	collect_bpffs(sp, s);
	collect_stats_state(sp, s);
	getrusage(RUSAGE_SELF, &ru);
	metric(s, (uint64_t)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * USEC_PER_SEC +
			  (uint64_t)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec),
	       "sampler.cpu_us");
	metric(s, (now_ns() - start) / NSEC_PER_USEC, "sampler.tick_us");

	line->len = 0;
	sb_printf(line, "{\"seq\":%llu,\"t_ms\":%.3f,\"m\":{%s},\"na\":{%s}}\n", seq, (double)start / 1e6, s->m.p,
		  s->na.p);
	write_all(line->p, line->len);
}

static void print_usage(FILE *f)
{
	fprintf(f,
		"usage: " PROG " [--interval-ms N] [--port P]... [--count N] [--cgroup-root DIR] [--bpffs DIR]\n"
		"  --interval-ms N    one sample every N ms (default %d, at least %d)\n"
		"  --port P           also count ESTABLISHED TCP sockets on local port P in each pod (repeatable)\n"
		"  --count N          exit after N samples (default: run until stopped)\n"
		"  --cgroup-root DIR  the pods' cgroups are DIR/<pod> (default: $LAB_CGROUP, else from " LAB_ENV_FILE ")\n"
		"  --bpffs DIR        where BPF objects are pinned (default " DEFAULT_BPFFS ")\n"
		"One JSON line per sample on stdout. Stops on SIGTERM/SIGINT, when stdout closes, and when stdin closes\n"
		"if it is a pipe or a socket.\n",
		DEFAULT_INTERVAL_MS, MIN_INTERVAL_MS);
}

static void usage(const char *problem)
{
	fprintf(stderr, PROG ": %s\n", problem);
	print_usage(stderr);
	exit(2);
}

static unsigned long long parse_number(const char *opt, const char *arg, unsigned long long min,
				       unsigned long long max)
{
	char *end, problem[256];
	unsigned long long v;

	errno = 0;
	v = strtoull(arg, &end, 10);
	if (errno || end == arg || *end || arg[0] == '-' || v < min || v > max) {
		snprintf(problem, sizeof(problem), "%s wants a whole number from %llu to %llu, not '%s'", opt, min, max,
			 arg);
		usage(problem);
	}
	return v;
}

/* LAB_CGROUP from /etc/ebpf-labs/env (written by sandbox-prepare), for a plain "docker exec" that did not go
 * through a login shell; bpf/steer/load.sh falls back to the same file. NULL when there is none. */
static const char *lab_env_cgroup(void)
{
	static char value[PATH_MAX + 16];
	char line[PATH_MAX + 16];
	FILE *f = fopen(LAB_ENV_FILE, "re");

	if (!f)
		return NULL;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "LAB_CGROUP=", strlen("LAB_CGROUP="))) {
			line[strcspn(line, "\n")] = '\0';
			snprintf(value, sizeof(value), "%s", line + strlen("LAB_CGROUP="));
		}
	}
	fclose(f);
	return value[0] ? value : NULL;
}

static void parse_args(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "interval-ms", required_argument, NULL, 'i' }, { "port", required_argument, NULL, 'p' },
		{ "count", required_argument, NULL, 'c' },       { "cgroup-root", required_argument, NULL, 'g' },
		{ "bpffs", required_argument, NULL, 'b' },       { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char problem[256];
	int c;

	o->interval_ms = DEFAULT_INTERVAL_MS;
	o->bpffs = DEFAULT_BPFFS;
	o->cgroup_root = getenv("LAB_CGROUP");
	opterr = 0; /* our own messages */
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'i':
			o->interval_ms = (unsigned int)parse_number("--interval-ms", optarg, MIN_INTERVAL_MS, MAX_INTERVAL_MS);
			break;
		case 'p':
			if (o->nports == MAX_PORTS)
				usage("too many --port options (at most 16)");
			o->ports[o->nports++] = (unsigned int)parse_number("--port", optarg, 1, 65535);
			break;
		case 'c':
			o->count = parse_number("--count", optarg, 1, ULLONG_MAX);
			break;
		case 'g':
			o->cgroup_root = optarg;
			break;
		case 'b':
			o->bpffs = optarg;
			break;
		case 'h':
			print_usage(stdout);
			exit(0);
		default: /* getopt_long sets optopt for a known option that lacks its value, 0 for an unknown one */
			snprintf(problem, sizeof(problem), optopt ? "option '%s' needs a value" : "unknown option '%s'",
				 argv[optind - 1]);
			usage(problem);
		}
	}
	if (optind < argc) {
		snprintf(problem, sizeof(problem), "unexpected argument '%s'", argv[optind]);
		usage(problem);
	}
	if (!o->cgroup_root || !*o->cgroup_root)
		o->cgroup_root = lab_env_cgroup();
}

/* Is stdin a pipe or a socket, whose end of file means the reader (the server's docker exec) is gone? A tty or
 * /dev/null says nothing of the kind. */
static bool stdin_tells_end(void)
{
	struct stat st;

	return !fstat(STDIN_FILENO, &st) && (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode));
}

/* True while stdin is open; whatever is written to it is read and ignored. */
static bool stdin_open(void)
{
	char buf[4096];
	ssize_t n = read(STDIN_FILENO, buf, sizeof(buf));

	return n > 0 || (n < 0 && (errno == EINTR || errno == EAGAIN));
}

int main(int argc, char **argv)
{
	struct sampler sp = { 0 };
	struct sample sample = { 0 };
	struct itimerspec every = { 0 };
	struct pollfd fds[3];
	unsigned long long seq = 0;
	int nfds = 2;
	sigset_t stop;

	parse_args(argc, argv, &sp.opt);
	signal(SIGPIPE, SIG_IGN); /* a vanished reader shows up as EPIPE from write() */

	/* Signals arrive through a signalfd polled with the timer: no handler, no race with poll(). */
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGHUP);
	sigprocmask(SIG_BLOCK, &stop, NULL);
	fds[0] = (struct pollfd){ .fd = signalfd(-1, &stop, SFD_CLOEXEC), .events = POLLIN };
	fds[1] = (struct pollfd){ .fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC), .events = POLLIN };
	if (fds[0].fd < 0 || fds[1].fd < 0)
		die("cannot create a signalfd or a timerfd: %s", strerror(errno));
	if (stdin_tells_end())
		fds[nfds++] = (struct pollfd){ .fd = STDIN_FILENO, .events = POLLIN };

	sp.home_netns = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (sp.home_netns < 0)
		die("cannot open my own network namespace: %s", strerror(errno));
	sp.ncpus = libbpf_num_possible_cpus();
	if (sp.ncpus <= 0)
		die("cannot tell the number of possible CPUs (/sys/devices/system/cpu/possible)");
	sp.percpu_vals = calloc((size_t)sp.ncpus, sizeof(__u64));
	if (!sp.percpu_vals)
		die("out of memory");
	enable_run_time_stats(&sp);

	/* The first sample right away, then one per interval. */
	every.it_value.tv_nsec = 1;
	every.it_interval.tv_sec = sp.opt.interval_ms / 1000;
	every.it_interval.tv_nsec = (long)(sp.opt.interval_ms % 1000) * 1000000L;
	if (timerfd_settime(fds[1].fd, 0, &every, NULL))
		die("cannot start the interval timer: %s", strerror(errno));

	for (;;) {
		uint64_t expirations;

		if (poll(fds, (nfds_t)nfds, -1) < 0) {
			if (errno == EINTR)
				continue;
			die("poll: %s", strerror(errno));
		}
		if (fds[0].revents)
			break; /* SIGTERM, SIGINT or SIGHUP */
		if (nfds > 2 && fds[2].revents && !stdin_open())
			break; /* end of file or hang-up on stdin: the server is gone */
		if (fds[1].revents && read(fds[1].fd, &expirations, sizeof(expirations)) > 0) {
			/* Late ticks (a slow one, a stopped process) are merged into one sample. */
			take_sample(&sp, &sample, ++seq);
			if (sp.opt.count && seq >= sp.opt.count)
				break;
		}
	}
	return 0;
}
