// SPDX-License-Identifier: GPL-2.0
/*
 * Groups, their keys, selectors and counters, and the per-network-namespace
 * table that holds them.
 *
 * Writers hold antigone_net.lock; the datapath reads groups, selectors and
 * keys under RCU. Groups are reference counted (the table holds one, each
 * tagged socket one) and freed in process context after a grace period.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hash.h>
#include <linux/jhash.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <net/netfilter/ipv6/nf_defrag_ipv6.h>
#include <net/ipv6.h>
#include <net/netns/generic.h>

#include "group.h"

static unsigned int antigone_net_id __read_mostly;

struct antigone_net *antigone_net(const struct net *net)
{
	return net_generic(net, antigone_net_id);
}

bool antigone_name_valid(const char *name)
{
	size_t i, len = strnlen(name, ANTIGONE_NAME_MAX + 1);

	if (len == 0 || len > ANTIGONE_NAME_MAX)
		return false;
	for (i = 0; i < len; i++) {
		char c = name[i];

		/* ASCII only: the kernel's ctype would admit Latin-1. */
		if (!(c >= 'a' && c <= 'z') && !(c >= 'A' && c <= 'Z') &&
		    !(c >= '0' && c <= '9') && c != '.' && c != '_' && c != '-')
			return false;
	}
	return true;
}

static u32 sel_hash(u8 family, const struct in6_addr *addr, __be16 port)
{
	return jhash2(addr->s6_addr32, 4, (__force u32)port ^ family) &
	       ((1 << ANTIGONE_SEL_HASH_BITS) - 1);
}

struct antigone_group *antigone_selector_lookup(struct antigone_net *an,
						u8 family,
						const struct in6_addr *addr,
						__be16 port)
{
	struct antigone_selector *s;

	hlist_for_each_entry_rcu(s, &an->sel_hash[sel_hash(family, addr, port)],
				 node) {
		if (s->family == family && s->port == port &&
		    ipv6_addr_equal(&s->addr, addr))
			return s->group;
	}
	return NULL;
}

static u32 any_hash(__be16 port)
{
	return hash_32((__force u32)port, ANTIGONE_ANY_HASH_BITS);
}

/* Family-blind: the leader relays to a member's address, of either. */
struct antigone_group *antigone_selector_lookup_any(struct antigone_net *an,
						    __be16 port)
{
	struct antigone_selector *s;

	hlist_for_each_entry_rcu(s, &an->any_hash[any_hash(port)], any_node) {
		if (s->port == port)
			return s->group;
	}
	return NULL;
}

static bool sel_in_use(struct antigone_net *an,
		       const struct antigone_selector *sel)
{
	lockdep_assert_held(&an->lock);
	return antigone_selector_lookup(an, sel->family, &sel->addr, sel->port);
}

static struct antigone_group *find_locked(struct antigone_net *an, u32 id,
					  const char *name)
{
	struct antigone_group *g;

	if (!id && !name)
		return NULL;
	list_for_each_entry(g, &an->groups, list) {
		if ((!id || g->id == id) && (!name || !strcmp(g->name, name)))
			return g;
	}
	return NULL;
}

static void retire_prev(struct work_struct *work);

/*
 * nf_defrag_ipv6 is bound at run time, only by namespaces with IPv6
 * selectors, so that antigone.ko has no hard module dependency (insmod
 * from the build tree just works). The symbol reference taken on enable
 * pins that module until the namespace lets go.
 */
static int defrag6_enable(struct net *net)
{
	int (*enable)(struct net *net) = symbol_request(nf_defrag_ipv6_enable);
	int ret;

	if (!enable)
		return -EPROTONOSUPPORT;
	ret = enable(net);
	if (ret)
		symbol_put(nf_defrag_ipv6_enable);
	return ret;
}

static void defrag6_disable(struct net *net)
{
	void (*disable)(struct net *net) = symbol_get(nf_defrag_ipv6_disable);

	/* Present: we pin its module through the enable reference. */
	if (disable) {
		disable(net);
		symbol_put(nf_defrag_ipv6_disable);
	}
	symbol_put(nf_defrag_ipv6_enable);
}

