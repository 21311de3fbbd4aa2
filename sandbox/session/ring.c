// SPDX-License-Identifier: Apache-2.0
#include "ring.h"

#include <stdlib.h>
#include <string.h>

int ring_init(struct ring *r)
{
	r->buf = malloc(RING_SIZE);
	r->start = r->end = 0;
	return r->buf ? 0 : -1;
}

size_t ring_room(struct ring *r, unsigned char **at)
{
	size_t idx = r->end % RING_SIZE;
	*at = r->buf + idx;
	return RING_SIZE - idx;
}

void ring_commit(struct ring *r, size_t n)
{
	r->end += n;
	if (r->end - r->start > RING_SIZE)
		r->start = r->end - RING_SIZE;
}

size_t ring_peek(const struct ring *r, uint64_t off, const unsigned char **at)
{
	if (off < r->start || off >= r->end)
		return 0;
	size_t idx = off % RING_SIZE;
	uint64_t held = r->end - off;
	size_t len = RING_SIZE - idx;
	*at = r->buf + idx;
	return held < len ? (size_t)held : len;
}

uint64_t ring_line_start(const struct ring *r)
{
	if (r->start == 0)
		return 0;
	for (uint64_t off = r->start; off < r->end;) {
		const unsigned char *p;
		size_t len = ring_peek(r, off, &p);
		const unsigned char *nl = memchr(p, '\n', len);
		if (nl)
			return off + (size_t)(nl - p) + 1;
		off += len;
	}
	return r->start;
}
