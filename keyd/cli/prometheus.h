/* SPDX-License-Identifier: GPL-2.0 */
/*
 * antigone status --prometheus: the daemon's metrics (its control request
 * "metrics") and the kernel's (a netlink dump of this network namespace's
 * groups), with antigone_daemon_up and antigone_kernel_up saying which of
 * the two could be read (docs/metrics.md).
 */
#ifndef ANTIGONE_CLI_PROMETHEUS_H
#define ANTIGONE_CLI_PROMETHEUS_H

/* Exit status: one of the two could not be read; the rest is printed. */
#define EXIT_PARTIAL 3

/* 0: both read; EXIT_PARTIAL: one of them; 1: neither. */
int status_prometheus(const char *socket);

#endif
