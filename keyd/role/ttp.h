/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The TTP role of antigoned: a UDP socket answering pair-key requests
 * (messages 2 and 3) from the registry, rate limited, with counters.
 */
#ifndef ANTIGONE_ROLE_TTP_H
#define ANTIGONE_ROLE_TTP_H

#include <stdint.h>
#include <stdio.h>

#include "lib/ratelimit.h"
#include "mech/registry.h"

struct ttp_role {
	int fd;
	const char *registry_path;
	struct registry reg;
	struct ratelimit limit;
	uint64_t requests, answered, unknown, malformed, limited;
	uint64_t refused_logged_ns;	/* a refusal's log line, rate-limited */
};

/* Loads the registry (refusing an unsafe or corrupt one: *why) and binds
 * UDP @port on every address.
 */
int ttp_role_open(struct ttp_role *t, const char *registry, uint16_t port,
		  char *why, size_t whylen);
/* Serves every pending datagram. */
void ttp_role_serve(struct ttp_role *t);
/* Re-reads the registry; keeps the old one if the new does not load. */
void ttp_role_reload(struct ttp_role *t);
void ttp_role_status_json(const struct ttp_role *t, FILE *out);
void ttp_role_close(struct ttp_role *t);

#endif
