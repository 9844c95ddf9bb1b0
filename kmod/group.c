// SPDX-License-Identifier: GPL-2.0
/*
 * Groups and the per-network-namespace table that holds them.
 *
 * Writers hold antigone_net.lock; the datapath looks groups up under RCU and
 * takes a reference when it keeps one beyond the read-side section.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>
#include <linux/string.h>
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

/* Returns the new group with a reference for the caller (the table holds
 * its own), or ERR_PTR.
 */
struct antigone_group *antigone_group_create(struct antigone_net *an,
					     const char *name,
					     const struct antigone_group_params *p)
{
	struct antigone_group *g;

	if (!antigone_name_valid(name))
		return ERR_PTR(-EINVAL);

	g = kzalloc(sizeof(*g), GFP_KERNEL);
	if (!g)
		return ERR_PTR(-ENOMEM);
	strscpy(g->name, name, sizeof(g->name));
	g->params = *p;
	refcount_set(&g->refs, 2);

	mutex_lock(&an->lock);
	if (find_locked(an, 0, name)) {
		mutex_unlock(&an->lock);
		kfree(g);
		return ERR_PTR(-EEXIST);
	}
	if (an->ngroups >= ANTIGONE_MAX_GROUPS) {
		mutex_unlock(&an->lock);
		kfree(g);
		return ERR_PTR(-ENOSPC);
	}
	/* Ids are never reused within a namespace, so a stale id held by
	 * userspace cannot name a different, newer group.
	 */
	if (an->next_id == U32_MAX) {
		mutex_unlock(&an->lock);
		kfree(g);
		return ERR_PTR(-ENOSPC);
	}
	g->id = ++an->next_id;
	list_add_tail_rcu(&g->list, &an->groups);
	an->ngroups++;
	an->generation++;
	mutex_unlock(&an->lock);
	return g;
}

static void group_free_rcu(struct rcu_head *rcu)
{
	kfree_sensitive(container_of(rcu, struct antigone_group, rcu));
}

void antigone_group_put(struct antigone_group *g)
{
	if (g && refcount_dec_and_test(&g->refs))
		call_rcu(&g->rcu, group_free_rcu);
}

static void unlink_locked(struct antigone_net *an, struct antigone_group *g)
{
	list_del_rcu(&g->list);
	an->ngroups--;
	an->generation++;
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
		refcount_inc(&g->refs);
	mutex_unlock(&an->lock);
	return g;
}

static int __net_init antigone_net_init(struct net *net)
{
	struct antigone_net *an = antigone_net(net);

	mutex_init(&an->lock);
	INIT_LIST_HEAD(&an->groups);
	return 0;
}

static void __net_exit antigone_net_exit(struct net *net)
{
	struct antigone_net *an = antigone_net(net);
	struct antigone_group *g, *tmp;

	mutex_lock(&an->lock);
	list_for_each_entry_safe(g, tmp, &an->groups, list)
		unlink_locked(an, g);
	mutex_unlock(&an->lock);
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
	/* Groups are freed through call_rcu: wait for them before the
	 * module's text goes away.
	 */
	rcu_barrier();
}
