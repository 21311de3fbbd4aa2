/* SPDX-License-Identifier: Apache-2.0 */
/* The holder: a daemon that owns one shell (on a pty it keeps reading), keeps its recent output and serves one
 * attached client at a time over a unix socket. */
#ifndef LAB_SESSION_HOLDER_H
#define LAB_SESSION_HOLDER_H

#include <sys/ioctl.h>
#include <termios.h>

/*
 * Starts a holder for NAME running CMD (setsid, double fork: it outlives the caller and its docker exec) and
 * returns once its socket accepts connections: 0, or -1 after saying why on stderr. The caller holds NAME's lock.
 * The shell's pty starts with the caller's terminal `mode` (NULL: the kernel's defaults) and `size`. `keep_fd` is
 * the caller's lock fd, which the holder must not inherit.
 */
int start_holder(const char *name, const struct termios *mode, const struct winsize *size, char *const cmd[],
		 int keep_fd);

#endif
