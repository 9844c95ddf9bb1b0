/* SPDX-License-Identifier: GPL-2.0 */
/* antigone kernel key-add|key-del|heartbeat|events (key.c). */
#ifndef ANTIGONE_CLI_KEY_H
#define ANTIGONE_CLI_KEY_H

#include "opt.h"

extern const struct opt kernel_key_add_opts[OPT_MAX];
extern const struct opt kernel_key_del_opts[OPT_MAX];
extern const struct opt kernel_heartbeat_opts[OPT_MAX];
extern const struct opt kernel_events_opts[OPT_MAX];

int cmd_kernel_key_add(const struct cli_cmd *c, int argc, char **argv);
int cmd_kernel_key_del(const struct cli_cmd *c, int argc, char **argv);
int cmd_kernel_heartbeat(const struct cli_cmd *c, int argc, char **argv);
int cmd_kernel_events(const struct cli_cmd *c, int argc, char **argv);

#endif
