/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Prometheus text exposition format (version 0.0.4), as node_exporter's
 * textfile collector reads it: a family's HELP and TYPE lines, then all its
 * samples, one per label set. The daemon's metrics (metrics.c) and the
 * kernel's (dp/kernel_metrics.c) are written with it; docs/metrics.md
 * lists them.
 */
#ifndef ANTIGONE_LIB_PROM_H
#define ANTIGONE_LIB_PROM_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Room for the labels of one sample. */
#define PROM_LABELS_MAX 512

/* "# HELP NAME HELP" and "# TYPE NAME TYPE" (counter, gauge, info). */
void prom_family(FILE *f, const char *name, const char *type,
		 const char *help);
/*
 * Labels as the format writes them, KEY="VALUE",... from NULL-terminated
 * KEY, VALUE pairs, the values escaped (\\, \", \n); a pair whose VALUE is
 * NULL is left out. Truncated (still well-formed) if @len is too small.
 */
__attribute__((sentinel))
void prom_labels(char *buf, size_t len, ...);
/* NAME{LABELS} VALUE; no braces if @labels is "" or NULL. */
void prom_sample(FILE *f, const char *name, const char *labels, uint64_t v);
void prom_sample_f(FILE *f, const char *name, const char *labels, double v);

#endif
