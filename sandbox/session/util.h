/* SPDX-License-Identifier: Apache-2.0 */
/* What the holder and the clients share: where sessions live, their names, sockets, time. */
#ifndef LAB_SESSION_UTIL_H
#define LAB_SESSION_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Where holders listen: NAME.sock, and NAME.lock that serialises starting one. LAB_SESSION_DIR overrides it (tests). */
#define SESSION_DIR "/run/ebpf-labs/sessions"
#define NAME_MAX_LEN 64

/* A session name: 1..NAME_MAX_LEN of [A-Za-z0-9_-] (a tab name; never a path). */
int valid_name(const char *name);

/* Creates the session directory (0700) if needed; 0 or -1 with a message on stderr. */
int ensure_session_dir(void);

/* PATH of NAME's socket or lock file; 0, or -1 when it does not fit. */
int session_path(char *buf, size_t size, const char *name, const char *suffix);

/* A connected SOCK_SEQPACKET socket to NAME's holder, or -1 with errno (ENOENT: none; ECONNREFUSED: a stale
 * socket whose holder died without removing it). */
int connect_holder(const char *name);

/* Takes NAME's lock (flock, exclusive, blocking): returns its fd, to close to release it; -1 on error. */
int lock_session(const char *name);

/* Monotonic milliseconds. */
uint64_t now_ms(void);

/* Writes everything, waiting for the fd when it is non-blocking; 0, or -1 with errno. */
int write_all(int fd, const void *buf, size_t len);

/* Sends one message; 0, or -1 with errno (EAGAIN when the socket is full). Never raises SIGPIPE. */
int send_msg(int fd, const void *buf, size_t len);

/* Sends one message made of two pieces (a type byte and a body), without copying them together. */
int send_msg2(int fd, const void *head, size_t head_len, const void *body, size_t body_len);

/* Receives one message into buf (size bytes): its length, 0 at end of file, -1 with errno; a message larger than
 * `size` gives -1 with EMSGSIZE. */
ssize_t recv_msg(int fd, void *buf, size_t size);

/* 16 random hex characters. */
void random_id(unsigned char *id);

#endif
