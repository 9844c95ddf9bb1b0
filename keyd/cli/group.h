/* SPDX-License-Identifier: GPL-2.0 */
/* antigone kernel info|list|show|add|del (group.c). */
#ifndef ANTIGONE_CLI_GROUP_H
#define ANTIGONE_CLI_GROUP_H

#include "opt.h"

extern const struct opt kernel_json_opts[OPT_MAX];	/* info, list */
extern const struct opt kernel_show_opts[OPT_MAX];
extern const struct opt kernel_add_opts[OPT_MAX];
extern const struct opt kernel_del_opts[OPT_MAX];

int cmd_kernel_info(const struct cli_cmd *c, int argc, char **argv);
int cmd_kernel_list(const struct cli_cmd *c, int argc, char **argv);
int cmd_kernel_show(const struct cli_cmd *c, int argc, char **argv);
int cmd_kernel_add(const struct cli_cmd *c, int argc, char **argv);
int cmd_kernel_del(const struct cli_cmd *c, int argc, char **argv);

#endif
