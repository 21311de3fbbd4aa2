// SPDX-License-Identifier: Apache-2.0
/*
 * The holder's loop. It reads the shell's pty whenever it may: always while no client is attached (the output
 * goes into the ring, nothing blocks the shell), and while a client is attached only as long as that client is
 * less than LAG_MAX bytes behind, so that a slow reader slows the shell down (as node-pty's pause() did) instead
 * of losing output. A client that attaches gets WELCOME (where its replay starts and ends), the held output from
 * the offset it asked for, then live output; when the shell ends, its wait status (EXIT), after every byte.
 *
 * Nothing a peer sends can crash it or make it grow: messages have fixed or bounded sizes, a connection has
 * CONNECT_TIMEOUT_MS to say what it wants, at most MAX_PENDING connections wait, and keystrokes queue up to
 * INPUT_QUEUE bytes (the holder stops reading its client while the shell does not read them).
 */
#include "holder.h"
#include "proto.h"
#include "ring.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

/* How far an attached client may fall behind before the holder stops reading the pty. Small, so that Ctrl+C in a
 * flood of output is not stuck behind megabytes; two DATA messages, so that the pipe never runs dry. */
#define LAG_MAX (2 * MAX_DATA)
/* One read from the pty. */
#define READ_MAX (64 * 1024)
#define INPUT_QUEUE (64 * 1024)
#define MAX_PENDING 8
#define CONNECT_TIMEOUT_MS 5000
/* After the shell exits, output still in the pty is read until the pty says end of file, or until it has been
 * silent this long (a background job may keep the pty open forever). */
#define DRAIN_MS 100
/* A killed shell gets SIGHUP (its pty hangs up), then SIGKILL after this long. */
#define KILL_GRACE_MS 1000

struct pending {
	int fd;
	uint64_t deadline;
	bool killer; /* asked for KILL: kept open until the holder exits, so that it sees the end */
};

struct holder {
	const char *name;
	char path[108];
	dev_t path_dev;
	ino_t path_ino;
	unsigned char id[ID_LEN];
	int listen_fd, master_fd, sig_fd;
	pid_t shell_pid;
	bool shell_exited;
	int shell_status;
	/* Nothing more will come from the pty: it said end of file, or stayed silent after the shell exited. */
	bool output_done;
	uint64_t drain_deadline;
	bool killing;
	uint64_t kill_deadline;
	bool sigkilled;
	struct ring ring;
	int client_fd; /* -1: nobody attached */
	uint64_t cursor; /* the next offset the client gets */
	bool welcome_due;
	uint64_t replay_start, replay_end;
	bool exit_sent;
	struct pending pending[MAX_PENDING];
	unsigned char input[INPUT_QUEUE];
	size_t input_len;
	unsigned char msg[1 + MAX_INPUT + 1];
};

static bool shell_gone(const struct holder *h)
{
	return h->shell_exited && h->output_done;
}

static void close_master(struct holder *h)
{
	if (h->master_fd >= 0)
		close(h->master_fd);
	h->master_fd = -1;
	h->output_done = true;
	h->input_len = 0;
}

static void drop_client(struct holder *h)
{
	if (h->client_fd >= 0)
		close(h->client_fd);
	h->client_fd = -1;
}

/* Removes the socket path, unless it is no longer ours (someone put another socket there). */
static void unlink_own_path(struct holder *h)
{
	struct stat st;
	if (lstat(h->path, &st) == 0 && st.st_dev == h->path_dev && st.st_ino == h->path_ino)
		unlink(h->path);
}

static void send_exit(struct holder *h)
{
	unsigned char m[EXIT_LEN] = {MSG_EXIT};
	put32(m + 1, (uint32_t)h->shell_status);
	if (send_msg(h->client_fd, m, sizeof(m)) == 0)
		h->exit_sent = true;
	else if (errno != EAGAIN)
		drop_client(h);
}

