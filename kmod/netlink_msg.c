// SPDX-License-Identifier: GPL-2.0
/*
 * The attributes of the "antigone" family's messages, both ways: what each
 * command's request may hold (its policy: the trees are in
 * uapi/linux/antigone.h) and how replies and events are written. The
 * handlers (netlink.c) see only requests these policies let through.
 */
#include <net/genetlink.h>
#include <net/ipv6.h>

#include "group.h"
#include "netlink_msg.h"
#include "version.h"

#define REJECT(msg)	{ .type = NLA_REJECT, .reject_message = (msg) }

const struct nla_policy antigone_selector_policy[ANTIGONE_SELECTOR_A_MAX + 1] = {
	[ANTIGONE_SELECTOR_A_ADDR]	= NLA_POLICY_RANGE(NLA_BINARY, 4, 16),
	[ANTIGONE_SELECTOR_A_PORT]	= NLA_POLICY_MIN(NLA_U16, 1),
};

const struct nla_policy antigone_relay_member_policy[ANTIGONE_RELAY_MEMBER_A_MAX + 1] = {
	[ANTIGONE_RELAY_MEMBER_A_ADDR]	= NLA_POLICY_RANGE(NLA_BINARY, 4, 16),
	[ANTIGONE_RELAY_MEMBER_A_SENDER] = NLA_POLICY_MIN(NLA_U32, 1),
};

/* The attributes of a group, by what a request may do with them. */
#define GROUP_REF_ATTRS							\
	[ANTIGONE_GROUP_A_ID]		= NLA_POLICY_MIN(NLA_U32, 1),	\
	[ANTIGONE_GROUP_A_NAME]		= { .type = NLA_NUL_STRING,	\
					    .len = ANTIGONE_NAME_MAX }
#define GROUP_SETTING_ATTRS						\
	[ANTIGONE_GROUP_A_SUITE]	= NLA_POLICY_RANGE(NLA_U8,	\
					    ANTIGONE_SUITE_AES128_GCM,	\
					    ANTIGONE_SUITE_CHACHA20_POLY1305), \
	[ANTIGONE_GROUP_A_GUARANTEE]	= NLA_POLICY_RANGE(NLA_U8,	\
					    ANTIGONE_G_INTEGRITY,	\
					    ANTIGONE_G_BOTH),		\
	[ANTIGONE_GROUP_A_FAIL_POLICY]	= NLA_POLICY_MAX(NLA_U8,	\
					    ANTIGONE_FAIL_EVENT_ONLY),	\
	[ANTIGONE_GROUP_A_HB_TIMEOUT_MS] = { .type = NLA_U32 },		\
	[ANTIGONE_GROUP_A_KEY_LIFETIME_MS] = { .type = NLA_U32 },	\
	[ANTIGONE_GROUP_A_REKEY_GRACE_MS] = { .type = NLA_U32 },	\
	[ANTIGONE_GROUP_A_ALLOW_UID]	= { .type = NLA_U32 },		\
	[ANTIGONE_GROUP_A_ALLOW_GID]	= { .type = NLA_U32 },		\
	[ANTIGONE_GROUP_A_SELECTORS]	=				\
		NLA_POLICY_NESTED_ARRAY(antigone_selector_policy)
#define GROUP_REPLY_ATTRS						\
	[ANTIGONE_GROUP_A_EPOCH ... ANTIGONE_GROUP_A_CRYPTO_FALLBACK] =	\
		REJECT("reported by the kernel only")

/* GROUP_DEL, GROUP_GET and the commands on a group's key or heartbeat. */
const struct nla_policy antigone_group_ref_policy[ANTIGONE_GROUP_A_MAX + 1] = {
	GROUP_REF_ATTRS,
	[ANTIGONE_GROUP_A_SUITE ... ANTIGONE_GROUP_A_RELAY_PORT] =
		REJECT("only ID and NAME name a group"),
	GROUP_REPLY_ATTRS,
	[ANTIGONE_GROUP_A_RELAY_MODE ... ANTIGONE_GROUP_A_RELAY_IFINDEX] =
		REJECT("only ID and NAME name a group"),
	[ANTIGONE_GROUP_A_RELAY_NMEMBERS ... ANTIGONE_GROUP_A_TESLA_CLOCK_WIDTH] =
		REJECT("reported by the kernel only"),
};

