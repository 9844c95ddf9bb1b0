// SPDX-License-Identifier: GPL-2.0
/*
 * A group's 7d state (see tesla_group.h). Peers sit in a small hash under
 * the group's 7d lock; netlink changes them, and the datapath will look
 * them up with BH disabled, so the lock is taken with _bh.
 */
#include <linux/hash.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <net/genetlink.h>

#include "tesla_group.h"

struct antigone_tesla *antigone_tesla_new(void)
{
	struct antigone_tesla *t = kzalloc(sizeof(*t), GFP_KERNEL_ACCOUNT);
	unsigned int i;

	if (!t)
		return NULL;
	spin_lock_init(&t->lock);
	for (i = 0; i < ARRAY_SIZE(t->peers); i++)
		INIT_HLIST_HEAD(&t->peers[i]);
	return t;
}

static void peer_free(struct antigone_tesla_peer *p)
{
	if (p->ring)
		kvfree_sensitive(p->ring, sizeof(*p->ring));
	kfree(p);
}

void antigone_tesla_free(struct antigone_tesla *t)
{
	struct antigone_tesla_peer *p;
	struct hlist_node *tmp;
	unsigned int i;

	if (!t)
		return;
	for (i = 0; i < ARRAY_SIZE(t->peers); i++)
		hlist_for_each_entry_safe(p, tmp, &t->peers[i], node) {
			hlist_del(&p->node);
			peer_free(p);
		}
	kfree(t);
}

static struct hlist_head *bucket(struct antigone_tesla *t, u32 epoch,
				 u32 sender)
{
	return &t->peers[hash_32(epoch * 0x9e3779b1u ^ sender,
				 ANTIGONE_TESLA_HASH_BITS)];
}

static struct antigone_tesla_peer *peer_find(struct antigone_tesla *t,
					     u32 epoch, u32 sender)
{
	struct antigone_tesla_peer *p;

	hlist_for_each_entry(p, bucket(t, epoch, sender), node)
		if (p->epoch == epoch && p->sender == sender)
			return p;
	return NULL;
}

int antigone_tesla_set_clock(struct antigone_tesla *t,
			     const struct antigone_tesla_clock *c)
{
	if (antigone_tesla_clock_valid(c))
		return -EINVAL;
	spin_lock_bh(&t->lock);
	t->clock = *c;
	t->clock_set = true;
	spin_unlock_bh(&t->lock);
	return 0;
}

static bool same_schedule(const struct antigone_tesla_sched *a,
			  const struct antigone_tesla_sched *b)
{
	return a->t0_ns == b->t0_ns && a->period_ns == b->period_ns &&
	       a->chain_len == b->chain_len && a->lag == b->lag;
}

int antigone_tesla_add_chain(struct antigone_tesla *t, u32 epoch, u32 sender,
			     bool own, const struct antigone_tesla_sched *s,
			     u32 chain,
			     const u8 commitment[ANTIGONE_TESLA_KEY_LEN])
{
	struct antigone_tesla_peer *p, *fresh;
	struct antigone_tesla_ring *ring = NULL;
	int ret = 0;

	if (!epoch || antigone_tesla_sched_valid(s) ||
	    ((u64)chain + 1) * s->chain_len > U32_MAX)
		return -EINVAL;
	/* Allocated before the lock: used only if the peer is new. */
	fresh = kzalloc(sizeof(*fresh), GFP_KERNEL_ACCOUNT);
	if (!fresh)
		return -ENOMEM;
	if (own) {
		ring = kvzalloc(sizeof(*ring), GFP_KERNEL_ACCOUNT);
		if (!ring) {
			kfree(fresh);
			return -ENOMEM;
		}
	}
	spin_lock_bh(&t->lock);
	p = peer_find(t, epoch, sender);
	if (p) {
		if (p->own != own || !same_schedule(&p->sched, s))
			ret = -EEXIST;
		else if (chain <= p->chain_no[p->nchains - 1])
			ret = -ESTALE;
	} else if (t->npeers >= ANTIGONE_TESLA_MAX_PEERS) {
		ret = -ENOSPC;
	} else {
		p = fresh;
		fresh = NULL;
		p->epoch = epoch;
		p->sender = sender;
		p->own = own;
		p->sched = *s;
		p->budget = s->chain_len + ANTIGONE_TESLA_BUDGET_STEP;
		if (own) {
			antigone_tesla_ring_init(ring);
			p->ring = ring;
			ring = NULL;
		}
		hlist_add_head(&p->node, bucket(t, epoch, sender));
		t->npeers++;
	}
	if (!ret) {
		if (p->nchains == 2) {
			p->chain_no[0] = p->chain_no[1];
			p->chain[0] = p->chain[1];
			memcpy(p->commitment[0], p->commitment[1],
			       ANTIGONE_TESLA_KEY_LEN);
			p->nchains = 1;
		}
		p->chain_no[p->nchains] = chain;
		memcpy(p->commitment[p->nchains], commitment,
		       ANTIGONE_TESLA_KEY_LEN);
		antigone_tesla_chain_init(&p->chain[p->nchains], chain,
					  s->chain_len, commitment);
		p->nchains++;
	}
	spin_unlock_bh(&t->lock);
	kfree(fresh);
	if (ring)
		kvfree(ring);
	return ret;
}

/* The index in @p of its chain number @chain, or -1. */
static int chain_index(const struct antigone_tesla_peer *p, u32 chain)
{
	unsigned int i;

	for (i = 0; i < p->nchains; i++)
		if (p->chain_no[i] == chain)
			return i;
	return -1;
}