/* Sends what the client is owed, as far as its socket takes it. */
static void flush_client(struct holder *h)
{
	if (h->client_fd < 0)
		return;
	if (h->welcome_due) {
		unsigned char m[WELCOME_LEN] = {MSG_WELCOME, PROTO_VERSION};
		put32(m + 2, (uint32_t)getpid());
		put32(m + 6, (uint32_t)h->shell_pid);
		put64(m + 10, h->replay_start);
		put64(m + 18, h->replay_end);
		memcpy(m + 26, h->id, ID_LEN);
		if (send_msg(h->client_fd, m, sizeof(m)) < 0) {
			if (errno != EAGAIN)
				drop_client(h);
			return;
		}
		h->welcome_due = false;
	}
	while (h->cursor < h->ring.end) {
		const unsigned char *at;
		size_t len = ring_peek(&h->ring, h->cursor, &at);
		if (len > MAX_DATA)
			len = MAX_DATA;
		unsigned char type = MSG_DATA;
		if (send_msg2(h->client_fd, &type, 1, at, len) < 0) {
			if (errno != EAGAIN)
				drop_client(h);
			return;
		}
		h->cursor += len;
	}
	if (shell_gone(h) && !h->exit_sent)
		send_exit(h);
}

static bool client_wants_out(const struct holder *h)
{
	return h->client_fd >= 0 && (h->welcome_due || h->cursor < h->ring.end || (shell_gone(h) && !h->exit_sent));
}

static bool may_read_pty(const struct holder *h)
{
	return h->master_fd >= 0 && !h->output_done && (h->client_fd < 0 || h->ring.end - h->cursor < LAG_MAX);
}

static void set_size(struct holder *h, unsigned cols, unsigned rows)
{
	if (h->master_fd < 0 || cols < 1 || rows < 1 || cols > MAX_COLS || rows > MAX_ROWS)
		return;
	struct winsize ws = {.ws_col = (unsigned short)cols, .ws_row = (unsigned short)rows};
	ioctl(h->master_fd, TIOCSWINSZ, &ws);
}

static void write_input(struct holder *h)
{
	if (h->master_fd < 0 || h->shell_exited) {
		h->input_len = 0;
		return;
	}
	while (h->input_len) {
		ssize_t n = write(h->master_fd, h->input, h->input_len);
		if (n > 0) {
			memmove(h->input, h->input + n, h->input_len - (size_t)n);
			h->input_len -= (size_t)n;
		} else if (n < 0 && errno == EINTR) {
			continue;
		} else {
			if (n < 0 && errno != EAGAIN)
				h->input_len = 0; /* the pty is gone: the shell is ending */
			return;
		}
	}
}

/* Reads what the pty has, up to READ_MAX: a pty read returns at most a few KiB, so a flood is gathered here into
 * large DATA messages (fewer wake-ups down the line), while a lone echo costs one read more that finds nothing. */
static void read_pty(struct holder *h)
{
	for (size_t total = 0; total < READ_MAX && may_read_pty(h);) {
		unsigned char *at;
		size_t room = ring_room(&h->ring, &at);
		if (room > READ_MAX - total)
			room = READ_MAX - total;
		ssize_t n = read(h->master_fd, at, room);
		if (n > 0) {
			ring_commit(&h->ring, (size_t)n);
			total += (size_t)n;
			h->drain_deadline = now_ms() + DRAIN_MS;
		} else if (n < 0 && errno == EINTR) {
			continue;
		} else {
			if (n == 0 || errno != EAGAIN)
				close_master(h); /* EIO: every copy of the pty's other end is closed */
			return;
		}
	}
}

static void start_kill(struct holder *h)
{
	if (h->killing)
		return;
	h->killing = true;
	unlink_own_path(h); /* from now on, an attach starts a new holder instead of finding this one */
	if (!h->shell_exited) {
		/* The pty hangs up: the shell gets SIGHUP and passes it on to its jobs, as when a terminal is closed. */
		close_master(h);
		kill(h->shell_pid, SIGHUP);
		h->kill_deadline = now_ms() + KILL_GRACE_MS;
	}
}

static void attach_client(struct holder *h, int fd, const unsigned char *m)
{
	if (h->client_fd >= 0) {
		unsigned char r = MSG_REPLACED;
		send_msg(h->client_fd, &r, 1);
		drop_client(h);
	}
	h->client_fd = fd;
	h->exit_sent = false;
	uint64_t off = get64(m + 6);
	if (off < h->ring.start)
		off = ring_line_start(&h->ring);
	if (off > h->ring.end)
		off = h->ring.end;
	h->cursor = h->replay_start = off;
	h->replay_end = h->ring.end;
	h->welcome_due = true;
	set_size(h, get16(m + 2), get16(m + 4));
}