static void group_free_work(struct work_struct *work)
{
	struct antigone_group *g = container_of(to_rcu_work(work),
						struct antigone_group,
						free_work);

	/* Keys were detached at deletion; only the windows remain. */
	antigone_replay_table_destroy(&g->replay);
	kfree(rcu_dereference_protected(g->relay, 1));
	if (g->relay_replay) {
		antigone_replay_table_destroy(g->relay_replay);
		kfree(g->relay_replay);
	}
	antigone_tesla_free(g->tesla);
	free_percpu(g->stats);
	kfree_sensitive(g);
}

void antigone_group_put(struct antigone_group *g)
{
	if (g && refcount_dec_and_test(&g->refs)) {
		INIT_RCU_WORK(&g->free_work, group_free_work);
		queue_rcu_work(antigone_wq, &g->free_work);
	}
}

/* Returns the new group with a reference for the caller (the table holds
 * its own), or ERR_PTR.
 */
struct antigone_group *antigone_group_create(struct net *net, const char *name,
					     const struct antigone_group_params *p,
					     const struct antigone_selector *sel,
					     unsigned int nsel)
{
	struct antigone_net *an = antigone_net(net);
	struct antigone_group *g;
	bool need_defrag6 = false;
	unsigned int i;
	int ret;

	if (!antigone_name_valid(name) || nsel > ANTIGONE_MAX_SELECTORS)
		return ERR_PTR(-EINVAL);

	/* Any user may own a network namespace: charge its groups to it. */
	g = kzalloc(struct_size(g, sel, nsel), GFP_KERNEL_ACCOUNT);
	if (!g)
		return ERR_PTR(-ENOMEM);
	g->stats = alloc_percpu_gfp(struct antigone_stats, GFP_KERNEL_ACCOUNT);
	g->tesla = antigone_tesla_new();
	if (!g->stats || !g->tesla) {
		antigone_tesla_free(g->tesla);
		free_percpu(g->stats);
		kfree(g);
		return ERR_PTR(-ENOMEM);
	}
	g->net = net;
	strscpy(g->name, name, sizeof(g->name));
	g->params = *p;
	refcount_set(&g->refs, 2);
	g->hb_last = jiffies;
	antigone_replay_table_init(&g->replay);
	INIT_DELAYED_WORK(&g->retire_work, retire_prev);
	g->nsel = nsel;
	for (i = 0; i < nsel; i++) {
		g->sel[i] = sel[i];
		g->sel[i].group = g;
		if (sel[i].family == AF_INET6)
			need_defrag6 = true;
	}

	mutex_lock(&an->lock);
	ret = -EEXIST;
	if (find_locked(an, 0, name))
		goto fail;
	ret = -EADDRINUSE;
	for (i = 0; i < nsel; i++)
		if (sel_in_use(an, &g->sel[i]))
			goto fail;
	/* Ids are never reused within a namespace, so a stale id held by
	 * userspace cannot name a different, newer group.
	 */
	ret = -ENOSPC;
	if (an->ngroups >= ANTIGONE_MAX_GROUPS || an->next_id == U32_MAX)
		goto fail;
	/* IPv6 reassembles after LOCAL_IN unless defrag runs earlier: without
	 * it, fragments of a protected datagram would bypass the check.
	 */
	if (need_defrag6 && !an->defrag6) {
		ret = defrag6_enable(net);
		if (ret)
			goto fail;
		an->defrag6 = true;
	}
	g->id = ++an->next_id;
	for (i = 0; i < nsel; i++) {
		struct antigone_selector *s = &g->sel[i];

		hlist_add_head_rcu(&s->node,
				   &an->sel_hash[sel_hash(s->family, &s->addr,
							  s->port)]);
	}
	atomic_add(nsel, &an->nsel);
	list_add_tail_rcu(&g->list, &an->groups);
	an->ngroups++;
	an->generation++;
	mutex_unlock(&an->lock);
	return g;

fail:
	mutex_unlock(&an->lock);
	antigone_tesla_free(g->tesla);
	free_percpu(g->stats);
	kfree(g);
	return ERR_PTR(ret);
}

