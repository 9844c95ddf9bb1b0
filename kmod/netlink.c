// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink family "antigone": how keyd and the CLI configure the
 * module. Every request is checked by the policy of its command before it
 * reaches the handler (strict: an attribute the command does not take, in
 * the nest it came in, is refused; so is an output-only one); every command
 * that changes state needs CAP_NET_ADMIN in the user namespace owning the
 * network namespace. The message trees are in uapi/linux/antigone.h.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <net/genetlink.h>
#include <net/ipv6.h>
#include <net/sock.h>

#include "group.h"
#include "netlink.h"
#include "netlink_msg.h"
#include "relay.h"
#include "version.h"

static struct genl_family antigone_genl_family;

#define ANTIGONE_DEFAULT_REKEY_GRACE_MS 2000

static struct antigone_net *info_an(struct genl_info *info)
{
	return antigone_net(genl_info_net(info));
}

static struct user_namespace *skb_user_ns(const struct sk_buff *skb)
{
	return sk_user_ns(NETLINK_CB(skb).sk);
}

/*
 * The attributes of nest @type of a request, by @policy (the one its
 * command's policy validated it with, so this cannot fail differently);
 * all NULL when the request has no such nest.
 */
static int parse_nest(struct genl_info *info, int type, struct nlattr **tb,
		      int maxtype, const struct nla_policy *policy)
{
	struct nlattr *nest = info->attrs[type];

	if (!nest) {
		memset(tb, 0, (maxtype + 1) * sizeof(*tb));
		return 0;
	}
	return nla_parse_nested(tb, maxtype, nest, policy, info->extack);
}

/* Whether attribute @type of nest @nest is absent: then reported so
 * (extack's missing type and nest, or the nest itself if the request has
 * none, and @msg, a literal).
 */
