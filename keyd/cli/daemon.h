/* SPDX-License-Identifier: GPL-2.0 */
/*
 * antigone status, group create|list|status|eject|rekey, join, leave: the
 * commands antigoned serves on its control socket (daemon.c).
 */
#ifndef ANTIGONE_CLI_DAEMON_H
#define ANTIGONE_CLI_DAEMON_H

#include "opt.h"

#define DAEMON_DEFAULT_SOCKET "/run/antigone/antigoned.sock"

/* join --wait's exit statuses, beside 0, 1 and EXIT_USAGE. */
#define EXIT_JOIN_NO_ANSWER	4
#define EXIT_JOIN_BAD_KEY	5
#define EXIT_JOIN_NOT_YET	6

extern const struct opt status_opts[OPT_MAX];
extern const struct opt group_create_opts[OPT_MAX];
extern const struct opt group_list_opts[OPT_MAX];
extern const struct opt group_status_opts[OPT_MAX];
extern const struct opt group_eject_opts[OPT_MAX];
extern const struct opt group_rekey_opts[OPT_MAX];	/* and leave */
extern const struct opt join_opts[OPT_MAX];

int cmd_status(const struct cli_cmd *c, int argc, char **argv);
int cmd_group_create(const struct cli_cmd *c, int argc, char **argv);
int cmd_group_list(const struct cli_cmd *c, int argc, char **argv);
int cmd_group_status(const struct cli_cmd *c, int argc, char **argv);
int cmd_group_eject(const struct cli_cmd *c, int argc, char **argv);
int cmd_group_rekey(const struct cli_cmd *c, int argc, char **argv);
int cmd_group_showconf(const struct cli_cmd *c, int argc, char **argv);
int cmd_join(const struct cli_cmd *c, int argc, char **argv);
int cmd_leave(const struct cli_cmd *c, int argc, char **argv);

#endif