static void unlink_locked(struct antigone_net *an, struct antigone_group *g)
{
	struct antigone_key *cur, *prev;
	unsigned int i;

	lockdep_assert_held(&an->lock);
	WRITE_ONCE(g->dead, true);
	for (i = 0; i < g->nsel; i++) {
		struct antigone_selector *s = &g->sel[i];

		hlist_del_rcu(&s->node);
		if (s->any_hashed) {
			hlist_del_rcu(&s->any_node);
			s->any_hashed = false;
			atomic_dec(&an->nany);
		}
	}
	atomic_sub(g->nsel, &an->nsel);
	list_del_rcu(&g->list);
	an->ngroups--;
	an->generation++;

	/* Erase the keys now, not when the last tagged socket lets go. */
	cur = rcu_replace_pointer(g->cur, NULL, lockdep_is_held(&an->lock));
	prev = rcu_replace_pointer(g->prev, NULL, lockdep_is_held(&an->lock));
	antigone_key_free_rcu(cur);
	antigone_key_free_rcu(prev);
	antigone_group_put(g);
}

/* Drops the table's reference; the caller still holds its own. */
int antigone_group_delete(struct antigone_net *an, struct antigone_group *g)
{
	int ret = -ENOENT;

	mutex_lock(&an->lock);
	if (find_locked(an, g->id, NULL) == g) {
		unlink_locked(an, g);
		ret = 0;
	}
	mutex_unlock(&an->lock);
	if (!ret)
		cancel_delayed_work_sync(&g->retire_work);
	return ret;
}

/* Returns the group with a reference held, or NULL. */
struct antigone_group *antigone_group_find(struct antigone_net *an, u32 id,
					   const char *name)
{
	struct antigone_group *g;

	mutex_lock(&an->lock);
	g = find_locked(an, id, name);
	if (g)
		antigone_group_get(g);
	mutex_unlock(&an->lock);
	return g;
}

static void prune_replay(struct antigone_group *g)
{
	struct antigone_net *an = antigone_net(g->net);
	struct antigone_key *cur, *prev;
	u32 keep[2];

	cur = rcu_dereference_protected(g->cur, lockdep_is_held(&an->lock));
	prev = rcu_dereference_protected(g->prev, lockdep_is_held(&an->lock));
	keep[0] = cur ? cur->epoch : 0;
	keep[1] = prev ? prev->epoch : 0;
	antigone_replay_table_prune(&g->replay, keep);
}

/* The grace period of the previous key is over: erase it. */
static void retire_prev(struct work_struct *work)
{
	struct antigone_group *g = container_of(to_delayed_work(work),
						struct antigone_group,
						retire_work);
	struct antigone_net *an = antigone_net(g->net);
	struct antigone_key *prev = NULL;

	mutex_lock(&an->lock);
	if (time_after_eq(jiffies, g->prev_until)) {
		prev = rcu_replace_pointer(g->prev, NULL,
					   lockdep_is_held(&an->lock));
		prune_replay(g);
	} else if (rcu_access_pointer(g->prev)) {
		mod_delayed_work(antigone_wq, &g->retire_work,
				 g->prev_until - jiffies);
	}
	mutex_unlock(&an->lock);
	antigone_key_free_rcu(prev);
}

/*
 * Installs the key of @epoch. A newer epoch becomes current and the old
 * current key stays acceptable (receive only) for the group's grace
 * period; the key before that is erased at once.
 */
