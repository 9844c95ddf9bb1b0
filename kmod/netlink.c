// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink family "antigone": how keyd and the CLI configure the
 * module. Every attribute is validated by the policy below (strict: unknown
 * or output-only attributes are rejected); every command that changes state
 * needs CAP_NET_ADMIN in the user namespace owning the network namespace.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <net/genetlink.h>
#include <net/ipv6.h>
#include <net/sock.h>

#include "group.h"
#include "netlink.h"
#include "version.h"

static struct genl_family antigone_genl_family;

static const struct nla_policy antigone_selector_policy[ANTIGONE_A_SEL_PORT + 1] = {
	[ANTIGONE_A_SEL_ADDR]		= NLA_POLICY_RANGE(NLA_BINARY, 4, 16),
	[ANTIGONE_A_SEL_PORT]		= NLA_POLICY_MIN(NLA_U16, 1),
};

static const struct nla_policy antigone_policy[ANTIGONE_A_MAX + 1] = {
	[ANTIGONE_A_GROUP_ID]		= NLA_POLICY_MIN(NLA_U32, 1),
	[ANTIGONE_A_GROUP_NAME]		= { .type = NLA_NUL_STRING,
					    .len = ANTIGONE_NAME_MAX },
	[ANTIGONE_A_GROUP_SUITE]	= NLA_POLICY_RANGE(NLA_U8,
					    ANTIGONE_SUITE_AES128_GCM,
					    ANTIGONE_SUITE_CHACHA20_POLY1305),
	[ANTIGONE_A_GROUP_GUARANTEE]	= NLA_POLICY_RANGE(NLA_U8,
					    ANTIGONE_G_INTEGRITY,
					    ANTIGONE_G_BOTH),
	[ANTIGONE_A_GROUP_FAIL_POLICY]	= NLA_POLICY_MAX(NLA_U8,
					    ANTIGONE_FAIL_EVENT_ONLY),
	[ANTIGONE_A_GROUP_HB_TIMEOUT_MS]	= { .type = NLA_U32 },
	[ANTIGONE_A_GROUP_KEY_LIFETIME_MS]	= { .type = NLA_U32 },
	[ANTIGONE_A_GROUP_REKEY_GRACE_MS]	= { .type = NLA_U32 },
	[ANTIGONE_A_GROUP_ALLOW_UID]	= { .type = NLA_U32 },
	[ANTIGONE_A_GROUP_ALLOW_GID]	= { .type = NLA_U32 },
	[ANTIGONE_A_GROUP_SELECTORS]	=
		NLA_POLICY_NESTED_ARRAY(antigone_selector_policy),
	[ANTIGONE_A_KEY_EPOCH]		= NLA_POLICY_MIN(NLA_U32, 1),
	[ANTIGONE_A_KEY_DATA]		= NLA_POLICY_RANGE(NLA_BINARY, 16, 32),
	[ANTIGONE_A_KEY_SENDER]		= { .type = NLA_U32 },
	[ANTIGONE_A_KEY_LIFETIME_MS]	= { .type = NLA_U32 },
	[ANTIGONE_A_HB_SEQ]		= NLA_POLICY_MIN(NLA_U64, 1),
	[ANTIGONE_A_HB_EPOCH]		= { .type = NLA_U32 },
	[ANTIGONE_A_GROUP_RELAY_PORT]	= { .type = NLA_U16 },
};

#define ANTIGONE_DEFAULT_REKEY_GRACE_MS 2000

static struct antigone_net *info_an(struct genl_info *info)
{
	return antigone_net(genl_info_net(info));
}

static struct user_namespace *skb_user_ns(const struct sk_buff *skb)
{
	return sk_user_ns(NETLINK_CB(skb).sk);
}

