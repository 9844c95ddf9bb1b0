/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The daemon's control socket: a UNIX stream socket the CLI connects to,
 * one request line in, one response out, then closed. Access is the
 * socket file's: mode 0660, owner root, group the configured one.
 */
#ifndef ANTIGONE_CONTROL_H
#define ANTIGONE_CONTROL_H

#include <stdbool.h>
#include <stdio.h>

struct control;

typedef void (*control_handler)(const char *request, FILE *out, void *arg);

int control_open(struct control **c, const char *path, const char *group);
int control_fd(const struct control *c);
/* Serves one pending connection (bounded by a 1 s receive timeout). */
void control_serve(struct control *c, control_handler fn, void *arg);
void control_close(struct control *c);
/* Bytes of a request, its newline included, plus one. */
#define CONTROL_REQUEST_MAX 1024

/*
 * What a client sent, buf[0..len) with len < CONTROL_REQUEST_MAX and room
 * for one more byte: its request line, NUL-terminated where the newline
 * was. -EMSGSIZE: no newline (incomplete or oversized); -EINVAL: a NUL
 * byte in the line. Neither is answered.
 */
int control_frame(char *buf, size_t len);

enum control_verb {
	CONTROL_STATUS = 1,		/* status [text] [GROUP] */
	CONTROL_GROUP_LIST,		/* group-list [json] */
	CONTROL_GROUP_CREATE,		/* group-create NAME KEY=VALUE... */
	CONTROL_GROUP_JOIN,		/* group-join NAME KEY=VALUE... */
	CONTROL_GROUP_LEAVE,		/* group-leave NAME */
	CONTROL_GROUP_REKEY,		/* group-rekey NAME */
	CONTROL_GROUP_EJECT,		/* group-eject NAME MEMBER */
	CONTROL_GROUP_SHOWCONF,		/* group-showconf NAME */
	CONTROL_METRICS,		/* metrics: Prometheus text */
};

/* A parsed request; the strings point into the line it came from. */
struct control_req {
	enum control_verb verb;
	bool text;			/* status text */
	bool json;			/* group-list json */
	const char *group;		/* NULL: none given (status: all) */
	const char *member;		/* group-eject's MEMBER, or NULL */
	char *args;			/* create/join: NAME KEY=VALUE... */
};

/* Splits a request line (modified); -EINVAL for an unknown request. */
int control_parse(char *line, struct control_req *r);

/* Client side: sends @request, copies the response to @out. */
int control_request(const char *path, const char *request, FILE *out);

#endif