int antigone_group_key_add(struct antigone_group *g, u32 epoch, u32 sender,
			   const u8 *bytes, unsigned int len,
			   u32 lifetime_ms, bool has_lifetime)
{
	struct antigone_net *an = antigone_net(g->net);
	struct antigone_key *k, *cur, *old_prev = NULL;
	unsigned long grace;
	int ret = 0;

	if (!has_lifetime)
		lifetime_ms = g->params.key_lifetime_ms;
	k = antigone_key_create(g->params.suite, epoch, sender, bytes, len,
				lifetime_ms);
	if (IS_ERR(k))
		return PTR_ERR(k);

	mutex_lock(&an->lock);
	if (g->dead) {
		ret = -ENOENT;
		goto out;
	}
	cur = rcu_dereference_protected(g->cur, lockdep_is_held(&an->lock));
	/* Never an epoch twice, even after KEY_DEL: its sequences would
	 * start from 1 again under what may be the same key bytes, and
	 * repeat nonces. A new sender index comes by KEY_SET.
	 */
	if (epoch <= g->epoch_floor) {
		ret = cur && epoch == cur->epoch ? -EEXIST : -ESTALE;
		goto out;
	}
	grace = msecs_to_jiffies(g->params.rekey_grace_ms);
	if (cur && grace) {
		old_prev = rcu_replace_pointer(g->prev, cur,
					       lockdep_is_held(&an->lock));
		g->prev_until = jiffies + grace;
		mod_delayed_work(antigone_wq, &g->retire_work, grace);
	} else {
		old_prev = rcu_replace_pointer(g->prev, NULL,
					       lockdep_is_held(&an->lock));
		antigone_key_free_rcu(cur);
	}
	if (!cur) {
		/* No key, no leader history: a restarted leader numbers
		 * its heartbeats and views from the start again.
		 */
		g->hb_seq = 0;
		WRITE_ONCE(g->hb_epoch, 0);
	}
	rcu_assign_pointer(g->cur, k);
	WRITE_ONCE(g->epoch_floor, epoch);
	k = NULL;
	/* A key just handed out by the leader proves it alive. */
	WRITE_ONCE(g->hb_last, jiffies);
	prune_replay(g);
	an->generation++;
out:
	mutex_unlock(&an->lock);
	antigone_key_free_rcu(old_prev);
	antigone_key_free_rcu(k);	/* NULL unless refused */
	return ret;
}

int antigone_group_key_del(struct antigone_group *g, u32 epoch)
{
	struct antigone_net *an = antigone_net(g->net);
	struct antigone_key *cur, *prev, *gone = NULL;

	mutex_lock(&an->lock);
	cur = rcu_dereference_protected(g->cur, lockdep_is_held(&an->lock));
	prev = rcu_dereference_protected(g->prev, lockdep_is_held(&an->lock));
	if (cur && cur->epoch == epoch)
		gone = rcu_replace_pointer(g->cur, NULL,
					   lockdep_is_held(&an->lock));
	else if (prev && prev->epoch == epoch)
		gone = rcu_replace_pointer(g->prev, NULL,
					   lockdep_is_held(&an->lock));
	if (gone) {
		prune_replay(g);
		an->generation++;
	}
	mutex_unlock(&an->lock);
	antigone_key_free_rcu(gone);
	return gone ? 0 : -ENOENT;
}

/*
 * A member that joins again without a rekey gets a new sender index for
 * the same key. Sequences go on counting under the key, so every nonce
 * this host sends under it stays new, whatever index it had before.
 */
int antigone_group_key_set_sender(struct antigone_group *g, u32 epoch,
				  u32 sender)
{
	struct antigone_net *an = antigone_net(g->net);
	struct antigone_key *cur;
	int ret = -ENOENT;

	mutex_lock(&an->lock);
	cur = rcu_dereference_protected(g->cur, lockdep_is_held(&an->lock));
	if (!g->dead && cur && cur->epoch == epoch) {
		WRITE_ONCE(cur->tx_sender, sender);
		an->generation++;
		ret = 0;
	}
	mutex_unlock(&an->lock);
	return ret;
}

/*
 * The leader's heartbeat (message 9), verified by keyd: (epoch, seq) must
 * grow. A leader that restarts and goes on above its kernel group's epochs
 * numbers its heartbeats from 1 again, under a newer epoch.
 */
