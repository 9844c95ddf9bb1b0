/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Groups, their keys, selectors and counters, and the per-network-namespace
 * table that holds them.
 */
#ifndef _ANTIGONE_GROUP_H
#define _ANTIGONE_GROUP_H

#include <linux/in6.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/u64_stats_sync.h>
#include <linux/uidgid.h>
#include <linux/workqueue.h>
#include <net/net_namespace.h>
#include <linux/antigone.h>

#include "key.h"
#include "replay.h"
#include "tesla_group.h"

#define ANTIGONE_MAX_GROUPS	1024
#define ANTIGONE_SEL_HASH_BITS	8
#define ANTIGONE_ANY_HASH_BITS	6

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

/*
 * A (destination address, UDP port) whose datagrams the group protects.
 * While the group relays (a relay port is set), its selectors' ports also
 * match datagrams to any local unicast address, of either family, on the
 * way in: the leader hands the group's datagrams to point-to-point members
 * by unicast, to the address they joined from.
 */
struct antigone_selector {
	struct hlist_node node;		/* in antigone_net.sel_hash, RCU */
	struct hlist_node any_node;	/* in antigone_net.any_hash, RCU */
	bool any_hashed;		/* under antigone_net.lock */
	struct antigone_group *group;
	u8 family;			/* AF_INET or AF_INET6 */
	__be16 port;
	struct in6_addr addr;		/* IPv4: v4-mapped */
};

struct antigone_relay_member {
	struct in6_addr addr;		/* IPv4: v4-mapped */
	u32 sender;
};

/*
 * The kernel relay's settings (GROUP_SET RELAY_MODE), replaced as a whole
 * under RCU. A leader's member datagrams are checked against windows of
 * the relay's own (@replay, the group's, kept across replacements): under
 * RELAY_MULTICAST the leader's own receivers get the copy it multicasts,
 * looped back, and check that with the group's windows.
 */
struct antigone_relay {
	struct rcu_head rcu;
	u8 mode;			/* enum antigone_relay_mode */
	int ifindex;			/* multicast out, 0: by route */
	struct in6_addr leader;		/* TO_LEADER; IPv4: v4-mapped */
	struct antigone_replay_table *replay;	/* leader modes */
	unsigned int nmembers;
	struct antigone_relay_member members[];	/* sorted by sender */
};

struct antigone_stats {
	u64 v[__ANTIGONE_STAT_MAX];
	struct u64_stats_sync syncp;
};

struct antigone_group {
	struct list_head list;		/* in antigone_net.groups, RCU */
	refcount_t refs;
	struct net *net;
	u32 id;
	bool dead;			/* deleted: datagrams are dropped */
	char name[ANTIGONE_NAME_MAX + 1];
	struct antigone_group_params params;

	u32 epoch_floor;		/* highest epoch ever installed */
	struct antigone_key __rcu *cur;
	struct antigone_key __rcu *prev;	/* until prev_until */
	unsigned long prev_until;		/* jiffies */
	struct delayed_work retire_work;	/* erases prev */

	u64 hb_seq;			/* under antigone_net.lock */
	unsigned long hb_last;		/* jiffies of the last heartbeat */
	u32 hb_epoch;			/* epoch the leader's view uses */
	__be16 relay_port;		/* loopback relay inlet, 0: none */
	struct antigone_relay __rcu *relay;	/* NULL: RELAY_NONE */
	struct antigone_replay_table *relay_replay;	/* once a leader mode */
	unsigned long event_last[8];	/* rate limit, per event type */

	struct antigone_replay_table replay;	/* transparent receivers */
	struct antigone_tesla *tesla;		/* 7d: clock, chains, keys */
	struct antigone_stats __percpu *stats;
	struct rcu_work free_work;

	unsigned int nsel;
	struct antigone_selector sel[];
};

struct antigone_net {
	struct mutex lock;		/* serialises all changes below */
	struct list_head groups;	/* ordered by id */
	unsigned int ngroups;
	u32 next_id;
	u32 generation;			/* bumped on every change, for dumps */
	atomic_t nsel;			/* selectors installed: fast path test */
	bool defrag6;			/* nf_defrag_ipv6 enabled for this net */
	struct hlist_head sel_hash[1 << ANTIGONE_SEL_HASH_BITS];
	atomic_t nany;			/* selectors in any_hash */
	struct hlist_head any_hash[1 << ANTIGONE_ANY_HASH_BITS];
};

struct antigone_net *antigone_net(const struct net *net);

bool antigone_name_valid(const char *name);
struct antigone_group *antigone_group_create(struct net *net, const char *name,
					     const struct antigone_group_params *p,
					     const struct antigone_selector *sel,
					     unsigned int nsel);
int antigone_group_delete(struct antigone_net *an, struct antigone_group *g);
struct antigone_group *antigone_group_find(struct antigone_net *an, u32 id,
					   const char *name);
void antigone_group_put(struct antigone_group *g);
static inline void antigone_group_get(struct antigone_group *g)
{
	refcount_inc(&g->refs);
}

int antigone_group_key_add(struct antigone_group *g, u32 epoch, u32 sender,
			   const u8 *bytes, unsigned int len,
			   u32 lifetime_ms, bool has_lifetime);
int antigone_group_key_del(struct antigone_group *g, u32 epoch);
int antigone_group_key_set_sender(struct antigone_group *g, u32 epoch,
				  u32 sender);
int antigone_group_heartbeat(struct antigone_group *g, u64 seq, u32 epoch);
int antigone_group_set_relay(struct antigone_group *g, u16 port);
int antigone_group_set_relay_mode(struct antigone_group *g,
				  struct antigone_relay *r);
void antigone_group_set_hb_timeout(struct antigone_group *g, u32 ms);

/* Datapath, under RCU. */
struct antigone_group *antigone_selector_lookup(struct antigone_net *an,
						u8 family,
						const struct in6_addr *addr,
						__be16 port);
/* The group a received datagram to a local unicast address belongs to. */
struct antigone_group *antigone_selector_lookup_any(struct antigone_net *an,
						    __be16 port);
u8 antigone_group_state(const struct antigone_group *g,
			const struct antigone_key *k);

static inline void antigone_stat_add(struct antigone_group *g,
				     enum antigone_stat i, u64 n)
{
	struct antigone_stats *s = this_cpu_ptr(g->stats);

	u64_stats_update_begin(&s->syncp);
	s->v[i] += n;
	u64_stats_update_end(&s->syncp);
}

static inline void antigone_stat_inc(struct antigone_group *g,
				     enum antigone_stat i)
{
	antigone_stat_add(g, i, 1);
}

void antigone_group_stats(const struct antigone_group *g,
			  u64 out[__ANTIGONE_STAT_MAX]);

int antigone_group_init(void);
void antigone_group_exit(void);

#endif
