// SPDX-License-Identifier: GPL-2.0
/*
 * The control socket's requests (keyd/control.c, keyd/config.c): the
 * input is what a client writes to the socket. It goes the daemon's way:
 * framed into a request line as control_serve() does (at most
 * CONTROL_REQUEST_MAX - 1 bytes are read), copied as antigoned's
 * request() does, parsed (control_parse), and for group-create and
 * group-join turned into a checked group of a configuration
 * (config_group_request), which the daemon would then start; what
 * group showconf prints of that group must read back as the same group.
 * Only the starting (sockets, datapath) is left out.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "control.h"
#include "fuzz.h"
#include "lib/util.h"

static struct config base;

/* The group as showconf prints it, read back: the same bytes. */
static void reads_back(const struct config_group *g)
{
	static struct config again;
	char *text = NULL, err[256];
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	FUZZ_ASSERT(f);
	fputs("[daemon]\nidentity = host\n", f);
	config_group_write(g, f);
	FUZZ_ASSERT(!fclose(f));
	FUZZ_ASSERT(!config_load_buffer(&again, text, len, "showconf", err,
					sizeof(err)));
	FUZZ_ASSERT(again.ngroups == 1);
	FUZZ_ASSERT(!memcmp(&again.groups[0], g, sizeof(*g)));
	free(text);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *why;

	config_defaults(&base);
	config_set(&base, "daemon", "identity", "host", &why);
	/* One group already, as a running daemon would have. */
	config_group_add(&base, "running", &why)->role = ROLE_LEADER;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct config c;
	char req[CONTROL_REQUEST_MAX], line[CONTROL_REQUEST_MAX], err[256];
	struct control_req r;
	struct config_group *g;
	unsigned int before;
	size_t len = size < sizeof(req) - 1 ? size : sizeof(req) - 1;

	memcpy(req, data, len);
	if (control_frame(req, len))
		return 0;
	FUZZ_ASSERT(strlen(req) < len);
	snprintf(line, sizeof(line), "%s", req);
	if (control_parse(line, &r))
		return 0;
	switch (r.verb) {
	case CONTROL_GROUP_CREATE:
	case CONTROL_GROUP_JOIN:
		c = base;
		before = c.ngroups;
		g = config_group_request(&c, r.verb == CONTROL_GROUP_CREATE ?
					 ROLE_LEADER : ROLE_MEMBER, r.args,
					 err, sizeof(err));
		if (!g) {
			/* Refused: nothing added, and it says why. */
			FUZZ_ASSERT(err[0]);
			FUZZ_ASSERT(c.ngroups == before ||
				    !c.groups[c.ngroups - 1].name[0]);
			break;
		}
		FUZZ_ASSERT(name_valid(g->name));
		FUZZ_ASSERT(g->role == (r.verb == CONTROL_GROUP_CREATE ?
					ROLE_LEADER : ROLE_MEMBER));
		FUZZ_ASSERT(g >= c.groups && g < c.groups + c.ngroups);
		reads_back(g);
		break;
	case CONTROL_GROUP_LEAVE:
	case CONTROL_GROUP_REKEY:
	case CONTROL_GROUP_SHOWCONF:
		FUZZ_ASSERT(r.group && !strchr(r.group, ' '));
		break;
	case CONTROL_GROUP_EJECT:
		FUZZ_ASSERT(r.group);
		if (r.member)
			FUZZ_ASSERT(!strchr(r.member, ' '));
		break;
	case CONTROL_STATUS:
	case CONTROL_GROUP_LIST:
	case CONTROL_METRICS:
		break;
	default:
		FUZZ_ASSERT(0);
	}
	return 0;
}
