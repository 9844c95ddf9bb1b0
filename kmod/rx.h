/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ANTIGONE_RX_H
#define _ANTIGONE_RX_H

#include <linux/netfilter.h>
#include <linux/skbuff.h>

struct antigone_group;
struct antigone_replay_table;
struct sock;

/* LOCAL_IN, IPv4 and IPv6: checks datagrams to a group's selector. */
unsigned int antigone_rx_hook(void *priv, struct sk_buff *skb,
			      const struct nf_hook_state *state);

/*
 * What a tagged socket of @g receives, from its receive hook (softirq,
 * skb->data at the UDP header, UDP checked the checksum), checked at
 * guarantee @need against the socket's own windows @replay. Returns 1 to
 * deliver the (now plaintext) skb to the socket, 0 once dropped and
 * counted.
 */
int antigone_rx_tagged(struct sock *sk, struct sk_buff *skb,
		       struct antigone_group *g,
		       struct antigone_replay_table *replay, u8 need);

#endif