static int get_info(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &antigone_genl_family, 0,
				ANTIGONE_CMD_GET_INFO);
	if (!hdr ||
	    nla_put_string(msg, ANTIGONE_A_INFO_VERSION, ANTIGONE_VERSION) ||
	    nla_put_u32(msg, ANTIGONE_A_INFO_API, ANTIGONE_GENL_VERSION) ||
	    nla_put_u32(msg, ANTIGONE_A_INFO_MAX_GROUPS, ANTIGONE_MAX_GROUPS)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static int fill_keys(struct sk_buff *skb, const struct antigone_group *g)
{
	struct antigone_key *cur, *prev;
	int ret;

	rcu_read_lock();
	cur = rcu_dereference(g->cur);
	prev = rcu_dereference(g->prev);
	ret = nla_put_u32(skb, ANTIGONE_A_GROUP_EPOCH, cur ? cur->epoch : 0) ||
	      nla_put_u32(skb, ANTIGONE_A_GROUP_EPOCH_FLOOR,
			  READ_ONCE(g->epoch_floor)) ||
	      (prev && nla_put_u32(skb, ANTIGONE_A_GROUP_PREV_EPOCH,
				   prev->epoch)) ||
	      nla_put_u8(skb, ANTIGONE_A_GROUP_STATE,
			 antigone_group_state(g, cur));
	rcu_read_unlock();
	return ret ? -EMSGSIZE : 0;
}

static int fill_selectors(struct sk_buff *skb, const struct antigone_group *g)
{
	struct nlattr *list, *one;
	unsigned int i;

	if (!g->nsel)
		return 0;
	list = nla_nest_start(skb, ANTIGONE_A_GROUP_SELECTORS);
	if (!list)
		return -EMSGSIZE;
	for (i = 0; i < g->nsel; i++) {
		const struct antigone_selector *sel = &g->sel[i];
		bool v4 = sel->family == AF_INET;

		one = nla_nest_start(skb, ANTIGONE_A_SELECTOR);
		if (!one ||
		    nla_put(skb, ANTIGONE_A_SEL_ADDR, v4 ? 4 : 16,
			    v4 ? (const void *)&sel->addr.s6_addr32[3] :
				 (const void *)&sel->addr) ||
		    nla_put_u16(skb, ANTIGONE_A_SEL_PORT, ntohs(sel->port)))
			return -EMSGSIZE;
		nla_nest_end(skb, one);
	}
	nla_nest_end(skb, list);
	return 0;
}

static int fill_stats(struct sk_buff *skb, const struct antigone_group *g)
{
	u64 v[__ANTIGONE_STAT_MAX];
	struct nlattr *nest;
	int i;

	antigone_group_stats(g, v);
	nest = nla_nest_start(skb, ANTIGONE_A_GROUP_STATS);
	if (!nest)
		return -EMSGSIZE;
	for (i = ANTIGONE_STAT_UNSPEC + 1; i < __ANTIGONE_STAT_MAX; i++)
		if (nla_put_u64_64bit(skb, i, v[i], ANTIGONE_STAT_UNSPEC))
			return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int fill_group(struct sk_buff *skb, const struct antigone_group *g,
		      struct user_namespace *ns)
{
	const struct antigone_group_params *p = &g->params;

	if (nla_put_u32(skb, ANTIGONE_A_GROUP_ID, g->id) ||
	    nla_put_string(skb, ANTIGONE_A_GROUP_NAME, g->name) ||
	    nla_put_u8(skb, ANTIGONE_A_GROUP_SUITE, p->suite) ||
	    nla_put_u8(skb, ANTIGONE_A_GROUP_GUARANTEE, p->guarantee) ||
	    nla_put_u8(skb, ANTIGONE_A_GROUP_FAIL_POLICY, p->fail_policy) ||
	    nla_put_u32(skb, ANTIGONE_A_GROUP_HB_TIMEOUT_MS, p->hb_timeout_ms) ||
	    nla_put_u32(skb, ANTIGONE_A_GROUP_KEY_LIFETIME_MS,
			p->key_lifetime_ms) ||
	    nla_put_u32(skb, ANTIGONE_A_GROUP_REKEY_GRACE_MS,
			p->rekey_grace_ms) ||
	    nla_put_u16(skb, ANTIGONE_A_GROUP_RELAY_PORT,
			ntohs(READ_ONCE(g->relay_port))))
		return -EMSGSIZE;
	if (uid_valid(p->allow_uid) &&
	    nla_put_u32(skb, ANTIGONE_A_GROUP_ALLOW_UID,
			from_kuid_munged(ns, p->allow_uid)))
		return -EMSGSIZE;
	if (gid_valid(p->allow_gid) &&
	    nla_put_u32(skb, ANTIGONE_A_GROUP_ALLOW_GID,
			from_kgid_munged(ns, p->allow_gid)))
		return -EMSGSIZE;
	if (fill_keys(skb, g) || fill_selectors(skb, g) || fill_stats(skb, g))
		return -EMSGSIZE;
	return 0;
}

static int reply_group(struct sk_buff *skb, struct genl_info *info,
		       const struct antigone_group *g)
{
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &antigone_genl_family, 0,
				ANTIGONE_CMD_GROUP_GET);
	if (!hdr || fill_group(msg, g, skb_user_ns(skb))) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/* The group named by ID and/or NAME (both must match when both are given),
 * with a reference held; ERR_PTR on failure with extack set.
 */
static struct antigone_group *group_from_info(struct genl_info *info)
{
	struct nlattr *const *a = info->attrs;
	struct antigone_group *g;
	const char *name = NULL;
	u32 id = 0;

	if (a[ANTIGONE_A_GROUP_ID])
		id = nla_get_u32(a[ANTIGONE_A_GROUP_ID]);
	if (a[ANTIGONE_A_GROUP_NAME])
		name = nla_data(a[ANTIGONE_A_GROUP_NAME]);
	if (!id && !name) {
		GENL_SET_ERR_MSG(info, "group ID or NAME required");
		return ERR_PTR(-EINVAL);
	}
	g = antigone_group_find(info_an(info), id, name);
	if (!g) {
		GENL_SET_ERR_MSG(info, "no such group");
		return ERR_PTR(-ENOENT);
	}
	return g;
}

static int parse_params(struct sk_buff *skb, struct genl_info *info,
			struct antigone_group_params *p)
{
	struct user_namespace *ns = skb_user_ns(skb);
	struct nlattr *const *a = info->attrs;
	struct nlattr *attr;

	*p = (struct antigone_group_params) {
		.suite = ANTIGONE_SUITE_AES128_GCM,
		.guarantee = ANTIGONE_G_BOTH,
		.fail_policy = ANTIGONE_FAIL_CLOSED,
		.rekey_grace_ms = ANTIGONE_DEFAULT_REKEY_GRACE_MS,
		.allow_uid = INVALID_UID,
		.allow_gid = INVALID_GID,
	};
	if (a[ANTIGONE_A_GROUP_SUITE])
		p->suite = nla_get_u8(a[ANTIGONE_A_GROUP_SUITE]);
	if (a[ANTIGONE_A_GROUP_GUARANTEE])
		p->guarantee = nla_get_u8(a[ANTIGONE_A_GROUP_GUARANTEE]);
	if (a[ANTIGONE_A_GROUP_FAIL_POLICY])
		p->fail_policy = nla_get_u8(a[ANTIGONE_A_GROUP_FAIL_POLICY]);
	if (a[ANTIGONE_A_GROUP_HB_TIMEOUT_MS])
		p->hb_timeout_ms = nla_get_u32(a[ANTIGONE_A_GROUP_HB_TIMEOUT_MS]);
	if (a[ANTIGONE_A_GROUP_KEY_LIFETIME_MS])
		p->key_lifetime_ms =
			nla_get_u32(a[ANTIGONE_A_GROUP_KEY_LIFETIME_MS]);
	if (a[ANTIGONE_A_GROUP_REKEY_GRACE_MS])
		p->rekey_grace_ms =
			nla_get_u32(a[ANTIGONE_A_GROUP_REKEY_GRACE_MS]);
	attr = a[ANTIGONE_A_GROUP_ALLOW_UID];
	if (attr) {
		p->allow_uid = make_kuid(ns, nla_get_u32(attr));
		if (!uid_valid(p->allow_uid)) {
			NL_SET_ERR_MSG_ATTR(info->extack, attr,
					    "uid not mapped in this namespace");
			return -EINVAL;
		}
	}
	attr = a[ANTIGONE_A_GROUP_ALLOW_GID];
	if (attr) {
		p->allow_gid = make_kgid(ns, nla_get_u32(attr));
		if (!gid_valid(p->allow_gid)) {
			NL_SET_ERR_MSG_ATTR(info->extack, attr,
					    "gid not mapped in this namespace");
			return -EINVAL;
		}
	}
	return 0;
}

/* The nested array of (address, port) selectors, validated by policy. */
static int parse_selectors(struct genl_info *info,
			   struct antigone_selector *sel, unsigned int *nsel)
{
	struct nlattr *list = info->attrs[ANTIGONE_A_GROUP_SELECTORS];
	struct nlattr *tb[ANTIGONE_A_SEL_PORT + 1];
	struct nlattr *one;
	unsigned int i, n = 0;
	int rem, ret;

	*nsel = 0;
	if (!list)
		return 0;
	nla_for_each_nested(one, list, rem) {
		struct antigone_selector *s = &sel[n];

		if (n == ANTIGONE_MAX_SELECTORS) {
			NL_SET_ERR_MSG_ATTR(info->extack, one,
					    "too many selectors (16 at most)");
			return -E2BIG;
		}
		ret = nla_parse_nested(tb, ANTIGONE_A_SEL_PORT, one,
				       antigone_selector_policy, info->extack);
		if (ret)
			return ret;
		if (!tb[ANTIGONE_A_SEL_ADDR] || !tb[ANTIGONE_A_SEL_PORT]) {
			NL_SET_ERR_MSG_ATTR(info->extack, one,
					    "a selector needs ADDR and PORT");
			return -EINVAL;
		}
		memset(s, 0, sizeof(*s));
		if (nla_len(tb[ANTIGONE_A_SEL_ADDR]) == 4) {
			s->family = AF_INET;
			ipv6_addr_set_v4mapped(nla_get_in_addr(tb[ANTIGONE_A_SEL_ADDR]),
					       &s->addr);
		} else if (nla_len(tb[ANTIGONE_A_SEL_ADDR]) == 16) {
			s->family = AF_INET6;
			s->addr = nla_get_in6_addr(tb[ANTIGONE_A_SEL_ADDR]);
		} else {
			NL_SET_ERR_MSG_ATTR(info->extack, tb[ANTIGONE_A_SEL_ADDR],
					    "address must be 4 or 16 bytes");
			return -EINVAL;
		}
		s->port = htons(nla_get_u16(tb[ANTIGONE_A_SEL_PORT]));
		for (i = 0; i < n; i++) {
			if (sel[i].family == s->family &&
			    sel[i].port == s->port &&
			    ipv6_addr_equal(&sel[i].addr, &s->addr)) {
				NL_SET_ERR_MSG_ATTR(info->extack, one,
						    "duplicate selector");
				return -EINVAL;
			}
		}
		n++;
	}
	*nsel = n;
	return 0;
}

static int group_new(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *name = info->attrs[ANTIGONE_A_GROUP_NAME];
	struct antigone_selector sel[ANTIGONE_MAX_SELECTORS];
	struct antigone_group_params p;
	struct antigone_group *g;
	unsigned int nsel;
	int ret;

	if (!name) {
		GENL_SET_ERR_MSG(info, "group NAME required");
		return -EINVAL;
	}
	if (info->attrs[ANTIGONE_A_GROUP_ID]) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[ANTIGONE_A_GROUP_ID],
				    "group ids are assigned by the kernel");
		return -EINVAL;
	}
	if (info->attrs[ANTIGONE_A_GROUP_RELAY_PORT]) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[ANTIGONE_A_GROUP_RELAY_PORT],
				    "relaying starts with GROUP_SET");
		return -EINVAL;
	}
	if (!antigone_name_valid(nla_data(name))) {
		NL_SET_ERR_MSG_ATTR(info->extack, name,
				    "name must be 1-15 of [A-Za-z0-9._-]");
		return -EINVAL;
	}
	ret = parse_params(skb, info, &p);
	if (!ret)
		ret = parse_selectors(info, sel, &nsel);
	if (ret)
		return ret;

	g = antigone_group_create(genl_info_net(info), nla_data(name), &p, sel,
				  nsel);
	if (IS_ERR(g)) {
		if (PTR_ERR(g) == -EEXIST)
			GENL_SET_ERR_MSG(info, "a group of that name exists");
		else if (PTR_ERR(g) == -EADDRINUSE)
			GENL_SET_ERR_MSG(info, "a selector belongs to another group");
		else if (PTR_ERR(g) == -ENOSPC)
			GENL_SET_ERR_MSG(info, "too many groups");
		return PTR_ERR(g);
	}
	/* The group is live already; a failed reply does not undo it, as
	 * for any netlink NEW whose ack is lost.
	 */
	ret = reply_group(skb, info, g);
	antigone_group_put(g);
	return ret;
}

