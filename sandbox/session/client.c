// SPDX-License-Identifier: Apache-2.0
/*
 * The attach client runs under `docker exec -it`, between that exec's terminal and the holder. It puts its
 * terminal in raw mode (bytes pass both ways untouched: no echo, no output post-processing), forwards keystrokes
 * and window sizes to the holder and writes what the holder sends.
 *
 * What it writes is the holder's byte stream, framed by two invisible OSC 6973 records the server reads
 * (lib/terminal/held-shell.ts):
 *   ESC ] 6973;session;<id>;<holder pid>;<shell pid>;<replay start>;<replay end> BEL   first, once;
 *   ESC ] 6973;exit;<code>;<signal> BEL                                                 last, when the shell ended.
 * Between them, exactly the shell's output from <replay start> on, so the server can count bytes and come back
 * for the rest. When the client is replaced or loses the holder it ends without the exit record: the shell lives on.
 */
#include "client.h"
#include "holder.h"
#include "proto.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

/* Exit status when the session cannot be reached (no such holder, or not the one asked for). */
#define EXIT_NO_SESSION 3
#define KILL_WAIT_MS 5000
#define QUERY_WAIT_MS 1000

static struct termios saved_mode;
static int mode_saved;

static void restore_terminal(void)
{
	if (mode_saved)
		tcsetattr(0, TCSANOW, &saved_mode);
	mode_saved = 0;
	fcntl(1, F_SETFL, fcntl(1, F_GETFL) & ~O_NONBLOCK);
}

static void make_raw(void)
{
	if (tcgetattr(0, &saved_mode) < 0)
		return;
	struct termios raw = saved_mode;
	cfmakeraw(&raw);
	if (tcsetattr(0, TCSANOW, &raw) == 0)
		mode_saved = 1;
}

/* Waits for a message (or end of file) on fd for up to `ms`; the message's length, 0 at EOF, -1 on timeout/error. */
static ssize_t recv_wait(int fd, void *buf, size_t size, int ms)
{
	uint64_t until = now_ms() + (uint64_t)ms;
	for (;;) {
		ssize_t n = recv_msg(fd, buf, size);
		if (n >= 0 || errno != EAGAIN)
			return n;
		uint64_t now = now_ms();
		if (now >= until)
			return -1;
		struct pollfd pfd = {.fd = fd, .events = POLLIN};
		poll(&pfd, 1, (int)(until - now));
	}
}

/* Removes the socket of a holder that died without doing so, under the lock so that it cannot be a new one. */
static void remove_stale(const char *name)
{
	int lock = lock_session(name);
	int fd = connect_holder(name);
	if (fd < 0 && errno == ECONNREFUSED) {
		char path[256];
		if (session_path(path, sizeof(path), name, ".sock") == 0)
			unlink(path);
	}
	if (fd >= 0)
		close(fd);
	if (lock >= 0)
		close(lock);
}

int kill_main(const char *name, const char *id)
{
	int fd = connect_holder(name);
	if (fd < 0) {
		if (errno == ECONNREFUSED)
			remove_stale(name);
		return errno == ENOENT || errno == ECONNREFUSED ? 0 : 1;
	}
	unsigned char m[KILL_LEN] = {MSG_KILL};
	memset(m + 1, '0', ID_LEN);
	if (id)
		memcpy(m + 1, id, ID_LEN);
	unsigned char buf[64];
	if (send_msg(fd, m, sizeof(m)) == 0 && recv_wait(fd, buf, sizeof(buf), KILL_WAIT_MS) == 0) {
		close(fd); /* the holder closed the connection: it is gone (or was not the one asked for) */
		return 0;
	}
	/* It did not answer: end it the hard way. Its shell gets SIGHUP when the pty closes with it. */
	struct ucred cred;
	socklen_t len = sizeof(cred);
	if (!id && getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) == 0 && cred.pid > 1)
		kill(cred.pid, SIGKILL);
	close(fd);
	remove_stale(name);
	return 0;
}

