/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The holder's output history: the last RING_SIZE bytes the shell wrote, addressed by absolute byte offset in the
 * shell's output stream (offset 0 = its first byte). A client that comes back asks for an offset and gets the
 * bytes from there, as long as they are still held.
 */
#ifndef LAB_SESSION_RING_H
#define LAB_SESSION_RING_H

#include <stddef.h>
#include <stdint.h>

/* A screen and a few thousand lines of scrollback; the server keeps the same amount (REPLAY_MAX_CHARS). */
#define RING_SIZE (1u << 20)

struct ring {
	unsigned char *buf;
	uint64_t start; /* offset of the oldest byte held */
	uint64_t end;   /* offset just past the newest byte: every byte ever written */
};

int ring_init(struct ring *r);

/* Contiguous room at the end, for read(2) straight into the ring: writing there drops the oldest bytes. */
size_t ring_room(struct ring *r, unsigned char **at);

/* Takes the `n` bytes just read into the room. */
void ring_commit(struct ring *r, size_t n);

/* The held bytes from `off` (start <= off <= end) up to the end or the wrap point, whichever comes first. */
size_t ring_peek(const struct ring *r, uint64_t off, const unsigned char **at);

/* Where a replay for a fresh screen starts: the oldest byte, or once older output was dropped, the byte after the
 * first newline held, so that the replay never starts inside an escape sequence or a UTF-8 character. */
uint64_t ring_line_start(const struct ring *r);

#endif
