/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel's groups as Prometheus metrics (lib/prom.h): the families
 * antigone_kernel_*, every counter of enum antigone_stat among them, each
 * family's samples together. antigone status --prometheus writes them from
 * a netlink dump; docs/metrics.md lists them.
 */
#ifndef ANTIGONE_DP_KERNEL_METRICS_H
#define ANTIGONE_DP_KERNEL_METRICS_H

#include <stddef.h>
#include <stdio.h>

#include "kernel_nl.h"

/* The families of @n groups (none if @n is 0: nothing to show). */
void kernel_metrics_write(FILE *f, const struct kernel_group *g, size_t n);

/*
 * Where counter @stat goes: its family, and the direction and reason
 * labels of a drop (NULL for the other counters). 0, or -ENOENT if the
 * counter has no metric (a test checks that none is missing).
 */
int kernel_metrics_stat(int stat, const char **family,
			const char **direction, const char **reason);

#endif
