/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Replay windows of one receiver (a group, or a tagged socket), one per
 * (epoch, sender), created on the first authenticated datagram of each.
 */
#ifndef _ANTIGONE_REPLAY_H
#define _ANTIGONE_REPLAY_H

#include <linux/spinlock.h>
#include <linux/types.h>

#define ANTIGONE_REPLAY_BUCKETS	64
#define ANTIGONE_REPLAY_MAX	4096	/* windows per receiver */

struct antigone_replay_table {
	spinlock_t lock;		/* guards all below */
	unsigned int count;
	struct hlist_head buckets[ANTIGONE_REPLAY_BUCKETS];
};

void antigone_replay_table_init(struct antigone_replay_table *t);
void antigone_replay_table_destroy(struct antigone_replay_table *t);
/* Before authentication: -EALREADY if seq is surely old. */
int antigone_replay_table_precheck(struct antigone_replay_table *t,
				   u32 epoch, u32 sender, u64 seq);
/*
 * After authentication: 0 and seq recorded, -EALREADY if seen or too old,
 * -ENOSPC if the table is full of live windows, -ENOMEM.
 * Windows of epochs other than keep[0], keep[1] may be reclaimed.
 */
int antigone_replay_table_update(struct antigone_replay_table *t,
				 u32 epoch, u32 sender, u64 seq,
				 const u32 keep[2]);
/* Drops the windows of every epoch but keep[0] and keep[1]. */
void antigone_replay_table_prune(struct antigone_replay_table *t,
				 const u32 keep[2]);

#endif
