/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The wire format between lab-session's attach client and its holder.
 *
 * One SOCK_SEQPACKET message per record: the kernel keeps message boundaries, so there is no framing to get wrong.
 * Fields sit at fixed positions, little-endian. The holder treats everything it receives as hostile (the learner is
 * root in the sandbox and can connect to its socket): every message has an exact or bounded size, and one that
 * does not fit the receive buffer arrives truncated (MSG_TRUNC) and is refused.
 */
#ifndef LAB_SESSION_PROTO_H
#define LAB_SESSION_PROTO_H

#include <stdint.h>
#include <string.h>

#define PROTO_VERSION 1

/* A holder's identity: 16 random hex characters, so that a client can ask for "this holder" and never end up in
 * a newer one of the same name (a shell started by "New shell" while an old link was being re-established). */
#define ID_LEN 16

enum msg_type {
	/* client -> holder */
	MSG_HELLO = 1,  /* version u8, cols u16, rows u16, offset u64, holder id [ID_LEN] (all '0': any holder) */
	MSG_INPUT = 2,  /* keystrokes: 1..MAX_INPUT bytes */
	MSG_RESIZE = 3, /* cols u16, rows u16 */
	MSG_QUERY = 4,  /* nothing: answered with STATUS, then the holder closes the connection */
	MSG_KILL = 5,   /* holder id [ID_LEN] (all '0': any): end the shell, then the holder */
	/* holder -> client */
	MSG_WELCOME = 0x81,  /* version u8, holder pid u32, shell pid u32, replay start u64, replay end u64, id */
	MSG_DATA = 0x82,     /* shell output, 1..MAX_DATA bytes, continuing the byte stream */
	MSG_EXIT = 0x83,     /* the shell's wait status u32: it ended */
	MSG_REPLACED = 0x84, /* another client attached: this one is done */
	MSG_STATUS = 0x85,   /* holder pid u32, shell pid u32, alive u8, output end u64, id [ID_LEN] */
};

#define HELLO_LEN (1 + 1 + 2 + 2 + 8 + ID_LEN)
#define RESIZE_LEN (1 + 2 + 2)
#define QUERY_LEN 1
#define KILL_LEN (1 + ID_LEN)
#define WELCOME_LEN (1 + 1 + 4 + 4 + 8 + 8 + ID_LEN)
#define EXIT_LEN (1 + 4)
#define REPLACED_LEN 1
#define STATUS_LEN (1 + 4 + 4 + 1 + 8 + ID_LEN)

/* Keystrokes per INPUT message: a paste arrives in pieces of this size. */
#define MAX_INPUT 4096
/* Output per DATA message: large enough for throughput, small enough to fit any socket buffer whole. */
#define MAX_DATA (32 * 1024)

/* A window size outside this range is refused (TIOCSWINSZ takes u16; no real terminal is larger). */
#define MAX_COLS 1000
#define MAX_ROWS 500

static inline void put16(unsigned char *p, uint16_t v)
{
	p[0] = v & 0xff;
	p[1] = v >> 8;
}

static inline void put32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (v >> (8 * i)) & 0xff;
}

static inline void put64(unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (v >> (8 * i)) & 0xff;
}

static inline uint16_t get16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t get32(const unsigned char *p)
{
	uint32_t v = 0;
	for (int i = 3; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static inline uint64_t get64(const unsigned char *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/* The "any holder" id. */
static inline int id_is_any(const unsigned char *id)
{
	for (int i = 0; i < ID_LEN; i++)
		if (id[i] != '0')
			return 0;
	return 1;
}

#endif
