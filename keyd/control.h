/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The daemon's control socket: a UNIX stream socket the CLI connects to,
 * one request line in, one response out, then closed. Access is the
 * socket file's: mode 0660, owner root, group the configured one.
 */
#ifndef ANTIGONE_CONTROL_H
#define ANTIGONE_CONTROL_H

#include <stdio.h>

struct control;

typedef void (*control_handler)(const char *request, FILE *out, void *arg);

int control_open(struct control **c, const char *path, const char *group);
int control_fd(const struct control *c);
/* Serves one pending connection (bounded by a 1 s receive timeout). */
void control_serve(struct control *c, control_handler fn, void *arg);
void control_close(struct control *c);
/* Client side: sends @request, copies the response to @out. */
int control_request(const char *path, const char *request, FILE *out);

#endif
