/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ANTIGONE_NETLINK_MSG_H
#define _ANTIGONE_NETLINK_MSG_H

#include <net/netlink.h>
#include <linux/antigone.h>

struct antigone_group;
struct user_namespace;

/* Nest policies: of a selector, and of a group as each command takes it. */
extern const struct nla_policy
	antigone_selector_policy[ANTIGONE_SELECTOR_A_MAX + 1];
extern const struct nla_policy
	antigone_relay_member_policy[ANTIGONE_RELAY_MEMBER_A_MAX + 1];
extern const struct nla_policy
	antigone_group_ref_policy[ANTIGONE_GROUP_A_MAX + 1];
extern const struct nla_policy
	antigone_group_new_policy[ANTIGONE_GROUP_A_MAX + 1];
extern const struct nla_policy
	antigone_group_set_policy[ANTIGONE_GROUP_A_MAX + 1];
extern const struct nla_policy antigone_key_add_policy[ANTIGONE_KEY_A_MAX + 1];
extern const struct nla_policy antigone_key_del_policy[ANTIGONE_KEY_A_MAX + 1];
extern const struct nla_policy antigone_key_set_policy[ANTIGONE_KEY_A_MAX + 1];
extern const struct nla_policy
	antigone_heartbeat_policy[ANTIGONE_HEARTBEAT_A_MAX + 1];
extern const struct nla_policy
	antigone_tesla_clock_policy[ANTIGONE_TESLA_A_MAX + 1];
extern const struct nla_policy
	antigone_tesla_chain_policy[ANTIGONE_TESLA_A_MAX + 1];
extern const struct nla_policy
	antigone_tesla_keys_policy[ANTIGONE_TESLA_A_MAX + 1];
extern const struct nla_policy
	antigone_tesla_disclose_policy[ANTIGONE_TESLA_A_MAX + 1];

/* Top-level policies, one per command: which nests its request takes. */
extern const struct nla_policy antigone_get_info_top[ANTIGONE_A_MAX + 1];
extern const struct nla_policy antigone_group_new_top[ANTIGONE_A_MAX + 1];
extern const struct nla_policy antigone_group_ref_top[ANTIGONE_A_MAX + 1];
extern const struct nla_policy antigone_group_set_top[ANTIGONE_A_MAX + 1];
extern const struct nla_policy antigone_key_add_top[ANTIGONE_A_MAX + 1];
extern const struct nla_policy antigone_key_del_top[ANTIGONE_A_MAX + 1];
extern const struct nla_policy antigone_key_set_top[ANTIGONE_A_MAX + 1];
extern const struct nla_policy antigone_heartbeat_top[ANTIGONE_A_MAX + 1];
extern const struct nla_policy antigone_tesla_clock_top[ANTIGONE_A_MAX + 1];
extern const struct nla_policy antigone_tesla_chain_top[ANTIGONE_A_MAX + 1];
extern const struct nla_policy antigone_tesla_keys_top[ANTIGONE_A_MAX + 1];
extern const struct nla_policy antigone_tesla_disclose_top[ANTIGONE_A_MAX + 1];

/* Writers of the nests of a reply or event: 0 or -EMSGSIZE. */
int antigone_fill_info(struct sk_buff *msg);
/* uids and gids as the user namespace @ns sees them. */
int antigone_fill_group(struct sk_buff *skb, const struct antigone_group *g,
			struct user_namespace *ns);
int antigone_fill_event(struct sk_buff *msg, const struct antigone_group *g,
			u8 type, u32 epoch, u32 sender);

#endif
