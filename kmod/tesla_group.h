/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A group's 7d state (docs/sender-authenticity.md): the clock bound, the
 * peers (one per (epoch, sender) with chains: their schedule, the newest
 * two chains, the walk budget) and this host's own keys. The netlink
 * commands TESLA_CLOCK, TESLA_CHAIN_ADD, TESLA_KEYS and TESLA_DISCLOSE
 * change it; the datapath will read it.
 */
#ifndef _ANTIGONE_TESLA_GROUP_H
#define _ANTIGONE_TESLA_GROUP_H

#include <linux/spinlock.h>
#include <linux/types.h>

#include "tesla.h"

struct sk_buff;

#define ANTIGONE_TESLA_HASH_BITS	6
/* Peers a group keeps: more senders than any group's view holds. */
#define ANTIGONE_TESLA_MAX_PEERS	16384

struct antigone_tesla_peer {
	struct hlist_node node;
	u32 epoch;
	u32 sender;
	bool own;
	struct antigone_tesla_sched sched;
	u32 chain_no[2];		/* [nchains - 1] the newest */
	struct antigone_tesla_chain chain[2];
	u8 commitment[2][ANTIGONE_TESLA_KEY_LEN];	/* of each chain */
	unsigned int nchains;
	u32 budget;			/* chain steps a disclosure may cost */
	u32 budget_at;			/* interval of the last refill */
	struct antigone_tesla_ring *ring;	/* own peers only; secret */
};

struct antigone_tesla {
	spinlock_t lock;		/* everything below */
	bool clock_set;
	struct antigone_tesla_clock clock;
	unsigned int npeers;
	struct hlist_head peers[1 << ANTIGONE_TESLA_HASH_BITS];
};

struct antigone_tesla *antigone_tesla_new(void);
/* Frees the state, wiping the own keys. */
void antigone_tesla_free(struct antigone_tesla *t);

int antigone_tesla_set_clock(struct antigone_tesla *t,
			     const struct antigone_tesla_clock *c);
/* A chain of a sender: -EEXIST (another schedule, or own-ness), -ESTALE. */
int antigone_tesla_add_chain(struct antigone_tesla *t, u32 epoch, u32 sender,
			     bool own, const struct antigone_tesla_sched *s,
			     u32 chain,
			     const u8 commitment[ANTIGONE_TESLA_KEY_LEN]);
/* Own keys: -ENOENT (no such own chain), -EBADMSG, -EINVAL. */
int antigone_tesla_add_keys(struct antigone_tesla *t, u32 epoch, u32 chain,
			    u32 first, const u8 *keys, u32 n);
/* A disclosed key: -ENOENT, -ENOTCONN (no clock), -EBADMSG, -EAGAIN. */
int antigone_tesla_disclose(struct antigone_tesla *t, u32 epoch, u32 sender,
			    u32 j, const u8 key[ANTIGONE_TESLA_KEY_LEN]);

/* GROUP_GET: the peers and the clock's width, into @skb. */
int antigone_tesla_fill(struct sk_buff *skb, struct antigone_tesla *t);

#endif
