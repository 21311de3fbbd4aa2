/* SPDX-License-Identifier: GPL-2.0 */
/* accel-probe's shared parts (accel-probe.c says what the probe does): the lab's constants, the records it reads,
 * and the helpers of probe-bpf.c (output, objects, maps, counters) and probe-net.c (pods, cgroups, sockets). */
#ifndef PROBE_H
#define PROBE_H

#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <linux/tcp.h>
#include <poll.h>
#include <sched.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#define SERVER_IP "10.10.0.2"
#define PROXY_IP "127.0.0.6"
#define REFERENCE_DIR "/opt/ebpf-labs/bpf/accel"
#define PINS "/sys/fs/bpf"
#define STATE "/run/ebpf-labs"
/* Written by accelctl on: the ids of the programs it loaded ("SOCKOPS_ID REDIRECT_ID"). */
#define ACCELCTL_PROGS STATE "/accelctl-progs"

/* How long a message may take to arrive, and a connection through the proxy to be made (the machine may be busy;
 * local delivery normally takes microseconds). */
#define ARRIVE_MS 400
#define PROXY_MS 2000

/* As in accel.h (user space cannot include it). */
enum { STAT_SOCKETS_ADDED, STAT_REDIRECTED, STAT_REDIRECTED_BYTES, STAT_MISSED, STAT_MAX };
struct sock_key {
	__u32 local_ip4, remote_ip4;   /* network byte order */
	__u32 local_port, remote_port; /* host byte order */
};

/* As in psock-iter.bpf.c. */
struct psock_record {
	__u32 local_ip4, remote_ip4;
	__u16 local_port, remote_port, family, state;
	__u32 msg_prog_id;
};

/* accel_stats, an array or a per-CPU array of __u64. */
struct counters {
	int fd;
	bool percpu;
};

/* A connection in the current pod: listener on listen_ip (NULL: [::]), client bound to src. `app` is the accepted
 * socket (the app's side), `cli` the connecting one (the proxy's side when src is 127.0.0.6). */
struct conn {
	const char *listen_ip, *src;
	int lfd, cli, app;
	__u16 lport, cport;
};

/* probe-bpf.c */
extern int ncpus;
extern char libbpf_log[]; /* what libbpf said: the end of a verifier log */
void __attribute__((noreturn, format(printf, 2, 3))) fail(const char *reason, const char *fmt, ...);
void __attribute__((noreturn, format(printf, 1, 2))) pass(const char *fmt, ...);
void __attribute__((noreturn, format(printf, 1, 2))) die(const char *fmt, ...);
int keep_libbpf_log(enum libbpf_print_level level, const char *fmt, va_list ap);
void print_log_tail(int lines);
__u64 counter(const struct counters *c, __u32 idx);
void counters_now(const struct counters *c, __u64 out[STAT_MAX]);
struct counters counters_of(struct bpf_map *map);
int map_info(int fd, struct bpf_map_info *info);
int prog_info(int fd, struct bpf_prog_info *info, __u32 *map_ids, __u32 nr_map_ids);
void need_build(const char *dir, const char *name, char *path, size_t size);
struct bpf_object *open_unpinned(const char *path);
struct bpf_program *program_of(struct bpf_object *obj, enum bpf_prog_type type, const char *path, const char *sec);
struct bpf_map *need_map(struct bpf_object *obj, const char *name, const char *path);
void load(struct bpf_object *obj, const char *path);

/* probe-net.c */
extern char scratch_in[], scratch_out[];
const char *lab_cgroup(void);
void enter_pod(const char *pod);
void join_cgroup(const char *dir);
__u16 port_of(int fd, bool peer);
int listen_on(const char *ip, __u16 *port);
int client_socket(const char *src);
bool wait_for(int fd, short events, int ms);
bool connect_within(int fd, const char *ip, __u16 port, int ms);
int accept_within(int lfd, int ms);
void conn_listen(struct conn *c, const char *listen_ip);
void conn_connect(struct conn *c, const char *src, const char *dst);
struct sock_key key_of(const char *local, __u16 lport, const char *remote, __u16 rport);
struct sock_key app_key(const struct conn *c);
struct sock_key cli_key(const struct conn *c);
bool has_key(int socks, struct sock_key k);
int all_keys(int socks, struct sock_key *keys, int max);
void wait_for_keys(int socks, const struct sock_key *keys, int n, int ms);
const char *ip4(__u32 a, char *buf);
void tcp_bytes(int fd, __u64 *received, __u64 *sent);
size_t read_within(int fd, char *buf, size_t len, int ms);
int in_scratch(void (*test)(const char *dir), const char *dir);
int scratch_cgroup_fd(void);

/* probe-selftest.c: steps 03 and 04 */
void test_sockops(const char *dir);
void test_redirect(const char *dir);

/* probe-pod.c: the pod's acceleration (steps 05, 06, 08, accelctl) */
int read_psocks(struct psock_record *out, int max);
int cmd_sockets(bool count_only);
int cmd_attached(const char *dir);
int cmd_live(void);
int cmd_sockops_loaded(void);
int cmd_cgroup_progs(void);

#endif /* PROBE_H */
