/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The relay in the kernel: datagrams protected already, sent on as they
 * are to the group's leader, its selectors or its members.
 */
#ifndef _ANTIGONE_RELAY_H
#define _ANTIGONE_RELAY_H

#include "group.h"

/* The member of @r that sends under @sender, or NULL. */
const struct antigone_relay_member *
antigone_relay_member(const struct antigone_relay *r, u32 sender);

/*
 * The protected bytes @payload[0..len) in a new skb with room for any
 * destination's headers, or NULL (no memory, or too long).
 */
struct sk_buff *antigone_relay_payload(const u8 *payload, unsigned int len);

/*
 * Sends @skb (from antigone_relay_payload(), consumed) from UDP port
 * @sport to where @r says for a datagram to @dport (the leader; the
 * selectors on @dport; or every member but the one of @from), the last
 * destination taking @skb itself. Returns the copies sent; each one not
 * sent is counted. BH off, RCU held.
 */
unsigned int antigone_relay_fanout(struct net *net, struct antigone_group *g,
				   const struct antigone_relay *r, u32 from,
				   __be16 sport, __be16 dport,
				   struct sk_buff *skb);

/*
 * Whether the kernel relay sends a datagram of this host's to @dport on
 * (RELAY_TO_LEADER, _UNICAST): only to a selector's port, the one port a
 * leader's kernel knows as the group's. Tagged sockets' datagrams to other
 * ports go through the relay inlet, if any.
 */
bool antigone_relay_takes(const struct antigone_group *g,
			  const struct antigone_relay *r, __be16 dport);

/* Sorts @r's members by sender: -EINVAL if a sender index repeats. */
int antigone_relay_prepare(struct antigone_relay *r);

#endif