static void print_status(const char *name)
{
	int fd = connect_holder(name);
	if (fd < 0) {
		if (errno == ECONNREFUSED)
			printf("%s - stale -\n", name);
		return;
	}
	unsigned char q = MSG_QUERY, m[STATUS_LEN];
	if (send_msg(fd, &q, 1) == 0 && recv_wait(fd, m, sizeof(m), QUERY_WAIT_MS) == STATUS_LEN && m[0] == MSG_STATUS)
		printf("%s %u %s %.*s\n", name, get32(m + 5), m[9] ? "alive" : "exited", ID_LEN, (const char *)m + 18);
	else
		printf("%s - unresponsive -\n", name);
	close(fd);
}

int list_main(void)
{
	char dir_path[256];
	if (session_path(dir_path, sizeof(dir_path), "", "") < 0)
		return 1;
	DIR *dir = opendir(dir_path);
	if (!dir)
		return errno == ENOENT ? 0 : 1;
	struct dirent *e;
	while ((e = readdir(dir))) {
		size_t n = strlen(e->d_name);
		if (n <= 5 || n - 5 > NAME_MAX_LEN || strcmp(e->d_name + n - 5, ".sock") != 0)
			continue;
		char name[NAME_MAX_LEN + 1];
		memcpy(name, e->d_name, n - 5);
		name[n - 5] = '\0';
		if (valid_name(name))
			print_status(name);
	}
	closedir(dir);
	return 0;
}

/* Connects to NAME's holder, starting one when there is none (and none was asked for by id). */
static int connect_or_start(const struct attach_opts *o, const struct termios *mode, const struct winsize *size)
{
	int fd = connect_holder(o->name);
	if (fd >= 0 || o->holder_id)
		return fd;
	int lock = lock_session(o->name);
	if (lock < 0) {
		fprintf(stderr, "lab-session: cannot lock session %s: %s\r\n", o->name, strerror(errno));
		return -1;
	}
	fd = connect_holder(o->name); /* another attach may have started it while we waited for the lock */
	if (fd < 0 && start_holder(o->name, mode, size, o->cmd, lock) == 0)
		fd = connect_holder(o->name);
	close(lock);
	return fd;
}

static int block_signals(void)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGWINCH);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGQUIT);
	sigprocmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	return signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
}

static void send_size(int sock)
{
	struct winsize ws;
	if (ioctl(0, TIOCGWINSZ, &ws) < 0 || !ws.ws_col || !ws.ws_row)
		return;
	unsigned char m[RESIZE_LEN] = {MSG_RESIZE};
	put16(m + 1, ws.ws_col);
	put16(m + 3, ws.ws_row);
	send_msg(sock, m, sizeof(m));
}