static int group_del(struct sk_buff *skb, struct genl_info *info)
{
	struct antigone_group *g = group_from_info(info);
	int ret;

	if (IS_ERR(g))
		return PTR_ERR(g);
	ret = antigone_group_delete(info_an(info), g);
	antigone_group_put(g);
	return ret;
}

static int group_get(struct sk_buff *skb, struct genl_info *info)
{
	struct antigone_group *g = group_from_info(info);
	int ret;

	if (IS_ERR(g))
		return PTR_ERR(g);
	ret = reply_group(skb, info, g);
	antigone_group_put(g);
	return ret;
}

/*
 * Commands that change one thing of a live group take the group's id or
 * name and @a, @b only: the first other attribute given, or NULL.
 */
static struct nlattr *other_attr(struct genl_info *info, int a, int b)
{
	int i;

	for (i = 1; i <= ANTIGONE_A_MAX; i++)
		if (info->attrs[i] && i != ANTIGONE_A_GROUP_ID &&
		    i != ANTIGONE_A_GROUP_NAME && i != a && i != b)
			return info->attrs[i];
	return NULL;
}

/*
 * What may change in a live group: how its traffic leaves (relay) and the
 * leader heartbeat timeout (a member learns its leader's when it joins).
 */
static int group_set(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *port = info->attrs[ANTIGONE_A_GROUP_RELAY_PORT];
	struct nlattr *hb = info->attrs[ANTIGONE_A_GROUP_HB_TIMEOUT_MS];
	struct antigone_group *g;
	struct nlattr *other;
	int ret = 0;

	other = other_attr(info, ANTIGONE_A_GROUP_RELAY_PORT,
			   ANTIGONE_A_GROUP_HB_TIMEOUT_MS);
	if (other) {
		NL_SET_ERR_MSG_ATTR(info->extack, other,
				    "cannot change in a live group");
		return -EINVAL;
	}
	if (!port && !hb) {
		GENL_SET_ERR_MSG(info, "GROUP_RELAY_PORT or GROUP_HB_TIMEOUT_MS required");
		return -EINVAL;
	}
	g = group_from_info(info);
	if (IS_ERR(g))
		return PTR_ERR(g);
	if (port)
		ret = antigone_group_set_relay(g, nla_get_u16(port));
	if (ret == -EADDRINUSE)
		NL_SET_ERR_MSG_ATTR(info->extack, port,
				    "another relaying group receives on a selector port");
	if (!ret && hb)
		antigone_group_set_hb_timeout(g, nla_get_u32(hb));
	antigone_group_put(g);
	return ret;
}

