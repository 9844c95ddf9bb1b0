/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Replay windows of one receiver (a group, or a tagged socket), one per
 * (epoch, sender) and class, created on the first accepted datagram of
 * each. The classes are kept apart: 7a/7c datagrams are authenticated
 * before they touch a window, 7b ones cannot be (no tag), so forged 7b
 * must neither move an authenticated sender's window nor crowd out its
 * windows or lengthen its hash chains.
 */
#ifndef _ANTIGONE_REPLAY_H
#define _ANTIGONE_REPLAY_H

#include <linux/siphash.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#define ANTIGONE_REPLAY_BUCKETS	256	/* per class */
#define ANTIGONE_REPLAY_MAX	4096	/* windows per receiver and class */

enum antigone_replay_class {
	ANTIGONE_REPLAY_AUTHENTICATED,	/* 7a, 7c */
	ANTIGONE_REPLAY_UNAUTHENTICATED,	/* 7b */
	__ANTIGONE_REPLAY_CLASSES
};

struct antigone_replay_class_table {
	unsigned int count;
	u32 full_keep[2];		/* epochs kept at the last full prune */
	bool full;			/* pruned while full, keeping those */
	struct hlist_head buckets[ANTIGONE_REPLAY_BUCKETS];
};

struct antigone_replay_table {
	spinlock_t lock;		/* guards all below */
	hsiphash_key_t seed;		/* chains an attacker cannot aim at */
	struct antigone_replay_class_table cls[__ANTIGONE_REPLAY_CLASSES];
};

void antigone_replay_table_init(struct antigone_replay_table *t);
void antigone_replay_table_destroy(struct antigone_replay_table *t);
/* Before authentication: -EALREADY if seq is surely old. */
int antigone_replay_table_precheck(struct antigone_replay_table *t, u8 cls,
				   u32 epoch, u32 sender, u64 seq);
/*
 * After authentication (7a/7c) or decryption (7b): 0 and seq recorded,
 * -EALREADY if seen or too old, -ENOSPC if the class is full of live
 * windows, -ENOMEM. Windows of epochs other than keep[0], keep[1] may be
 * reclaimed, once per pair of kept epochs: a full table costs O(1).
 */
int antigone_replay_table_update(struct antigone_replay_table *t, u8 cls,
				 u32 epoch, u32 sender, u64 seq,
				 const u32 keep[2]);
/* Drops the windows of every epoch but keep[0] and keep[1]. */
void antigone_replay_table_prune(struct antigone_replay_table *t,
				 const u32 keep[2]);

#endif
