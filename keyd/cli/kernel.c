// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel commands' common part (kernel.h).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "dp/kernel_nl.h"
#include "kernel.h"
#include "lib/names.h"
#include "opt.h"

int open_kernel(struct kernel_nl **k)
{
	int ret = kernel_open(k);

	if (ret == -ENOENT)
		fprintf(stderr, "%s: %s; load it with 'modprobe antigone' or "
			"'insmod kmod/antigone.ko'\n", prog,
			kernel_open_strerror(ret));
	else if (ret)
		fprintf(stderr, "%s: cannot open generic netlink: %s\n", prog,
			kernel_open_strerror(ret));
	return ret;
}

int kernel_failed(struct kernel_nl *k, const char *what, int err)
{
	const char *why = kernel_last_error(k);

	fprintf(stderr, "%s: %s: %s%s%s\n", prog, what, strerror(-err),
		why ? ": " : "", why ? why : "");
	if (err == -EPERM)
		fprintf(stderr, "%s: changing kernel state needs CAP_NET_ADMIN\n",
			prog);
	return 1;
}

/* Named as the [group] settings of the same names (lib/names.h). */
int parse_suite(const char *name)
{
	return name_value(names_suite(), name);
}

int parse_guarantee(const char *name)
{
	return name_value(names_guarantee(), name);
}

int parse_fail_policy(const char *name)
{
	return name_value(names_fail_policy(), name);
}
