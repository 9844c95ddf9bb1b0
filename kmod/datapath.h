/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ANTIGONE_DATAPATH_H
#define _ANTIGONE_DATAPATH_H

#include <linux/skbuff.h>

struct antigone_group;
struct antigone_replay_table;

/*
 * Verifies and strips the protection of a received datagram whose UDP
 * header starts @l4 bytes after the network header, for a receiver that
 * needs guarantee @need and keeps its replay windows in @replay. BH off.
 * 0: the skb now holds the plaintext datagram; otherwise drop it (the
 * reason is counted).
 */
int antigone_unprotect(struct sk_buff *skb, struct antigone_group *g,
		       struct antigone_replay_table *replay, u8 need,
		       unsigned int l4, bool csum_checked);

struct antigone_net;

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
