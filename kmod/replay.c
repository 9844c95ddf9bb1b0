// SPDX-License-Identifier: GPL-2.0
/*
 * Replay windows per (epoch, sender) and class. The window logic itself
 * is the shared one in wire.c; this file only finds and bounds them.
 */
#include <linux/random.h>
#include <linux/slab.h>

#include "replay.h"
#include "wire.h"

struct replay_entry {
	struct hlist_node node;
	u32 epoch;
	u32 sender;
	struct antigone_replay win;
};

static struct hlist_head *bucket(struct antigone_replay_table *t, u8 cls,
				 u32 epoch, u32 sender)
{
	u32 h = hsiphash_2u32(epoch, sender, &t->seed);

	return &t->cls[cls].buckets[h % ANTIGONE_REPLAY_BUCKETS];
}

static struct replay_entry *find(struct antigone_replay_table *t, u8 cls,
				 u32 epoch, u32 sender)
{
	struct replay_entry *e;

	hlist_for_each_entry(e, bucket(t, cls, epoch, sender), node)
		if (e->epoch == epoch && e->sender == sender)
			return e;
	return NULL;
}

void antigone_replay_table_init(struct antigone_replay_table *t)
{
	unsigned int c, i;

	spin_lock_init(&t->lock);
	get_random_bytes(&t->seed, sizeof(t->seed));
	for (c = 0; c < __ANTIGONE_REPLAY_CLASSES; c++) {
		t->cls[c].count = 0;
		t->cls[c].full = false;
		for (i = 0; i < ANTIGONE_REPLAY_BUCKETS; i++)
			INIT_HLIST_HEAD(&t->cls[c].buckets[i]);
	}
}

static void prune_class(struct antigone_replay_class_table *c,
			const u32 keep[2])
{
	struct replay_entry *e;
	struct hlist_node *tmp;
	unsigned int i;

	for (i = 0; i < ANTIGONE_REPLAY_BUCKETS; i++) {
		hlist_for_each_entry_safe(e, tmp, &c->buckets[i], node) {
			if (keep && (e->epoch == keep[0] || e->epoch == keep[1]))
				continue;
			hlist_del(&e->node);
			kfree(e);
			c->count--;
		}
	}
	c->full = false;
}

static void prune_locked(struct antigone_replay_table *t, const u32 keep[2])
{
	unsigned int c;

	for (c = 0; c < __ANTIGONE_REPLAY_CLASSES; c++)
		prune_class(&t->cls[c], keep);
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

int antigone_replay_table_precheck(struct antigone_replay_table *t, u8 cls,
				   u32 epoch, u32 sender, u64 seq)
{
	struct replay_entry *e;
	int ret = 0;

	if (cls >= __ANTIGONE_REPLAY_CLASSES)
		return -EINVAL;
	spin_lock_bh(&t->lock);
	e = find(t, cls, epoch, sender);
	if (e ? !antigone_replay_precheck(&e->win, seq) : !seq)
		ret = -EALREADY;
	spin_unlock_bh(&t->lock);
	return ret;
}

/*
 * A full class is pruned of other epochs' windows once per pair of kept
 * epochs; until that pair changes (a rekey), full means full at once.
 */
static bool class_has_room(struct antigone_replay_class_table *c,
			   const u32 keep[2])
{
	if (c->count < ANTIGONE_REPLAY_MAX)
		return true;
	if (c->full && c->full_keep[0] == keep[0] && c->full_keep[1] == keep[1])
		return false;
	prune_class(c, keep);
	c->full = true;
	c->full_keep[0] = keep[0];
	c->full_keep[1] = keep[1];
	return c->count < ANTIGONE_REPLAY_MAX;
}

int antigone_replay_table_update(struct antigone_replay_table *t, u8 cls,
				 u32 epoch, u32 sender, u64 seq,
				 const u32 keep[2])
{
	struct replay_entry *e;
	int ret = 0;

	if (cls >= __ANTIGONE_REPLAY_CLASSES)
		return -EINVAL;
	spin_lock_bh(&t->lock);
	e = find(t, cls, epoch, sender);
	if (!e) {
		if (!class_has_room(&t->cls[cls], keep)) {
			ret = -ENOSPC;
			goto out;
		}
		/* Bounded per receiver and class; softirq, so not charged. */
		e = kmalloc(sizeof(*e), GFP_ATOMIC);
		if (!e) {
			ret = -ENOMEM;
			goto out;
		}
		e->epoch = epoch;
		e->sender = sender;
		antigone_replay_init(&e->win);
		hlist_add_head(&e->node, bucket(t, cls, epoch, sender));
		t->cls[cls].count++;
	}
	if (!antigone_replay_update(&e->win, seq))
		ret = -EALREADY;
out:
	spin_unlock_bh(&t->lock);
	return ret;
}
