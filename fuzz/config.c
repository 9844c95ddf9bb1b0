// SPDX-License-Identifier: GPL-2.0
/*
 * antigoned's configuration file parser (keyd/config.c, through
 * config_load_buffer(): the very parser config_load() runs, over a memory
 * stream). Whatever it accepts must hold together: canonical names,
 * bounded counts, a checked policy; a refusal names where.
 */
#include <string.h>

#include "config.h"
#include "fuzz.h"
#include "lib/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct config c;
	char err[512];
	const char *why;
	unsigned int i;

	err[0] = '\0';
	if (config_load_buffer(&c, (const char *)data, size, "fuzz", err,
			       sizeof(err))) {
		FUZZ_ASSERT(!strncmp(err, "fuzz", 4));
		return 0;
	}
	FUZZ_ASSERT(c.ngroups <= CONFIG_MAX_GROUPS);
	FUZZ_ASSERT(!c.identity[0] || name_valid(c.identity));
	FUZZ_ASSERT(c.port && c.ttp_port);
	for (i = 0; i < c.ngroups; i++) {
		struct config_group *g = &c.groups[i];

		FUZZ_ASSERT(name_valid(g->name));
		FUZZ_ASSERT(g->role == ROLE_LEADER || g->role == ROLE_MEMBER);
		FUZZ_ASSERT(g->nsel <= 16);
		FUZZ_ASSERT(g->role == ROLE_LEADER || name_valid(g->leader));
		/* Checked once, so checked again the same. */
		FUZZ_ASSERT(!config_group_check(g, &why));
	}
	return 0;
}