static int key_add(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *const *a = info->attrs;
	struct nlattr *data = a[ANTIGONE_A_KEY_DATA];
	struct antigone_group *g;
	int ret;

	if (!a[ANTIGONE_A_KEY_EPOCH] || !data) {
		GENL_SET_ERR_MSG(info, "KEY_EPOCH and KEY_DATA required");
		ret = -EINVAL;
		goto wipe;
	}
	g = group_from_info(info);
	if (IS_ERR(g)) {
		ret = PTR_ERR(g);
		goto wipe;
	}
	if (nla_len(data) != antigone_suite_key_len(g->params.suite)) {
		NL_SET_ERR_MSG_ATTR(info->extack, data,
				    "key length does not match the group's suite");
		ret = -EINVAL;
	} else {
		struct nlattr *life = a[ANTIGONE_A_KEY_LIFETIME_MS];
		struct nlattr *sender = a[ANTIGONE_A_KEY_SENDER];

		ret = antigone_group_key_add(g,
					     nla_get_u32(a[ANTIGONE_A_KEY_EPOCH]),
					     sender ? nla_get_u32(sender) : 0,
					     nla_data(data), nla_len(data),
					     life ? nla_get_u32(life) : 0, life);
		if (ret == -EEXIST)
			GENL_SET_ERR_MSG(info, "a key of that epoch is installed");
		else if (ret == -ESTALE)
			GENL_SET_ERR_MSG(info, "epoch not newer than every key installed before");
	}
	antigone_group_put(g);
wipe:
	/* The request held the key: wipe it, as WireGuard does. */
	if (data)
		memzero_explicit(nla_data(data), nla_len(data));
	return ret;
}