static void send_status(struct holder *h, int fd)
{
	unsigned char m[STATUS_LEN] = {MSG_STATUS};
	put32(m + 1, (uint32_t)getpid());
	put32(m + 5, (uint32_t)h->shell_pid);
	m[9] = !h->shell_exited;
	put64(m + 10, h->ring.end);
	memcpy(m + 18, h->id, ID_LEN);
	send_msg(fd, m, sizeof(m));
}

/* A new connection's first message says what it wants. Returns true when the connection is taken over. */
static bool handle_first_message(struct holder *h, struct pending *p)
{
	ssize_t n = recv_msg(p->fd, h->msg, sizeof(h->msg));
	if (n < 0 && errno == EAGAIN)
		return false;
	const unsigned char *m = h->msg;
	if (n == HELLO_LEN && m[0] == MSG_HELLO && m[1] == PROTO_VERSION && !h->killing &&
	    (id_is_any(m + 14) || memcmp(m + 14, h->id, ID_LEN) == 0)) {
		attach_client(h, p->fd, m);
		p->fd = -1;
		flush_client(h);
		return true;
	}
	if (n == QUERY_LEN && m[0] == MSG_QUERY) {
		send_status(h, p->fd);
	} else if (n == KILL_LEN && m[0] == MSG_KILL && (id_is_any(m + 1) || memcmp(m + 1, h->id, ID_LEN) == 0)) {
		p->killer = true;
		start_kill(h);
		return true;
	}
	close(p->fd); /* anything else: a wrong holder id, garbage, end of file */
	p->fd = -1;
	return true;
}

static void handle_client_message(struct holder *h)
{
	ssize_t n = recv_msg(h->client_fd, h->msg, sizeof(h->msg));
	if (n < 0 && errno == EAGAIN)
		return;
	const unsigned char *m = h->msg;
	if (n >= 2 && n <= 1 + MAX_INPUT && m[0] == MSG_INPUT) {
		if (h->master_fd >= 0 && !h->shell_exited) {
			memcpy(h->input + h->input_len, m + 1, (size_t)n - 1);
			h->input_len += (size_t)n - 1;
			write_input(h);
		}
	} else if (n == RESIZE_LEN && m[0] == MSG_RESIZE) {
		set_size(h, get16(m + 1), get16(m + 3));
	} else {
		drop_client(h); /* end of file, an error, or a message that is not one: the client is gone */
	}
}

static void accept_connection(struct holder *h)
{
	int fd = accept4(h->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0)
		return;
	for (int i = 0; i < MAX_PENDING; i++) {
		if (h->pending[i].fd < 0) {
			h->pending[i] = (struct pending){.fd = fd, .deadline = now_ms() + CONNECT_TIMEOUT_MS};
			return;
		}
	}
	close(fd); /* too many connections say nothing: refuse this one */
}

static void reap(struct holder *h)
{
	struct signalfd_siginfo si;
	bool term = false;
	while (read(h->sig_fd, &si, sizeof(si)) == sizeof(si))
		if (si.ssi_signo == SIGTERM || si.ssi_signo == SIGINT)
			term = true;
	int status;
	pid_t pid;
	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		if (pid == h->shell_pid) {
			h->shell_exited = true;
			h->shell_status = status;
			h->drain_deadline = now_ms() + DRAIN_MS;
		}
	}
	if (term)
		start_kill(h);
}

static int timeout_ms(const struct holder *h, uint64_t now)
{
	uint64_t next = UINT64_MAX;
	for (int i = 0; i < MAX_PENDING; i++)
		if (h->pending[i].fd >= 0 && !h->pending[i].killer && h->pending[i].deadline < next)
			next = h->pending[i].deadline;
	if (h->shell_exited && !h->output_done && h->drain_deadline < next)
		next = h->drain_deadline;
	if (h->killing && !h->shell_exited && h->kill_deadline < next)
		next = h->kill_deadline;
	if (next == UINT64_MAX)
		return -1;
	return next <= now ? 0 : (int)(next - now > 60000 ? 60000 : next - now);
}

