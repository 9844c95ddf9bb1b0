// SPDX-License-Identifier: GPL-2.0
/*
 * antigone tag GROUP [--guarantee G] -- CMD...: runs an unmodified program
 * with every UDP socket it opens attached to GROUP (libantigone-tag.so).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kernel.h"
#include "lib/names.h"
#include "lib/util.h"
#include "opt.h"
#include "tag.h"

enum { G_GROUP, G_GUARANTEE, G_LIB, G_COMMAND };

const struct opt tag_opts[OPT_MAX] = {
	[G_GROUP] = { "GROUP", NULL, NULL, OPT_POS },
	[G_GUARANTEE] = { "guarantee", "G",
			  "integrity, confidentiality or both: the\n"
			  "program's datagrams get at least G (default:\n"
			  "the group's guarantee)", 0 },
	[G_LIB] = { "lib", "PATH",
		    "the library to preload (default: the\n"
		    "libantigone-tag.so beside antigone, else the\n"
		    "installed one)", 0 },
	[G_COMMAND] = { "COMMAND", NULL, NULL, OPT_REST },
};

int cmd_tag(const struct cli_cmd *c, int argc, char **argv)
{
	const char *group, *guarantee = NULL, *lib;
	char self[4096], path[4200];
	struct opt_args a;
	ssize_t n;
	int i;

	if (opt_parse(c, tag_opts, argc, argv, &a))
		return EXIT_USAGE;
	for (i = 0; i < a.nitem; i++) {
		if (a.item[i].id != G_GUARANTEE)
			continue;
		guarantee = a.item[i].val;
		if (parse_guarantee(guarantee) < 0) {
			char choices[64];

			usage_error("--guarantee '%s': not %s", guarantee,
				    name_choices(names_guarantee(), choices,
						 sizeof(choices)));
			return EXIT_USAGE;
		}
	}
	group = a.val[G_GROUP];
	lib = a.val[G_LIB];
	if (!group || !a.nrest || !name_valid(group))
		return cli_usage(c);
	if (!lib) {
		/* Beside the binary (the build tree), else where make
		 * install put it (ANTIGONE_TAG_LIB, under the libdir).
		 */
		n = readlink("/proc/self/exe", self, sizeof(self) - 1);
		if (n <= 0) {
			fprintf(stderr, "%s: cannot find libantigone-tag.so; "
				"use --lib\n", prog);
			return 1;
		}
		self[n] = '\0';
		*strrchr(self, '/') = '\0';
		snprintf(path, sizeof(path), "%s/libantigone-tag.so", self);
		lib = path;
#ifdef ANTIGONE_TAG_LIB
		if (access(lib, R_OK))
			lib = ANTIGONE_TAG_LIB;
#endif
	}
	if (access(lib, R_OK)) {
		fprintf(stderr, "%s: %s: %s\n", prog, lib, strerror(errno));
		return 1;
	}
	setenv("ANTIGONE_TAG_GROUP", group, 1);
	if (guarantee)
		setenv("ANTIGONE_TAG_GUARANTEE", guarantee, 1);
	setenv("LD_PRELOAD", lib, 1);
	execvp(a.rest[0], a.rest);
	fprintf(stderr, "%s: cannot run %s: %s\n", prog, a.rest[0],
		strerror(errno));
	return 127;
}