static int key_del(struct sk_buff *skb, struct genl_info *info)
{
	struct antigone_group *g;
	int ret;

	if (!info->attrs[ANTIGONE_A_KEY_EPOCH]) {
		GENL_SET_ERR_MSG(info, "KEY_EPOCH required");
		return -EINVAL;
	}
	g = group_from_info(info);
	if (IS_ERR(g))
		return PTR_ERR(g);
	ret = antigone_group_key_del(g,
				     nla_get_u32(info->attrs[ANTIGONE_A_KEY_EPOCH]));
	if (ret == -ENOENT)
		GENL_SET_ERR_MSG(info, "no key of that epoch");
	antigone_group_put(g);
	return ret;
}

static int key_set(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *const *a = info->attrs;
	struct antigone_group *g;
	struct nlattr *other;
	int ret;

	other = other_attr(info, ANTIGONE_A_KEY_EPOCH, ANTIGONE_A_KEY_SENDER);
	if (other) {
		NL_SET_ERR_MSG_ATTR(info->extack, other,
				    "only the sender index of a key changes");
		return -EINVAL;
	}
	if (!a[ANTIGONE_A_KEY_EPOCH] || !a[ANTIGONE_A_KEY_SENDER]) {
		GENL_SET_ERR_MSG(info, "KEY_EPOCH and KEY_SENDER required");
		return -EINVAL;
	}
	g = group_from_info(info);
	if (IS_ERR(g))
		return PTR_ERR(g);
	ret = antigone_group_key_set_sender(g,
					    nla_get_u32(a[ANTIGONE_A_KEY_EPOCH]),
					    nla_get_u32(a[ANTIGONE_A_KEY_SENDER]));
	if (ret == -ENOENT)
		GENL_SET_ERR_MSG(info, "the current key is not of that epoch");
	antigone_group_put(g);
	return ret;
}

