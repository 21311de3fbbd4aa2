// SPDX-License-Identifier: Apache-2.0
#include "util.h"
#include "proto.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static const char *session_dir(void)
{
	const char *dir = getenv("LAB_SESSION_DIR");
	return dir && *dir == '/' ? dir : SESSION_DIR;
}

int valid_name(const char *name)
{
	size_t n = strlen(name);
	if (n == 0 || n > NAME_MAX_LEN)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
			return 0;
	}
	return 1;
}

int ensure_session_dir(void)
{
	char path[256];
	const char *dir = session_dir();
	if (strlen(dir) >= sizeof(path))
		return -1;
	strcpy(path, dir);
	/* mkdir -p, each level 0700 when it is created here. */
	for (char *p = path + 1;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char c = *p;
		*p = '\0';
		if (mkdir(path, 0700) < 0 && errno != EEXIST) {
			fprintf(stderr, "lab-session: cannot create %s: %s\r\n", path, strerror(errno));
			return -1;
		}
		*p = c;
		if (c == '\0')
			return 0;
	}
}

int session_path(char *buf, size_t size, const char *name, const char *suffix)
{
	int n = snprintf(buf, size, "%s/%s%s", session_dir(), name, suffix);
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

int connect_holder(const char *name)
{
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	if (session_path(addr.sun_path, sizeof(addr.sun_path), name, ".sock") < 0) {
		errno = ENAMETOOLONG;
		return -1;
	}
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		int err = errno;
		close(fd);
		errno = err;
		return -1;
	}
	return fd;
}

int lock_session(const char *name)
{
	char path[256];
	if (session_path(path, sizeof(path), name, ".lock") < 0)
		return -1;
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return -1;
	while (flock(fd, LOCK_EX) < 0) {
		if (errno != EINTR) {
			close(fd);
			return -1;
		}
	}
	return fd;
}

uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	while (len) {
		ssize_t n = write(fd, p, len);
		if (n > 0) {
			p += n;
			len -= (size_t)n;
		} else if (n < 0 && errno == EAGAIN) {
			struct pollfd pfd = {.fd = fd, .events = POLLOUT};
			poll(&pfd, 1, -1);
		} else if (n < 0 && errno != EINTR) {
			return -1;
		}
	}
	return 0;
}

int send_msg(int fd, const void *buf, size_t len)
{
	for (;;) {
		ssize_t n = send(fd, buf, len, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n >= 0)
			return 0;
		if (errno != EINTR)
			return -1;
	}
}

int send_msg2(int fd, const void *head, size_t head_len, const void *body, size_t body_len)
{
	struct iovec iov[2] = {{.iov_base = (void *)head, .iov_len = head_len}, {.iov_base = (void *)body, .iov_len = body_len}};
	struct msghdr msg = {.msg_iov = iov, .msg_iovlen = 2};
	for (;;) {
		ssize_t n = sendmsg(fd, &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n >= 0)
			return 0;
		if (errno != EINTR)
			return -1;
	}
}

ssize_t recv_msg(int fd, void *buf, size_t size)
{
	struct iovec iov = {.iov_base = buf, .iov_len = size};
	struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};
	for (;;) {
		ssize_t n = recvmsg(fd, &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
		if (n < 0 && errno == EINTR)
			continue;
		if (n > 0 && (msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC))) {
			errno = EMSGSIZE;
			return -1;
		}
		return n;
	}
}

void random_id(unsigned char *id)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char raw[ID_LEN / 2];
	if (getrandom(raw, sizeof(raw), 0) != (ssize_t)sizeof(raw)) {
		/* No entropy source: pid and time still tell holders of one sandbox apart. */
		uint64_t v = now_ms() ^ ((uint64_t)getpid() << 40);
		memcpy(raw, &v, sizeof(raw));
	}
	for (size_t i = 0; i < sizeof(raw); i++) {
		id[2 * i] = hex[raw[i] >> 4];
		id[2 * i + 1] = hex[raw[i] & 15];
	}
}
