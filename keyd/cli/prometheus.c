// SPDX-License-Identifier: GPL-2.0
/*
 * antigone status --prometheus (see prometheus.h).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "control.h"
#include "dp/kernel_metrics.h"
#include "dp/kernel_nl.h"
#include "lib/prom.h"
#include "opt.h"
#include "prometheus.h"

struct groups {
	struct kernel_group *g;
	size_t n, cap;
};

static int keep_group(const struct kernel_group *g, void *arg)
{
	struct groups *gs = arg;
	struct kernel_group *more;

	if (gs->n == gs->cap) {
		gs->cap = gs->cap ? 2 * gs->cap : 16;
		more = realloc(gs->g, gs->cap * sizeof(*more));
		if (!more)
			return -ENOMEM;
		gs->g = more;
	}
	gs->g[gs->n++] = *g;
	return 0;
}

/* The kernel's groups into @gs; false after saying why not on stderr. */
static bool read_kernel(struct groups *gs)
{
	struct kernel_nl *k;
	int ret, tries;

	ret = kernel_open(&k);
	if (ret) {
		fprintf(stderr, "%s: no kernel metrics: %s\n", prog,
			kernel_open_strerror(ret));
		return false;
	}
	/* A group made or deleted during the dump: read it again. */
	for (tries = 0; tries < 3; tries++) {
		gs->n = 0;
		ret = kernel_group_dump(k, keep_group, gs);
		if (ret != -EAGAIN)
			break;
	}
	if (ret)
		fprintf(stderr, "%s: no kernel metrics: listing the groups: "
			"%s\n", prog, strerror(-ret));
	kernel_close(k);
	return !ret;
}

/* The daemon's answer to "metrics" into *text; false after saying why. */
static bool read_daemon(const char *sock, char **text)
{
	size_t len = 0;
	FILE *mem = open_memstream(text, &len);
	int ret;

	if (!mem)
		return false;
	ret = control_request(sock, "metrics", mem);
	fclose(mem);
	if (ret) {
		fprintf(stderr, "%s: no daemon metrics: cannot reach antigoned "
			"at %s: %s\n", prog, sock, strerror(-ret));
		return false;
	}
	if (strncmp(*text, "# HELP ", 7)) {
		/* "error: ..." (permission, or an antigoned without it) */
		fprintf(stderr, "%s: no daemon metrics: antigoned at %s: %s",
			prog, sock, !strncmp(*text, "error: ", 7) ?
			*text + 7 : "unexpected answer\n");
		return false;
	}
	return true;
}

int status_prometheus(const char *sock)
{
	struct groups gs = { 0 };
	char *text = NULL;
	bool daemon, kernel;

	daemon = read_daemon(sock, &text);
	kernel = read_kernel(&gs);
	prom_family(stdout, "antigone_daemon_up", "gauge", "1 if antigoned "
		    "answered on its control socket, 0 if its metrics are "
		    "missing.");
	prom_sample(stdout, "antigone_daemon_up", NULL, daemon);
	prom_family(stdout, "antigone_kernel_up", "gauge", "1 if the kernel "
		    "module's groups could be read, 0 if its metrics are "
		    "missing.");
	prom_sample(stdout, "antigone_kernel_up", NULL, kernel);
	if (daemon)
		fputs(text, stdout);
	if (kernel)
		kernel_metrics_write(stdout, gs.g, gs.n);
	free(text);
	free(gs.g);
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "%s: writing the metrics: %s\n", prog,
			strerror(errno));
		return 1;
	}
	if (daemon && kernel)
		return 0;
	fprintf(stderr, "%s: printed the %s metrics only\n", prog,
		daemon ? "daemon's" : kernel ? "kernel's" : "up");
	return daemon || kernel ? EXIT_PARTIAL : 1;
}
