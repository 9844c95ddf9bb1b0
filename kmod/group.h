/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Groups and the per-network-namespace table that holds them.
 */
#ifndef _ANTIGONE_GROUP_H
#define _ANTIGONE_GROUP_H

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/uidgid.h>
#include <net/net_namespace.h>
#include <linux/antigone.h>

#define ANTIGONE_MAX_GROUPS 1024

struct antigone_group_params {
	u8 suite;			/* enum antigone_suite */
	u8 guarantee;			/* enum antigone_guarantee */
	u8 fail_policy;			/* enum antigone_fail_policy */
	u32 hb_timeout_ms;
	u32 key_lifetime_ms;
	u32 rekey_grace_ms;
	kuid_t allow_uid;		/* INVALID_UID: none */
	kgid_t allow_gid;		/* INVALID_GID: none */
};

struct antigone_group {
	struct list_head list;		/* in antigone_net.groups, RCU */
	struct rcu_head rcu;
	refcount_t refs;
	u32 id;
	char name[ANTIGONE_NAME_MAX + 1];
	struct antigone_group_params params;
};

struct antigone_net {
	struct mutex lock;		/* serialises all changes below */
	struct list_head groups;	/* ordered by id */
	unsigned int ngroups;
	u32 next_id;
	u32 generation;			/* bumped on every change, for dumps */
};

struct antigone_net *antigone_net(const struct net *net);

bool antigone_name_valid(const char *name);
struct antigone_group *antigone_group_create(struct antigone_net *an,
					     const char *name,
					     const struct antigone_group_params *p);
int antigone_group_delete(struct antigone_net *an, struct antigone_group *g);
struct antigone_group *antigone_group_find(struct antigone_net *an, u32 id,
					   const char *name);
void antigone_group_put(struct antigone_group *g);

int antigone_group_init(void);
void antigone_group_exit(void);

#endif
