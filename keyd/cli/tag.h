/* SPDX-License-Identifier: GPL-2.0 */
/* antigone tag (tag.c). */
#ifndef ANTIGONE_CLI_TAG_H
#define ANTIGONE_CLI_TAG_H

#include "opt.h"

extern const struct opt tag_opts[OPT_MAX];

int cmd_tag(const struct cli_cmd *c, int argc, char **argv);

#endif
