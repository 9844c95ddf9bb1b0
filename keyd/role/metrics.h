/* SPDX-License-Identifier: GPL-2.0 */
/*
 * antigoned's own counters and state as Prometheus metrics (lib/prom.h),
 * the answer to the control request "metrics": per group (labels group
 * and role), per member of a led group, and the TTP's. antigone status
 * --prometheus adds the kernel's (dp/kernel_metrics.h); docs/metrics.md
 * lists them all.
 */
#ifndef ANTIGONE_METRICS_H
#define ANTIGONE_METRICS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "config.h"

struct session;
struct ttp_role;

struct metrics_daemon {
	const struct config *cfg;	/* groups: the slots with a name */
	const struct session *sessions;	/* by slot, */
	const bool *session_on;		/* running or not */
	const struct ttp_role *ttp;	/* NULL: not a TTP */
	const char *datapath;		/* its name */
	uint64_t now_ms;
};

void metrics_write(FILE *out, const struct metrics_daemon *d);

#endif