static int heartbeat_seen(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *const *a = info->attrs;
	struct antigone_group *g;
	int ret;

	if (!a[ANTIGONE_A_HB_SEQ]) {
		GENL_SET_ERR_MSG(info, "HB_SEQ required");
		return -EINVAL;
	}
	g = group_from_info(info);
	if (IS_ERR(g))
		return PTR_ERR(g);
	ret = antigone_group_heartbeat(g, nla_get_u64(a[ANTIGONE_A_HB_SEQ]),
				       a[ANTIGONE_A_HB_EPOCH] ?
				       nla_get_u32(a[ANTIGONE_A_HB_EPOCH]) : 0);
	if (ret == -ESTALE)
		GENL_SET_ERR_MSG(info, "heartbeat sequence not newer than the last");
	antigone_group_put(g);
	return ret;
}

/* At most ten events of a kind per group and second: attack traffic must
 * not flood the listeners.
 */
static bool event_allowed(struct antigone_group *g, u8 type)
{
	unsigned long *last = &g->event_last[type % ARRAY_SIZE(g->event_last)];
	unsigned long now = jiffies, then = READ_ONCE(*last);

	if (then && time_before(now, then + HZ / 10))
		return false;
	return cmpxchg(last, then, now ? now : 1) == then;
}

void antigone_genl_event(struct antigone_group *g, u8 type, u32 epoch,
			 u32 sender)
{
	struct sk_buff *msg;
	void *hdr;

	if (!event_allowed(g, type) ||
	    !genl_has_listeners(&antigone_genl_family, g->net, 0))
		return;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_ATOMIC);
	if (!msg)
		return;
	hdr = genlmsg_put(msg, 0, 0, &antigone_genl_family, 0,
			  ANTIGONE_CMD_EVENT);
	if (!hdr ||
	    nla_put_u8(msg, ANTIGONE_A_EVENT_TYPE, type) ||
	    nla_put_u32(msg, ANTIGONE_A_GROUP_ID, g->id) ||
	    nla_put_string(msg, ANTIGONE_A_GROUP_NAME, g->name) ||
	    nla_put_u32(msg, ANTIGONE_A_EVENT_EPOCH, epoch) ||
	    nla_put_u32(msg, ANTIGONE_A_EVENT_SENDER, sender)) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_end(msg, hdr);
	genlmsg_multicast_netns(&antigone_genl_family, g->net, msg, 0, 0,
				GFP_ATOMIC);
}

