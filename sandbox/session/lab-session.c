// SPDX-License-Identifier: Apache-2.0
/*
 * lab-session: terminal sessions that outlive their clients (the server, its docker exec). Each terminal tab's
 * shell belongs to a holder in the sandbox that keeps it, and its last MiB of output, until the shell ends.
 *
 *   lab-session attach [--replace] [--holder ID] NAME [OFFSET] -- CMD [ARG...]
 *       attach to NAME's holder (starting one that runs CMD when there is none, or always with --replace after
 *       ending the current one); replay its output from byte OFFSET (default 0: all it holds), then live.
 *       --holder ID: only that holder; when it is gone, say so and exit 3.
 *   lab-session kill NAME [ID]     end NAME's shell and holder (only holder ID, when given)
 *   lab-session list               one line per session: NAME SHELL-PID alive|exited|stale|unresponsive ID
 */
#include "client.h"
#include "proto.h"
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int usage(void)
{
	fprintf(stderr, "usage: lab-session attach [--replace] [--holder ID] NAME [OFFSET] -- CMD [ARG...]\n"
			"       lab-session kill NAME [ID]\n"
			"       lab-session list\n");
	return 2;
}

static int valid_id(const char *id)
{
	if (strlen(id) != ID_LEN)
		return 0;
	for (int i = 0; i < ID_LEN; i++)
		if (!((id[i] >= '0' && id[i] <= '9') || (id[i] >= 'a' && id[i] <= 'f')))
			return 0;
	return 1;
}

static int parse_offset(const char *s, uint64_t *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || end == s || *end || *s == '-')
		return -1;
	*out = v;
	return 0;
}

static int attach_command(int argc, char **argv)
{
	struct attach_opts o = {0};
	int i = 2;
	for (; i < argc && argv[i][0] == '-' && argv[i][1] == '-' && argv[i][2]; i++) {
		if (strcmp(argv[i], "--replace") == 0)
			o.replace = true;
		else if (strcmp(argv[i], "--holder") == 0 && i + 1 < argc && valid_id(argv[i + 1]))
			o.holder_id = argv[++i];
		else
			return usage();
	}
	if (i >= argc || !valid_name(argv[i]))
		return usage();
	o.name = argv[i++];
	if (i < argc && strcmp(argv[i], "--") != 0 && parse_offset(argv[i++], &o.offset) < 0)
		return usage();
	if (i >= argc || strcmp(argv[i], "--") != 0 || i + 1 >= argc)
		return usage();
	o.cmd = argv + i + 1;
	if (o.replace && o.holder_id)
		return usage();
	return attach_main(&o);
}

int main(int argc, char **argv)
{
	if (argc >= 3 && strcmp(argv[1], "attach") == 0)
		return attach_command(argc, argv);
	if ((argc == 3 || argc == 4) && strcmp(argv[1], "kill") == 0 && valid_name(argv[2]) &&
	    (argc == 3 || valid_id(argv[3])))
		return kill_main(argv[2], argc == 4 ? argv[3] : NULL);
	if (argc == 2 && strcmp(argv[1], "list") == 0)
		return list_main();
	return usage();
}