int antigone_group_heartbeat(struct antigone_group *g, u64 seq, u32 epoch)
{
	struct antigone_net *an = antigone_net(g->net);
	int ret = 0;

	mutex_lock(&an->lock);
	if (epoch < g->hb_epoch || (epoch == g->hb_epoch && seq <= g->hb_seq)) {
		ret = -ESTALE;
	} else {
		g->hb_seq = seq;
		WRITE_ONCE(g->hb_epoch, epoch);
		WRITE_ONCE(g->hb_last, jiffies);
	}
	mutex_unlock(&an->lock);
	return ret;
}

/*
 * While the group relays (a relay inlet, or the kernel relay), its
 * selectors' ports also match datagrams to any local unicast address: a
 * point-to-point leader sends its members their copies by unicast, and
 * members send a relaying leader theirs. -EADDRINUSE if another relaying
 * group receives on one of those ports.
 */
static int rehash_any_locked(struct antigone_net *an, struct antigone_group *g,
			     bool want)
{
	bool removed = false;
	unsigned int i;
	int ret;

	lockdep_assert_held(&an->lock);
	/* Its ports now take IPv6 too, whose fragments must be reassembled
	 * before LOCAL_IN, as for IPv6 selectors.
	 */
	if (want && g->nsel && !an->defrag6) {
		ret = defrag6_enable(g->net);
		if (ret)
			return ret;
		an->defrag6 = true;
	}
	for (i = 0; want && i < g->nsel; i++) {
		struct antigone_group *other;

		other = antigone_selector_lookup_any(an, g->sel[i].port);
		if (other && other != g)
			return -EADDRINUSE;
	}
	for (i = 0; i < g->nsel; i++) {
		struct antigone_selector *s = &g->sel[i];

		if (want && !s->any_hashed &&
		    !antigone_selector_lookup_any(an, s->port)) {
			hlist_add_head_rcu(&s->any_node,
					   &an->any_hash[any_hash(s->port)]);
			s->any_hashed = true;
			atomic_inc(&an->nany);
		} else if (!want && s->any_hashed) {
			hlist_del_rcu(&s->any_node);
			s->any_hashed = false;
			atomic_dec(&an->nany);
			removed = true;
		}
	}
	/* A node may be hashed again by the next call only once no reader
	 * walks it any more.
	 */
	if (removed)
		synchronize_rcu();
	return 0;
}

/*
 * Relaying through userspace on (@port != 0): the datapath hands the
 * group's protected datagrams to the relay inlet on loopback @port instead
 * of the network (unless the kernel relay takes them).
 */
int antigone_group_set_relay(struct antigone_group *g, u16 port)
{
	struct antigone_net *an = antigone_net(g->net);
	struct antigone_relay *r;
	int ret = -ENOENT;

	mutex_lock(&an->lock);
	if (g->dead)
		goto out;
	r = rcu_dereference_protected(g->relay, lockdep_is_held(&an->lock));
	ret = rehash_any_locked(an, g, port || r);
	if (ret)
		goto out;
	WRITE_ONCE(g->relay_port, htons(port));
	an->generation++;
out:
	mutex_unlock(&an->lock);
	return ret;
}

/*
 * The kernel relay's settings, @r (NULL: RELAY_NONE), owned by the group
 * from now on, also on error. A leader mode gets the relay's windows,
 * made once and kept.
 */
int antigone_group_set_relay_mode(struct antigone_group *g,
				  struct antigone_relay *r)
{
	struct antigone_net *an = antigone_net(g->net);
	struct antigone_replay_table *t;
	struct antigone_relay *old;
	int ret = -ENOENT;

	mutex_lock(&an->lock);
	if (g->dead)
		goto fail;
	if (r && r->mode != ANTIGONE_RELAY_TO_LEADER) {
		if (!g->relay_replay) {
			t = kmalloc(sizeof(*t), GFP_KERNEL_ACCOUNT);
			ret = -ENOMEM;
			if (!t)
				goto fail;
			antigone_replay_table_init(t);
			g->relay_replay = t;
		}
		r->replay = g->relay_replay;
	}
	ret = rehash_any_locked(an, g, g->relay_port || r);
	if (ret)
		goto fail;
	old = rcu_replace_pointer(g->relay, r, lockdep_is_held(&an->lock));
	an->generation++;
	mutex_unlock(&an->lock);
	if (old)
		kfree_rcu(old, rcu);
	return 0;
fail:
	mutex_unlock(&an->lock);
	kfree(r);
	return ret;
}