const struct nla_policy antigone_group_new_policy[ANTIGONE_GROUP_A_MAX + 1] = {
	[ANTIGONE_GROUP_A_ID]		=
		REJECT("group ids are assigned by the kernel"),
	[ANTIGONE_GROUP_A_NAME]		= { .type = NLA_NUL_STRING,
					    .len = ANTIGONE_NAME_MAX },
	GROUP_SETTING_ATTRS,
	[ANTIGONE_GROUP_A_RELAY_PORT]	=
		REJECT("relaying starts with GROUP_SET"),
	GROUP_REPLY_ATTRS,
	[ANTIGONE_GROUP_A_RELAY_MODE ... ANTIGONE_GROUP_A_RELAY_IFINDEX] =
		REJECT("relaying starts with GROUP_SET"),
	[ANTIGONE_GROUP_A_RELAY_NMEMBERS ... ANTIGONE_GROUP_A_TESLA_CLOCK_WIDTH] =
		REJECT("reported by the kernel only"),
};

/* What may change in a live group: how its traffic leaves (relay) and the
 * leader heartbeat timeout (a member learns its leader's when it joins).
 */
const struct nla_policy antigone_group_set_policy[ANTIGONE_GROUP_A_MAX + 1] = {
	GROUP_REF_ATTRS,
	[ANTIGONE_GROUP_A_SUITE ... ANTIGONE_GROUP_A_FAIL_POLICY] =
		REJECT("cannot change in a live group"),
	[ANTIGONE_GROUP_A_HB_TIMEOUT_MS] = { .type = NLA_U32 },
	[ANTIGONE_GROUP_A_KEY_LIFETIME_MS ... ANTIGONE_GROUP_A_SELECTORS] =
		REJECT("cannot change in a live group"),
	[ANTIGONE_GROUP_A_RELAY_PORT]	= { .type = NLA_U16 },
	GROUP_REPLY_ATTRS,
	[ANTIGONE_GROUP_A_RELAY_MODE]	= NLA_POLICY_MAX(NLA_U8,
						 ANTIGONE_RELAY_UNICAST),
	[ANTIGONE_GROUP_A_RELAY_LEADER]	= NLA_POLICY_RANGE(NLA_BINARY, 4, 16),
	[ANTIGONE_GROUP_A_RELAY_MEMBERS] =
		NLA_POLICY_NESTED_ARRAY(antigone_relay_member_policy),
	[ANTIGONE_GROUP_A_RELAY_IFINDEX] = { .type = NLA_U32 },
	[ANTIGONE_GROUP_A_RELAY_NMEMBERS ... ANTIGONE_GROUP_A_TESLA_CLOCK_WIDTH] =
		REJECT("reported by the kernel only"),
};

const struct nla_policy antigone_key_add_policy[ANTIGONE_KEY_A_MAX + 1] = {
	[ANTIGONE_KEY_A_EPOCH]		= NLA_POLICY_MIN(NLA_U32, 1),
	[ANTIGONE_KEY_A_DATA]		= NLA_POLICY_RANGE(NLA_BINARY, 16, 32),
	[ANTIGONE_KEY_A_SENDER]		= { .type = NLA_U32 },
	[ANTIGONE_KEY_A_LIFETIME_MS]	= { .type = NLA_U32 },
};

const struct nla_policy antigone_key_del_policy[ANTIGONE_KEY_A_MAX + 1] = {
	[ANTIGONE_KEY_A_EPOCH]		= NLA_POLICY_MIN(NLA_U32, 1),
	[ANTIGONE_KEY_A_DATA ... ANTIGONE_KEY_A_LIFETIME_MS] =
		REJECT("a key is deleted by its epoch alone"),
};

const struct nla_policy antigone_key_set_policy[ANTIGONE_KEY_A_MAX + 1] = {
	[ANTIGONE_KEY_A_EPOCH]		= NLA_POLICY_MIN(NLA_U32, 1),
	[ANTIGONE_KEY_A_DATA]		=
		REJECT("only the sender index of a key changes"),
	[ANTIGONE_KEY_A_SENDER]		= { .type = NLA_U32 },
	[ANTIGONE_KEY_A_LIFETIME_MS]	=
		REJECT("only the sender index of a key changes"),
};

