/* SPDX-License-Identifier: GPL-2.0 */
/* The CLI's commands served by antigoned (see cli_daemon.c). */
#ifndef ANTIGONE_CLI_DAEMON_H
#define ANTIGONE_CLI_DAEMON_H

int cmd_status(int argc, char **argv);
int cmd_group(int argc, char **argv);
int cmd_join(int argc, char **argv);
int cmd_leave(int argc, char **argv);

#endif