static void check_timers(struct holder *h)
{
	uint64_t now = now_ms();
	for (int i = 0; i < MAX_PENDING; i++) {
		struct pending *p = &h->pending[i];
		if (p->fd >= 0 && !p->killer && p->deadline <= now) {
			close(p->fd);
			p->fd = -1;
		}
	}
	if (h->shell_exited && !h->output_done) {
		if (!may_read_pty(h))
			h->drain_deadline = now + DRAIN_MS; /* the client is behind: the silence does not count */
		else if (h->drain_deadline <= now)
			close_master(h);
	}
	if (h->killing && !h->shell_exited && h->kill_deadline <= now) {
		if (h->sigkilled) {
			/* Not even SIGKILL ended it (stuck in the kernel): give up on it rather than stay. */
			h->shell_exited = true;
			h->shell_status = SIGKILL;
			return;
		}
		kill(-h->shell_pid, SIGKILL);
		kill(h->shell_pid, SIGKILL);
		h->sigkilled = true;
		h->kill_deadline = now + KILL_GRACE_MS;
	}
}

/* True once the holder has nothing left to do. */
static bool finished(struct holder *h)
{
	if (h->killing)
		return h->shell_exited;
	/* The shell ended and its client has everything, the exit status last. With no client, stay: the next one
	 * to attach gets the last output and how the shell ended. */
	return shell_gone(h) && h->client_fd >= 0 && h->exit_sent;
}

static void run(struct holder *h)
{
	enum { P_SIG, P_LISTEN, P_MASTER, P_CLIENT, P_PENDING };
	struct pollfd pfd[P_PENDING + MAX_PENDING];
	while (!finished(h)) {
		pfd[P_SIG] = (struct pollfd){.fd = h->sig_fd, .events = POLLIN};
		pfd[P_LISTEN] = (struct pollfd){.fd = h->listen_fd, .events = POLLIN};
		pfd[P_MASTER] = (struct pollfd){.fd = -1};
		if (h->master_fd >= 0) {
			short ev = (may_read_pty(h) ? POLLIN : 0) | (h->input_len ? POLLOUT : 0);
			pfd[P_MASTER] = (struct pollfd){.fd = ev ? h->master_fd : -1, .events = ev};
		}
		pfd[P_CLIENT] = (struct pollfd){.fd = -1};
		if (h->client_fd >= 0) {
			short ev = (h->input_len + MAX_INPUT <= INPUT_QUEUE ? POLLIN : 0) | (client_wants_out(h) ? POLLOUT : 0);
			pfd[P_CLIENT] = (struct pollfd){.fd = ev ? h->client_fd : -1, .events = ev};
		}
		for (int i = 0; i < MAX_PENDING; i++)
			pfd[P_PENDING + i] = (struct pollfd){.fd = h->pending[i].killer ? -1 : h->pending[i].fd, .events = POLLIN};

		if (poll(pfd, P_PENDING + MAX_PENDING, timeout_ms(h, now_ms())) < 0 && errno != EINTR)
			break;

		if (pfd[P_SIG].revents)
			reap(h);
		if (pfd[P_MASTER].fd >= 0 && h->master_fd >= 0) {
			if (pfd[P_MASTER].revents & POLLOUT)
				write_input(h);
			if (pfd[P_MASTER].revents & (POLLIN | POLLHUP | POLLERR) && may_read_pty(h))
				read_pty(h);
		}
		if (pfd[P_CLIENT].fd >= 0 && h->client_fd >= 0 && pfd[P_CLIENT].revents & (POLLIN | POLLHUP | POLLERR)) {
			if (h->input_len + MAX_INPUT <= INPUT_QUEUE)
				handle_client_message(h);
			else if (pfd[P_CLIENT].revents & (POLLHUP | POLLERR))
				drop_client(h); /* gone, while the shell was not reading its keystrokes anyway */
		}
		for (int i = 0; i < MAX_PENDING; i++)
			if (pfd[P_PENDING + i].fd >= 0 && pfd[P_PENDING + i].revents)
				handle_first_message(h, &h->pending[i]);
		if (pfd[P_LISTEN].revents & POLLIN)
			accept_connection(h);
		check_timers(h);
		flush_client(h);
	}
	if (h->killing && h->client_fd >= 0 && !h->exit_sent)
		send_exit(h); /* best effort: a client that is behind loses its last output, not the news */
	unlink_own_path(h);
}

