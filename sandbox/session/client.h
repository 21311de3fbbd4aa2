/* SPDX-License-Identifier: Apache-2.0 */
/* The commands a caller runs: attach to a session (starting its holder if needed), kill one, list them. */
#ifndef LAB_SESSION_CLIENT_H
#define LAB_SESSION_CLIENT_H

#include <stdbool.h>
#include <stdint.h>

struct attach_opts {
	const char *name;
	/* Output offset to replay from (0: everything held). */
	uint64_t offset;
	/* Only this holder (ID_LEN hex characters), never a new one; NULL: any, started when there is none. */
	const char *holder_id;
	/* End the current holder of this name first (a new shell). */
	bool replace;
	char *const *cmd;
};

/* Runs the attach client until the shell ends (its exit status), the client is replaced or the link breaks. */
int attach_main(const struct attach_opts *o);

/* Ends NAME's holder (only the one with `id` unless NULL) and waits until it is gone. */
int kill_main(const char *name, const char *id);

/* One line per session: name, shell pid, state (alive, exited, stale, unresponsive), holder id. */
int list_main(void);

#endif