const struct nla_policy antigone_heartbeat_policy[ANTIGONE_HEARTBEAT_A_MAX + 1] = {
	[ANTIGONE_HEARTBEAT_A_SEQ]	= NLA_POLICY_MIN(NLA_U64, 1),
	[ANTIGONE_HEARTBEAT_A_EPOCH]	= { .type = NLA_U32 },
};

/* 7d: each TESLA_* command's attributes; the others are refused. */
#define NOT_HERE		REJECT("not for this command")

/* Ranges beyond a policy's s16 bounds (kmod/tesla.h's limits). */
static struct netlink_range_validation tesla_drift_range = {
	.max = ANTIGONE_TESLA_DRIFT_MAX_PPM,
};

static struct netlink_range_validation tesla_chain_len_range = {
	.min = ANTIGONE_TESLA_CHAIN_MIN, .max = ANTIGONE_TESLA_CHAIN_MAX,
};

static struct netlink_range_validation tesla_period_range = {
	.min = 1000, .max = 10000000,
};

const struct nla_policy antigone_tesla_clock_policy[ANTIGONE_TESLA_A_MAX + 1] = {
	[ANTIGONE_TESLA_A_T_S]		= { .type = NLA_U64 },
	[ANTIGONE_TESLA_A_T_R]		= { .type = NLA_U64 },
	[ANTIGONE_TESLA_A_T_SL]		= { .type = NLA_U64 },
	[ANTIGONE_TESLA_A_DRIFT_PPM]	=
		NLA_POLICY_FULL_RANGE(NLA_U32, &tesla_drift_range),
	[ANTIGONE_TESLA_A_EPOCH ... ANTIGONE_TESLA_A_RING_HI] = NOT_HERE,
};

const struct nla_policy antigone_tesla_chain_policy[ANTIGONE_TESLA_A_MAX + 1] = {
	[ANTIGONE_TESLA_A_T_S ... ANTIGONE_TESLA_A_DRIFT_PPM] = NOT_HERE,
	[ANTIGONE_TESLA_A_EPOCH]	= NLA_POLICY_MIN(NLA_U32, 1),
	[ANTIGONE_TESLA_A_SENDER]	= { .type = NLA_U32 },
	[ANTIGONE_TESLA_A_CHAIN]	= { .type = NLA_U32 },
	[ANTIGONE_TESLA_A_CHAIN_LEN]	=
		NLA_POLICY_FULL_RANGE(NLA_U32, &tesla_chain_len_range),
	[ANTIGONE_TESLA_A_PERIOD_US]	=
		NLA_POLICY_FULL_RANGE(NLA_U32, &tesla_period_range),
	[ANTIGONE_TESLA_A_LAG]		= NLA_POLICY_MIN(NLA_U8, 1),
	[ANTIGONE_TESLA_A_T0_NS]	= { .type = NLA_U64 },
	[ANTIGONE_TESLA_A_COMMITMENT]	=
		NLA_POLICY_EXACT_LEN(ANTIGONE_TESLA_KEY_LEN),
	[ANTIGONE_TESLA_A_OWN]		= { .type = NLA_FLAG },
	[ANTIGONE_TESLA_A_FIRST ... ANTIGONE_TESLA_A_RING_HI] = NOT_HERE,
};

const struct nla_policy antigone_tesla_keys_policy[ANTIGONE_TESLA_A_MAX + 1] = {
	[ANTIGONE_TESLA_A_T_S ... ANTIGONE_TESLA_A_DRIFT_PPM] = NOT_HERE,
	[ANTIGONE_TESLA_A_EPOCH]	= NLA_POLICY_MIN(NLA_U32, 1),
	[ANTIGONE_TESLA_A_SENDER ... ANTIGONE_TESLA_A_SENDER] = NOT_HERE,
	[ANTIGONE_TESLA_A_CHAIN]	= { .type = NLA_U32 },
	[ANTIGONE_TESLA_A_CHAIN_LEN ... ANTIGONE_TESLA_A_OWN] = NOT_HERE,
	[ANTIGONE_TESLA_A_FIRST]	= NLA_POLICY_MIN(NLA_U32, 1),
	[ANTIGONE_TESLA_A_KEYS]		= NLA_POLICY_RANGE(NLA_BINARY,
					    ANTIGONE_TESLA_KEY_LEN,
					    512 * ANTIGONE_TESLA_KEY_LEN),
	[ANTIGONE_TESLA_A_INTERVAL ... ANTIGONE_TESLA_A_RING_HI] = NOT_HERE,
};