/* The socket, listening, at its final path: bound to a private name first, then renamed into place, so that a
 * client never finds a socket that exists but does not accept yet. */
static int listen_at(struct holder *h)
{
	if (session_path(h->path, sizeof(h->path), h->name, ".sock") < 0)
		return -1;
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	if (session_path(addr.sun_path, sizeof(addr.sun_path), h->name, ".new") < 0)
		return -1;
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	unlink(addr.sun_path);
	struct stat st;
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 || listen(fd, MAX_PENDING) < 0 ||
	    rename(addr.sun_path, h->path) < 0 || lstat(h->path, &st) < 0) {
		close(fd);
		unlink(addr.sun_path);
		return -1;
	}
	h->path_dev = st.st_dev;
	h->path_ino = st.st_ino;
	return fd;
}

static int signal_fd(void)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_BLOCK, &set, NULL);
	signal(SIGHUP, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	return signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
}

static void exec_shell(char *const cmd[])
{
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGHUP, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
	execvp(cmd[0], cmd);
	dprintf(2, "lab-session: cannot run %s: %s\r\n", cmd[0], strerror(errno));
	_exit(127);
}

/* In the daemon: set up, tell the starter (ready_fd) once the socket accepts, serve until done. */
static void holder_main(const char *name, const struct termios *mode, const struct winsize *size, char *const cmd[],
			int ready_fd)
{
	static struct holder h;
	h.name = name;
	h.client_fd = -1;
	for (int i = 0; i < MAX_PENDING; i++)
		h.pending[i].fd = -1;
	random_id(h.id);
	if (ring_init(&h.ring) < 0 || (h.sig_fd = signal_fd()) < 0 || (h.listen_fd = listen_at(&h)) < 0) {
		dprintf(ready_fd, "cannot listen for session %s: %s", name, strerror(errno));
		_exit(1);
	}
	struct winsize ws = *size;
	if (!ws.ws_col || !ws.ws_row)
		ws = (struct winsize){.ws_col = 80, .ws_row = 24};
	h.shell_pid = forkpty(&h.master_fd, NULL, mode, &ws);
	if (h.shell_pid < 0) {
		dprintf(ready_fd, "cannot open a pty: %s", strerror(errno));
		unlink_own_path(&h);
		_exit(1);
	}
	if (h.shell_pid == 0)
		exec_shell(cmd);
	fcntl(h.master_fd, F_SETFD, FD_CLOEXEC);
	fcntl(h.master_fd, F_SETFL, fcntl(h.master_fd, F_GETFL) | O_NONBLOCK);
	if (write(ready_fd, "", 1) != 1) {
		/* The starter is gone: serve anyway, a later attach finds the shell. */
	}
	close(ready_fd);
	run(&h);
	_exit(0);
}

int start_holder(const char *name, const struct termios *mode, const struct winsize *size, char *const cmd[], int keep_fd)
{
	int ready[2];
	if (pipe2(ready, O_CLOEXEC) < 0)
		return -1;
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		/* A session of its own and a second fork: the daemon has no controlling terminal, cannot get one back,
		 * and its parent (the sandbox's init, which reaps it) is not the docker exec that started it. */
		close(ready[0]);
		close(keep_fd);
		setsid();
		if (fork() != 0)
			_exit(0);
		int null = open("/dev/null", O_RDWR);
		if (null >= 0) {
			dup2(null, 0);
			dup2(null, 1);
			dup2(null, 2);
			if (null > 2)
				close(null);
		}
		holder_main(name, mode, size, cmd, ready[1]);
	}
	close(ready[1]);
	waitpid(pid, NULL, 0);
	char buf[200];
	ssize_t n = read(ready[0], buf, sizeof(buf) - 1);
	close(ready[0]);
	if (n == 1 && buf[0] == '\0')
		return 0;
	buf[n > 0 ? n : 0] = '\0';
	fprintf(stderr, "lab-session: could not start session %s%s%s\r\n", name, n > 0 ? ": " : "", buf);
	return -1;
}
