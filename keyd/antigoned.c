// SPDX-License-Identifier: GPL-2.0
/*
 * antigoned: the Antigone key-management daemon (TTP, session leader and
 * member roles). This first version only checks its environment: the
 * control protocol arrives with the keyd work (see docs/DESIGN.md).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "kernel_nl.h"
#include "util.h"

static void help(void)
{
	printf(
"Usage: antigoned [OPTIONS]\n"
"\n"
"The Antigone daemon: runs the group control protocol (authentication,\n"
"join, rekey, heartbeats, leave) as trusted third party, session leader or\n"
"member, and installs the group keys into the antigone kernel module.\n"
"\n"
"This version implements no role yet; it reports whether the kernel module\n"
"is reachable and exits.\n"
"\n"
"Options:\n"
"  -h, --help     show this help\n"
"  --version      print the version\n");
}

int main(int argc, char **argv)
{
	struct kernel_info info;
	struct kernel_nl *k;
	int ret;

	if (argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		help();
		return 0;
	}
	if (argc > 1 && !strcmp(argv[1], "--version")) {
		printf("antigoned %s\n", ANTIGONE_USERSPACE_VERSION);
		return 0;
	}
	if (argc > 1) {
		fprintf(stderr, "antigoned: unknown option '%s'\n"
			"Try 'antigoned --help'.\n", argv[1]);
		return 2;
	}
	ret = kernel_open(&k);
	if (!ret)
		ret = kernel_get_info(k, &info);
	if (ret) {
		fprintf(stderr, "antigoned: kernel module not reachable: %s\n",
			strerror(-ret));
		kernel_close(k);
		return 1;
	}
	printf("antigoned: kernel module %s (API %u) reachable; no role "
	       "implemented yet\n", info.version, info.api);
	kernel_close(k);
	return 1;
}