/*
 * A member learns its leader's heartbeat interval only when it joins: the
 * timeout may change in a live group. It counts from the last heartbeat
 * or key, as before.
 */
void antigone_group_set_hb_timeout(struct antigone_group *g, u32 ms)
{
	struct antigone_net *an = antigone_net(g->net);

	mutex_lock(&an->lock);
	WRITE_ONCE(g->params.hb_timeout_ms, ms);
	an->generation++;
	mutex_unlock(&an->lock);
}

/* Whether traffic may flow under @k now; @k is the current key or NULL. */
u8 antigone_group_state(const struct antigone_group *g,
			const struct antigone_key *k)
{
	u32 timeout = READ_ONCE(g->params.hb_timeout_ms);

	if (!k || READ_ONCE(g->dead))
		return ANTIGONE_STATE_NO_KEY;
	if (antigone_key_expired(k))
		return ANTIGONE_STATE_KEY_EXPIRED;
	if (timeout && time_after(jiffies, READ_ONCE(g->hb_last) +
				  msecs_to_jiffies(timeout)))
		return ANTIGONE_STATE_HB_STALE;
	if (READ_ONCE(g->hb_epoch) > k->epoch)
		return ANTIGONE_STATE_KEY_STALE;
	return ANTIGONE_STATE_OK;
}

void antigone_group_stats(const struct antigone_group *g,
			  u64 out[__ANTIGONE_STAT_MAX])
{
	int cpu, i;

	memset(out, 0, sizeof(u64) * __ANTIGONE_STAT_MAX);
	for_each_possible_cpu(cpu) {
		const struct antigone_stats *s = per_cpu_ptr(g->stats, cpu);
		u64 v[__ANTIGONE_STAT_MAX];
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			memcpy(v, s->v, sizeof(v));
		} while (u64_stats_fetch_retry(&s->syncp, start));
		for (i = 0; i < __ANTIGONE_STAT_MAX; i++)
			out[i] += v[i];
	}
}

static int __net_init antigone_net_init(struct net *net)
{
	struct antigone_net *an = antigone_net(net);
	unsigned int i;

	mutex_init(&an->lock);
	INIT_LIST_HEAD(&an->groups);
	for (i = 0; i < ARRAY_SIZE(an->sel_hash); i++)
		INIT_HLIST_HEAD(&an->sel_hash[i]);
	for (i = 0; i < ARRAY_SIZE(an->any_hash); i++)
		INIT_HLIST_HEAD(&an->any_hash[i]);
	atomic_set(&an->nsel, 0);
	atomic_set(&an->nany, 0);
	return 0;
}

static void __net_exit antigone_net_exit(struct net *net)
{
	struct antigone_net *an = antigone_net(net);
	struct antigone_group *g, *tmp;
	LIST_HEAD(gone);

	/* Tagged sockets are gone: sockopt.c's namespace exit runs first
	 * (registered later), and only at module unload can there be any,
	 * since sockets pin their namespace.
	 */
	mutex_lock(&an->lock);
	list_for_each_entry_safe(g, tmp, &an->groups, list) {
		antigone_group_get(g);
		unlink_locked(an, g);
		list_add(&g->list, &gone);	/* unlinked: reuse the node */
	}
	if (an->defrag6)
		defrag6_disable(net);
	an->defrag6 = false;
	mutex_unlock(&an->lock);

	list_for_each_entry_safe(g, tmp, &gone, list) {
		cancel_delayed_work_sync(&g->retire_work);
		antigone_group_put(g);
	}
}

static struct pernet_operations antigone_net_ops = {
	.init = antigone_net_init,
	.exit = antigone_net_exit,
	.id   = &antigone_net_id,
	.size = sizeof(struct antigone_net),
};

int antigone_group_init(void)
{
	return register_pernet_subsys(&antigone_net_ops);
}

void antigone_group_exit(void)
{
	unregister_pernet_subsys(&antigone_net_ops);
}