static bool missing(struct genl_info *info, int nest, struct nlattr **tb,
		    int type, const char *msg)
{
	if (tb[type])
		return false;
	if (info->attrs[nest])
		NL_SET_ERR_ATTR_MISS(info->extack, info->attrs[nest], type);
	else
		NL_SET_ERR_ATTR_MISS(info->extack, NULL, nest);
	if (info->extack)
		info->extack->_msg = msg;
	return true;
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
	if (!hdr)
		goto nospace;
	if (antigone_fill_info(msg))
		goto nospace;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
nospace:
	nlmsg_free(msg);
	return -EMSGSIZE;
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
	if (!hdr || antigone_fill_group(msg, g, skb_user_ns(skb))) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/* The group @tb (a request's ANTIGONE_A_GROUP, parsed) names by ID and/or
 * NAME (both must match when both are given), with a reference held;
 * ERR_PTR on failure with extack set.
 */
static struct antigone_group *group_from_attrs(struct genl_info *info,
					       struct nlattr **tb)
{
	struct antigone_group *g;
	const char *name = NULL;
	u32 id = 0;

	if (tb[ANTIGONE_GROUP_A_ID])
		id = nla_get_u32(tb[ANTIGONE_GROUP_A_ID]);
	if (tb[ANTIGONE_GROUP_A_NAME])
		name = nla_data(tb[ANTIGONE_GROUP_A_NAME]);
	if (!id && !name) {
		if (!info->attrs[ANTIGONE_A_GROUP])
			GENL_REQ_ATTR_CHECK(info, ANTIGONE_A_GROUP);
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

/* The group of a command whose ANTIGONE_A_GROUP only names one. */
static struct antigone_group *group_from_info(struct genl_info *info)
{
	struct nlattr *tb[ANTIGONE_GROUP_A_MAX + 1];
	int ret;

	ret = parse_nest(info, ANTIGONE_A_GROUP, tb, ANTIGONE_GROUP_A_MAX,
			 antigone_group_ref_policy);
	if (ret)
		return ERR_PTR(ret);
	return group_from_attrs(info, tb);
}

static int parse_params(struct sk_buff *skb, struct genl_info *info,
			struct nlattr **a, struct antigone_group_params *p)
{
	struct user_namespace *ns = skb_user_ns(skb);
	struct nlattr *attr;

	*p = (struct antigone_group_params) {
		.suite = ANTIGONE_SUITE_AES128_GCM,
		.guarantee = ANTIGONE_G_BOTH,
		.fail_policy = ANTIGONE_FAIL_CLOSED,
		.rekey_grace_ms = ANTIGONE_DEFAULT_REKEY_GRACE_MS,
		.allow_uid = INVALID_UID,
		.allow_gid = INVALID_GID,
	};
	if (a[ANTIGONE_GROUP_A_SUITE])
		p->suite = nla_get_u8(a[ANTIGONE_GROUP_A_SUITE]);
	if (a[ANTIGONE_GROUP_A_GUARANTEE])
		p->guarantee = nla_get_u8(a[ANTIGONE_GROUP_A_GUARANTEE]);
	if (a[ANTIGONE_GROUP_A_FAIL_POLICY])
		p->fail_policy = nla_get_u8(a[ANTIGONE_GROUP_A_FAIL_POLICY]);
	if (a[ANTIGONE_GROUP_A_HB_TIMEOUT_MS])
		p->hb_timeout_ms =
			nla_get_u32(a[ANTIGONE_GROUP_A_HB_TIMEOUT_MS]);
	if (a[ANTIGONE_GROUP_A_KEY_LIFETIME_MS])
		p->key_lifetime_ms =
			nla_get_u32(a[ANTIGONE_GROUP_A_KEY_LIFETIME_MS]);
	if (a[ANTIGONE_GROUP_A_REKEY_GRACE_MS])
		p->rekey_grace_ms =
			nla_get_u32(a[ANTIGONE_GROUP_A_REKEY_GRACE_MS]);
	attr = a[ANTIGONE_GROUP_A_ALLOW_UID];
	if (attr) {
		p->allow_uid = make_kuid(ns, nla_get_u32(attr));
		if (!uid_valid(p->allow_uid)) {
			NL_SET_ERR_MSG_ATTR(info->extack, attr,
					    "uid not mapped in this namespace");
			return -EINVAL;
		}
	}
	attr = a[ANTIGONE_GROUP_A_ALLOW_GID];
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

/* An address attribute of 4 (IPv4, stored v4-mapped) or 16 bytes. */
static int parse_addr(struct genl_info *info, const struct nlattr *a,
		      struct in6_addr *addr, u8 *family)
{
	if (nla_len(a) == 4) {
		*family = AF_INET;
		ipv6_addr_set_v4mapped(nla_get_in_addr(a), addr);
	} else if (nla_len(a) == 16) {
		*family = AF_INET6;
		*addr = nla_get_in6_addr(a);
	} else {
		NL_SET_ERR_MSG_ATTR(info->extack, a,
				    "address must be 4 or 16 bytes");
		return -EINVAL;
	}
	return 0;
}

/* The nested array of (address, port) selectors, validated by policy. */
static int parse_selectors(struct genl_info *info, struct nlattr *list,
			   struct antigone_selector *sel, unsigned int *nsel)
{
	struct nlattr *tb[ANTIGONE_SELECTOR_A_MAX + 1];
	struct nlattr *one;
	unsigned int i, n = 0;
	int rem, ret;

	*nsel = 0;
	if (!list)
		return 0;
	nla_for_each_nested(one, list, rem) {
		struct antigone_selector *s = &sel[n];
		struct nlattr *addr;

		if (n == ANTIGONE_MAX_SELECTORS) {
			NL_SET_ERR_MSG_ATTR(info->extack, one,
					    "too many selectors (16 at most)");
			return -E2BIG;
		}
		ret = nla_parse_nested(tb, ANTIGONE_SELECTOR_A_MAX, one,
				       antigone_selector_policy, info->extack);
		if (ret)
			return ret;
		if (NL_REQ_ATTR_CHECK(info->extack, one, tb,
				      ANTIGONE_SELECTOR_A_ADDR) ||
		    NL_REQ_ATTR_CHECK(info->extack, one, tb,
				      ANTIGONE_SELECTOR_A_PORT)) {
			NL_SET_ERR_MSG(info->extack,
				       "a selector needs ADDR and PORT");
			return -EINVAL;
		}
		addr = tb[ANTIGONE_SELECTOR_A_ADDR];
		memset(s, 0, sizeof(*s));
		ret = parse_addr(info, addr, &s->addr, &s->family);
		if (ret)
			return ret;
		s->port = htons(nla_get_u16(tb[ANTIGONE_SELECTOR_A_PORT]));
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
	struct antigone_selector sel[ANTIGONE_MAX_SELECTORS];
	struct nlattr *tb[ANTIGONE_GROUP_A_MAX + 1];
	struct antigone_group_params p;
	struct antigone_group *g;
	struct nlattr *name;
	unsigned int nsel;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, ANTIGONE_A_GROUP)) {
		GENL_SET_ERR_MSG(info, "a GROUP nest with the NAME required");
		return -EINVAL;
	}
	ret = parse_nest(info, ANTIGONE_A_GROUP, tb, ANTIGONE_GROUP_A_MAX,
			 antigone_group_new_policy);
	if (ret)
		return ret;
	if (missing(info, ANTIGONE_A_GROUP, tb, ANTIGONE_GROUP_A_NAME,
		    "group NAME required"))
		return -EINVAL;
	name = tb[ANTIGONE_GROUP_A_NAME];
	if (!antigone_name_valid(nla_data(name))) {
		NL_SET_ERR_MSG_ATTR(info->extack, name,
				    "name must be 1-15 of [A-Za-z0-9._-]");
		return -EINVAL;
	}
	ret = parse_params(skb, info, tb, &p);
	if (!ret)
		ret = parse_selectors(info, tb[ANTIGONE_GROUP_A_SELECTORS],
				      sel, &nsel);
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

/* RELAY_MEMBERS: (address, sender) entries, validated by policy. */
static int parse_relay_members(struct genl_info *info, struct nlattr *list,
			       struct antigone_relay *r)
{
	struct nlattr *tb[ANTIGONE_RELAY_MEMBER_A_MAX + 1];
	struct nlattr *one;
	u8 family;
	int rem, ret;

	nla_for_each_nested(one, list, rem) {
		struct antigone_relay_member *m = &r->members[r->nmembers];

		ret = nla_parse_nested(tb, ANTIGONE_RELAY_MEMBER_A_MAX, one,
				       antigone_relay_member_policy,
				       info->extack);
		if (ret)
			return ret;
		if (NL_REQ_ATTR_CHECK(info->extack, one, tb,
				      ANTIGONE_RELAY_MEMBER_A_ADDR) ||
		    NL_REQ_ATTR_CHECK(info->extack, one, tb,
				      ANTIGONE_RELAY_MEMBER_A_SENDER)) {
			NL_SET_ERR_MSG(info->extack,
				       "a relay member needs ADDR and SENDER");
			return -EINVAL;
		}
		ret = parse_addr(info, tb[ANTIGONE_RELAY_MEMBER_A_ADDR],
				 &m->addr, &family);
		if (ret)
			return ret;
		m->sender = nla_get_u32(tb[ANTIGONE_RELAY_MEMBER_A_SENDER]);
		r->nmembers++;
	}
	if (antigone_relay_prepare(r)) {
		NL_SET_ERR_MSG_ATTR(info->extack, list,
				    "a sender index names two members");
		return -EINVAL;
	}
	return 0;
}

/*
 * The kernel relay's settings of a GROUP_SET: NULL for RELAY_NONE, else
 * new settings for @g, or ERR_PTR.
 */
static struct antigone_relay *relay_from_attrs(struct genl_info *info,
					       const struct antigone_group *g,
					       struct nlattr **tb)
{
	struct nlattr *mode = tb[ANTIGONE_GROUP_A_RELAY_MODE];
	struct nlattr *leader = tb[ANTIGONE_GROUP_A_RELAY_LEADER];
	struct nlattr *members = tb[ANTIGONE_GROUP_A_RELAY_MEMBERS];
	struct nlattr *ifindex = tb[ANTIGONE_GROUP_A_RELAY_IFINDEX];
	struct antigone_relay *r;
	struct nlattr *one;
	unsigned int n = 0;
	u8 m = nla_get_u8(mode), family;
	int rem, ret;

	if ((m != ANTIGONE_RELAY_TO_LEADER && leader) ||
	    (m == ANTIGONE_RELAY_TO_LEADER && (members || ifindex)) ||
	    (m == ANTIGONE_RELAY_NONE && (members || ifindex)) ||
	    (m == ANTIGONE_RELAY_UNICAST && ifindex)) {
		NL_SET_ERR_MSG_ATTR(info->extack, mode,
				    "TO_LEADER takes RELAY_LEADER; MULTICAST RELAY_MEMBERS and RELAY_IFINDEX; UNICAST RELAY_MEMBERS");
		return ERR_PTR(-EINVAL);
	}
	if (m == ANTIGONE_RELAY_NONE)
		return NULL;
	if (g->params.guarantee == ANTIGONE_G_CONFIDENTIALITY) {
		NL_SET_ERR_MSG_ATTR(info->extack, mode,
				    "7b has no tag: a leader's kernel cannot tell a member's datagram from anyone's");
		return ERR_PTR(-EINVAL);
	}
	if (m == ANTIGONE_RELAY_TO_LEADER &&
	    missing(info, ANTIGONE_A_GROUP, tb, ANTIGONE_GROUP_A_RELAY_LEADER,
		    "RELAY_TO_LEADER needs RELAY_LEADER"))
		return ERR_PTR(-EINVAL);
	if (members)
		nla_for_each_nested(one, members, rem)
			n++;
	if (n > ANTIGONE_RELAY_MAX_MEMBERS) {
		NL_SET_ERR_MSG_ATTR(info->extack, members,
				    "too many relay members (1024 at most)");
		return ERR_PTR(-E2BIG);
	}
	r = kzalloc(struct_size(r, members, n), GFP_KERNEL_ACCOUNT);
	if (!r)
		return ERR_PTR(-ENOMEM);
	r->mode = m;
	if (ifindex)
		r->ifindex = nla_get_u32(ifindex);
	ret = leader ? parse_addr(info, leader, &r->leader, &family) : 0;
	if (!ret && members)
		ret = parse_relay_members(info, members, r);
	if (ret) {
		kfree(r);
		return ERR_PTR(ret);
	}
	return r;
}

static int group_set(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[ANTIGONE_GROUP_A_MAX + 1];
	struct antigone_relay *r = NULL;
	struct nlattr *port, *hb, *mode;
	struct antigone_group *g;
	int ret;

	ret = parse_nest(info, ANTIGONE_A_GROUP, tb, ANTIGONE_GROUP_A_MAX,
			 antigone_group_set_policy);
	if (ret)
		return ret;
	port = tb[ANTIGONE_GROUP_A_RELAY_PORT];
	hb = tb[ANTIGONE_GROUP_A_HB_TIMEOUT_MS];
	mode = tb[ANTIGONE_GROUP_A_RELAY_MODE];
	if (!port && !hb && !mode) {
		GENL_SET_ERR_MSG(info,
				 "RELAY_PORT, RELAY_MODE or HB_TIMEOUT_MS required");
		return -EINVAL;
	}
	if (!mode && (tb[ANTIGONE_GROUP_A_RELAY_LEADER] ||
		      tb[ANTIGONE_GROUP_A_RELAY_MEMBERS] ||
		      tb[ANTIGONE_GROUP_A_RELAY_IFINDEX])) {
		GENL_SET_ERR_MSG(info,
				 "RELAY_LEADER, _MEMBERS and _IFINDEX go with RELAY_MODE");
		return -EINVAL;
	}
	g = group_from_attrs(info, tb);
	if (IS_ERR(g))
		return PTR_ERR(g);
	if (mode) {
		r = relay_from_attrs(info, g, tb);
		if (IS_ERR(r)) {
			ret = PTR_ERR(r);
			r = NULL;
			goto out;
		}
	}
	if (port)
		ret = antigone_group_set_relay(g, nla_get_u16(port));
	if (!ret && mode) {
		ret = antigone_group_set_relay_mode(g, r);
		r = NULL;
	}
	if (ret == -EADDRINUSE)
		GENL_SET_ERR_MSG(info,
				 "another relaying group receives on a selector port");
	if (!ret && hb)
		antigone_group_set_hb_timeout(g, nla_get_u32(hb));
out:
	kfree(r);
	antigone_group_put(g);
	return ret;
}

static int key_add(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *a[ANTIGONE_KEY_A_MAX + 1];
	struct nlattr *data = NULL;
	struct antigone_group *g;
	int ret;

	ret = parse_nest(info, ANTIGONE_A_KEY, a, ANTIGONE_KEY_A_MAX,
			 antigone_key_add_policy);
	if (ret)
		goto wipe;
	data = a[ANTIGONE_KEY_A_DATA];
	if (missing(info, ANTIGONE_A_KEY, a, ANTIGONE_KEY_A_EPOCH,
		    "KEY EPOCH and DATA required") ||
	    missing(info, ANTIGONE_A_KEY, a, ANTIGONE_KEY_A_DATA,
		    "KEY EPOCH and DATA required")) {
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
		struct nlattr *life = a[ANTIGONE_KEY_A_LIFETIME_MS];
		struct nlattr *sender = a[ANTIGONE_KEY_A_SENDER];

		ret = antigone_group_key_add(g,
					     nla_get_u32(a[ANTIGONE_KEY_A_EPOCH]),
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
	struct nlattr *a[ANTIGONE_KEY_A_MAX + 1];
	struct antigone_group *g;
	int ret;

	ret = parse_nest(info, ANTIGONE_A_KEY, a, ANTIGONE_KEY_A_MAX,
			 antigone_key_del_policy);
	if (ret)
		return ret;
	if (missing(info, ANTIGONE_A_KEY, a, ANTIGONE_KEY_A_EPOCH,
		    "KEY EPOCH required"))
		return -EINVAL;
	g = group_from_info(info);
	if (IS_ERR(g))
		return PTR_ERR(g);
	ret = antigone_group_key_del(g, nla_get_u32(a[ANTIGONE_KEY_A_EPOCH]));
	if (ret == -ENOENT)
		GENL_SET_ERR_MSG(info, "no key of that epoch");
	antigone_group_put(g);
	return ret;
}

static int key_set(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *a[ANTIGONE_KEY_A_MAX + 1];
	struct antigone_group *g;
	int ret;

	ret = parse_nest(info, ANTIGONE_A_KEY, a, ANTIGONE_KEY_A_MAX,
			 antigone_key_set_policy);
	if (ret)
		return ret;
	if (missing(info, ANTIGONE_A_KEY, a, ANTIGONE_KEY_A_EPOCH,
		    "KEY EPOCH and SENDER required") ||
	    missing(info, ANTIGONE_A_KEY, a, ANTIGONE_KEY_A_SENDER,
		    "KEY EPOCH and SENDER required"))
		return -EINVAL;
	g = group_from_info(info);
	if (IS_ERR(g))
		return PTR_ERR(g);
	ret = antigone_group_key_set_sender(g,
					    nla_get_u32(a[ANTIGONE_KEY_A_EPOCH]),
					    nla_get_u32(a[ANTIGONE_KEY_A_SENDER]));
	if (ret == -ENOENT)
		GENL_SET_ERR_MSG(info, "the current key is not of that epoch");
	antigone_group_put(g);
	return ret;
}

static int heartbeat_seen(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *a[ANTIGONE_HEARTBEAT_A_MAX + 1];
	struct antigone_group *g;
	struct nlattr *epoch;
	int ret;

	ret = parse_nest(info, ANTIGONE_A_HEARTBEAT, a,
			 ANTIGONE_HEARTBEAT_A_MAX, antigone_heartbeat_policy);
	if (ret)
		return ret;
	if (missing(info, ANTIGONE_A_HEARTBEAT, a, ANTIGONE_HEARTBEAT_A_SEQ,
		    "HEARTBEAT SEQ required"))
		return -EINVAL;
	g = group_from_info(info);
	if (IS_ERR(g))
		return PTR_ERR(g);
	epoch = a[ANTIGONE_HEARTBEAT_A_EPOCH];
	ret = antigone_group_heartbeat(g,
				       nla_get_u64(a[ANTIGONE_HEARTBEAT_A_SEQ]),
				       epoch ? nla_get_u32(epoch) : 0);
	if (ret == -ESTALE)
		GENL_SET_ERR_MSG(info, "heartbeat sequence not newer than the last");
	antigone_group_put(g);
	return ret;
}

/* ---- 7d (docs/sender-authenticity.md) ----------------------------------- */

/* The TESLA nest of @info by @policy, and the group the request names. */
static struct antigone_group *tesla_request(struct genl_info *info,
					    const struct nla_policy *policy,
					    struct nlattr **a)
{
	int ret = parse_nest(info, ANTIGONE_A_TESLA, a, ANTIGONE_TESLA_A_MAX,
			     policy);

	return ret ? ERR_PTR(ret) : group_from_info(info);
}

static bool tesla_missing(struct genl_info *info, struct nlattr **a,
			  const int *need, unsigned int n, const char *msg)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (missing(info, ANTIGONE_A_TESLA, a, need[i], msg))
			return true;
	return false;
}

static int tesla_clock(struct sk_buff *skb, struct genl_info *info)
{
	static const int need[] = {
		ANTIGONE_TESLA_A_T_S, ANTIGONE_TESLA_A_T_R,
		ANTIGONE_TESLA_A_T_SL, ANTIGONE_TESLA_A_DRIFT_PPM,
	};
	struct nlattr *a[ANTIGONE_TESLA_A_MAX + 1];
	struct antigone_tesla_clock c;
	struct antigone_group *g;
	int ret;

	g = tesla_request(info, antigone_tesla_clock_policy, a);
	if (IS_ERR(g))
		return PTR_ERR(g);
	ret = -EINVAL;
	if (tesla_missing(info, a, need, ARRAY_SIZE(need),
			  "TESLA T_S, T_R, T_SL and DRIFT_PPM required"))
		goto out;
	c.t_s = nla_get_u64(a[ANTIGONE_TESLA_A_T_S]);
	c.t_r = nla_get_u64(a[ANTIGONE_TESLA_A_T_R]);
	c.t_sl = nla_get_u64(a[ANTIGONE_TESLA_A_T_SL]);
	c.drift_ppm = nla_get_u32(a[ANTIGONE_TESLA_A_DRIFT_PPM]);
	ret = antigone_tesla_set_clock(g->tesla, &c);
	if (ret)
		GENL_SET_ERR_MSG(info, "T_R before T_S");
out:
	antigone_group_put(g);
	return ret;
}

static int tesla_chain_add(struct sk_buff *skb, struct genl_info *info)
{
	static const int need[] = {
		ANTIGONE_TESLA_A_EPOCH, ANTIGONE_TESLA_A_SENDER,
		ANTIGONE_TESLA_A_CHAIN, ANTIGONE_TESLA_A_CHAIN_LEN,
		ANTIGONE_TESLA_A_PERIOD_US, ANTIGONE_TESLA_A_LAG,
		ANTIGONE_TESLA_A_T0_NS, ANTIGONE_TESLA_A_COMMITMENT,
	};
	struct nlattr *a[ANTIGONE_TESLA_A_MAX + 1];
	struct antigone_tesla_sched sc;
	struct antigone_group *g;
	int ret;

	g = tesla_request(info, antigone_tesla_chain_policy, a);
	if (IS_ERR(g))
		return PTR_ERR(g);
	ret = -EINVAL;
	if (tesla_missing(info, a, need, ARRAY_SIZE(need),
			  "TESLA_CHAIN_ADD: every schedule attribute required"))
		goto out;
	sc.t0_ns = nla_get_u64(a[ANTIGONE_TESLA_A_T0_NS]);
	sc.period_ns = (u64)nla_get_u32(a[ANTIGONE_TESLA_A_PERIOD_US]) * 1000;
	sc.chain_len = nla_get_u32(a[ANTIGONE_TESLA_A_CHAIN_LEN]);
	sc.lag = nla_get_u8(a[ANTIGONE_TESLA_A_LAG]);
	ret = antigone_tesla_add_chain(g->tesla,
				       nla_get_u32(a[ANTIGONE_TESLA_A_EPOCH]),
				       nla_get_u32(a[ANTIGONE_TESLA_A_SENDER]),
				       nla_get_flag(a[ANTIGONE_TESLA_A_OWN]), &sc,
				       nla_get_u32(a[ANTIGONE_TESLA_A_CHAIN]),
				       nla_data(a[ANTIGONE_TESLA_A_COMMITMENT]));
	if (ret == -EEXIST)
		GENL_SET_ERR_MSG(info, "that sender has another schedule in this epoch");
	else if (ret == -ESTALE)
		GENL_SET_ERR_MSG(info, "chain number not newer than the sender's last");
	else if (ret == -ENOSPC)
		GENL_SET_ERR_MSG(info, "too many senders with chains in this group");
	else if (ret == -EINVAL)
		GENL_SET_ERR_MSG(info, "the chain's last interval is past 2^32 - 1");
out:
	antigone_group_put(g);
	return ret;
}

static int tesla_keys(struct sk_buff *skb, struct genl_info *info)
{
	static const int need[] = {
		ANTIGONE_TESLA_A_EPOCH, ANTIGONE_TESLA_A_CHAIN,
		ANTIGONE_TESLA_A_FIRST, ANTIGONE_TESLA_A_KEYS,
	};
	struct nlattr *a[ANTIGONE_TESLA_A_MAX + 1] = { NULL }, *keys;
	struct antigone_group *g;
	int ret;

	g = tesla_request(info, antigone_tesla_keys_policy, a);
	keys = a[ANTIGONE_TESLA_A_KEYS];
	if (IS_ERR(g)) {
		ret = PTR_ERR(g);
		goto wipe;
	}
	ret = -EINVAL;
	if (tesla_missing(info, a, need, ARRAY_SIZE(need),
			  "TESLA EPOCH, CHAIN, FIRST and KEYS required"))
		goto out;
	if (nla_len(keys) % ANTIGONE_TESLA_KEY_LEN) {
		NL_SET_ERR_MSG_ATTR(info->extack, keys,
				    "KEYS is a whole number of 16-byte keys");
		goto out;
	}
	ret = antigone_tesla_add_keys(g->tesla,
				      nla_get_u32(a[ANTIGONE_TESLA_A_EPOCH]),
				      nla_get_u32(a[ANTIGONE_TESLA_A_CHAIN]),
				      nla_get_u32(a[ANTIGONE_TESLA_A_FIRST]),
				      nla_data(keys),
				      nla_len(keys) / ANTIGONE_TESLA_KEY_LEN);
	if (ret == -ENOENT)
		GENL_SET_ERR_MSG(info, "no own chain of that number in that epoch");
	else if (ret == -EBADMSG)
		GENL_SET_ERR_MSG(info, "the keys are not the chain's (its commitment)");
	else if (ret == -EINVAL)
		GENL_SET_ERR_MSG(info, "the keys are not all of that chain");
out:
	antigone_group_put(g);
wipe:
	/* future chain keys are the sender's secret */
	if (keys)
		memzero_explicit(nla_data(keys), nla_len(keys));
	return ret;
}

static int tesla_disclose(struct sk_buff *skb, struct genl_info *info)
{
	static const int need[] = {
		ANTIGONE_TESLA_A_EPOCH, ANTIGONE_TESLA_A_SENDER,
		ANTIGONE_TESLA_A_INTERVAL, ANTIGONE_TESLA_A_KEY,
	};
	struct nlattr *a[ANTIGONE_TESLA_A_MAX + 1];
	struct antigone_group *g;
	int ret;

	g = tesla_request(info, antigone_tesla_disclose_policy, a);
	if (IS_ERR(g))
		return PTR_ERR(g);
	ret = -EINVAL;
	if (tesla_missing(info, a, need, ARRAY_SIZE(need),
			  "TESLA EPOCH, SENDER, INTERVAL and KEY required"))
		goto out;
	ret = antigone_tesla_disclose(g->tesla,
				      nla_get_u32(a[ANTIGONE_TESLA_A_EPOCH]),
				      nla_get_u32(a[ANTIGONE_TESLA_A_SENDER]),
				      nla_get_u32(a[ANTIGONE_TESLA_A_INTERVAL]),
				      nla_data(a[ANTIGONE_TESLA_A_KEY]));
	if (ret == -ENOENT)
		GENL_SET_ERR_MSG(info, "no chain of that sender holds that interval");
	else if (ret == -ENOTCONN)
		GENL_SET_ERR_MSG(info, "no clock bound yet (TESLA_CLOCK)");
	else if (ret == -EBADMSG)
		GENL_SET_ERR_MSG(info, "not the sender's key, or disclosed before its time");
	else if (ret == -EAGAIN)
		GENL_SET_ERR_MSG(info, "over the sender's walk budget: later");
out:
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
	if (!hdr || antigone_fill_event(msg, g, type, epoch, sender)) {
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
		if (antigone_fill_group(skb, g, ns)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		cb->args[0] = g->id;
	}
	mutex_unlock(&an->lock);
	return skb->len;
}

#define ANTIGONE_OP(c, fn, pol, fl)					\
	{ .cmd = (c), .doit = (fn), .policy = (pol),			\
	  .maxattr = ANTIGONE_A_MAX, .flags = (fl) }

static const struct genl_ops antigone_genl_ops[] = {
	ANTIGONE_OP(ANTIGONE_CMD_GET_INFO, get_info, antigone_get_info_top, 0),
	ANTIGONE_OP(ANTIGONE_CMD_GROUP_NEW, group_new, antigone_group_new_top,
		    GENL_UNS_ADMIN_PERM),
	ANTIGONE_OP(ANTIGONE_CMD_GROUP_DEL, group_del, antigone_group_ref_top,
		    GENL_UNS_ADMIN_PERM),
	{
		.cmd = ANTIGONE_CMD_GROUP_GET,
		.doit = group_get,
		.dumpit = group_dump,
		.policy = antigone_group_ref_top,
		.maxattr = ANTIGONE_A_MAX,
	},
	ANTIGONE_OP(ANTIGONE_CMD_GROUP_SET, group_set, antigone_group_set_top,
		    GENL_UNS_ADMIN_PERM),
	ANTIGONE_OP(ANTIGONE_CMD_KEY_ADD, key_add, antigone_key_add_top,
		    GENL_UNS_ADMIN_PERM),
	ANTIGONE_OP(ANTIGONE_CMD_KEY_DEL, key_del, antigone_key_del_top,
		    GENL_UNS_ADMIN_PERM),
	ANTIGONE_OP(ANTIGONE_CMD_KEY_SET, key_set, antigone_key_set_top,
		    GENL_UNS_ADMIN_PERM),
	ANTIGONE_OP(ANTIGONE_CMD_HEARTBEAT, heartbeat_seen, antigone_heartbeat_top,
		    GENL_UNS_ADMIN_PERM),
	ANTIGONE_OP(ANTIGONE_CMD_TESLA_CLOCK, tesla_clock, antigone_tesla_clock_top,
		    GENL_UNS_ADMIN_PERM),
	ANTIGONE_OP(ANTIGONE_CMD_TESLA_CHAIN_ADD, tesla_chain_add,
		    antigone_tesla_chain_top, GENL_UNS_ADMIN_PERM),
	ANTIGONE_OP(ANTIGONE_CMD_TESLA_KEYS, tesla_keys, antigone_tesla_keys_top,
		    GENL_UNS_ADMIN_PERM),
	ANTIGONE_OP(ANTIGONE_CMD_TESLA_DISCLOSE, tesla_disclose,
		    antigone_tesla_disclose_top, GENL_UNS_ADMIN_PERM),
};

static const struct genl_multicast_group antigone_genl_mcgrps[] = {
	{ .name = ANTIGONE_GENL_MCGRP_EVENTS },
};

static struct genl_family antigone_genl_family __ro_after_init = {
	.name = ANTIGONE_GENL_NAME,
	.version = ANTIGONE_GENL_VERSION,
	.netnsok = true,
	.module = THIS_MODULE,
	.ops = antigone_genl_ops,
	.n_ops = ARRAY_SIZE(antigone_genl_ops),
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