int antigone_tesla_add_keys(struct antigone_tesla *t, u32 epoch, u32 chain,
			    u32 first, const u8 *keys, u32 n)
{
	struct antigone_tesla_peer *p, *own = NULL;
	unsigned int i;
	int ret = -ENOENT, c = -1;

	spin_lock_bh(&t->lock);
	/* A host holds at most one own sender index an epoch. */
	for (i = 0; i < ARRAY_SIZE(t->peers) && !own; i++)
		hlist_for_each_entry(p, &t->peers[i], node)
			if (p->own && p->epoch == epoch) {
				own = p;
				break;
			}
	if (own)
		c = chain_index(own, chain);
	if (c >= 0)
		ret = antigone_tesla_ring_push(own->ring, first, keys, n,
					       own->chain[c].first,
					       own->chain[c].chain_len,
					       own->commitment[c]);
	spin_unlock_bh(&t->lock);
	return ret;
}

int antigone_tesla_disclose(struct antigone_tesla *t, u32 epoch, u32 sender,
			    u32 j, const u8 key[ANTIGONE_TESLA_KEY_LEN])
{
	struct antigone_tesla_peer *p;
	struct antigone_tesla_chain *c = NULL;
	unsigned int i;
	u32 i_max;
	int ret;

	spin_lock_bh(&t->lock);
	p = peer_find(t, epoch, sender);
	ret = -ENOENT;
	if (!p)
		goto out;
	ret = -ENOTCONN;
	if (!t->clock_set)
		goto out;
	i_max = antigone_tesla_interval(&p->sched,
					antigone_tesla_clock_up(&t->clock,
								ktime_get_boottime_ns()));
	/* a key cannot be out before its time: this one is not the sender's */
	ret = -EBADMSG;
	if (!antigone_tesla_disclosable(j, i_max, p->sched.lag))
		goto out;
	if (i_max > p->budget_at) {
		p->budget = antigone_tesla_budget(p->budget,
						  i_max - p->budget_at,
						  p->sched.chain_len);
		p->budget_at = i_max;
	}
	for (i = 0; i < p->nchains; i++)
		if (antigone_tesla_chain_holds(&p->chain[i], j))
			c = &p->chain[i];
	ret = -ENOENT;
	if (c)
		ret = antigone_tesla_chain_verify(c, j, key, &p->budget);
out:
	spin_unlock_bh(&t->lock);
	return ret;
}

static int fill_peer(struct sk_buff *skb, const struct antigone_tesla_peer *p)
{
	const struct antigone_tesla_chain *c = &p->chain[p->nchains - 1];
	struct nlattr *nest = nla_nest_start(skb, 0);

	if (!nest ||
	    nla_put_u32(skb, ANTIGONE_TESLA_A_EPOCH, p->epoch) ||
	    nla_put_u32(skb, ANTIGONE_TESLA_A_SENDER, p->sender) ||
	    nla_put_u32(skb, ANTIGONE_TESLA_A_CHAIN,
			p->chain_no[p->nchains - 1]) ||
	    nla_put_u32(skb, ANTIGONE_TESLA_A_CHAIN_LEN, p->sched.chain_len) ||
	    nla_put_u32(skb, ANTIGONE_TESLA_A_PERIOD_US,
			(u32)div_u64(p->sched.period_ns, 1000)) ||
	    nla_put_u8(skb, ANTIGONE_TESLA_A_LAG, p->sched.lag) ||
	    nla_put_u64_64bit(skb, ANTIGONE_TESLA_A_T0_NS, p->sched.t0_ns,
			      ANTIGONE_TESLA_A_UNSPEC) ||
	    nla_put_u32(skb, ANTIGONE_TESLA_A_VERIFIED, c->verified) ||
	    (p->own && nla_put_flag(skb, ANTIGONE_TESLA_A_OWN)) ||
	    (p->own && p->ring->n &&
	     (nla_put_u32(skb, ANTIGONE_TESLA_A_RING_LO, p->ring->lo) ||
	      nla_put_u32(skb, ANTIGONE_TESLA_A_RING_HI, p->ring->hi))))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

int antigone_tesla_fill(struct sk_buff *skb, struct antigone_tesla *t)
{
	struct antigone_tesla_peer *p;
	struct nlattr *nest = NULL;
	unsigned int i;
	int ret = 0;

	spin_lock_bh(&t->lock);
	if (t->clock_set) {
		u64 now = ktime_get_boottime_ns();

		if (nla_put_u64_64bit(skb, ANTIGONE_GROUP_A_TESLA_CLOCK_WIDTH,
				      antigone_tesla_clock_up(&t->clock, now) -
				      antigone_tesla_clock_low(&t->clock, now),
				      ANTIGONE_GROUP_A_UNSPEC))
			ret = -EMSGSIZE;
	}
	if (!ret && t->npeers) {
		nest = nla_nest_start(skb, ANTIGONE_GROUP_A_TESLA_PEERS);
		if (!nest)
			ret = -EMSGSIZE;
	}
	for (i = 0; i < ARRAY_SIZE(t->peers) && nest && !ret; i++)
		hlist_for_each_entry(p, &t->peers[i], node) {
			ret = fill_peer(skb, p);
			if (ret)
				break;
		}
	if (nest && !ret)
		nla_nest_end(skb, nest);
	spin_unlock_bh(&t->lock);
	return ret;
}