const struct nla_policy antigone_tesla_disclose_policy[ANTIGONE_TESLA_A_MAX + 1] = {
	[ANTIGONE_TESLA_A_T_S ... ANTIGONE_TESLA_A_DRIFT_PPM] = NOT_HERE,
	[ANTIGONE_TESLA_A_EPOCH]	= NLA_POLICY_MIN(NLA_U32, 1),
	[ANTIGONE_TESLA_A_SENDER]	= { .type = NLA_U32 },
	[ANTIGONE_TESLA_A_CHAIN ... ANTIGONE_TESLA_A_KEYS] = NOT_HERE,
	[ANTIGONE_TESLA_A_INTERVAL]	= NLA_POLICY_MIN(NLA_U32, 1),
	[ANTIGONE_TESLA_A_KEY]		= NLA_POLICY_EXACT_LEN(ANTIGONE_TESLA_KEY_LEN),
	[ANTIGONE_TESLA_A_VERIFIED ... ANTIGONE_TESLA_A_RING_HI] = NOT_HERE,
};

/* The top level of each command's request: which nests it takes. */
const struct nla_policy antigone_get_info_top[ANTIGONE_A_MAX + 1] = {
	[ANTIGONE_A_INFO]		= REJECT("reported by the kernel only"),
};

const struct nla_policy antigone_group_new_top[ANTIGONE_A_MAX + 1] = {
	[ANTIGONE_A_GROUP]		= NLA_POLICY_NESTED(antigone_group_new_policy),
};

const struct nla_policy antigone_group_ref_top[ANTIGONE_A_MAX + 1] = {
	[ANTIGONE_A_GROUP]		= NLA_POLICY_NESTED(antigone_group_ref_policy),
};

const struct nla_policy antigone_group_set_top[ANTIGONE_A_MAX + 1] = {
	[ANTIGONE_A_GROUP]		= NLA_POLICY_NESTED(antigone_group_set_policy),
};

const struct nla_policy antigone_key_add_top[ANTIGONE_A_MAX + 1] = {
	[ANTIGONE_A_GROUP]		= NLA_POLICY_NESTED(antigone_group_ref_policy),
	[ANTIGONE_A_KEY]		= NLA_POLICY_NESTED(antigone_key_add_policy),
};

const struct nla_policy antigone_key_del_top[ANTIGONE_A_MAX + 1] = {
	[ANTIGONE_A_GROUP]		= NLA_POLICY_NESTED(antigone_group_ref_policy),
	[ANTIGONE_A_KEY]		= NLA_POLICY_NESTED(antigone_key_del_policy),
};

const struct nla_policy antigone_key_set_top[ANTIGONE_A_MAX + 1] = {
	[ANTIGONE_A_GROUP]		= NLA_POLICY_NESTED(antigone_group_ref_policy),
	[ANTIGONE_A_KEY]		= NLA_POLICY_NESTED(antigone_key_set_policy),
};

const struct nla_policy antigone_heartbeat_top[ANTIGONE_A_MAX + 1] = {
	[ANTIGONE_A_GROUP]		= NLA_POLICY_NESTED(antigone_group_ref_policy),
	[ANTIGONE_A_HEARTBEAT]		= NLA_POLICY_NESTED(antigone_heartbeat_policy),
};

const struct nla_policy antigone_tesla_clock_top[ANTIGONE_A_MAX + 1] = {
	[ANTIGONE_A_GROUP]		= NLA_POLICY_NESTED(antigone_group_ref_policy),
	[ANTIGONE_A_TESLA]		= NLA_POLICY_NESTED(antigone_tesla_clock_policy),
};

const struct nla_policy antigone_tesla_chain_top[ANTIGONE_A_MAX + 1] = {
	[ANTIGONE_A_GROUP]		= NLA_POLICY_NESTED(antigone_group_ref_policy),
	[ANTIGONE_A_TESLA]		= NLA_POLICY_NESTED(antigone_tesla_chain_policy),
};

const struct nla_policy antigone_tesla_keys_top[ANTIGONE_A_MAX + 1] = {
	[ANTIGONE_A_GROUP]		= NLA_POLICY_NESTED(antigone_group_ref_policy),
	[ANTIGONE_A_TESLA]		= NLA_POLICY_NESTED(antigone_tesla_keys_policy),
};

