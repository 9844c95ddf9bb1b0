/* SPDX-License-Identifier: GPL-2.0 */
/*
 * antigoned's configuration file (docs/configuration.md): a [daemon]
 * section, a [ttp] section, and one [group NAME] section per group this
 * host leads or joins.
 */
#ifndef ANTIGONE_CONFIG_H
#define ANTIGONE_CONFIG_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "dp/kernel_nl.h"
#include "mech/policy.h"

#define CONFIG_MAX_GROUPS 16
#define DEFAULT_GROUP_PORT 4512

enum group_role { ROLE_MEMBER = 1, ROLE_LEADER = 2 };

struct config_group {
	char name[ANTIGONE_NAME_MAX + 1];
	enum group_role role;
	char leader[16];		/* the leader's identity */
	struct sockaddr_storage leader_addr;	/* where members reach it */
	struct sockaddr_storage group_addr;	/* multicast, control traffic */
	char mcast_if[16];		/* interface for it; "" = by route */
	unsigned short port;		/* a leader's UDP port; 0: the daemon's */
	bool transport_set;		/* else: by whether group_addr is */
	struct policy policy;
	unsigned int nsel;
	struct kernel_selector sel[ANTIGONE_MAX_SELECTORS]; /* transparent */
	char eject_roles[64];		/* roles that may request ejects */
};

struct config {
	char identity[16];		/* this host's identity */
	char key_file[256];		/* its long-term key */
	char datapath[16];		/* kernel or null */
	char control_socket[256];
	char control_group[32];		/* unix group allowed on the socket */
	unsigned short port;		/* control protocol UDP port */
	bool ttp;			/* run the TTP role */
	unsigned short ttp_port;	/* where it listens (default 4511) */
	char registry[256];
	struct sockaddr_storage ttp_addr;
	unsigned int ngroups;
	struct config_group groups[CONFIG_MAX_GROUPS];
};

void config_defaults(struct config *c);
/*
 * Parses @path into @c (defaults first). 0, or a negative errno with
 * errbuf naming the file, line and problem.
 */
int config_load(struct config *c, const char *path, char *errbuf,
		size_t errlen);
/*
 * A new [group NAME] with the defaults (a slot a removed group left, or
 * the next one): NULL with *why if the name is bad, taken, or 16 exist.
 */
struct config_group *config_group_add(struct config *c, const char *name,
				      const char **why);
/*
 * Whether a group's settings are complete and consistent: -EINVAL, *why.
 * Settles the transport a group did not name: point-to-point without a
 * group address.
 */
int config_group_check(struct config_group *g, const char **why);
/*
 * A group from the control socket ("group-create"/"group-join"): @args is
 * "NAME KEY=VALUE..." (modified), the settings of a [group NAME] section;
 * a leader starts from policy leave. The group is added to @c and
 * checked; NULL with the reason in err (nothing added) otherwise.
 */
struct config_group *config_group_request(struct config *c,
					  enum group_role role, char *args,
					  char *err, size_t errlen);
/*
 * config_load() on a file's text buf[0..len), @name standing for the
 * file in errbuf.
 */
int config_load_buffer(struct config *c, const char *buf, size_t len,
		       const char *name, char *errbuf, size_t errlen);
/*
 * @g as a [group NAME] section that config_load() reads back into the
 * same group (antigone group showconf).
 */
void config_group_write(const struct config_group *g, FILE *out);
/* Applies one "key = value" of a section, for command-line overrides. */
int config_set(struct config *c, const char *section, const char *key,
	       const char *value, const char **why);

#endif
