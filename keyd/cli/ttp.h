/* SPDX-License-Identifier: GPL-2.0 */
/* antigone ttp add|list|remove (ttp.c). */
#ifndef ANTIGONE_CLI_TTP_H
#define ANTIGONE_CLI_TTP_H

#include "opt.h"

#define TTP_DEFAULT_REGISTRY "/var/lib/antigone/ttp.registry"

extern const struct opt ttp_add_opts[OPT_MAX];
extern const struct opt ttp_list_opts[OPT_MAX];
extern const struct opt ttp_remove_opts[OPT_MAX];

int cmd_ttp_add(const struct cli_cmd *c, int argc, char **argv);
int cmd_ttp_list(const struct cli_cmd *c, int argc, char **argv);
int cmd_ttp_remove(const struct cli_cmd *c, int argc, char **argv);

#endif