const struct nla_policy antigone_tesla_disclose_top[ANTIGONE_A_MAX + 1] = {
	[ANTIGONE_A_GROUP]		= NLA_POLICY_NESTED(antigone_group_ref_policy),
	[ANTIGONE_A_TESLA]		= NLA_POLICY_NESTED(antigone_tesla_disclose_policy),
};

int antigone_fill_info(struct sk_buff *msg)
{
	struct nlattr *nest;

	nest = nla_nest_start(msg, ANTIGONE_A_INFO);
	if (!nest ||
	    nla_put_string(msg, ANTIGONE_INFO_A_VERSION, ANTIGONE_VERSION) ||
	    nla_put_u32(msg, ANTIGONE_INFO_A_API, ANTIGONE_GENL_VERSION) ||
	    nla_put_u32(msg, ANTIGONE_INFO_A_MAX_GROUPS, ANTIGONE_MAX_GROUPS) ||
	    nla_put_u32(msg, ANTIGONE_INFO_A_MAX_SELECTORS,
			ANTIGONE_MAX_SELECTORS) ||
	    nla_put_u32(msg, ANTIGONE_INFO_A_NAME_MAX, ANTIGONE_NAME_MAX))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

static int fill_keys(struct sk_buff *skb, const struct antigone_group *g)
{
	struct antigone_key *cur, *prev;
	int ret;

	rcu_read_lock();
	cur = rcu_dereference(g->cur);
	prev = rcu_dereference(g->prev);
	ret = nla_put_u32(skb, ANTIGONE_GROUP_A_EPOCH, cur ? cur->epoch : 0) ||
	      nla_put_u32(skb, ANTIGONE_GROUP_A_EPOCH_FLOOR,
			  READ_ONCE(g->epoch_floor)) ||
	      (prev && nla_put_u32(skb, ANTIGONE_GROUP_A_PREV_EPOCH,
				   prev->epoch)) ||
	      nla_put_u8(skb, ANTIGONE_GROUP_A_STATE,
			 antigone_group_state(g, cur)) ||
	      (cur && (nla_put_string(skb, ANTIGONE_GROUP_A_CRYPTO_DRIVER,
				      antigone_key_driver(cur)) ||
		       nla_put_string(skb, ANTIGONE_GROUP_A_CRYPTO_FALLBACK,
				      antigone_key_fallback_driver(cur))));
	rcu_read_unlock();
	return ret ? -EMSGSIZE : 0;
}

static int fill_selectors(struct sk_buff *skb, const struct antigone_group *g)
{
	struct nlattr *list, *one;
	unsigned int i;

	if (!g->nsel)
		return 0;
	list = nla_nest_start(skb, ANTIGONE_GROUP_A_SELECTORS);
	if (!list)
		return -EMSGSIZE;
	for (i = 0; i < g->nsel; i++) {
		const struct antigone_selector *sel = &g->sel[i];
		bool v4 = sel->family == AF_INET;

		/* Entries of a nested array are of type 0, as WireGuard's. */
		one = nla_nest_start(skb, 0);
		if (!one ||
		    nla_put(skb, ANTIGONE_SELECTOR_A_ADDR, v4 ? 4 : 16,
			    v4 ? (const void *)&sel->addr.s6_addr32[3] :
				 (const void *)&sel->addr) ||
		    nla_put_u16(skb, ANTIGONE_SELECTOR_A_PORT, ntohs(sel->port)))
			return -EMSGSIZE;
		nla_nest_end(skb, one);
	}
	nla_nest_end(skb, list);
	return 0;
}

static int fill_relay(struct sk_buff *skb, const struct antigone_group *g)
{
	const struct antigone_relay *r;
	bool v4;
	int ret = 0;

	rcu_read_lock();
	r = rcu_dereference(g->relay);
	if (!r) {
		ret = nla_put_u8(skb, ANTIGONE_GROUP_A_RELAY_MODE,
				 ANTIGONE_RELAY_NONE);
		goto out;
	}
	v4 = ipv6_addr_v4mapped(&r->leader);
	if (nla_put_u8(skb, ANTIGONE_GROUP_A_RELAY_MODE, r->mode) ||
	    (r->mode == ANTIGONE_RELAY_TO_LEADER &&
	     nla_put(skb, ANTIGONE_GROUP_A_RELAY_LEADER, v4 ? 4 : 16,
		     v4 ? (const void *)&r->leader.s6_addr32[3] :
			  (const void *)&r->leader)) ||
	    (r->mode == ANTIGONE_RELAY_MULTICAST &&
	     nla_put_u32(skb, ANTIGONE_GROUP_A_RELAY_IFINDEX, r->ifindex)) ||
	    (r->mode != ANTIGONE_RELAY_TO_LEADER &&
	     nla_put_u32(skb, ANTIGONE_GROUP_A_RELAY_NMEMBERS, r->nmembers)))
		ret = -EMSGSIZE;
out:
	rcu_read_unlock();
	return ret;
}

static int fill_stats(struct sk_buff *skb, const struct antigone_group *g)
{
	u64 v[__ANTIGONE_STAT_MAX];
	struct nlattr *nest;
	int i;

	antigone_group_stats(g, v);
	nest = nla_nest_start(skb, ANTIGONE_GROUP_A_STATS);
	if (!nest)
		return -EMSGSIZE;
	for (i = ANTIGONE_STAT_UNSPEC + 1; i < __ANTIGONE_STAT_MAX; i++)
		if (nla_put_u64_64bit(skb, i, v[i], ANTIGONE_STAT_UNSPEC))
			return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

int antigone_fill_group(struct sk_buff *skb, const struct antigone_group *g,
			struct user_namespace *ns)
{
	const struct antigone_group_params *p = &g->params;
	struct nlattr *nest = nla_nest_start(skb, ANTIGONE_A_GROUP);

	if (!nest ||
	    nla_put_u32(skb, ANTIGONE_GROUP_A_ID, g->id) ||
	    nla_put_string(skb, ANTIGONE_GROUP_A_NAME, g->name) ||
	    nla_put_u8(skb, ANTIGONE_GROUP_A_SUITE, p->suite) ||
	    nla_put_u8(skb, ANTIGONE_GROUP_A_GUARANTEE, p->guarantee) ||
	    nla_put_u8(skb, ANTIGONE_GROUP_A_FAIL_POLICY, p->fail_policy) ||
	    nla_put_u32(skb, ANTIGONE_GROUP_A_HB_TIMEOUT_MS, p->hb_timeout_ms) ||
	    nla_put_u32(skb, ANTIGONE_GROUP_A_KEY_LIFETIME_MS,
			p->key_lifetime_ms) ||
	    nla_put_u32(skb, ANTIGONE_GROUP_A_REKEY_GRACE_MS,
			p->rekey_grace_ms) ||
	    nla_put_u16(skb, ANTIGONE_GROUP_A_RELAY_PORT,
			ntohs(READ_ONCE(g->relay_port))))
		return -EMSGSIZE;
	if (uid_valid(p->allow_uid) &&
	    nla_put_u32(skb, ANTIGONE_GROUP_A_ALLOW_UID,
			from_kuid_munged(ns, p->allow_uid)))
		return -EMSGSIZE;
	if (gid_valid(p->allow_gid) &&
	    nla_put_u32(skb, ANTIGONE_GROUP_A_ALLOW_GID,
			from_kgid_munged(ns, p->allow_gid)))
		return -EMSGSIZE;
	if (fill_keys(skb, g) || fill_selectors(skb, g) || fill_relay(skb, g) ||
	    fill_stats(skb, g) || antigone_tesla_fill(skb, g->tesla))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

int antigone_fill_event(struct sk_buff *msg, const struct antigone_group *g,
			u8 type, u32 epoch, u32 sender)
{
	struct nlattr *nest;

	nest = nla_nest_start(msg, ANTIGONE_A_GROUP);
	if (!nest ||
	    nla_put_u32(msg, ANTIGONE_GROUP_A_ID, g->id) ||
	    nla_put_string(msg, ANTIGONE_GROUP_A_NAME, g->name))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	nest = nla_nest_start(msg, ANTIGONE_A_EVENT);
	if (!nest ||
	    nla_put_u8(msg, ANTIGONE_EVENT_A_TYPE, type) ||
	    nla_put_u32(msg, ANTIGONE_EVENT_A_EPOCH, epoch) ||
	    nla_put_u32(msg, ANTIGONE_EVENT_A_SENDER, sender))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}
