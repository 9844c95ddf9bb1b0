// SPDX-License-Identifier: GPL-2.0
/*
 * Replay windows per (epoch, sender). The window logic itself is the
 * shared one in wire.c; this file only finds and bounds them.
 */
#include <linux/hash.h>
#include <linux/slab.h>

#include "replay.h"
#include "wire.h"

struct replay_entry {
	struct hlist_node node;
	u32 epoch;
	u32 sender;
	struct antigone_replay win;
};

static struct hlist_head *bucket(struct antigone_replay_table *t, u32 epoch,
				 u32 sender)
{
	return &t->buckets[hash_32(epoch ^ hash_32(sender, 32),
				   ilog2(ANTIGONE_REPLAY_BUCKETS))];
}

static struct replay_entry *find(struct antigone_replay_table *t, u32 epoch,
				 u32 sender)
{
	struct replay_entry *e;

	hlist_for_each_entry(e, bucket(t, epoch, sender), node)
		if (e->epoch == epoch && e->sender == sender)
			return e;
	return NULL;
}

void antigone_replay_table_init(struct antigone_replay_table *t)
{
	unsigned int i;

	spin_lock_init(&t->lock);
	t->count = 0;
	for (i = 0; i < ANTIGONE_REPLAY_BUCKETS; i++)
		INIT_HLIST_HEAD(&t->buckets[i]);
}

static void prune_locked(struct antigone_replay_table *t, const u32 keep[2])
{
	struct replay_entry *e;
	struct hlist_node *tmp;
	unsigned int i;

	for (i = 0; i < ANTIGONE_REPLAY_BUCKETS; i++) {
		hlist_for_each_entry_safe(e, tmp, &t->buckets[i], node) {
			if (keep && (e->epoch == keep[0] || e->epoch == keep[1]))
				continue;
			hlist_del(&e->node);
			kfree(e);
			t->count--;
		}
	}
}

void antigone_replay_table_destroy(struct antigone_replay_table *t)
{
	spin_lock_bh(&t->lock);
	prune_locked(t, NULL);
	spin_unlock_bh(&t->lock);
}

void antigone_replay_table_prune(struct antigone_replay_table *t,
				 const u32 keep[2])
{
	spin_lock_bh(&t->lock);
	prune_locked(t, keep);
	spin_unlock_bh(&t->lock);
}

int antigone_replay_table_precheck(struct antigone_replay_table *t,
				   u32 epoch, u32 sender, u64 seq)
{
	struct replay_entry *e;
	int ret = 0;

	spin_lock_bh(&t->lock);
	e = find(t, epoch, sender);
	if (e ? !antigone_replay_precheck(&e->win, seq) : !seq)
		ret = -EALREADY;
	spin_unlock_bh(&t->lock);
	return ret;
}

int antigone_replay_table_update(struct antigone_replay_table *t,
				 u32 epoch, u32 sender, u64 seq,
				 const u32 keep[2])
{
	struct replay_entry *e;
	int ret = 0;

	spin_lock_bh(&t->lock);
	e = find(t, epoch, sender);
	if (!e) {
		if (t->count >= ANTIGONE_REPLAY_MAX)
			prune_locked(t, keep);
		if (t->count >= ANTIGONE_REPLAY_MAX) {
			ret = -ENOSPC;
			goto out;
		}
		e = kmalloc(sizeof(*e), GFP_ATOMIC);
		if (!e) {
			ret = -ENOMEM;
			goto out;
		}
		e->epoch = epoch;
		e->sender = sender;
		antigone_replay_init(&e->win);
		hlist_add_head(&e->node, bucket(t, epoch, sender));
		t->count++;
	}
	if (!antigone_replay_update(&e->win, seq))
		ret = -EALREADY;
out:
	spin_unlock_bh(&t->lock);
	return ret;
}