/* Resumable: cb->args[0] is the last id sent; ids only grow and the list is
 * ordered by id, so a resumed dump neither repeats nor skips a group that
 * stayed. A change in between is flagged with NLM_F_DUMP_INTR.
 */
static int group_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct antigone_net *an = antigone_net(sock_net(skb->sk));
	struct user_namespace *ns = sk_user_ns(NETLINK_CB(cb->skb).sk);
	struct antigone_group *g;
	u32 last = cb->args[0];
	void *hdr;

	mutex_lock(&an->lock);
	cb->seq = an->generation;
	list_for_each_entry(g, &an->groups, list) {
		if (g->id <= last)
			continue;
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &antigone_genl_family,
				  NLM_F_MULTI, ANTIGONE_CMD_GROUP_GET);
		if (!hdr)
			break;
		genl_dump_check_consistent(cb, hdr);
		if (fill_group(skb, g, ns)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		cb->args[0] = g->id;
	}
	mutex_unlock(&an->lock);
	return skb->len;
}

static const struct genl_small_ops antigone_genl_ops[] = {
	{
		.cmd = ANTIGONE_CMD_GET_INFO,
		.doit = get_info,
	},
	{
		.cmd = ANTIGONE_CMD_GROUP_NEW,
		.doit = group_new,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = ANTIGONE_CMD_GROUP_DEL,
		.doit = group_del,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = ANTIGONE_CMD_GROUP_GET,
		.doit = group_get,
		.dumpit = group_dump,
	},
	{
		.cmd = ANTIGONE_CMD_GROUP_SET,
		.doit = group_set,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = ANTIGONE_CMD_KEY_ADD,
		.doit = key_add,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = ANTIGONE_CMD_KEY_DEL,
		.doit = key_del,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = ANTIGONE_CMD_KEY_SET,
		.doit = key_set,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = ANTIGONE_CMD_HEARTBEAT,
		.doit = heartbeat_seen,
		.flags = GENL_UNS_ADMIN_PERM,
	},
};

static const struct genl_multicast_group antigone_genl_mcgrps[] = {
	{ .name = ANTIGONE_GENL_MCGRP_EVENTS },
};

static struct genl_family antigone_genl_family __ro_after_init = {
	.name = ANTIGONE_GENL_NAME,
	.version = ANTIGONE_GENL_VERSION,
	.maxattr = ANTIGONE_A_MAX,
	.policy = antigone_policy,
	.netnsok = true,
	.module = THIS_MODULE,
	.small_ops = antigone_genl_ops,
	.n_small_ops = ARRAY_SIZE(antigone_genl_ops),
	.resv_start_op = __ANTIGONE_CMD_MAX,
	.mcgrps = antigone_genl_mcgrps,
	.n_mcgrps = ARRAY_SIZE(antigone_genl_mcgrps),
};

int __init antigone_genl_init(void)
{
	return genl_register_family(&antigone_genl_family);
}

void antigone_genl_exit(void)
{
	genl_unregister_family(&antigone_genl_family);
}