static int exit_code(int status)
{
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

/* Ends the client: `trailer` (the exit record) is written after everything else, then the terminal restored. */
static int finish(const char *trailer, int code)
{
	fcntl(1, F_SETFL, fcntl(1, F_GETFL) & ~O_NONBLOCK);
	if (trailer)
		write_all(1, trailer, strlen(trailer));
	restore_terminal();
	return code;
}

int attach_main(const struct attach_opts *o)
{
	if (ensure_session_dir() < 0)
		return 1;
	if (o->replace)
		kill_main(o->name, NULL);

	/* Raw at once, so that nothing typed meanwhile is echoed by the terminal: the shell echoes what it reads. The
	 * terminal's own mode is what a new shell's pty starts with. */
	struct termios mode;
	int have_mode = tcgetattr(0, &mode) == 0;
	make_raw();
	struct winsize size = {0};
	ioctl(0, TIOCGWINSZ, &size);
	int sig = block_signals();
	int sock = connect_or_start(o, have_mode ? &mode : NULL, &size);
	if (sock < 0) {
		if (o->holder_id || errno == ENOENT || errno == ECONNREFUSED)
			fprintf(stderr, "lab-session: session %s has ended\r\n", o->name);
		else
			fprintf(stderr, "lab-session: cannot reach session %s: %s\r\n", o->name, strerror(errno));
		return finish(NULL, EXIT_NO_SESSION);
	}

	unsigned char hello[HELLO_LEN] = {MSG_HELLO, PROTO_VERSION};
	ioctl(0, TIOCGWINSZ, &size); /* the latest size: SIGWINCH is blocked from here on, and pending ones are kept */
	put16(hello + 2, size.ws_col);
	put16(hello + 4, size.ws_row);
	put64(hello + 6, o->offset);
	memset(hello + 14, '0', ID_LEN);
	if (o->holder_id)
		memcpy(hello + 14, o->holder_id, ID_LEN);
	if (send_msg(sock, hello, sizeof(hello)) < 0)
		return finish(NULL, EXIT_NO_SESSION);

	/* stdin and stdout are usually one terminal: non-blocking I/O on both, so keystrokes are read (and Ctrl+C
	 * reaches the shell) while output waits for a slow reader. */
	fcntl(0, F_SETFL, fcntl(0, F_GETFL) | O_NONBLOCK);
	fcntl(1, F_SETFL, fcntl(1, F_GETFL) | O_NONBLOCK);

	static unsigned char msg[1 + MAX_DATA + 1];
	static unsigned char in[1 + MAX_INPUT];
	char text[200];
	const unsigned char *out = NULL;
	size_t out_len = 0, in_len = 0;
	int welcomed = 0, stdin_open = 1;
	in[0] = MSG_INPUT;

	for (;;) {
		/* An fd with nothing to wait for is left out, or its POLLHUP would wake the loop over and over. */
		short sock_events = (out_len ? 0 : POLLIN) | (in_len ? POLLOUT : 0);
		struct pollfd pfd[4] = {
			{.fd = stdin_open && !in_len ? 0 : -1, .events = POLLIN},
			{.fd = sock_events ? sock : -1, .events = sock_events},
			{.fd = out_len ? 1 : -1, .events = POLLOUT},
			{.fd = sig, .events = POLLIN},
		};
		if (poll(pfd, 4, -1) < 0 && errno != EINTR)
			return finish(NULL, 1);

		if (pfd[3].revents) {
			struct signalfd_siginfo si;
			while (read(sig, &si, sizeof(si)) == sizeof(si)) {
				if (si.ssi_signo == SIGWINCH)
					send_size(sock);
				else
					return finish(NULL, 128 + (int)si.ssi_signo);
			}
		}
		if (pfd[0].revents) {
			ssize_t n = read(0, in + 1, MAX_INPUT);
			if (n > 0)
				in_len = (size_t)n;
			else if (n == 0 || (errno != EAGAIN && errno != EINTR))
				stdin_open = 0; /* our terminal is gone: keep going until the holder lets go of us */
		}
		if (in_len) {
			if (send_msg(sock, in, 1 + in_len) == 0)
				in_len = 0;
			else if (errno != EAGAIN)
				return finish(NULL, 1);
		}
		if (pfd[1].revents && !out_len) {
			ssize_t n = recv_msg(sock, msg, sizeof(msg));
			if (n < 0 && errno == EAGAIN)
				continue;
			if (n <= 0)
				return finish(NULL, 1); /* the holder went away */
			if (msg[0] == MSG_WELCOME && n == WELCOME_LEN && !welcomed) {
				welcomed = 1;
				int len = snprintf(text, sizeof(text), "\033]6973;session;%.*s;%u;%u;%llu;%llu\007", ID_LEN,
						   (const char *)msg + 26, get32(msg + 2), get32(msg + 6),
						   (unsigned long long)get64(msg + 10), (unsigned long long)get64(msg + 18));
				out = (const unsigned char *)text;
				out_len = (size_t)len;
			} else if (msg[0] == MSG_DATA && n > 1 && welcomed) {
				out = msg + 1;
				out_len = (size_t)n - 1;
			} else if (msg[0] == MSG_EXIT && n == EXIT_LEN && welcomed) {
				int status = (int)get32(msg + 1);
				snprintf(text, sizeof(text), "\033]6973;exit;%d;%d\007", exit_code(status),
					 WIFSIGNALED(status) ? WTERMSIG(status) : 0);
				return finish(text, exit_code(status));
			} else {
				return finish(NULL, msg[0] == MSG_REPLACED ? 0 : 1);
			}
		}
		while (out_len) {
			ssize_t n = write(1, out, out_len);
			if (n > 0) {
				out += n;
				out_len -= (size_t)n;
			} else if (n < 0 && errno == EINTR) {
				continue;
			} else {
				if (n < 0 && errno != EAGAIN)
					return finish(NULL, 1);
				break;
			}
		}
	}
}
