/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ANTIGONE_DATAPATH_H
#define _ANTIGONE_DATAPATH_H

#include <linux/skbuff.h>

struct antigone_group;
struct antigone_replay_table;

struct antigone_net;
struct antigone_attachment;
struct sock;

/*
 * What a tagged socket receives, from its encap_rcv: 1 to deliver the
 * (now plaintext) skb to the socket, 0 once dropped and counted.
 */
int antigone_rx_tagged(struct sock *sk, struct sk_buff *skb,
		       struct antigone_attachment *att);

/*
 * The group whose LOCAL_IN check covers a received datagram to @daddr and
 * @port: by selector, or by port for a relaying group's unicast. RCU.
 */
struct antigone_group *antigone_rx_group(struct antigone_net *an,
					 const struct sk_buff *skb, u8 family,
					 const struct in6_addr *daddr,
					 __be16 port);

int antigone_datapath_init(void);
void antigone_datapath_exit(void);

#endif
